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


# -- words are words ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    """A few articles written for the cases a user met."""
    idx = SearchIndex(tmp_path_factory.mktemp("small"))
    idx.write((article, []) for article in [
        Article("md", "Notes", "Some **bold** text about *capybaras* and _rodents_."),
        Article("and", "Arms", "You arm them with chemicals and weapons, he said."),
        Article("cw", "Treaty", "The chemical weapons convention was signed."),
        Article("wmd", "Iraq", "No weapons of mass destruction were found."),
        Article("wmd2", "Other", "Weapons, and mass destruction: a different sentence."),
        Article("women", "Women in science", "A woman and two women met the Assad family."),
        Article("assad", "Syria", "Bashar al-Assad spoke; the al-Assads ruled since 1971. Al Gore did not."),
        Article("orourke", "Texas", "Beto O'Rourke and the O'Rourkes campaigned; Rourke Street was closed."),
        Article("colour", "Paint", "The colour of the color chart; an analysis analysed and analyzed."),
        Article("talks", "Talks", "Negotiations began: the negotiator will negotiate. The capital was calm "
                                  "before the elections; electricity was cut."),
    ])
    yield idx
    idx.close()


def _found(idx, text):
    return {hit.id for hit in idx.search(parse(text), limit=100).hits}


@pytest.mark.parametrize("text, expected", [
    ("capybaras", {"md"}), ("bold", {"md"}), ("capybara", {"md"}), ("rodents", {"md"}),
    ('"bold text about capybaras"', {"md"}),
])
def test_words_in_asterisks_or_underscores_are_found(small_index, text, expected):
    assert _found(small_index, text) == expected


# -- phrases are phrases --------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ('"chemical weapons"', {"cw"}),  # not "chemicals and weapons"
    ('"chemicals and weapons"', {"and"}),
    ('"them chemicals"', set()),  # "them with chemicals": the gap of "with" is kept
    # A stop word is not indexed: its place holds any one word, as in Lucene ("Weapons, and mass destruction").
    ('"weapons of mass destruction"', {"wmd", "wmd2"}),
    ('"weapons mass destruction"', set()),
    ('"weapons of the mass destruction"', set()),
    ('"mass destruction"', {"wmd", "wmd2"}),
    ('"the chemical weapons convention"', {"cw"}),  # stop words at the ends leave no gap to match
    ('"no weapons of mass"', {"wmd"}),
    ('"weapons of mass destruction" OR "chemical weapons"', {"wmd", "wmd2", "cw"}),
    ('"bashar al-assad"', {"assad"}),
    ('"chemical weapons"^2 OR "no weapons"', {"cw", "wmd"}),  # a boosted phrase
    ('title:"women in science"', {"women"}),
    ('title:"women science"', set()),
])
def test_a_phrase_matches_its_words_in_order_with_the_gaps_of_its_stop_words(small_index, text, expected):
    assert _found(small_index, text) == expected


# -- wildcards ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("wom?n", {"women"}),  # woman and women: the index keeps each as it is
    ("wom?n science", {"women"}),
    ("al-Assad*", {"assad"}),  # "al" followed by a word beginning with assad
    ("al-Assad* -bashar", set()),
    ("al-gore*", {"assad"}),
    ("al-spoke*", set()),  # al and spoke are both there, but not one after the other
    ("O'Rourke*", {"orourke"}),
    ("assa*", {"assad", "women"}),
    ("colo?r", {"colour"}), ("colo*r", {"colour"}),
    ("analy?e", {"colour"}), ("analy?ed", {"colour"}),
    ("capy*", {"md"}),  # not "capital" (the stem of "capy" alone is "capi")
    ("negotiat*", {"talks"}),  # negotiations is kept as negoti: its stem is shorter than the prefix
    ("elections*", {"talks"}), ("electr*", {"talks"}),
    ("happy*", set()), ("campaign*", {"orourke"}), ("campaigned*", {"orourke"}),
    ("is it chemical?", {"cw", "and"}),  # a ? after a word is a question mark
    ("women ?", {"women"}),
    ("title:wom?n", {"women"}),
])
def test_wildcards_find_the_words_they_stand_for(small_index, text, expected):
    assert _found(small_index, text) == expected


@pytest.mark.parametrize("text", ["*", "?ssad", "al-*", "kerry *", "(*)"])
def test_a_wildcard_before_any_letter_is_refused_with_a_message(text):
    from tui_reader.core.search import QueryError

    with pytest.raises(QueryError, match=r"a \* or \? must follow some letters, as in assa\* or wom\?n"):
        parse(text)


@pytest.mark.parametrize("text, words", [
    ("wom?n", ["woman", "women"]),
    ("al-Assad*", ["Assad", "Assads"]),  # the words the pattern covers; "al" is a plain word
    ("O'Rourke*", ["Rourke", "O'Rourkes"[2:]]),
    ("colo?r", ["colour"]),  # ? is one letter: not color
    ("negotiat*", ["Negotiations", "negotiator", "negotiate"]),
])
def test_the_highlighter_marks_the_words_a_wildcard_found(small_index, text, words):
    from tui_reader.core.search import Highlighter

    body = {"wom?n": "A woman and two women met the Assad family.",
            "al-Assad*": "Bashar al-Assad spoke; the al-Assads ruled since 1971. Al Gore did not.",
            "O'Rourke*": "Beto O'Rourke and the O'Rourkes campaigned; Rourke Street was closed.",
            "colo?r": "The colour of the color chart; an analysis analysed and analyzed.",
            "negotiat*": "Negotiations began: the negotiator will negotiate. The capital, negative."}[text]
    marked = {body[a:b] for a, b in Highlighter(parse(text)).spans(body)}
    assert set(words) <= marked
    assert "Assad" not in marked or text == "al-Assad*"
    assert not {"color", "Al", "Beto", "capital", "negative"} & marked


# -- phrases, positions and highlights agree with a brute force ------------------------------------

_WORD = re.compile(r"[^\W_]+(?:\.[^\W_]+)*")  # a word, written out here rather than imported
_PHRASE_WORDS = ("harbour ferry strike council budget vote chemical chemicals weapons weapon mass destruction "
                 "assad assads the of and a to in is x b").split()


def _text_of(article: Article) -> str:
    return article.title + "\n\n" + article.body  # what the index's "text" field holds


def _brute_force(text: str, slots: list) -> list[list[tuple[int, int]]]:
    """Each place where a phrase's words stand at their offsets: the spans of those words. A slot is
    (offset, term) or (offset, WordPattern); every word counts for a place, stop words too."""
    words = list(_WORD.finditer(text))
    terms = [term_of(match.group()) for match in words]
    found = []
    for start in range(len(words)):
        if start + slots[-1][0] >= len(words):
            break
        if all(terms[start + offset] == word if isinstance(word, str) else
               (terms[start + offset] and word.matches(terms[start + offset])) for offset, word in slots):
            found.append([words[start + offset].span() for offset, _ in slots])
    return found


def _slots(phrase: str) -> list:
    """A quoted phrase's words as (offset, term), stop words left out but counted."""
    terms = [term_of(word) for word in _WORD.findall(phrase)]
    places = [i for i, term in enumerate(terms) if term]
    return [(i - places[0], terms[i]) for i in places]


@pytest.fixture(scope="module")
def phrase_index(tmp_path_factory):
    """500 articles of a few words, stop words and one-letter words among them, some in Markdown
    emphasis, in five commits (some replaced in the last)."""
    rng = random.Random(21)

    def text(count: int) -> str:
        words = []
        for _ in range(count):
            word = rng.choice(_PHRASE_WORDS)
            word = rng.choice([word, word, word, word.title(), f"*{word}*", f"_{word}_", word + ",", word + "."])
            words.append(word)
        return " ".join(words)

    idx = SearchIndex(tmp_path_factory.mktemp("phrases"))
    articles: dict[str, Article] = {}
    for commit in range(5):
        batch = [Article(f"p{commit}-{n}", text(rng.randint(1, 6)), text(rng.randint(3, 80)), date="2019-01-01")
                 for n in range(100)]
        if commit == 4:
            batch = [a.with_(id=rng.choice(sorted(articles))) for a in batch[:60]]
        idx.write((a, []) for a in batch)
        articles.update((a.id, a) for a in batch)
    yield idx, articles
    idx.close()


def _phrases(articles: dict[str, Article]) -> list[str]:
    """Phrases cut from the articles (so that most match), with stop words inside and at the ends."""
    rng = random.Random(5)
    texts = [_text_of(a) for a in articles.values()]
    phrases = ['"chemical weapons"', '"weapons of mass destruction"', '"the harbour"', '"ferry x strike"',
               '"assad and the assads"', '"mass mass"', '"vote of the council"']
    while len(phrases) < 80:
        words = _WORD.findall(rng.choice(texts))
        start = rng.randrange(len(words))
        cut = words[start:start + rng.randint(2, 5)]
        if len(_slots(" ".join(cut))) >= 2:
            phrases.append('"' + " ".join(cut) + '"')
    return phrases


def test_exact_phrases_positions_and_highlights_agree_with_a_brute_force(phrase_index):
    from tui_reader.core.search import Highlighter

    idx, articles = phrase_index
    texts = {article_id: _text_of(article) for article_id, article in articles.items()}
    matched = 0
    for phrase in _phrases(articles):
        slots = _slots(phrase)
        places = {article_id: _brute_force(text, slots) for article_id, text in texts.items()}
        want = {article_id for article_id, found in places.items() if found}
        query = parse(phrase)
        assert {h.id for h in idx.search(query, limit=1000).hits} == want, phrase
        assert {h.id for h in idx.search(query, limit=1000, sort="date").hits} == want, phrase
        assert idx.count(query) == len(want), phrase
        highlighter = Highlighter(query)
        for article_id, text in texts.items():
            spans = sorted({span for place in places[article_id] for span in place})
            assert highlighter.spans(text) == spans, (phrase, text)
        matched += bool(want)
    assert matched > 60


def test_words_with_wildcards_inside_phrases_agree_with_a_brute_force(phrase_index):
    from tui_reader.core.search import Highlighter
    from tui_reader.core.search.analysis import WordPattern

    idx, articles = phrase_index
    texts = {article_id: _text_of(article) for article_id, article in articles.items()}
    for typed, slots in [
        ("chemical-weap*", [(0, "chemic"), (1, WordPattern("weap*"))]),
        ("weapons-of-mass*", [(0, "weapon"), (2, WordPattern("mass*"))]),
        ("ass*-strike", [(0, WordPattern("ass*")), (1, "strike")]),
        ("fer?y-strike", [(0, WordPattern("fer?y")), (1, "strike")]),
        ("x-ferry-v*te", [(0, "ferri"), (1, WordPattern("v*te"))]),
    ]:
        places = {article_id: _brute_force(text, slots) for article_id, text in texts.items()}
        want = {article_id for article_id, found in places.items() if found}
        query = parse(typed)
        assert want and {h.id for h in idx.search(query, limit=1000).hits} == want, typed
        assert idx.count(query) == len(want), typed
        highlighter = Highlighter(query)
        for article_id, text in texts.items():
            assert highlighter.spans(text) == sorted({span for place in places[article_id] for span in place}), typed


def test_the_index_keeps_each_words_place_among_all_words(phrase_index):
    idx, articles = phrase_index
    searcher = idx._current_searcher()
    fmt = searcher.schema["text"].format
    rng = random.Random(3)
    for article_id in rng.sample(sorted(articles), 30):
        docnum = searcher.document_number(id=article_id)
        places: dict[str, list[int]] = {}
        for place, word in enumerate(_WORD.findall(_text_of(articles[article_id]))):
            if term_of(word):
                places.setdefault(term_of(word), []).append(place)
        for term, expected in places.items():
            postings = searcher.reader().postings("text", term)
            postings.skip_to(docnum)
            assert postings.id() == docnum and fmt.decode_positions(postings.value()) == expected


def test_phrases_without_gaps_score_as_whooshs_phrase(phrase_index):
    from whoosh import query as Q

    from tui_reader.core.search.matchers import ExactPhrase

    idx, articles = phrase_index
    searcher = idx._current_searcher()
    compared = 0
    for phrase in _phrases(articles):
        slots = _slots(phrase)
        if [offset for offset, _ in slots] != list(range(len(slots))):
            continue  # Whoosh's Phrase knows no gaps
        ours = ExactPhrase("text", [term for _, term in slots])
        theirs = Q.Phrase("text", [term for _, term in slots])
        got = [(h.docnum, round(h.score, 6)) for h in searcher.search(ours, limit=30)]
        assert got == [(h.docnum, round(h.score, 6)) for h in searcher.search(theirs, limit=30)], phrase
        compared += bool(got)
    assert compared > 20
