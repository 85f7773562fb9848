"""The compact posting blocks: the same postings, matches and scores as Whoosh's own codec."""

import random

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec

from tui_reader.core.search import index as search_index
from tui_reader.core.articles import Article
from tui_reader.core.search import SearchIndex, parse
from tui_reader.core.search.analysis import SCHEMA, term_of
from tui_reader.core.search.codec import CompactCodec

WORDS = ("harbour ferry engine refit council budget vote court appeal storm flood bridge school teacher "
         "election senator minister treaty border trade tariff hospital nurse strike pension market").split()


def _articles(count: int, seed: int) -> list[Article]:
    """Articles of very different lengths and word counts, so that terms span many blocks and weights vary."""
    rng = random.Random(seed)
    articles = []
    for number in range(count):
        common = rng.sample(WORDS, 6)  # each article leans on a few words, repeated
        body = " ".join(rng.choice(common if rng.random() < 0.7 else WORDS) for _ in range(rng.randint(5, 400)))
        title = " ".join(rng.sample(WORDS, 3))
        date = f"{rng.randint(2010, 2020)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        articles.append(Article(f"x{number}", title, body, author=rng.choice(["Ann Lee", "Bo Chan", None]), date=date))
    return articles


def _build(folder, codec, batches) -> SearchIndex:
    """An index of these batches of articles, one commit each, written with the given codec."""
    idx = SearchIndex(folder)
    old = search_index.CODEC
    search_index.CODEC = codec
    try:
        for batch in batches:
            idx.write((a, ["evidence"] if int(a.id[1:]) % 5 == 0 else []) for a in batch)
    finally:
        search_index.CODEC = old
    return idx


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """The same articles indexed with Whoosh's codec and with ours, in several commits (several
    segments, and some articles replaced, leaving deletions)."""
    articles = _articles(900, seed=3)
    replaced = [Article(a.id, a.title, a.body + " ferry ferry strike", date=a.date) for a in articles[::7]]
    batches = [articles[start:start + 150] for start in range(0, len(articles), 150)] + [replaced]
    built = [_build(tmp_path_factory.mktemp(type(codec).__name__), codec, batches)
             for codec in (W3Codec(), CompactCodec())]
    yield built
    for idx in built:
        idx.close()


def _postings(idx: SearchIndex) -> dict:
    """Every posting of every term: (field, term) -> [(document id, weight, value)]."""
    searcher = idx._current_searcher()
    found = {}
    for leaf, _ in searcher.leaf_searchers():
        reader = leaf.reader()
        for fieldname, term in reader.all_terms():
            if fieldname not in SCHEMA.scorable_names() and fieldname != "id":
                continue
            matcher = reader.postings(fieldname, term)
            rows = found.setdefault((fieldname, term), [])
            while matcher.is_active():
                rows.append((leaf.stored_fields(matcher.id())["id"], matcher.weight(), matcher.value()))
                matcher.next()
    return {key: sorted(rows) for key, rows in found.items()}


def test_the_codecs_hold_the_same_postings(pair):
    ours, theirs = _postings(pair[1]), _postings(pair[0])
    assert ours == theirs
    assert max(len(rows) for rows in ours.values()) > 500  # terms spanning several blocks of 128


def test_the_segments_were_written_by_the_compact_codec(pair):
    segments = pair[1]._index._segments()
    assert len(segments) > 1 and all(isinstance(s.codec(), CompactCodec) for s in segments)


QUERIES = [
    "harbour", "ferry strike", "harbour ferry engine", "budget OR tariff", "court -appeal", "storm NOT flood",
    '"ferry strike"', '"council budget vote"', "harb*", "title:treaty", "title:border trade", "author:lee",
    "tag:evidence", "tag:evidence hospital", "date:2015", "nurse date:[2012-03 to 2016-08]", "(school OR teacher) pension",
    '"market pension" OR senator', "minister treaty border trade tariff hospital",
]


@pytest.mark.parametrize("text", QUERIES)
def test_searches_rank_and_count_the_same(pair, text):
    theirs, ours = pair
    query = parse(text)
    for sort in ("relevance", "date"):
        expected, got = theirs.search(query, limit=40, sort=sort), ours.search(query, limit=40, sort=sort)
        assert [(h.id, round(h.score, 6)) for h in got.hits] == [(h.id, round(h.score, 6)) for h in expected.hits]
        assert (got.total, got.exact) == (expected.total, expected.exact)
    assert ours.count(query) == theirs.count(query) > 0


def test_skipping_lands_on_the_same_documents(tmp_path):
    """Intersections skip ahead inside and across blocks: every target gives the same next document."""
    articles = _articles(1200, seed=8)
    built = [_build(tmp_path / type(codec).__name__, codec, [articles]) for codec in (W3Codec(), CompactCodec())]
    readers = [idx._current_searcher().reader() for idx in built]
    assert readers[1].doc_frequency("text", term_of("harbour")) > 300  # several blocks of 128
    rng = random.Random(5)
    for term in (term_of("harbour"), term_of("ferry"), term_of("strike")):
        last = readers[0].doc_count_all()
        for _ in range(40):
            matchers = [reader.postings("text", term) for reader in readers]
            target = 0
            while all(m.is_active() for m in matchers):
                assert matchers[0].id() == matchers[1].id()
                target = matchers[0].id() + rng.randint(1, 300)
                if target > last:
                    break
                for m in matchers:
                    m.skip_to(target)
            assert matchers[0].is_active() == matchers[1].is_active()


def test_an_index_written_by_the_compact_codec_reopens(pair, tmp_path):
    folder = pair[1].folder
    reopened = whoosh_index.open_dir(str(folder))
    with reopened.searcher() as searcher:
        assert searcher.doc_count() == 900
