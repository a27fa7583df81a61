"""`python -m publisher.importer RAW.txt ...` until build.py wires `import` to the same main()."""
import sys

from .cli import main

sys.exit(main(sys.argv[1:]))
