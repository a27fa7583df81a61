"""Every page loads cleanly: no script errors, no missing files, nothing blocked by the site's own
Content-Security-Policy (a blocked style attribute silently breaks a layout that axe cannot see)."""
from __future__ import annotations

import pytest


def test_every_page_loads_without_errors_or_policy_violations(open_page, sample_site):
    failures = []
    for path in sample_site.pages:
        page = open_page(path)
        if page.status != 200:
            failures.append(f"{path}: HTTP {page.status}")
        violations = page.evaluate("window.__cspViolations")
        for problem in page.page_errors + violations:
            failures.append(f"{path}: {problem}")
        page.context.close()
    assert not failures, "\n".join(failures[:30])


def test_a_blocked_inline_style_would_be_reported(open_page):
    """The check above can fail: an inline style attribute breaks the policy (style-src 'self')."""
    page = open_page("")
    if not page.evaluate("Boolean(document.querySelector('meta[http-equiv=Content-Security-Policy]'))"):
        pytest.skip("the site sets no Content-Security-Policy")
    page.evaluate("""() => { const p = document.createElement('p');
        p.setAttribute('style', 'color: red'); document.body.append(p); }""")
    page.wait_for_function("() => window.__cspViolations.length > 0", timeout=5000)
    assert any(v.startswith("style-src") for v in page.evaluate("window.__cspViolations"))
