"""Parse-form stage, word list: tell a compound broken across lines from two words (Swedish).

Reads a Hunspell dictionary (Debian ``hunspell-sv``: ``/usr/share/hunspell/sv_SE.dic`` and
``.aff``) with our own small reader: the stems with their flags and the suffix rules. A word
is known when it is a stem or a stem with one suffix; a compound is known when its first
part may begin a compound (flag ``COMPOUNDBEGIN``), its middle parts may stand inside one
(``COMPOUNDMIDDLE``) and its last part may end one (``COMPOUNDEND``), as the dictionary's
own flags say — so "Samhällsbyggnads" + "förvaltningen" is one word, "viss" + "information"
two. Loaded once, lazily, only when a line break needs it. Missing: ``load`` returns None,
and the caller warns once and goes on without it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DICTIONARY = Path("/usr/share/hunspell/sv_SE.dic")
INSTALL_HINT = "apt-get install hunspell-sv"


@dataclass(frozen=True)
class _Suffix:
    flag: str
    strip: str
    add: str
    condition: re.Pattern[str]
    continuation: str


#: what a word can be, as bits: a compound's first, middle or last part, a word of its own
BEGIN, MIDDLE, END, ALONE = 1, 2, 4, 8
_MEMO = 100_000  # words whose readings are remembered (a bound on the memory it takes)


@dataclass
class Lexicon:
    """A Hunspell word list: stems with flags, suffix rules and compound flags."""

    stems: dict[str, str] = field(default_factory=dict)
    suffixes: list[_Suffix] = field(default_factory=list)
    begin: str = ""
    middle: str = ""
    end: str = ""
    only_in_compound: str = ""
    compound_min: int = 3
    #: the suffix rules by the ending they add, then by what they strip from the stem
    _by_add: dict[str, list[tuple[str, list[_Suffix]]]] = field(default_factory=dict)
    _longest: int = 0
    _cflags: str = ""
    _facts: dict[str, int] = field(default_factory=dict)

    def index(self) -> None:
        """Index the suffix rules by the ending they add (a look-up is then a few tries)."""
        grouped: dict[str, dict[str, list[_Suffix]]] = {}
        for sfx in self.suffixes:
            grouped.setdefault(sfx.add, {}).setdefault(sfx.strip, []).append(sfx)
        self._by_add = {add: list(by_strip.items()) for add, by_strip in grouped.items()}
        self._longest = max((len(a) for a in self._by_add), default=0)
        self._cflags = self.begin + self.middle + self.end
        self._facts = {}

    def forms(self, word: str) -> list[str]:
        """The flag sets of every reading of ``word``: as a stem, or a stem with a suffix."""
        out = []
        stems = self.stems
        if word in stems:
            out.append(stems[word])
        size = len(word)
        for k in range(min(self._longest, size - 1) + 1):
            groups = self._by_add.get(word[size - k :] if k else "")
            if groups is None:
                continue
            root = word[: size - k]
            for strip, rules in groups:
                stem = root + strip
                flags = stems.get(stem)
                if flags is None:
                    continue
                for sfx in rules:
                    if sfx.flag in flags and sfx.condition.search(stem):
                        # the form keeps the stem's compound flags, plus the suffix's own
                        out.append(
                            sfx.continuation + "".join(f for f in flags if f in self._cflags)
                        )
        return out

    def facts(self, word: str) -> int:
        """What the lower-case ``word`` can be (``BEGIN``, ``MIDDLE``, ``END``, ``ALONE`` bits).

        Worked out once a word from its readings (``forms``), for up to ``_MEMO`` words.
        """
        found = self._facts.get(word)
        if found is not None:
            return found
        found = 0
        for f in self.forms(word):
            if self.begin and self.begin in f:
                found |= BEGIN
            if self.middle and self.middle in f:
                found |= MIDDLE
            if self.end and self.end in f:
                found |= END
            if not (self.only_in_compound and self.only_in_compound in f):
                found |= ALONE
        if len(self._facts) < _MEMO:
            self._facts[word] = found
        return found

    def forget(self) -> None:
        """Drop the remembered words (a benchmark then times a form read as the first one)."""
        self._facts.clear()

    def known(self, word: str) -> bool:
        """Whether ``word`` is a word of its own (not only a part of compounds)."""
        return bool(self.facts(word.lower()) & ALONE)

    def compound(self, word: str, depth: int = 0) -> bool:
        """Whether ``word`` is a compound the dictionary's flags allow (up to four parts)."""
        w = word.lower()
        n = self.compound_min
        part = BEGIN if depth == 0 else MIDDLE
        for i in range(n, len(w) - n + 1):
            if not self.facts(w[:i]) & part:
                continue
            tail = w[i:]
            if self.facts(tail) & END or (depth < 2 and self.compound(tail, depth + 1)):
                return True
        return False

    def joins(self, head: str, tail: str) -> bool:
        """Whether ``head`` + ``tail`` (split at a line end) is one word, not two."""
        h, t = head.lower(), tail.lower()
        whole = h + t
        if self.known(whole):
            return not (self.known(h) and self.known(t)) or self.compound(whole)
        return self.compound(whole)


def _parse_aff(text: str, lex: Lexicon) -> None:
    lines = text.splitlines()
    for line in lines:
        parts = line.split()
        if len(parts) < 2:
            continue
        tag = parts[0]
        if tag == "COMPOUNDBEGIN":
            lex.begin = parts[1]
        elif tag == "COMPOUNDMIDDLE":
            lex.middle = parts[1]
        elif tag == "COMPOUNDEND":
            lex.end = parts[1]
        elif tag == "ONLYINCOMPOUND":
            lex.only_in_compound = parts[1]
        elif tag == "COMPOUNDMIN" and parts[1].isdigit():
            lex.compound_min = max(2, int(parts[1]))
        elif tag == "SFX" and len(parts) >= 5:
            add, _, cont = parts[3].partition("/")
            try:
                cond = re.compile(("" if parts[4] == "." else parts[4]) + "$")
            except re.error:
                continue
            lex.suffixes.append(
                _Suffix(parts[1], "" if parts[2] == "0" else parts[2],
                        "" if add == "0" else add, cond, cont)
            )  # fmt: skip


@lru_cache(maxsize=4)
def load(path: Path = DICTIONARY) -> Lexicon | None:
    """The Hunspell word list at ``path`` (its ``.aff`` beside it), or None when missing."""
    aff = path.with_suffix(".aff")
    try:
        dic_text = path.read_text(encoding="utf-8", errors="replace")
        aff_text = aff.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    lex = Lexicon()
    _parse_aff(aff_text, lex)
    stems = lex.stems
    for line in dic_text.splitlines()[1:]:
        word, _, flags = line.partition("/")
        word = word.strip().lower()
        if word and not word.startswith("#"):
            stems[word] = stems.get(word, "") + flags.strip()
    lex.index()
    return lex
