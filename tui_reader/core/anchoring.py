"""Anchoring passages: W3C Web Annotation selectors, and finding a passage again after edits.

A tagged passage is stored as a TextQuoteSelector (the exact quote with some context either
side) and a TextPositionSelector (its character offsets). When an article is re-imported with
edited text, `resolve` looks for the passage in this order:

1. the exact quote, by str.find: every occurrence is scored by how much of the stored context
   still surrounds it, the nearest to the old offset winning a tie ("position" when that is the
   old offset itself, "quote" otherwise);
2. a fuzzy match, for a quote whose words were lightly edited: word pairs of the quote and its
   context that survived vote for where the passage now starts, and only a few windows around
   the best-voted places are compared with difflib, so the cost does not grow with
   text length times quote length;
3. otherwise the passage is an orphan: it is never moved onto words that merely look alike.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher, get_close_matches
from itertools import pairwise

CONTEXT = 32  # characters of prefix and suffix stored around a quote

FUZZY_THRESHOLD = 0.75  # least difflib ratio between the quote and a fuzzy match
MIN_WORD_SHARE = 0.5  # least share of the quote's distinct words a fuzzy match must keep
# Below these sizes a quote is "short": a changed letter or two can make it look like other
# words, so it is fuzzy-matched only where its stored context still surrounds it.
SHORT_WORDS = 3
SHORT_CHARS = 12
STRONG_CONTEXT = 0.75  # share of the stored context that counts as surrounding it
# Ranking fuzzy candidates: similarity first, but a near-equal span that sits in the passage's
# old context is the passage itself, not a look-alike elsewhere.
CONTEXT_WEIGHT = 0.5
MAX_SEED_HITS = 50  # a word pair found more often than this says nothing about where to look
MAX_CANDIDATES = 8  # windows compared with difflib, at most
MIN_BLOCK = 3  # matching runs shorter than this are chance letters, not the quote

_WORD = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")
_TOKEN = re.compile(r"\w+|[^\w\s]")  # a fuzzy span starts and ends on these: words, punctuation

_SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b\u2032"
_DOUBLE_QUOTES = '"\u201c\u201d\u201e\u201f\u2033'
_DASHES = "\u2012\u2013\u2014\u2015"
_DASH_RUN = re.compile(rf"\s*(?:-{{2,}}|[{_DASHES}])+\s*")  # "--", " — ", "––": one dash
_QUOTE_PIECE = re.compile(r"\s+|.", re.DOTALL)
_FLEXIBLE = {
    **dict.fromkeys(_SINGLE_QUOTES, f"[{_SINGLE_QUOTES}]"),
    **dict.fromkeys(_DOUBLE_QUOTES, f"[{_DOUBLE_QUOTES}]"),
    "\u2014": rf"\s*(?:-{{2,}}|[{_DASHES}])\s*",
}


@dataclass(frozen=True)
class Anchor:
    """Where a passage is: its exact quote with context, and its character offsets."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int

    def to_selectors(self) -> list[dict]:
        """The anchor as W3C Web Annotation selectors (TextQuote, TextPosition), JSON-ready."""
        return [
            {
                "type": "TextQuoteSelector",
                "exact": self.exact,
                "prefix": self.prefix,
                "suffix": self.suffix,
            },
            {"type": "TextPositionSelector", "start": self.start, "end": self.end},
        ]

    @classmethod
    def from_selectors(cls, selectors: list[dict]) -> Anchor:
        """The anchor back from `to_selectors` output; ValueError when a selector is missing."""
        by_type = {selector.get("type"): selector for selector in selectors}
        try:
            quote = by_type["TextQuoteSelector"]
            position = by_type["TextPositionSelector"]
            return cls(
                quote["exact"],
                quote.get("prefix", ""),
                quote.get("suffix", ""),
                int(position["start"]),
                int(position["end"]),
            )
        except KeyError as missing:
            raise ValueError(f"incomplete selectors: no {missing}") from None


@dataclass(frozen=True)
class Resolution:
    """Where an anchored passage was found in a text, and how (or that it was not)."""

    start: int | None
    end: int | None
    method: str  # "position" | "quote" | "fuzzy" | "orphan"
    score: float  # 1.0 for an exact quote, the similarity for fuzzy, 0.0 for an orphan

    @property
    def found(self) -> bool:
        """Whether the passage was found at all."""
        return self.start is not None


_ORPHAN = Resolution(None, None, "orphan", 0.0)


def make_anchor(text: str, start: int, end: int, context: int = CONTEXT) -> Anchor:
    """The anchor of text[start:end]; ValueError for an empty or out-of-range span."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"no passage at {start}:{end} in a text of {len(text)} characters")
    if context < 0:
        raise ValueError(f"context must not be negative, got {context}")
    return Anchor(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
        start=start,
        end=end,
    )


def resolve(anchor: Anchor, text: str) -> Resolution:
    """Find an anchored passage in (possibly edited) text: exactly, fuzzily, or not at all."""
    if not anchor.exact:
        return _ORPHAN
    return _by_quote(anchor, text) or _by_fuzzy_quote(anchor, text) or _ORPHAN


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """The span of the first occurrence of quote in text, tolerant of spacing, quote marks, dashes.

    Any run of whitespace in the quote matches any run in the text (a quote may cross
    paragraphs), straight and curly quotes match each other, and "--" matches a dash.
    """
    quote = _DASH_RUN.sub("\u2014", quote.strip())
    if not quote:
        return None
    pattern = "".join(_flexible_piece(piece) for piece in _QUOTE_PIECE.findall(quote))
    match = re.search(pattern, text)
    return _strip_span(text, *match.span()) if match else None


def _flexible_piece(piece: str) -> str:
    """The regular expression one piece of a quote (a character or a whitespace run) stands for."""
    if piece.isspace():
        return r"\s+"
    return _FLEXIBLE.get(piece) or re.escape(piece)


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without whitespace at either end (a dash's pattern may take some in)."""
    piece = text[start:end]
    return start + len(piece) - len(piece.lstrip()), end - len(piece) + len(piece.rstrip())


# -- the exact quote ---------------------------------------------------------------------------


def _by_quote(anchor: Anchor, text: str) -> Resolution | None:
    """The occurrence of the exact quote that its stored context surrounds best, if any."""
    length = len(anchor.exact)
    best = max(
        _find_all(text, anchor.exact),
        key=lambda at: (_context_match(anchor, text, at, at + length), -abs(at - anchor.start)),
        default=None,
    )
    if best is None:
        return None
    method = "position" if best == anchor.start else "quote"
    return Resolution(best, best + length, method, 1.0)


def _find_all(text: str, needle: str, limit: int | None = None) -> Iterator[int]:
    """Every start of needle in text, overlapping ones included; at most limit of them."""
    at = text.find(needle)
    count = 0
    while at != -1 and (limit is None or count < limit):
        yield at
        count += 1
        at = text.find(needle, at + 1)


def _context_match(anchor: Anchor, text: str, start: int, end: int) -> int:
    """How many characters of the stored prefix and suffix still sit right around start:end."""
    before = text[max(0, start - len(anchor.prefix)) : start]
    after = text[end : end + len(anchor.suffix)]
    return _common_prefix_length(anchor.prefix[::-1], before[::-1]) + _common_prefix_length(
        anchor.suffix, after
    )


def _common_prefix_length(first: str, second: str) -> int:
    """The length of the longest common prefix of two strings."""
    length = 0
    for one, other in zip(first, second):
        if one != other:
            break
        length += 1
    return length


def _context_share(anchor: Anchor, text: str, start: int, end: int) -> float:
    """The share (0..1) of the stored context that still surrounds start:end."""
    stored = len(anchor.prefix) + len(anchor.suffix)
    return _context_match(anchor, text, start, end) / stored if stored else 0.0


# -- the fuzzy quote ---------------------------------------------------------------------------


def _by_fuzzy_quote(anchor: Anchor, text: str) -> Resolution | None:
    """The best span of whole words closely similar to the quote, if one is similar enough."""
    matcher = SequenceMatcher(None, autojunk=False)  # junk heuristics would skew long quotes
    matcher.set_seq2(anchor.exact)  # compared against every window: its index is built once
    best: tuple[tuple[float, int], Resolution] | None = None
    for guess in _guess_starts(anchor, text):
        span = _best_span(matcher, text, guess)
        if span is None or not _acceptable(anchor, text, *span):
            continue
        start, end, ratio = span
        rank = (
            ratio + CONTEXT_WEIGHT * _context_share(anchor, text, start, end),
            -abs(start - anchor.start),
        )
        if best is None or rank > best[0]:
            best = rank, Resolution(start, end, "fuzzy", ratio)
    return best[1] if best else None


def _guess_starts(anchor: Anchor, text: str) -> list[int]:
    """Likely new starts of the passage, the best-voted first; few, so difflib stays cheap."""
    votes = _vote_starts(anchor, text)
    reach = max(CONTEXT, len(anchor.exact) // 4)  # an edit inside the quote shifts its votes
    groups = sorted(_group_votes(votes, reach), reverse=True)[:MAX_CANDIDATES]
    # a place with a third of the leader's votes or fewer is chance repetition of common words
    return [start for weight, start in groups if 3 * weight > groups[0][0]]


def _vote_starts(anchor: Anchor, text: str) -> Counter[int]:
    """Each surviving pair of adjacent words of the quote and its context votes for a start."""
    region = anchor.prefix + anchor.exact + anchor.suffix
    votes: Counter[int] = Counter()
    for first, second in pairwise(_WORD.finditer(region)):
        pair = region[first.start() : second.end()]
        hits = list(_find_all(text, pair, limit=MAX_SEED_HITS + 1))
        if len(hits) > MAX_SEED_HITS:
            continue
        offset = first.start() - len(anchor.prefix)  # where the pair sat relative to the quote
        votes.update(hit - offset for hit in hits)
    return votes


def _group_votes(votes: Counter[int], reach: int) -> list[tuple[int, int]]:
    """Voted starts within reach of each other, grouped: (total votes, most-voted start) each."""
    groups: list[list[int]] = []
    for start in sorted(votes):
        if groups and start - groups[-1][-1] <= reach:
            groups[-1].append(start)
        else:
            groups.append([start])
    return [(sum(votes[at] for at in group), max(group, key=votes.__getitem__)) for group in groups]


def _best_span(matcher: SequenceMatcher, text: str, guess: int) -> tuple[int, int, float] | None:
    """The span of whole tokens near guess most similar to the quote: (start, end, ratio)."""
    length = len(matcher.b)
    slack = length // 4 + CONTEXT  # room for words the edit added, and for a rough guess
    low, high = max(0, guess - slack), min(len(text), guess + length + slack)
    tokens = _whole_tokens(text, low, high)
    matcher.set_seq1(text[low:high])
    blocks = [block for block in matcher.get_matching_blocks() if block.size >= MIN_BLOCK]
    if not tokens or not blocks:
        return None
    # Where the quote would begin and end if its unmatched head and tail kept their lengths.
    first, last = blocks[0], blocks[-1]
    start = low + first.a - first.b
    end = low + last.a + last.size + (length - last.b - last.size)
    first_token = min(bisect_right([token_end for _, token_end in tokens], start), len(tokens) - 1)
    last_token = max(bisect_left([token_start for token_start, _ in tokens], end) - 1, first_token)
    return _climb(matcher, text, tokens, first_token, last_token)


def _whole_tokens(text: str, low: int, high: int) -> list[tuple[int, int]]:
    """Spans of the words and punctuation marks lying wholly inside text[low:high]."""
    tokens = [match.span() for match in _TOKEN.finditer(text, low, high)]
    if tokens and _splits_word(text, tokens[0][0]):
        tokens.pop(0)
    if tokens and _splits_word(text, tokens[-1][1]):
        tokens.pop()
    return tokens


def _splits_word(text: str, at: int) -> bool:
    """Whether offset at falls between two characters of one word."""
    return 0 < at < len(text) and bool(_WORD_CHAR.match(text, at - 1)) and bool(_WORD_CHAR.match(text, at))


def _climb(
    matcher: SequenceMatcher, text: str, tokens: list[tuple[int, int]], first: int, last: int
) -> tuple[int, int, float]:
    """Move the span's first and last token a token at a time while that raises its similarity."""

    def ratio(first: int, last: int) -> float:
        matcher.set_seq1(text[tokens[first][0] : tokens[last][1]])
        return matcher.ratio()

    best = (ratio(first, last), first, last)
    while True:
        moves = [
            (first + step_first, last + step_last)
            for step_first, step_last in ((-1, 0), (1, 0), (0, -1), (0, 1))
            if 0 <= first + step_first <= last + step_last < len(tokens)
        ]
        step = max(((ratio(*move), *move) for move in moves), default=best)
        if step[0] <= best[0]:
            return tokens[first][0], tokens[last][1], best[0]
        best = step
        _, first, last = best


def _acceptable(anchor: Anchor, text: str, start: int, end: int, ratio: float) -> bool:
    """Whether a span is close enough to the quote to be the passage, not look-alike words."""
    if ratio < FUZZY_THRESHOLD:
        return False
    short = len(_WORD.findall(anchor.exact)) < SHORT_WORDS or len(anchor.exact.strip()) < SHORT_CHARS
    return not short or _context_share(anchor, text, start, end) >= STRONG_CONTEXT


def _word_share(quote: str, found: str) -> float:
    """The share of the quote's distinct words (ignoring case) that found holds or nearly holds."""
    wanted = set(_WORD.findall(quote.casefold()))
    if not wanted:
        return 0.0
    present = set(_WORD.findall(found.casefold()))
    # a word with a typo fixed ("recieved" -> "received") is still the quote's word
    kept = sum(
        word in present or bool(get_close_matches(word, present, n=1, cutoff=FUZZY_THRESHOLD))
        for word in wanted
    )
    return kept / len(wanted)
