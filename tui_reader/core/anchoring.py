"""Anchoring passages: W3C Web Annotation selectors, and finding a passage again after edits.

A tagged passage is stored as a TextQuoteSelector (the exact quote with some context either
side) and a TextPositionSelector (its character offsets). When an article is re-imported with
edited text, `resolve` looks for the passage in this order:

1. the exact quote, by str.find: every occurrence is scored by how much of the stored context
   still surrounds it, the nearest to the old offset winning a tie ("position" when that is the
   old offset itself, "quote" otherwise);
2. a fuzzy match, for a quote whose words were lightly edited (a typo fixed, a word changed):
   the word pairs of the quote and its context that survived vote for where the passage now
   starts, and only a few places are compared with difflib, so the cost does not grow with
   text length times quote length. A match covers whole words, is at least FUZZY_THRESHOLD
   alike and keeps most of the quote's words; a short quote must still sit in its context,
   and a look-alike away from that context must be a near copy;
3. otherwise the passage is an orphan: it is never moved onto words that merely look alike.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher, get_close_matches
from itertools import islice, pairwise

from tui_reader.core.articles import Anchor

CONTEXT = 32  # characters of prefix and suffix stored around a quote
FUZZY_THRESHOLD = 0.75  # least difflib ratio between the quote and a fuzzy match

# What else a fuzzy match must satisfy to be taken for the passage.
_MIN_WORD_SHARE = 0.5  # least share of the quote's distinct words it must keep
# How alike (0..1) the stored context is to the text around a match decides how alike the match
# itself must be: in its old surroundings it is the passage, edited; elsewhere it may only be a
# look-alike, so there it must be a near copy.
_IN_CONTEXT = 0.5
_NEAR_COPY = 0.9
# Below these sizes a quote is "short": a changed letter or two can make it look like other
# words, so it is matched only where its stored context still surrounds it closely.
_SHORT_WORDS = 3
_SHORT_CHARS = 12
_STRONG_CONTEXT = 0.75
# Ranking matches: similarity first, but a near-equal span in the passage's old context is the
# passage itself, not a look-alike elsewhere.
_CONTEXT_WEIGHT = 0.5

# What keeps the fuzzy search cheap (measured on real articles of up to 76,000 characters).
_MAX_PAIRS = 40  # word pairs searched for, at most (each is a str.find over the whole text)
_MAX_SEED_HITS = 50  # a word pair found more often than this says nothing about where to look
_MIN_VOTE_SHARE = 0.1  # a place needs votes from this share of the word pairs to be compared
_MAX_CANDIDATES = 4  # places compared with difflib, at most
_CLIMB_FLOOR = 0.6  # a span this unlike the quote is not an edited copy of it, whatever its edges
_EDGE = 2 * CONTEXT  # characters at each end of a long quote that decide where its span ends

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
        key=lambda at: (_context_match(anchor, text, at, at + length), -abs(at - (anchor.start or 0))),
        default=None,
    )
    if best is None:
        return None
    method = "position" if best == anchor.start else "quote"
    return Resolution(best, best + length, method, 1.0)


def _find_all(text: str, needle: str) -> Iterator[int]:
    """Every start of needle in text, overlapping ones included."""
    at = text.find(needle)
    while at != -1:
        yield at
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
        rank = (ratio + _CONTEXT_WEIGHT * context, -abs(start - (anchor.start or 0)))
        if best is None or rank > best[0]:
            best = rank, Resolution(start, end, "fuzzy", ratio)
    return best[1] if best else None


def _guess_starts(anchor: Anchor, text: str) -> list[int]:
    """Likely new starts of the passage, the best-voted first; few, so difflib stays cheap."""
    votes, pairs = _vote_starts(anchor, text)
    reach = max(CONTEXT, len(anchor.exact) // 4)  # an edit inside the quote shifts its votes
    groups = sorted(_group_votes(votes, reach), reverse=True)[:_MAX_CANDIDATES]
    # A place with few votes, absolutely or next to the leader, is chance repetition of common
    # words, or a look-alike away from where the context puts the passage: comparing it costs
    # time (a long quote's window takes milliseconds) and risks a false match.
    least = max(1.0, _MIN_VOTE_SHARE * pairs, groups[0][0] / 3 if groups else 0.0)
    return [start for weight, start in groups if weight >= least]


def _vote_starts(anchor: Anchor, text: str) -> tuple[Counter[int], int]:
    """Each surviving pair of adjacent words of the quote and its context votes for a start.

    Returns the votes and the number of pairs that could have voted.
    """
    region = anchor.prefix + anchor.exact + anchor.suffix
    pairs = list(pairwise(_WORD.finditer(region)))
    # a long quote has pairs to spare: a spread of them finds it as well, in less time
    pairs = pairs[:: math.ceil(len(pairs) / _MAX_PAIRS) or 1]
    votes: Counter[int] = Counter()
    for first, second in pairs:
        pair = region[first.start() : second.end()]
        hits = list(islice(_find_all(text, pair), _MAX_SEED_HITS + 1))
        if len(hits) > _MAX_SEED_HITS:
            continue
        offset = first.start() - len(anchor.prefix)  # where the pair sat relative to the quote
        votes.update(hit - offset for hit in hits)
    return votes, len(pairs)


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
        # whether the quote itself begins or ends on a mark (a quotation mark, a bracket, ...)
        self.marked_start = not _WORD_CHAR.match(quote)
        self.marked_end = not _WORD_CHAR.match(quote[-1:])
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
    """The first and last _EDGE characters of text (all of it when it is short)."""
    return text if len(text) <= 2 * _EDGE else text[:_EDGE] + text[-_EDGE:]


def _best_span(quote: _FuzzyQuote, text: str, guess: int) -> tuple[int, int, float] | None:
    """The span of whole tokens near guess most similar to the quote: (start, end, ratio)."""
    slack = quote.length // 4 + CONTEXT  # room for words the edit added, and for a rough guess
    low, high = max(0, guess - slack), min(len(text), guess + quote.length + slack)
    tokens = _whole_tokens(text, low, high)
    # Two first guesses at the span: where a word diff puts the quote (which a passage that
    # repeats itself can mislead), and where the votes put it (rough if the edit moved them).
    starts = [
        quote.align([text[start:end] for start, end in tokens]),
        _covering(tokens, guess, guess + quote.length),
    ]
    starts = [start for start in starts if start]
    return _climb(quote, text, tokens, starts) if starts else None


def _covering(tokens: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The first and last of the tokens that overlap start:end, if any do."""
    overlapping = [index for index, (low, high) in enumerate(tokens) if low < end and high > start]
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
    return 0 < at < len(text) and all(_WORD_CHAR.match(text, near) for near in (at - 1, at))


def _climb(
    quote: _FuzzyQuote, text: str, tokens: list[tuple[int, int]], starts: list[tuple[int, int]]
) -> tuple[int, int, float] | None:
    """Climb from the best starting span to the span whose ends are most like the quote's.

    Starts are (first, last) token indexes; either edge moves a token at a time while that
    raises the similarity. Returns (start, end, similarity), or None for a span nothing like
    the quote.
    """
    best = max(
        (quote.edge_similarity(text[tokens[first][0] : tokens[last][1]]), first, last)
        for first, last in starts
    )
    if best[0] < _CLIMB_FLOOR:
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
            start, end = _trim_marks(quote, text, tokens[first : last + 1])
            return start, end, quote.similarity(text[start:end])


def _trim_marks(quote: _FuzzyQuote, text: str, tokens: list[tuple[int, int]]) -> tuple[int, int]:
    """The span of tokens less the marks at its ends that the quote lacks at its own.

    A mark can win a point of similarity (the space after ", " matches one in the quote), but
    a passage that starts ", had been" looks misplaced to a reader.
    """
    first, last = 0, len(tokens) - 1
    while first < last and not quote.marked_start and _is_mark(text, tokens[first]):
        first += 1
    while last > first and not quote.marked_end and _is_mark(text, tokens[last]):
        last -= 1
    return tokens[first][0], tokens[last][1]


def _is_mark(text: str, token: tuple[int, int]) -> bool:
    """Whether a token is a punctuation mark rather than a word."""
    return not _WORD_CHAR.match(text, token[0])


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
    if ratio < FUZZY_THRESHOLD or _word_share(quote, found) < _MIN_WORD_SHARE:
        return False
    if len(_WORD.findall(quote)) < _SHORT_WORDS or len(quote.strip()) < _SHORT_CHARS:
        return context >= _STRONG_CONTEXT
    # Away from the passage's surroundings a look-alike is more likely than the passage
    # moved and edited at once ("effort to repeal the Act" is not "defended the Act").
    return context >= _IN_CONTEXT or ratio >= _NEAR_COPY


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
