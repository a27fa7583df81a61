"""The Nu Html Checker (vnu.jar) on every built HTML page: zero errors."""
from __future__ import annotations

import json
import subprocess


def test_every_page_is_valid_html(sample_site, vnu_command):
    files = [str(sample_site.out / path) for path in sample_site.pages]
    assert len(files) >= 8
    result = subprocess.run([*vnu_command, "--errors-only", "--format", "json", *files],
                            capture_output=True, text=True, timeout=600)
    # vnu writes its JSON report to stderr; exit status 1 means errors were found.
    report = json.loads(result.stderr or "{}")
    assert "messages" in report, f"vnu gave no report (status {result.returncode}): {result.stdout[-2000:]}"
    errors = [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]
    shown = "\n".join(
        f"{m.get('url', '?').split(sample_site.out.name + '/', 1)[-1]}:{m.get('lastLine', '?')}: "
        f"{m.get('message')}\n    {m.get('extract', '').strip()[:160]}"
        for m in errors[:40])
    assert not errors, f"{len(errors)} HTML error(s):\n{shown}"
    assert result.returncode == 0
