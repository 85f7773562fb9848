"""The query language and the index (core/search): what a user types finds what it should."""

import re

import pytest

from tui_reader.core.articles import Article
from tui_reader.core.search import Highlighter, QueryError, SearchIndex, parse

ARTICLES = [
    Article("a1", "Heavier weapons push Syrian crisis toward civil war", "Rebels fought with heavier weapons near Homs.",
            author="Mark Landler, Neil MacFarquhar", source="New York Times - News", date="2012-06-13"),
    Article("a2", "Assad gives interview to Clarín", "Bashar al-Assad dismissed peace talks in the interview.",
            source="Business Insider", date="2013-05-18"),
    Article("a3", "Kerry says ISIS lost momentum", "Secretary of State John Kerry told the Senate that the chemical weapons deal held.",
            author="Edwin Mora", source="Breitbart News", date="2015-03-30"),
    Article("a4", "Putin and Assad meet in Moscow", "Vladimir Putin hosted Assad; chemical attacks were not discussed.",
            source="CNN (Web News)", date="2015-10-21"),
    Article("a5", "Undated note on Syria", "A short note about Syria without a date.", source=None, date=None),
    Article("a6", "Town library reopens", "The library reopened after the flood.", date="2014-06-30"),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    idx = SearchIndex(tmp_path_factory.mktemp("index"))
    idx.write((a, ["evidence"] if a.id == "a3" else []) for a in ARTICLES)
    yield idx
    idx.close()


def ids(index, text, sort="relevance"):
    return [hit.id for hit in index.search(parse(text), limit=50, sort=sort).hits]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("weapons", {"a1", "a3"}),
        ("weapon", {"a1", "a3"}),  # stemmed
        ("assad interview", {"a2"}),  # all words must match
        ("kerry OR putin", {"a3", "a4"}),
        ("assad NOT putin", {"a2"}),
        ("assad -putin", {"a2"}),
        ('"chemical weapons"', {"a3"}),  # phrase, not just both words
        ("chemical", {"a3", "a4"}),
        ("moment*", {"a3"}),
        ("title:assad", {"a2", "a4"}),
        ("Title:assad", {"a2", "a4"}),  # field names are case-insensitive
        ("author:landler", {"a1"}),
        ("author:mora", {"a3"}),
        ('source:"new york times"', {"a1"}),
        ("source:cnn", {"a4"}),
        ("date:2015", {"a3", "a4"}),
        ("date:2015-03", {"a3"}),
        ("date:[2013-01 to 2014-06]", {"a2", "a6"}),  # the whole end month is included
        ("date:[2015 to]", {"a3", "a4"}),
        ("(kerry OR putin) chemical", {"a3", "a4"}),
        ("(kerry OR putin) -moscow", {"a3"}),
        ("clarin", {"a2"}),  # accents folded
        ("CLARÍN", {"a2"}),
        ("tag:evidence", {"a3"}),
        ("tag:evidence kerry", {"a3"}),
        ("tag:evidence putin", set()),
        ("syria", {"a5"}),  # the stemmer keeps "Syrian" (a1) apart from "Syria"
        ("al-assad", {"a2"}),  # a hyphen inside a word is not a NOT
    ],
)
def test_query_syntax_finds_the_right_articles(index, query, expected):
    assert set(ids(index, query)) == expected


def test_title_matches_rank_above_body_matches(index):
    found = ids(index, "interview")  # a2 has it in title and body; nothing else has it
    assert found == ["a2"]
    both = ids(index, "weapons")  # a1 in title and body, a3 in body only
    assert both == ["a1", "a3"]


def test_date_sort_lists_newest_first_and_undated_last(index):
    assert ids(index, "syria OR assad OR weapons OR library", sort="date") == ["a4", "a3", "a6", "a2", "a1", "a5"]


@pytest.mark.parametrize(
    "query, message",
    [
        ('"chemical weapons', "unbalanced quote"),
        ("(kerry OR putin", "unbalanced parenthesis"),
        ("kerry)", "unbalanced parenthesis"),
        ("colour:red", "unknown field 'colour:'"),
        ("*", "a * or ? must follow some letters"),
        ("kerry al-*", "a * or ? must follow some letters"),
        ("?ssad", "a * or ? must follow some letters"),
        ("x" * 10_000, "query too long"),
        ("kerry\x1b[31m", "control characters"),
        ("the", "nothing to search for"),
        ('"the of" a', "nothing to search for"),
    ],
)
def test_malformed_queries_say_what_is_wrong(query, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        parse(query)


def test_empty_query_is_none():
    assert parse("   ") is None


def test_colons_inside_phrases_are_not_fields():
    assert parse('"note: this"') is not None


def test_highlighter_marks_stemmed_folded_and_prefixed_words_but_not_negated_ones():
    text = "Assad told Clarín that weapons, a weapon and assassins were discussed; Putin was not."
    marked = [text[a:b] for a, b in Highlighter(parse("clarin weapon assa* -putin")).spans(text)]
    assert marked == ["Assad", "Clarín", "weapons", "weapon", "assassins"]


def test_excerpt_centres_on_matches_and_keeps_spans_aligned():
    text = "Filler words. " * 40 + "Kerry spoke about the chemical weapons deal. " + "More filler. " * 40
    excerpt = Highlighter(parse("kerry chemical")).excerpt(text + "\nKerry again.", width=80)
    assert [excerpt.text[a:b] for a, b in excerpt.spans] == ["Kerry", "chemical"]
    assert excerpt.text.startswith("…") and "\n" not in excerpt.text and excerpt.hits == 3


def test_a_replaced_article_is_found_once_by_a_searcher_opened_before(tmp_path):
    idx = SearchIndex(tmp_path / "ix")
    article = Article("r1", "Replaced", "first version")
    idx.write([(article, ["old"])])
    assert [h.id for h in idx.search(parse("replaced")).hits] == ["r1"]  # opens a searcher
    idx.write([(article.with_(body="second version"), ["new"])])
    assert [h.id for h in idx.search(parse("replaced")).hits] == ["r1"]
    assert idx.search(parse("tag:old")).hits == [] and idx.doc_count() == 1
    idx.close()


def test_a_damaged_index_is_made_anew_and_says_why(tmp_path):
    folder = tmp_path / "ix"
    SearchIndex(folder).write([(Article("d1", "Doomed", "text"), [])])
    for segment in folder.glob("*.seg"):
        segment.write_bytes(b"garbage")
    for toc in folder.glob("*.toc"):
        toc.write_bytes(b"garbage")
    again = SearchIndex(folder)
    assert again.problem.startswith("the search index was damaged") and again.doc_count() == 0


def test_count_is_exact(index):
    assert index.count(parse("weapons OR assad")) == 4


def test_an_empty_highlighter_marks_nothing():
    assert not Highlighter(None) and Highlighter(None).spans("any text") == []
    assert Highlighter(None).excerpt("Some text.").text == "Some text."


def _dated(number: int, date: str | None, word: str = "harbour") -> Article:
    return Article(f"d{number}", f"Report {number}", f"The {word} report number {number}.", date=date)


@pytest.fixture(scope="module")
def dated_index(tmp_path_factory):
    """Articles over ten years in several commits (several segments), some replaced with a new date."""
    import random

    rng = random.Random(7)
    articles = {}
    idx = SearchIndex(tmp_path_factory.mktemp("dated"))
    for batch in range(4):
        chunk = []
        for number in range(batch * 40, batch * 40 + 40):
            date = None if number % 17 == 0 else f"{rng.randint(2010, 2019)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            chunk.append(_dated(number, date, "harbour" if number % 3 else "ferry"))
        idx.write((a, []) for a in chunk)
        articles.update((a.id, a) for a in chunk)
    replaced = [_dated(n, f"{2010 + n % 10}-06-15", "ferry") for n in range(0, 160, 9)]  # new dates and words
    idx.write((a, []) for a in replaced)
    articles.update((a.id, a) for a in replaced)
    yield idx, articles
    idx.close()


@pytest.mark.parametrize("query, low, high", [
    ("date:2015", "2015-01-01", "2015-12-31"),
    ("date:2013-06", "2013-06-01", "2013-06-31"),
    ("date:[2012-03 to 2014-02]", "2012-03-01", "2014-02-31"),
    ("date:[2017 to]", "2017-01-01", "9999"),
    ("date:[to 2011]", "0000", "2011-12-31"),
])
def test_date_ranges_match_exactly_the_dated_articles_across_segments_and_replacements(dated_index, query, low, high):
    idx, articles = dated_index
    inside = {a.id for a in articles.values() if a.date and low <= a.date <= high}
    assert inside  # the fixture covers every range
    assert {h.id for h in idx.search(parse(query), limit=500).hits} == inside
    assert {h.id for h in idx.search(parse(query + " ferry"), limit=500).hits} == \
        {i for i in inside if "ferry" in articles[i].body}
    outside = {a.id for a in articles.values() if "harbour" in a.body} - inside
    assert {h.id for h in idx.search(parse("harbour NOT " + query), limit=500).hits} == outside
    assert idx.count(parse(query)) == len(inside)


def test_date_sort_gives_the_newest_first_and_an_exact_total_across_segments(dated_index):
    idx, articles = dated_index
    results = idx.search(parse("report"), limit=25, sort="date")
    newest = sorted((a.date or "" for a in articles.values()), reverse=True)[:25]
    assert [articles[h.id].date or "" for h in results.hits] == newest
    assert results.total == len(articles) and results.exact
    assert len({h.id for h in idx.search(parse("report"), limit=500, sort="date").hits}) == len(articles)


from hypothesis import given, settings, strategies as st  # noqa: E402
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter  # noqa: E402
from whoosh.formats import Positions  # noqa: E402
from whoosh.support.charset import accent_map  # noqa: E402

from tui_reader.core.search.analysis import ANALYZER, NewsPositions  # noqa: E402

_TEXT = st.lists(st.one_of(
    st.sampled_from("the of a and to in weapons weapon Clarín CLARIN U.S. e.g. 2015 al-Assad it's I x "
                    "running runs ran naïve café — “quoted” 1,000 3.5 ... **bold** *capybaras* wom?n a*b".split()),
    st.text(max_size=8)), max_size=60).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_news_positions_index_what_whooshs_stemming_analyzer_and_positions_would(text):
    # Whoosh's StemmingAnalyzer, but words without "*" in them, and stop words keeping their places.
    reference = (RegexTokenizer(r"[^\W_]+(?:\.[^\W_]+)*") | LowercaseFilter() | StopFilter(renumber=False) | StemFilter()
                 | CharsetFilter(accent_map))
    expected = sorted((w, f, wt, Positions().decode_positions(v)) for w, f, wt, v in Positions().word_values(text, reference))
    fmt = NewsPositions()
    got = sorted((w, f, wt, fmt.decode_positions(v)) for w, f, wt, v in fmt.word_values(text, ANALYZER))
    assert got == expected
    for _, frequency, _, value in fmt.word_values(text, ANALYZER):
        assert fmt.decode_frequency(value) == frequency


def _reference_spans(highlighter, text):
    """The highlighter's rule written plainly: every word, folded and checked exactly."""
    import re as _re

    from tui_reader.core.search.highlight import _FOLD_ONE_TO_ONE

    folded = text.translate(_FOLD_ONE_TO_ONE)
    found = []
    for match in _re.finditer(r"[^\W_]+(?:\.[^\W_]+)*", folded):
        term = term_of_word(text[match.start():match.end()])
        if term in highlighter.terms or (term and any(p.matches(term) for p in highlighter.patterns)):
            found.append(match.span())
    return found


def term_of_word(word):
    from tui_reader.core.search.analysis import term_of
    return term_of(word)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(
    "Weapons weapon WEAPONRY Clarín CLARIN clarinet İstanbul ß Straße naïve café cafés assassin Assad "
    "al-Assad U.S. re-arm 2015 x_weapon weapons_ _weapons kerry's KERRY — “quoted” , . ; \n".split(" ")
) | st.text(max_size=6), max_size=40).map(" ".join))
def test_highlighted_words_are_exactly_the_words_that_match(text):
    highlighter = Highlighter(parse("weapon clarin assa* caf* kerry istanbul strasse"))
    assert highlighter.spans(text) == _reference_spans(highlighter, text)


# -- ranking with Whoosh's pruning (see core/search/fixes.py) -------------------------------------

_RANK_WORDS = "gun control court supreme tax reform border wall vote council harbour ferry".split()


@pytest.fixture(scope="module")
def ranked_index(tmp_path_factory):
    """600 articles of random words, some with the query's words in their titles, in three commits,
    so that a top 10 leaves out most matches and Whoosh's collector prunes as it goes."""
    import random

    rng = random.Random(11)
    idx = SearchIndex(tmp_path_factory.mktemp("ranked"))
    for commit in range(3):
        articles = []
        for n in range(200):
            title = " ".join(rng.choice(_RANK_WORDS) for _ in range(rng.randint(1, 4)))
            body = " ".join(rng.choice(_RANK_WORDS) for _ in range(rng.randint(5, 300)))
            articles.append((Article(f"r{commit}-{n}", title, body, date="2016-01-01"), []))
        idx.write(articles)
    yield idx
    idx.close()


@pytest.mark.parametrize("text", ["gun control", "supreme court", "tax reform", "border wall vote",
                                  "gun OR ferry", "tax NOT title:harbour", "title:court council"])
def test_a_top_10_is_the_exhaustive_top_10(ranked_index, text):
    from whoosh import collectors

    query = parse(text)
    found = ranked_index.search(query, limit=10)
    searcher = ranked_index._current_searcher()
    every = collectors.TopCollector(limit=100_000)  # more than match: nothing can be pruned
    searcher.search_with_collector(query, every)
    best = sorted(every.results().items(), key=lambda item: (-item[1], item[0]))[:10]
    assert [round(hit.score, 6) for hit in found.hits] == [round(score, 6) for _, score in best]
    assert len(every.results()) > 10 and not found.exact  # a page that leaves matches out
    assert found.total <= ranked_index.count(query) == len(every.results())


def test_and_maybe_skip_to_keeps_the_optional_side_in_step():
    from whoosh.matching import ListMatcher
    from whoosh.matching.binary import AndMaybeMatcher

    matcher = AndMaybeMatcher(ListMatcher([1, 5], [1.0, 1.0]), ListMatcher([3, 5], [2.0, 2.0]))
    matcher.skip_to(2)  # the required side lands on 5, where the optional side matches too
    assert matcher.id() == 5 and matcher.score() == 3.0


def test_a_boosted_clause_prunes_against_its_boosted_scores():
    from whoosh.matching import ListMatcher, UnionMatcher
    from whoosh.matching.wrappers import WrappingMatcher

    # Scores 1 and 2, boosted 3 times: 3 and 6, so either can reach a minimum of 2.5.
    boosted = WrappingMatcher(UnionMatcher(ListMatcher([1], [1.0]), ListMatcher([2], [2.0])), boost=3.0)
    replaced = boosted.replace(2.5)
    ids = []
    while replaced.is_active():
        ids.append(replaced.id())
        replaced.next()
    assert ids == [1, 2]


def test_an_article_given_twice_in_one_commit_is_indexed_once_in_its_last_version(tmp_path):
    # Whoosh's update_document replaces only what earlier commits hold: both copies stayed, and the
    # article was listed twice (an import that reads the same article twice commits both at once).
    idx = SearchIndex(tmp_path / "ix")
    first = Article("t1", "Twice", "the first version about ferries")
    idx.write([(first, []), (first.with_(body="the second version about harbours"), ["kept"])])
    assert idx.doc_count() == 1
    assert [h.id for h in idx.search(parse("twice")).hits] == ["t1"]
    assert idx.search(parse("ferries")).hits == [] and idx.count(parse("tag:kept harbours")) == 1
    idx.close()


def test_commits_merge_segments_of_like_size_and_leave_large_ones(tmp_path, monkeypatch):
    from tui_reader.core.search import index as search_index

    monkeypatch.setattr(search_index, "TIER_FLOOR", 2)
    monkeypatch.setattr(search_index, "MERGE_CAP", 100)
    idx = SearchIndex(tmp_path / "index")
    try:
        idx.write((Article(f"big{n}", f"Big {n}", "harbour text"), []) for n in range(120))  # over the cap
        idx.write((Article(f"mid{n}", f"Mid {n}", "harbour text"), []) for n in range(40))  # a tier of its own
        kept = {s.segment_id() for s in idx._index._segments() if s.doc_count_all() in (120, 40)}
        for commit in range(20):
            idx.write([(Article(f"s{commit}", f"Small {commit}", "harbour quay"), [])])
            segments = idx._index._segments()
            counts = [s.doc_count_all() for s in segments]
            assert kept <= {s.segment_id() for s in segments}  # neither rewritten by small commits
            for tier in {search_index._tier(c) for c in counts if c <= 100}:
                # at most MERGE_AT of a tier (the hook runs before the commit's own segment is added)
                assert sum(1 for c in counts if c <= 100 and search_index._tier(c) == tier) <= search_index.MERGE_AT
        assert sum(counts) == 180  # every article still there, once
        assert idx.search(parse("harbour"), limit=200).total == 180
        assert len(segments) < 10
    finally:
        idx.close()
