"""Acceptance on the real corpus (skipped without it): what a user counted by hand, counted here."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tui_reader.core.library import Library
from tui_reader.core.search.analysis import ANALYZER

PART = Path("/work/shared/corpus/allsides-part-00.jsonl.gz")

pytestmark = pytest.mark.skipif(not PART.exists(), reason="the news corpus is not on this machine")


@pytest.fixture(scope="module")
def corpus_library(tmp_path_factory):
    """A fifth of the corpus (7,510 articles) imported as a user would, and each article's terms with
    their places, read by the same analyzer: the brute force."""
    library = Library(tmp_path_factory.mktemp("corpus"))
    report = library.import_paths([PART])
    assert report.imported == 7510 and not library.needs_sync()
    places = {}
    with gzip.open(PART, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            places[record["id"]] = ANALYZER.positions(record["title"] + "\n\n" + record["body"])
    yield library, places
    library.close()


def _listed(library: Library, text: str) -> dict[str, set[str]]:
    """The ids a query lists by relevance and newest first, with nothing left out by the limit."""
    return {sort: {row.id for row in library.search(text, limit=100_000, sort=sort).rows}
            for sort in ("relevance", "date")}


def test_tax_not_trump_lists_and_counts_exactly_the_articles_without_trump(corpus_library):
    library, places = corpus_library
    want = {i for i, terms in places.items() if "tax" in terms and "trump" not in terms}
    assert len(want) == 704  # counted by hand when this was reported (the list showed 707, the count 705)
    assert _listed(library, "tax -Trump") == {"relevance": want, "date": want}
    assert library.count_matches("tax -Trump") == len(want)


def test_a_phrase_lists_exactly_the_articles_with_its_words_at_their_places(corpus_library):
    library, places = corpus_library
    want = {i for i, terms in places.items()
            if set(terms.get("chemic", ())) & {place - 1 for place in terms.get("weapon", ())}}
    assert 20 < len(want) < 400
    assert _listed(library, '"chemical weapons"') == {"relevance": want, "date": want}
    assert library.count_matches('"chemical weapons"') == len(want)
