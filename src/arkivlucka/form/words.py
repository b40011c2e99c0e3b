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
    _by_add: dict[str, list[_Suffix]] = field(default_factory=dict)
    _seen: dict[str, list[str]] = field(default_factory=dict)

    def index(self) -> None:
        """Index the suffix rules by the ending they add (a look-up is then a few tries)."""
        self._by_add = {}
        for sfx in self.suffixes:
            self._by_add.setdefault(sfx.add, []).append(sfx)

    def forms(self, word: str) -> list[str]:
        """The flag sets of every reading of ``word``: as a stem, or a stem with a suffix."""
        if word in self._seen:
            return self._seen[word]
        out = []
        if word in self.stems:
            out.append(self.stems[word])
        longest = max((len(a) for a in self._by_add), default=0)
        rules = [
            sfx
            for k in range(min(longest, len(word) - 1) + 1)
            for sfx in self._by_add.get(word[len(word) - k :] if k else "", [])
        ]
        for sfx in rules:
            if not word.endswith(sfx.add) or len(word) <= len(sfx.add):
                continue
            stem = word[: len(word) - len(sfx.add)] + sfx.strip if sfx.add else word + sfx.strip
            flags = self.stems.get(stem)
            if flags is not None and sfx.flag in flags and sfx.condition.search(stem):
                # the form keeps the stem's compound flags, plus the suffix's own
                out.append(sfx.continuation + "".join(f for f in flags if f in self._cflags))
        if len(self._seen) < 100_000:
            self._seen[word] = out
        return out

    @property
    def _cflags(self) -> str:
        return self.begin + self.middle + self.end

    def known(self, word: str) -> bool:
        """Whether ``word`` is a word of its own (not only a part of compounds)."""
        w = word.lower()
        return any(
            not (self.only_in_compound and self.only_in_compound in f) for f in self.forms(w)
        )

    def _has(self, word: str, flag: str) -> bool:
        return bool(flag) and any(flag in f for f in self.forms(word))

    def compound(self, word: str, depth: int = 0) -> bool:
        """Whether ``word`` is a compound the dictionary's flags allow (up to four parts)."""
        w = word.lower()
        n = self.compound_min
        for i in range(n, len(w) - n + 1):
            head, tail = w[:i], w[i:]
            first = self._has(head, self.begin) if depth == 0 else self._has(head, self.middle)
            if not first:
                continue
            if self._has(tail, self.end) or (depth < 2 and self.compound(tail, depth + 1)):
                return True
        return False

    def joins(self, head: str, tail: str) -> bool:
        """Whether ``head`` + ``tail`` (split at a line end) is one word, not two."""
        h, t = head.lower(), tail.lower()
        whole = h + t
        if not (self.known(whole) or self.compound(whole)):
            return False
        return not (self.known(h) and self.known(t)) or self.compound(whole)


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
