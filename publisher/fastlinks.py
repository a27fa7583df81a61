"""A fast path in front of markdown-it's link normalisation, with exactly the same answers.

markdown-it normalises every link address (and the text of every `<autolink>`) by parsing it
into parts, punycoding the host and percent-encoding the rest. For the addresses reports
cite by the hundred, plain `http(s)://host/path` in ASCII with nothing to encode, the result
is the address itself; finding that out costs a tenth of all Markdown time. Such addresses
are recognised here by one regular expression and returned as they are; every other address
goes through markdown-it as before. A property test (tests/test_markdown.py) checks that the
two agree on generated addresses.
"""
from __future__ import annotations

import re
from typing import Callable

# Lower-case ASCII host (mdurl keeps it as is: labels of at most 63 characters, 255 in all;
# no "xn--" label, which the link text would show decoded), optional port, then only
# characters percent-encoding leaves alone (no "%", "[", "]", spaces or non-ASCII).
PLAIN_ADDRESS = re.compile(
    r"https?://(?P<host>[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)"
    r"(?::[0-9]{1,5})?(?:[/?#][A-Za-z0-9\-._~/?#=&+,;:@!$'()*]*)?", re.ASCII)


def is_plain_address(url: str) -> bool:
    """True when markdown-it's normalisation would return `url` unchanged."""
    match = PLAIN_ADDRESS.fullmatch(url)
    if match is None:
        return False
    host = match.group("host")
    return len(host) <= 255 and "xn--" not in host and all(len(l) <= 63 for l in host.split("."))


def fast_path(normalise: Callable[[str], str]) -> Callable[[str], str]:
    """`normalise`, answering plain addresses directly."""
    def normalise_fast(url: str) -> str:
        return url if is_plain_address(url) else normalise(url)
    return normalise_fast
