"""Highlights: where a query's words are in a text, found as the index found them."""

from __future__ import annotations

import re

from whoosh import query as Q
from whoosh.support.charset import accent_map

from tui_reader.core.articles import Excerpt
from tui_reader.core.search.analysis import term_of
from tui_reader.core.search.query import leaves


class Highlighter:
    """Finds the words of a query in a text, the way the index matched them (stemmed, accents folded)."""

    def __init__(self, query: Q.Query | None, fields: tuple[str, ...] = ("title", "text")) -> None:
        self.terms: set[str] = set()
        self.prefixes: list[str] = []
        self._candidates = None
        if query is None:
            return
        for leaf in leaves(query):
            if getattr(leaf, "fieldname", None) not in fields:
                continue
            if isinstance(leaf, Q.Prefix):
                self.prefixes.append(leaf.text)
            elif isinstance(leaf, Q.Wildcard):
                self.prefixes.append(leaf.text.split("*")[0].split("?")[0])
            elif isinstance(leaf, Q.Phrase):
                self.terms.update(leaf.words)
            elif isinstance(leaf, Q.Term) and isinstance(leaf.text, str):
                self.terms.add(leaf.text)

        # A stem is a word's beginning but for its last letter (happy -> happi, hoping -> hope), so
        # a regular expression finds every candidate word quickly; each is then checked exactly.
        heads = {term[: max(2, len(term) - 1)].lower() for term in self.terms} | {p.lower() for p in self.prefixes}
        heads.discard("")
        words = "(?:" + "|".join(map(re.escape, sorted(heads, key=len, reverse=True))) + r")\w*(?:\.\w+)*"
        # On lower-cased text and without a leading \b, the regular expression engine can jump from one
        # literal head to the next (six times faster on news); word starts are checked in spans().
        # Case-insensitive matching with \b stays for the rare text whose length lower() changes.
        self._lowered = re.compile(words) if heads else None
        self._candidates = re.compile(r"\b" + words, re.IGNORECASE) if heads else None

    def __bool__(self) -> bool:
        return self._candidates is not None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the matching words in text, in order."""
        if self._candidates is None:
            return []
        found = []
        prefixes = tuple(self.prefixes)
        # Fold accents one character for one, so that offsets in the folded text are offsets in text.
        # (Most news has curly quotes and dashes but no accents: look before translating, it is slow.)
        folded = text.translate(_FOLD_ONE_TO_ONE) if not text.isascii() and _FOLDABLE.search(text) else text
        lowered = folded.lower()
        if len(lowered) == len(folded):
            matches = (m for m in self._lowered.finditer(lowered)
                       if not m.start() or not _WORD_CHAR.match(lowered, m.start() - 1))
        else:
            matches = self._candidates.finditer(folded)
        for match in matches:
            word = text[match.start() : match.end()]
            if term_of(word) in self.terms or (prefixes and _fold(word).startswith(prefixes)):
                found.append(match.span())
        return found

    def excerpt(self, text: str, width: int = 160) -> Excerpt:
        """A one-line excerpt of text around its densest cluster of matches, with spans in it."""
        spans = self.spans(text) if self else []
        start = 0
        if spans:
            # Two pointers: for each first match, how many matches fit in one excerpt's width.
            best, best_count, last = 0, 0, 0
            for first in range(len(spans)):
                last = max(last, first)
                while last + 1 < len(spans) and spans[last + 1][1] - spans[first][0] <= width:
                    last += 1
                if last - first + 1 > best_count:
                    best, best_count = first, last - first + 1
            start = max(0, spans[best][0] - width // 5)
            space = text.rfind(" ", 0, start)
            start = 0 if space < 0 or start - space > 20 else space + 1
        end = min(len(text), start + width)
        prefix = "…" if start else ""
        shift = len(prefix) - start
        inside = [(a + shift, b + shift) for a, b in spans if a >= start and b <= end]
        return Excerpt(prefix + text[start:end].replace("\n", " "), inside, len(spans))


_WORD_CHAR = re.compile(r"\w")
_FOLD_ONE_TO_ONE = {code: (folded[0] if folded else chr(code)) for code, folded in accent_map.items()
                    if isinstance(folded, str)}
# (accent_map also lower-cases a few ASCII letters; the search for words ignores case anyway.)
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(code)) for code in _FOLD_ONE_TO_ONE if code > 127) + "]")


def _fold(word: str) -> str:
    """A word as the index keeps it before stemming: lower case, accents folded."""
    return word.lower().translate(accent_map)
