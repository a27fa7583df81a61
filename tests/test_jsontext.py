"""jsontext.indented writes exactly what json.dumps(..., ensure_ascii=False, indent=2) writes."""
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.jsontext import indented


def dumps(value, indent=2):
    return json.dumps(value, ensure_ascii=False, indent=indent)


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text())
keys = st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none())
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.tuples(inner, inner),
    st.dictionaries(keys, inner, max_size=5)), max_leaves=40)


@given(values)
@settings(max_examples=500, deadline=None)
def test_the_same_text_as_json_dumps(value):
    assert indented(value) == dumps(value)


@pytest.mark.parametrize("value", [
    {}, [], (), "", {"a": {}}, {"a": []}, [[], {}], 0, -0.0, 1e16, 1.5e-7, float("inf"),
    -math.inf, math.nan, True, None, "é\u2028\x00\"\\\n", {1: "int key", 2.5: "float key",
                                                          True: "bool key", None: "null"},
])
def test_edge_values(value):
    assert indented(value) == dumps(value)


def test_another_indent():
    value = {"a": [1, {"b": None}], "c": "d"}
    assert indented(value, "    ") == dumps(value, 4)


@pytest.mark.parametrize("value", [{"a": object()}, [b"bytes"], {(1, 2): "tuple key"}])
def test_what_json_refuses_is_refused(value):
    with pytest.raises(TypeError):
        dumps(value)
    with pytest.raises(TypeError):
        indented(value)
