"""Anchoring: passages found again after an article's text is edited, or honestly orphaned."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from difflib import SequenceMatcher

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from tui_reader.core.anchoring import (
    CONTEXT,
    FUZZY_THRESHOLD,
    Anchor,
    Resolution,
    find_quote,
    make_anchor,
    resolve,
)

ARTICLE = (
    "The council met on Tuesday evening to discuss the new harbour plan.\n\n"
    "The mayor said the budget had been recieved late and would be reviewed by the "
    "finance committee next week, before any vote.\n\n"
    "Residents who spoke at the meeting asked for more time to read the proposal."
)
PASSAGE = "the budget had been recieved late"


def anchor_of(text: str, quote: str, occurrence: int = 0) -> Anchor:
    """The anchor of the given occurrence (0-based) of quote in text."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return make_anchor(text, start, start + len(quote))


def found_text(text: str, resolution: Resolution) -> str:
    """The text a resolution points at."""
    assert resolution.found
    return text[resolution.start : resolution.end]


def similarity(found: str, quote: str) -> float:
    """The similarity resolve's fuzzy path compares against FUZZY_THRESHOLD."""
    return SequenceMatcher(None, found, quote, autojunk=False).ratio()


def splits_word(text: str, at: int) -> bool:
    """Whether offset at falls between two characters of one word."""
    return 0 < at < len(text) and bool(re.match(r"\w\w", text[at - 1 : at + 1]))


# -- make_anchor and the selectors -------------------------------------------------------------


def test_make_anchor_keeps_the_quote_and_context_either_side():
    anchor = anchor_of(ARTICLE, PASSAGE)

    assert anchor.exact == PASSAGE
    assert len(anchor.prefix) == len(anchor.suffix) == CONTEXT
    assert ARTICLE[anchor.start - CONTEXT : anchor.end + CONTEXT] == (
        anchor.prefix + PASSAGE + anchor.suffix
    )


def test_make_anchor_context_stops_at_the_ends_of_the_text():
    anchor = make_anchor("Short text.", 0, 5)

    assert (anchor.prefix, anchor.exact, anchor.suffix) == ("", "Short", " text.")


@pytest.mark.parametrize("start, end", [(3, 3), (5, 2), (-1, 4), (0, 99)])
def test_make_anchor_refuses_an_empty_or_out_of_range_span(start, end):
    with pytest.raises(ValueError):
        make_anchor("Short text.", start, end)


def test_selectors_have_the_w3c_json_shape():
    anchor = make_anchor("He said \u201cyes\u201d.\n\nThen he left.", 8, 13)

    selectors = json.loads(json.dumps(anchor.to_selectors()))

    assert selectors == [
        {
            "type": "TextQuoteSelector",
            "exact": "\u201cyes\u201d",
            "prefix": "He said ",
            "suffix": ".\n\nThen he left.",
        },
        {"type": "TextPositionSelector", "start": 8, "end": 13},
    ]


def test_the_module_needs_only_the_standard_library():
    code = (
        "import json, sys; before = set(sys.modules); import tui_reader.core.anchoring; "
        "print(json.dumps(sorted({name.split('.')[0] for name in set(sys.modules) - before})))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    imported = set(json.loads(run.stdout)) - {"tui_reader"}
    assert imported <= sys.stdlib_module_names, imported - sys.stdlib_module_names


# -- resolve: exact paths ----------------------------------------------------------------------


def test_unchanged_text_resolves_by_position():
    anchor = anchor_of(ARTICLE, PASSAGE)

    resolution = resolve(anchor, ARTICLE)

    assert (resolution.method, resolution.score, resolution.found) == ("position", 1.0, True)
    assert (resolution.start, resolution.end) == (anchor.start, anchor.end)


def test_text_inserted_before_the_passage_resolves_by_quote_at_the_shifted_place():
    anchor = anchor_of(ARTICLE, PASSAGE)
    edited = "UPDATED: corrections appended below.\n\n" + ARTICLE

    resolution = resolve(anchor, edited)

    assert resolution.method == "quote"
    assert resolution.start == anchor.start + len("UPDATED: corrections appended below.\n\n")
    assert found_text(edited, resolution) == PASSAGE


def test_a_quote_spanning_paragraphs_is_found_again():
    quote = "next week, before any vote.\n\nResidents who spoke"
    anchor = anchor_of(ARTICLE, quote)
    edited = ARTICLE.replace("Tuesday evening", "Tuesday")

    resolution = resolve(anchor, edited)

    assert resolution.method == "quote"
    assert found_text(edited, resolution) == quote


def test_a_repeated_quote_resolves_to_the_occurrence_its_context_names():
    text = (
        "In March the bank said rates will rise again, citing wages.\n\n"
        "In June the bank said rates will rise again, citing energy prices.\n\n"
        "In May the bank said rates will rise again, citing the housing market."
    )
    anchor = anchor_of(text, "rates will rise again", occurrence=1)
    # the paragraph before it grows just so much that the old offsets hold the March quote
    longer = "In March, after a long and heated meeting of its board of governors,"
    edited = text.replace("In March", longer)
    assert edited[anchor.start : anchor.end] == "rates will rise again"

    resolution = resolve(anchor, edited)

    assert resolution.method == "quote"
    assert resolution.start == edited.index("rates will rise again, citing energy")


def test_the_old_offset_wins_when_occurrences_match_their_context_equally():
    text = "Stop. Go now. " * 20  # away from the ends, every "Go now" has the same context
    anchor = anchor_of(text, "Go now", occurrence=10)

    resolution = resolve(anchor, "Hi " + text)

    assert (resolution.method, resolution.start) == ("quote", anchor.start + 3)


# -- resolve: fuzzy and orphan -----------------------------------------------------------------


def test_a_typo_fixed_in_the_passage_resolves_fuzzily_to_the_corrected_words():
    anchor = anchor_of(ARTICLE, PASSAGE)
    edited = ARTICLE.replace("recieved", "received")

    resolution = resolve(anchor, edited)

    assert resolution.method == "fuzzy"
    assert found_text(edited, resolution) == "the budget had been received late"
    assert resolution.score == pytest.approx(
        similarity("the budget had been received late", PASSAGE)
    )


def test_words_changed_in_the_passage_resolve_fuzzily_to_the_whole_edited_passage():
    anchor = anchor_of(ARTICLE, PASSAGE)
    edited = ARTICLE.replace("had been recieved late", "was recieved too late")

    resolution = resolve(anchor, edited)

    assert resolution.method == "fuzzy"
    assert found_text(edited, resolution) == "the budget was recieved too late"
    assert FUZZY_THRESHOLD <= resolution.score < 1.0


def test_a_short_quote_with_a_typo_fixed_is_found_where_its_context_still_is():
    text = "I like the colour of the sea in the early morning light, said the painter."
    anchor = anchor_of(text, "colour")
    edited = "Interview. " + text.replace("colour", "color")

    resolution = resolve(anchor, edited)

    assert (resolution.method, found_text(edited, resolution)) == ("fuzzy", "color")


def test_a_short_quote_away_from_its_context_is_not_matched_to_look_alike_words():
    text = "The colour of the sea in the early morning light, said the painter, is grey."
    anchor = anchor_of(text, "colour")
    # "color" still exists, but not where the passage was: the passage itself was rewritten
    edited = "A color chart. " + text.replace("The colour of", "What I love about")

    assert resolve(anchor, edited).method == "orphan"


def test_a_short_quote_needs_its_context_on_both_sides_not_one():
    text = "Looking out of the window, I like the colour of the sea in the morning, said Ann."
    anchor = anchor_of(text, "colour")
    # the words after it are as they were, those before it are not
    edited = text.replace("Looking out of the window, I like the colour", "Ann paints the color")

    assert resolve(anchor, edited).method == "orphan"


def test_a_fuzzy_match_never_cuts_a_word_where_the_search_window_ends():
    # found by hypothesis: an edit that repeats the passage's words makes the best span run
    # to the edge of the window compared around the voted place
    text = "aab aaaaaab aaaaaaa aaa "
    anchor = make_anchor(text, 0, 23)
    edited = (
        "aab aab aaaaaabab aaaaaab aaaaaaa aaaaaaaaaa aaaaaabab aaaaaab aaaaaaa aaaaaaaaaa aaa "
    )

    resolution = resolve(anchor, edited)

    assert resolution.method == "fuzzy"
    assert not splits_word(edited, resolution.start) and not splits_word(edited, resolution.end)
    assert similarity(found_text(edited, resolution), anchor.exact) >= FUZZY_THRESHOLD


def test_an_edited_passage_in_its_own_context_beats_a_closer_look_alike_elsewhere():
    anchor = anchor_of(ARTICLE, PASSAGE)
    edited = ARTICLE.replace("had been recieved late", "was recieved late") + (
        "\n\nCorrection: The mayor said the budget had been received late, not lost."
    )

    resolution = resolve(anchor, edited)

    assert resolution.method == "fuzzy"
    assert resolution.start == edited.index("the budget was recieved late")


def test_a_fuzzy_match_begins_and_ends_on_words_not_on_punctuation_the_quote_lacks():
    quote = "the budget had been recieved late and would be reviewed"
    anchor = anchor_of(ARTICLE, quote)
    edited = ARTICLE.replace("the budget had", "the budget, as officials said on Monday, had")

    found = found_text(edited, resolve(anchor, edited))

    assert found[0].isalpha() and found.endswith("had been recieved late and would be reviewed")


def test_a_look_alike_away_from_the_passages_context_must_be_a_near_copy():
    text = (
        "The council met on Tuesday evening to discuss the new harbour plan.\n\n"
        "The mayor said the budget had been recieved late and would be reviewed by the "
        "finance committee next week, before any vote.\n\n"
        "Residents who spoke at the meeting asked for more time to read the proposal.\n\n"
        "A year ago a budget had been received too late, officials recalled at the end."
    )
    anchor = anchor_of(text, PASSAGE)
    # the passage's paragraph goes; a sentence elsewhere is alike, but not a near copy
    edited = text.replace(text.split("\n\n")[1] + "\n\n", "")
    assert 0.8 < similarity("a budget had been received too late", PASSAGE) < 0.9

    assert resolve(anchor, edited).method == "orphan"


def test_a_passage_whose_words_all_changed_is_an_orphan_however_alike_the_letters():
    text = "Once upon a time the cat sat on the mat by the fire, said the old story."
    anchor = anchor_of(text, "the cat sat on the mat")
    edited = text.replace("the cat sat on the mat", "the cot sit in the map")
    assert similarity("the cot sit in the map", "the cat sat on the mat") >= FUZZY_THRESHOLD

    assert resolve(anchor, edited).method == "orphan"


def test_a_deleted_passage_is_an_orphan():
    anchor = anchor_of(ARTICLE, PASSAGE)
    edited = ARTICLE.replace(" the budget had been recieved late and", "")

    resolution = resolve(anchor, edited)

    assert resolution == Resolution(None, None, "orphan", 0.0)
    assert not resolution.found


def test_a_rewritten_passage_is_an_orphan_even_if_its_words_remain_elsewhere():
    anchor = anchor_of(ARTICLE, PASSAGE)
    edited = ARTICLE.replace(
        PASSAGE, "the papers arrived after the deadline"
    ) + "\n\nLate: the budget. It had been received."

    assert resolve(anchor, edited).method == "orphan"


# -- find_quote --------------------------------------------------------------------------------


def test_find_quote_matches_across_paragraphs_and_other_whitespace():
    text = "First paragraph ends here.\n\nSecond   one\tstarts here."

    span = find_quote(text, "ends here. Second one starts")

    assert span is not None
    assert text[span[0] : span[1]] == "ends here.\n\nSecond   one\tstarts"


def test_find_quote_treats_straight_and_curly_quotes_and_dashes_alike():
    text = "He said \u201cwe\u2019re done\u201d \u2014 and left. Later: \"it's 'fine'--really\"."

    curly = find_quote(text, "said \"we're done\" -- and left")
    straight = find_quote(text, "\u201cit\u2019s \u2018fine\u2019 \u2014 really")

    assert curly is not None and straight is not None
    assert text[curly[0] : curly[1]] == "said \u201cwe\u2019re done\u201d \u2014 and left"
    assert text[straight[0] : straight[1]] == "\"it's 'fine'--really"


def test_find_quote_returns_the_first_occurrence():
    assert find_quote("one two, one two", "one  two") == (0, 7)


def test_find_quote_without_a_match_returns_none():
    assert find_quote(ARTICLE, "the budget was never sent") is None
    assert find_quote(ARTICLE, "  \n ") is None


def test_find_quote_with_a_leading_dash_does_not_take_in_the_space_before_it():
    assert find_quote("word \u2014 the rest", "-- the rest") == (5, 15)


# -- properties --------------------------------------------------------------------------------

VOCABULARY = ["the", "cat", "sat", "on", "a", "mat", "dog", "ran", "rates", "rise", "again", "it's"]
SEPARATORS = [" ", " ", " ", ", ", ". ", ".\n\n", " \u2014 "]


def joined(pieces: list[tuple[str, str]]) -> str:
    """Words each followed by its separator, as one text."""
    return "".join(word + separator for word, separator in pieces)


# few words, so quotes and their contexts repeat
word_texts = st.lists(
    st.tuples(st.sampled_from(VOCABULARY), st.sampled_from(SEPARATORS)), min_size=1, max_size=80
).map(joined)
unicode_texts = st.text(min_size=1, max_size=300)
texts = st.one_of(word_texts, unicode_texts)
# No word twice: prose rarely repeats a phrase word for word, and where it does difflib's greedy
# matching can underrate an edited copy ("again, again, agaix"), orphaning it: the safe side.
prose_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=9)
prose_texts = st.lists(
    st.tuples(prose_words, st.sampled_from(SEPARATORS)),
    min_size=4,
    max_size=60,
    unique_by=lambda piece: piece[0],
).map(joined)
insertions = st.one_of(
    st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=6).map(" ".join),
    st.text(min_size=1, max_size=12),
)


@st.composite
def anchored_texts(draw):
    """A text and the anchor of a random span of it."""
    text = draw(texts)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, min(len(text), start + 60)))
    return text, make_anchor(text, start, end)


@st.composite
def prose_passages(draw):
    """A text of prose and the anchor of a passage of four or more whole words in it."""
    text = draw(prose_texts)
    words = [match.span() for match in re.finditer(r"\w+", text)]
    first = draw(st.integers(0, len(words) - 4))
    last = draw(st.integers(first + 3, min(len(words) - 1, first + 12)))
    return text, make_anchor(text, words[first][0], words[last][1])


@st.composite
def edits(draw, text: str, keep: tuple[int, int] = (0, -1), most: int = 20):
    """Text after random insertions, deletions and replacements, none touching keep.

    Each edit removes at most `most` characters; keep is a (start, end) span of text.
    """
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, min(most, len(text) - at)))
        if keep[0] <= at + cut and at <= keep[1]:
            continue  # this edit would touch the span kept intact
        copied = st.integers(0, len(text)).map(lambda start: text[start : start + 80])
        inserted = draw(st.one_of(insertions, copied, *[st.just("")] if cut else []))
        text = text[:at] + inserted + text[at + cut :]
        if at < keep[0]:
            keep = (keep[0] + len(inserted) - cut, keep[1] + len(inserted) - cut)
    return text


def assert_not_misplaced(anchor: Anchor, text: str, resolution: Resolution) -> None:
    """A passage whose quote is gone is an orphan or a close, whole-word match: never elsewhere."""
    event(resolution.method)  # --hypothesis-show-statistics: how often each path was taken
    assert resolution.method in ("fuzzy", "orphan")
    if resolution.method == "orphan":
        assert (resolution.start, resolution.end, resolution.score) == (None, None, 0.0)
        return
    found = found_text(text, resolution)
    assert similarity(found, anchor.exact) >= FUZZY_THRESHOLD
    assert resolution.score == pytest.approx(similarity(found, anchor.exact))
    assert found == found.strip()
    assert not splits_word(text, resolution.start) and not splits_word(text, resolution.end)


@settings(max_examples=200, deadline=None)
@given(st.data(), anchored_texts())
def test_property_a_quote_kept_with_its_context_is_found_at_that_context(data, anchored):
    text, anchor = anchored
    # Maybe a twin of the quote, out of its context, goes in before it: the passage then moves
    # past offsets that a resolver blind to context would prefer.
    twin = data.draw(st.just("") | st.text(max_size=60).map(lambda filler: anchor.exact + filler))
    twin_at = data.draw(st.integers(0, max(0, anchor.start - len(anchor.prefix))))
    text = text[:twin_at] + twin + text[twin_at:]
    start = anchor.start + len(twin)
    kept = (start - len(anchor.prefix), start + len(anchor.exact) + len(anchor.suffix))
    edited = data.draw(edits(text, keep=kept))

    resolution = resolve(anchor, edited)

    assert resolution.method in ("position", "quote")
    assert found_text(edited, resolution) == anchor.exact
    # the chosen occurrence has the whole stored context around it (a twin with the same
    # context may win if nearer the old offset: it is then indistinguishable)
    assert edited[: resolution.start].endswith(anchor.prefix)
    assert edited[resolution.end :].startswith(anchor.suffix)
    assert (resolution.method == "position") == (resolution.start == anchor.start)


@settings(max_examples=200, deadline=None)
@given(st.data(), anchored_texts())
def test_property_edits_anywhere_never_misplace_a_passage(data, anchored):
    text, anchor = anchored
    edited = data.draw(edits(text))

    resolution = resolve(anchor, edited)

    if anchor.exact in edited:
        assert resolution.method in ("position", "quote")
        assert found_text(edited, resolution) == anchor.exact
    else:
        assert_not_misplaced(anchor, edited, resolution)


@settings(max_examples=200, deadline=None)
@given(st.data(), st.one_of(anchored_texts(), prose_passages()))
def test_property_edits_inside_the_passage_never_misplace_it(data, anchored):
    text, anchor = anchored
    passage = data.draw(edits(anchor.exact, most=3))  # light edits: ground for fuzzy matches
    edited = text[: anchor.start] + passage + text[anchor.end :]
    assume(anchor.exact not in edited)

    assert_not_misplaced(anchor, edited, resolve(anchor, edited))


@settings(max_examples=200, deadline=None)
@given(st.data(), prose_passages())
def test_property_a_typo_in_a_passage_of_prose_is_matched_fuzzily_in_place(data, anchored):
    text, anchor = anchored
    assume(len(anchor.exact) >= 20)
    letters = [at for at in range(anchor.start, anchor.end) if text[at].isalpha()]
    typo_at = data.draw(st.sampled_from(letters))
    edited = text[:typo_at] + ("x" if text[typo_at] != "x" else "y") + text[typo_at + 1 :]
    assume(anchor.exact not in edited)

    resolution = resolve(anchor, edited)

    assert_not_misplaced(anchor, edited, resolution)
    assert resolution.method == "fuzzy"
    assert resolution.start < anchor.end and resolution.end > anchor.start  # in place
