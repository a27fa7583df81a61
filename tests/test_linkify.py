"""The fast linkify gate (publisher/linkify.py) answers exactly as linkify-it-py does."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from linkify_it import LinkifyIt

from publisher.linkify import speed_up
from publisher.markdown import _MD

ORIGINAL = LinkifyIt()
FAST = speed_up(LinkifyIt())
PIECES = ["http", "https", "ftp", "mailto", ":", "//", "/", "@", ".", "www.", "example", ".org",
          ".com", ".xn--p1ai", "localhost", "127.0.0.1", " ", "\n", "(", ")", "<", ">", "_", "-",
          "é", "ſ", "K", "：", "．", "＠", "a", "1", "user", "[", "]", "*"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=14).map("".join))
def test_same_answers_as_linkify_it(text: str):
    assert FAST.pretest(text) == ORIGINAL.pretest(text)
    assert FAST.test(text) == ORIGINAL.test(text)


def test_markdown_uses_the_fast_gate_and_still_links():
    assert getattr(_MD.linkify, "_fast_gate", False)
    html = _MD.render("See https://example.org/a, www.example.com and mail@example.org.")
    assert 'href="https://example.org/a"' in html
    assert 'href="http://www.example.com"' in html
    assert 'href="mailto:mail@example.org"' in html
    assert "<a" not in _MD.render("Plain prose. With sentences. And no links at all.")
