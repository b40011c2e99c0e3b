"""The quick tests in front of slower ones: each gives what the slower test alone would.

A mark is told by its place after a plain match, a line's last word without a pattern tried
at every offset, a sentence without a system noun skips the system pattern, and a word's
readings are worked out once into bits.
"""

from __future__ import annotations

import re

import pytest

from arkivlucka.form import propose as form_propose
from arkivlucka.form import read as form_read
from arkivlucka.form import repair as form_repair
from arkivlucka.form import words as form_words

# the pattern an X mark was found with before: look-behinds for its place
X_MARK_BY_LOOKBEHIND = re.compile(r"(?:(?<=^)|(?<=\s\s)|(?<=:\s))[xX](?=\s+[A-ZÅÄÖ][a-zåäö])", re.M)


@pytest.mark.parametrize(
    "text",
    [
        "X Ja  ☐ Nej",
        "Svar: x Nej",
        "Svar:  X Nej",
        "Svar:\tX Nej",
        "Svar\u00a0 X Nej",
        "a X Nej",
        "aX Nej",
        "☐ Ja\nX Nej\nx Okänd",
        "X\tNej",
        "XX Nej",
        " X Nej",
        "X NEJ",
        "",
    ],
)
def test_an_x_is_a_mark_in_the_same_places_as_by_lookbehinds(text):
    expected = X_MARK_BY_LOOKBEHIND.sub(form_read.CHECKED, text)
    assert form_read._X_BEFORE_OPTION.sub(form_read._x_mark, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ord",
        "två ord",
        "slut med blank ",
        "tab\tord",
        "ny rad\n",
        "två\n\n",
        "",
        "\u00a0hård",
        "x\u2003y",
    ],
)
def test_last_and_first_word_are_what_the_patterns_find(text):
    last = re.findall(r"\S+$", text)
    first = re.findall(r"^\S+", text)
    assert form_repair._last_word(text) == (last[0] if last else None)
    assert form_repair._first_word(text) == (first[0] if first else None)


@pytest.mark.parametrize(
    "sentence",
    [
        "Ärendesystemet Treserva driftas av leverantören Tieto.",
        "Journalsystem X1 används.",
        "ÄRENDESYSTEMET Treserva",
        "ärendeſystemet Treserva",  # a long s matches s case-insensitively, lower() keeps it
        "verKtyget Slack",  # the Kelvin sign matches k case-insensitively
        "E-tjänsten Mina sidor",
    ],
)
def test_a_sentence_the_system_pattern_matches_is_never_skipped(sentence):
    assert form_propose._SYSTEM.search(sentence)
    assert form_propose._may_name_a_system(sentence)


def test_a_sentence_without_a_system_noun_is_skipped():
    sentence = "Filerna saknades i flera veckor innan någon upptäckte det."
    assert not form_propose._may_name_a_system(sentence)
    assert not form_propose._SYSTEM.search(sentence)


def _facts_by_forms(lexicon: form_words.Lexicon, word: str) -> int:
    """The bits as each reading says them, the way the checks were written before."""
    bits = 0
    for part, flag in ((form_words.BEGIN, lexicon.begin), (form_words.MIDDLE, lexicon.middle)):
        bits |= part if flag and any(flag in f for f in lexicon.forms(word)) else 0
    if lexicon.end and any(lexicon.end in f for f in lexicon.forms(word)):
        bits |= form_words.END
    only = lexicon.only_in_compound
    if any(not (only and only in f) for f in lexicon.forms(word)):
        bits |= form_words.ALONE
    return bits


@pytest.mark.parametrize(
    "word",
    ["förvaltningen", "samhällsbyggnads", "arkiv", "information", "viss", "gått", "ning", "xq"],
)
def test_a_words_bits_are_its_readings(word):
    lexicon = form_words.load()
    assert lexicon is not None, "Debian's hunspell-sv is needed for this test"
    lexicon.forget()
    assert lexicon.facts(word) == _facts_by_forms(lexicon, word)
    assert lexicon.facts(word) == _facts_by_forms(lexicon, word)  # remembered: the same


def test_forgetting_the_words_changes_no_answer():
    lexicon = form_words.load()
    assert lexicon is not None, "Debian's hunspell-sv is needed for this test"
    pairs = [
        ("Samhällsbyggnads", "förvaltningen"),
        ("viss", "information"),
        ("arkiv", "förteckningen"),
    ]
    first = [lexicon.joins(h, t) for h, t in pairs]
    lexicon.forget()
    assert [lexicon.joins(h, t) for h, t in pairs] == first == [True, False, True]
