"""core.swedish.phrase: the fast whitespace collapse says the same as the regular expressions."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arkivlucka.core.swedish import _END, phrase


def reference(text: str) -> str:
    """The definition: every run of whitespace one space, trimmed, then _END removed."""
    text = re.sub(r"\s+", " ", text).strip()
    return _END.sub("", text).rstrip() or text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Protokoll.", "Protokoll"),
        ("2.1.", "2.1"),
        ("m.fl.", "m.fl."),
        ("osv.", "osv."),
        ("  a\u00a0\u2003b \n\t c;: ", "a b c"),
        ("\u2028line\u2029", "line"),
        ("tidplaner,", "tidplaner"),
        (".", "."),
        ("", ""),
    ],
    ids=["full-stop", "code", "abbreviation", "abbreviation-osv", "unicode-spaces",
         "line-separators", "comma", "only-a-stop", "empty"],
)  # fmt: skip
def test_phrase_cases(text, expected):
    assert phrase(text) == expected == reference(text)


@given(
    st.text(alphabet=st.sampled_from(list("ab1 .,;:\t\n\u00a0\u2003\x1c\u2028\u0085")), max_size=30)
)
def test_phrase_is_the_regular_expression_definition(text):
    assert phrase(text) == reference(text)
