"""Words, phrases, NOT and wildcards mean what a user reads them to mean, checked against brute force."""

from __future__ import annotations

import random
import re
import warnings

import pytest
from whoosh.matching import ListMatcher
from whoosh.matching.binary import AndNotMatcher

from tui_reader.core.articles import Article
from tui_reader.core.search import SearchIndex, fixes, parse
from tui_reader.core.search.analysis import term_of

# -- NOT means not ------------------------------------------------------------------------------


def test_and_not_leaves_out_an_excluded_first_document():
    assert list(AndNotMatcher(ListMatcher([3, 5]), ListMatcher([1, 3])).all_ids()) == [5]
    assert list(AndNotMatcher(ListMatcher([1, 3, 5, 7]), ListMatcher([0, 1, 2, 3, 7])).all_ids()) == [5]
    replaced = AndNotMatcher(ListMatcher([1, 3, 5]), ListMatcher([0, 3])).replace()
    assert list(replaced.all_ids()) == [1, 5]


def test_the_fixes_refuse_another_whoosh_version_and_say_why(monkeypatch):
    original = AndNotMatcher._find_first
    monkeypatch.setattr(AndNotMatcher, "_find_first", lambda self: None)  # stands for another version's code
    with pytest.warns(RuntimeWarning, match=r"written for Whoosh 2\.7\.5, and 2\.8\.0 is installed: they are not applied"):
        assert fixes.apply((2, 8, 0)) is False
    assert AndNotMatcher._find_first is not original  # left as it was found
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fixes.apply((2, 7, 5)) is True and fixes.APPLIED
    assert AndNotMatcher._find_first is original


_NOT_WORDS = "tax trump budget senate vote court border wall harbour ferry".split()


@pytest.fixture(scope="module")
def not_index(tmp_path_factory):
    """400 articles of a few words in eight commits (eight segments), some replaced later, with the
    words each holds: the brute force that queries are checked against."""
    rng = random.Random(4)
    idx = SearchIndex(tmp_path_factory.mktemp("not"))
    words: dict[str, set[str]] = {}  # article id -> its words, and its year as a word ("2016")
    for commit in range(8):
        batch = []
        for n in range(50):
            chosen = rng.sample(_NOT_WORDS, rng.randint(1, 5))
            year = rng.randint(2012, 2020)
            article = Article(f"n{commit}-{n}", chosen[0].title(), " ".join(chosen) + ".",
                              date=f"{year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}")
            batch.append((article, []))
            words[article.id] = set(chosen) | {str(year)}
        idx.write(batch)
    replaced = []
    for article_id in rng.sample(sorted(words), 40):
        chosen = rng.sample(_NOT_WORDS, rng.randint(1, 4))
        replaced.append((Article(article_id, chosen[0].title(), " ".join(chosen) + ".", date="2016-05-05"), []))
        words[article_id] = set(chosen) | {"2016"}
    idx.write(replaced)
    yield idx, words
    idx.close()


@pytest.mark.parametrize("text, expected", [
    ("tax -trump", lambda w: "tax" in w and "trump" not in w),
    ("tax NOT trump", lambda w: "tax" in w and "trump" not in w),
    ("budget -senate -vote", lambda w: "budget" in w and not {"senate", "vote"} & w),
    ("(court OR border) -wall", lambda w: bool({"court", "border"} & w) and "wall" not in w),
    ("harbour -(ferry OR tax)", lambda w: "harbour" in w and not {"ferry", "tax"} & w),
    ("vote -court date:[2015 to]", lambda w: "vote" in w and "court" not in w and any(x.isdigit() and x >= "2015" for x in w)),
    ("date:2016 -ferry", lambda w: "2016" in w and "ferry" not in w),
])
def test_not_lists_and_counts_exactly_the_brute_force_difference(not_index, text, expected):
    idx, words = not_index
    want = {article_id for article_id, held in words.items() if expected(held)}
    assert want and len(want) < len(words)
    query = parse(text)
    by_relevance = idx.search(query, limit=1000)
    newest = idx.search(query, limit=1000, sort="date")
    assert {h.id for h in by_relevance.hits} == want and by_relevance.total == len(want)
    assert {h.id for h in newest.hits} == want and newest.total == len(want)
    assert idx.count(query) == len(want)
    page = idx.search(query, limit=10)  # a page: the collector prunes, and replaces matchers as it goes
    assert {h.id for h in page.hits} <= want and page.total <= len(want)
