"""The query language and the Whoosh index: what a user types finds what it should."""

import pytest

from tui_reader.core.articles import Article
from tui_reader.core.index import Highlighter, QueryError, SearchIndex, parse

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
        ("*", "a * must follow some letters"),
        ("x" * 10_000, "query too long"),
        ("kerry\x1b[31m", "control characters"),
        ("the", "nothing to search for"),
    ],
)
def test_malformed_queries_say_what_is_wrong(query, message):
    with pytest.raises(QueryError, match=message.replace("(", r"\(").replace("*", r"\*")):
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
