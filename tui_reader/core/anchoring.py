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
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher, get_close_matches
from itertools import pairwise

CONTEXT = 32  # characters of prefix and suffix stored around a quote

FUZZY_THRESHOLD = 0.75  # least difflib ratio between the quote and a fuzzy match
MIN_WORD_SHARE = 0.5  # least share of the quote's distinct words a fuzzy match must keep
# How alike (0..1) the stored context is to the text around a fuzzy match decides how alike
# the match itself must be: in its old surroundings it is the passage, edited; elsewhere it
# may only be a look-alike, so there it must be a near copy.
IN_CONTEXT = 0.5
NEAR_COPY = 0.9
# Below these sizes a quote is "short": a changed letter or two can make it look like other
# words, so it is fuzzy-matched only where its stored context still surrounds it closely.
SHORT_WORDS = 3
SHORT_CHARS = 12
STRONG_CONTEXT = 0.75
# Ranking fuzzy candidates: similarity first, but a near-equal span that sits in the passage's
# old context is the passage itself, not a look-alike elsewhere.
CONTEXT_WEIGHT = 0.5
MAX_SEED_HITS = 50  # a word pair found more often than this says nothing about where to look
MAX_CANDIDATES = 8  # windows compared with difflib, at most
CLIMB_FLOOR = 0.5  # a span this unlike the quote is not an edited copy of it, whatever its edges
EDGE = 2 * CONTEXT  # characters at each end of a long quote that decide where its span ends
MIN_VOTE_SHARE = 0.1  # a place needs votes from this share of the word pairs to be compared

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
    if not anchor.exact:  # a stored anchor can be damaged; "" would be "found" anywhere
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


# -- the fuzzy quote ---------------------------------------------------------------------------


def _by_fuzzy_quote(anchor: Anchor, text: str) -> Resolution | None:
    """The best span of whole words closely similar to the quote, if one is similar enough."""
    quote = _FuzzyQuote(anchor.exact)
    best: tuple[tuple[float, int], Resolution] | None = None
    for guess in _guess_starts(anchor, text):
        span = _best_span(quote, text, guess)
        if span is None:
            continue
        start, end, ratio = span
        context = _context_similarity(anchor, text, start, end)
        if not _acceptable(anchor.exact, text[start:end], ratio, context):
            continue
        rank = (ratio + CONTEXT_WEIGHT * context, -abs(start - anchor.start))
        if best is None or rank > best[0]:
            best = rank, Resolution(start, end, "fuzzy", ratio)
    return best[1] if best else None


def _guess_starts(anchor: Anchor, text: str) -> list[int]:
    """Likely new starts of the passage, the best-voted first; few, so difflib stays cheap."""
    votes, pairs = _vote_starts(anchor, text)
    reach = max(CONTEXT, len(anchor.exact) // 4)  # an edit inside the quote shifts its votes
    groups = sorted(_group_votes(votes, reach), reverse=True)[:MAX_CANDIDATES]
    # A place with few votes, absolutely or next to the leader, is chance repetition of common
    # words, or a look-alike away from where the context puts the passage: comparing it costs
    # time (a long quote's window takes milliseconds) and risks a false match.
    least = max(1.0, MIN_VOTE_SHARE * pairs, groups[0][0] / 3 if groups else 0.0)
    return [start for weight, start in groups if weight >= least]


def _vote_starts(anchor: Anchor, text: str) -> tuple[Counter[int], int]:
    """Each surviving pair of adjacent words of the quote and its context votes for a start.

    Returns the votes and the number of pairs that could have voted.
    """
    region = anchor.prefix + anchor.exact + anchor.suffix
    votes: Counter[int] = Counter()
    pairs = 0
    for first, second in pairwise(_WORD.finditer(region)):
        pairs += 1
        pair = region[first.start() : second.end()]
        hits = list(_find_all(text, pair, limit=MAX_SEED_HITS + 1))
        if len(hits) > MAX_SEED_HITS:
            continue
        offset = first.start() - len(anchor.prefix)  # where the pair sat relative to the quote
        votes.update(hit - offset for hit in hits)
    return votes, pairs


def _group_votes(votes: Counter[int], reach: int) -> list[tuple[int, int]]:
    """Voted starts within reach of each other, grouped: (total votes, most-voted start) each."""
    groups: list[list[int]] = []
    for start in sorted(votes):
        if groups and start - groups[-1][-1] <= reach:
            groups[-1].append(start)
        else:
            groups.append([start])
    return [(sum(votes[at] for at in group), max(group, key=votes.__getitem__)) for group in groups]


class _FuzzyQuote:
    """A quote ready to be compared with many spans: difflib indexes it once, not per span."""

    def __init__(self, quote: str) -> None:
        self.length = len(quote)
        self.tokens = _TOKEN.findall(quote)
        # autojunk would ignore a long quote's common letters and words, skewing the scores
        self._chars = SequenceMatcher(None, autojunk=False)
        self._chars.set_seq2(quote)
        self._ends = SequenceMatcher(None, autojunk=False)
        self._ends.set_seq2(_ends(quote))
        self._words = SequenceMatcher(None, autojunk=False)
        self._words.set_seq2(self.tokens)

    def similarity(self, span: str) -> float:
        """difflib's ratio of span and the quote."""
        self._chars.set_seq1(span)
        return self._chars.ratio()

    def edge_similarity(self, span: str, to_beat: float = -1.0) -> float:
        """difflib's ratio of the ends of span and of the quote; 0.0 if it cannot beat to_beat.

        Moving a span's edges changes only its ends, and difflib's time grows with the square
        of the length: a 1,000-character ratio takes ~25 ms, its 128 end characters ~0.5 ms.
        """
        self._ends.set_seq1(_ends(span))
        # quick_ratio bounds ratio from above in linear time: most losing moves stop there
        return self._ends.ratio() if self._ends.quick_ratio() > to_beat else 0.0

    def align(self, words: list[str]) -> tuple[int, int] | None:
        """The first and last of words that the quote most likely covers, by a word diff."""
        self._words.set_seq1(words)
        blocks = [block for block in self._words.get_matching_blocks() if block.size]
        if not blocks:
            return None
        # Words matched far off the biggest block's diagonal are chance hits ("the", ","),
        # not the quote's own words shifted by an edit.
        main = max(blocks, key=lambda block: block.size)
        drift = len(self.tokens) // 4 + 2
        blocks = [
            block for block in blocks if abs((block.a - block.b) - (main.a - main.b)) <= drift
        ]
        first, last = blocks[0], blocks[-1]
        # the quote's unmatched first and last words were edited in place: take as many
        unmatched_tail = len(self.tokens) - last.b - last.size
        return (
            max(first.a - first.b, 0),
            min(last.a + last.size - 1 + unmatched_tail, len(words) - 1),
        )


def _ends(text: str) -> str:
    """The first and last EDGE characters of text (all of it when it is short)."""
    return text if len(text) <= 2 * EDGE else text[:EDGE] + text[-EDGE:]


def _best_span(quote: _FuzzyQuote, text: str, guess: int) -> tuple[int, int, float] | None:
    """The span of whole tokens near guess most similar to the quote: (start, end, ratio)."""
    slack = quote.length // 4 + CONTEXT  # room for words the edit added, and for a rough guess
    low, high = max(0, guess - slack), min(len(text), guess + quote.length + slack)
    tokens = _whole_tokens(text, low, high)
    # no word in common (a one-word quote, retyped): start from where the votes put it
    aligned = quote.align([text[start:end] for start, end in tokens]) or _covering(
        tokens, guess, guess + quote.length
    )
    return _climb(quote, text, tokens, *aligned) if aligned else None


def _covering(tokens: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The first and last of the tokens that overlap start:end, if any do."""
    overlapping = [index for index, (first, last) in enumerate(tokens) if first < end and last > start]
    return (overlapping[0], overlapping[-1]) if overlapping else None


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
    quote: _FuzzyQuote, text: str, tokens: list[tuple[int, int]], first: int, last: int
) -> tuple[int, int, float] | None:
    """Move the span's first and last token a token at a time while its ends grow more like
    the quote's; then (start, end, similarity) of the span, or None if it is nothing like it."""
    best = (quote.edge_similarity(text[tokens[first][0] : tokens[last][1]]), first, last)
    if best[0] < CLIMB_FLOOR:
        return None  # other words where the votes pointed (the passage was deleted): don't climb
    while True:
        start_of_step = best
        _, first, last = best
        for step_first, step_last in ((-1, 0), (1, 0), (0, -1), (0, 1)):
            move_first, move_last = first + step_first, last + step_last
            if 0 <= move_first <= move_last < len(tokens):
                span = text[tokens[move_first][0] : tokens[move_last][1]]
                score = quote.edge_similarity(span, to_beat=best[0])
                if score > best[0]:
                    best = (score, move_first, move_last)
        if best is start_of_step:
            start, end = tokens[first][0], tokens[last][1]
            return start, end, quote.similarity(text[start:end])


def _context_similarity(anchor: Anchor, text: str, start: int, end: int) -> float:
    """How alike (0..1) the stored prefix and suffix are to the text either side of start:end."""
    stored = len(anchor.prefix) + len(anchor.suffix)
    if not stored:
        return 0.0
    before = text[max(0, start - len(anchor.prefix)) : start]
    after = text[end : end + len(anchor.suffix)]
    # difflib, not an exact comparison: an edit next to the passage leaves most context alike
    alike = SequenceMatcher(None, anchor.prefix, before).ratio() * len(anchor.prefix)
    alike += SequenceMatcher(None, anchor.suffix, after).ratio() * len(anchor.suffix)
    return alike / stored


def _acceptable(quote: str, found: str, ratio: float, context: float) -> bool:
    """Whether found is close enough to the quote to be the passage, not look-alike words."""
    if ratio < FUZZY_THRESHOLD or _word_share(quote, found) < MIN_WORD_SHARE:
        return False
    if len(_WORD.findall(quote)) < SHORT_WORDS or len(quote.strip()) < SHORT_CHARS:
        return context >= STRONG_CONTEXT
    # Away from the passage's surroundings a look-alike is more likely than the passage
    # moved and edited at once ("effort to repeal the Act" is not "defended the Act").
    return context >= IN_CONTEXT or ratio >= NEAR_COPY


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
