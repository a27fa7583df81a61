"""Property tests: the loader and the Markdown stage never crash on arbitrary input.

A longer run of the same targets: `python fuzz/run.py` (see its docstring for the figures).
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_targets import (decode_damaged, hostile_value, load_one, load_value, mutated_report,
                          noisy_text, render_one, value_place)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=600))
def test_loader_survives_arbitrary_bytes(data):
    load_one(data)


@FAST
@given(noisy_text, st.integers(min_value=0))
def test_loader_survives_text_spliced_into_a_valid_report(text, position):
    load_one(mutated_report(text, position).encode("utf-8", "surrogatepass"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value_place, hostile_value)
def test_loader_survives_hostile_values_in_every_field(place, value):
    load_value(place, value)


@FAST
@given(noisy_text)
def test_markdown_stage_survives_arbitrary_text(text):
    render_one(text)


@FAST
@given(st.lists(st.sampled_from(["Claim.", "[^1]", "[^2]", "[^x]", "\n\n", "[^1]: a", "[^2]: [missing]",
                                 "\n[^1]: dup", "`[^1]`", "> [^2]", "- [^1]", "    [^3]: code"]),
                max_size=30))
def test_markdown_notes_always_resolve(parts):
    render_one("".join(parts))


@FAST
@given(st.integers(min_value=0), st.binary(min_size=1, max_size=40), st.booleans())
def test_a_damaged_cache_entry_is_a_value_or_a_bad_entry(position, garbage, keep_header):
    decode_damaged(position, garbage, keep_header)
