"""The formats reference managers read (issue 10): biblatex and classic BibTeX with keys unique within
an export, CSL-JSON and RIS; checked field by field here and, on the real corpus, by the readers the
users have (pybtex, bibtexparser, citeproc-py, rispy). Only metadata written for the tests appears here."""

import json
from datetime import date
from pathlib import Path

import pytest

from tui_reader.core import citations, export
from tui_reader.core.articles import Article
from tui_reader.core.citations import bibtex_key, bibliography, in_text, passage, reference
from tui_reader.core.citations import ris
from tui_reader.core.citations.bibtex import _letters
from tui_reader.core.citations.facts import Facts
from tui_reader.core.importers import read_input

SYRIA = Path("/work/shared/corpus/allsides-syria.jsonl.gz")
TODAY = date(2021, 12, 6)
URL = "https://news.example/2012/06/13/weapons"
TWO = Article(id="t", title="Heavier Weapons Push Syria Toward War", body="",
              author="Mark Landler, Neil Macfarquhar", source="New York Times - News",
              date="2012-06-13", url=URL, imported_at="2021-12-06T10:00:00+00:00")


def opinion(article_id: str, when: str | None, title: str = "Opinion: the war goes on") -> Article:
    """An article whose key alone would be collinson<year>opinion."""
    return Article(id=article_id, title=title, body="", author="Stephen Collinson", source="CNN",
                   date=when, url=f"https://news.example/{article_id}")


def keys(articles: list[Article], style: str = "biblatex") -> list[str]:
    """The keys of an export, in the export's order."""
    text = bibliography(articles, style, TODAY)
    if style == "csl-json":
        return [item["id"] for item in json.loads(text)]
    return [line.split("{", 1)[1].rstrip(",") for line in text.splitlines() if line.startswith("@")]


# --- keys --------------------------------------------------------------------------------------


def test_clashing_keys_get_letters_after_the_earliest_which_keeps_its_own():
    early, middle, late = opinion("z9", "2019-01-02"), opinion("a1", "2019-03-04"), opinion("m5", "2019-11-30")
    assert bibtex_key(early) == "collinson2019opinion"  # what `cite` gives for any of them alone
    assert keys([late, early, middle]) == ["collinson2019opinionb", "collinson2019opinion", "collinson2019opiniona"]


def test_keys_are_the_same_whatever_order_the_articles_come_in():
    articles = [opinion("b", "2019-05"), opinion("a", "2019-05"), opinion("c", None), opinion("d", "2019")]
    expected = dict(zip((a.id for a in articles), keys(articles)))
    for shuffled in (articles[::-1], articles[1:] + articles[:1], articles[2:] + articles[:2]):
        assert dict(zip((a.id for a in shuffled), keys(shuffled))) == expected
    # by date ("2019" sorts before "2019-05"), then id; the undated article last
    assert expected == {"d": "collinson2019opinion", "a": "collinson2019opiniona",
                        "b": "collinson2019opinionb", "c": "collinsonndopinion"}


def test_an_undated_article_comes_after_the_dated_ones_with_the_same_key():
    undated = [Article(id=i, title="Opinion", body="", author="Ann Lee", source="CNN") for i in ("y", "x")]
    assert keys(undated) == ["leendopiniona", "leendopinion"]


def test_a_suffixed_key_never_takes_another_articles_own_key():
    war, again = opinion("1", "2019-01-01", "War"), opinion("2", "2019-02-01", "War again")
    wara = opinion("3", "2019-03-01", "Wara")  # its own key is collinson2019wara
    assert keys([war, again, wara]) == ["collinson2019war", "collinson2019warb", "collinson2019wara"]


def test_every_format_uses_the_same_unique_keys():
    articles = [opinion("a", "2019-05-01"), opinion("b", "2019-05-02")]
    expected = ["collinson2019opinion", "collinson2019opiniona"]
    assert keys(articles, "biblatex") == keys(articles, "bibtex") == keys(articles, "csl-json") == expected
    ris_ids = [line[6:] for line in bibliography(articles, "ris", TODAY).splitlines() if line.startswith("ID  - ")]
    assert ris_ids == expected


@pytest.mark.parametrize(("n", "letters"), [(0, "a"), (1, "b"), (25, "z"), (26, "aa"), (27, "ab"), (701, "zz"),
                                            (702, "aaa")])
def test_suffix_letters_go_on_after_z(n, letters):
    assert _letters(n) == letters


def test_twenty_eight_clashing_articles_get_twenty_eight_keys():
    articles = [opinion(f"id{i:02d}", f"2019-01-{i % 28 + 1:02d}") for i in range(28)]
    found = keys(articles)
    assert len(set(found)) == 28 and "collinson2019opinionaa" in found


# --- the two BibTeX flavours --------------------------------------------------------------------


def test_biblatex_is_the_entry_biblatex_reads():
    assert reference(TWO, "biblatex", today=TODAY) == "\n".join([
        "@article{landler2012heavier,",
        "  author = {Landler, Mark and Macfarquhar, Neil},",
        "  title = {Heavier Weapons Push Syria Toward War},",
        "  journaltitle = {New York Times},",
        "  date = {2012-06-13},",
        f"  url = {{{URL}}},",
        "  urldate = {2021-12-06},",
        "}",
    ])


def test_classic_bibtex_has_journal_year_month_and_an_access_note():
    assert reference(TWO, "bibtex", today=TODAY) == "\n".join([
        "@article{landler2012heavier,",
        "  author = {Landler, Mark and Macfarquhar, Neil},",
        "  title = {{Heavier Weapons Push Syria Toward War}},",  # braced: plain.bst would lower "Syria"
        "  journal = {New York Times},",
        "  year = {2012},",
        "  month = jun,",
        f"  url = {{{URL}}},",
        "  note = {Accessed December 6, 2021},",
        "}",
    ])


def test_classic_bibtex_without_a_publication_or_month_is_misc():
    article = TWO.with_(source=None, date="2012", author="Associated Press")
    assert reference(article, "bibtex", today=TODAY) == "\n".join([
        "@misc{associatedpress2012heavier,",
        "  author = {{Associated Press}},",
        "  title = {{Heavier Weapons Push Syria Toward War}},",
        "  year = {2012},",
        f"  url = {{{URL}}},",
        "  note = {Accessed December 6, 2021},",
        "}",
    ])
    bare = Article(id="s", title="Assad on the war", body="")
    assert reference(bare, "bibtex", today=TODAY) == "@misc{assadndwar,\n  title = {{Assad on the war}},\n}"


def test_classic_bibtex_cites_with_cite_and_biblatex_with_autocite():
    assert in_text(TWO, "bibtex", 3) == r"\cite[para.~3]{landler2012heavier}"
    assert in_text(TWO, "biblatex", 3) == r"\autocite[para.~3]{landler2012heavier}"
    assert passage(TWO, "Costs rose 5% & more.", 4, "bibtex", today=TODAY) == (
        "“Costs rose 5\\% \\& more” \\cite[para.~4]{landler2012heavier}.\n\n" + reference(TWO, "bibtex", today=TODAY))


# --- CSL-JSON and RIS ---------------------------------------------------------------------------


def test_csl_json_item():
    article = TWO.with_(author="Veronique de Rugy, Tom Howell Jr., Associated Press", date="2012-06")
    assert json.loads(reference(article, "csl-json", today=TODAY)) == [{
        "id": "derugy2012heavier",
        "type": "article-newspaper",
        "title": "Heavier Weapons Push Syria Toward War",
        "author": [{"family": "Rugy", "given": "Veronique", "non-dropping-particle": "de"},
                   {"family": "Howell", "given": "Tom", "suffix": "Jr."},
                   {"literal": "Associated Press"}],
        "container-title": "New York Times",
        "issued": {"date-parts": [[2012, 6]]},
        "URL": URL,
        "accessed": {"date-parts": [[2021, 12, 6]]},
    }]


def test_csl_json_without_publication_is_a_webpage_and_leaves_out_what_is_missing():
    bare = Article(id="s", title="Assad on the war", body="")
    assert json.loads(reference(bare, "csl-json", today=TODAY)) == [
        {"id": "assadndwar", "type": "webpage", "title": "Assad on the war"}]


def test_ris_record():
    article = TWO.with_(author="Tom Howell Jr., Associated Press")
    assert reference(article, "ris", today=TODAY) == "\n".join([
        "TY  - NEWS",
        "ID  - howell2012heavier",
        "AU  - Howell, Tom, Jr.",
        "AU  - Associated Press",
        "TI  - Heavier Weapons Push Syria Toward War",
        "T2  - New York Times",
        "PY  - 2012",
        "DA  - 2012/06/13/",
        f"UR  - {URL}",
        "Y2  - 2021/12/06/",
        "ER  -",
    ])
    bare = Article(id="s", title="Assad on the war", body="", date="2013-04")
    assert reference(bare, "ris", today=TODAY) == (
        "TY  - ELEC\nID  - assad2013war\nTI  - Assad on the war\nPY  - 2013\nDA  - 2013/04//\nER  -")


def test_csl_json_and_ris_cite_with_pandocs_key_syntax():
    assert in_text(TWO, "csl-json", 3) == "[@landler2012heavier, para. 3]"
    assert in_text(TWO, "ris") == "[@landler2012heavier]"


def test_a_control_character_in_the_metadata_cannot_break_a_ris_line():
    article = TWO.with_(title="Two\nlines\r\nand\ta tab", author="Ann\nLee")
    lines = reference(article, "ris", today=TODAY).splitlines()
    assert "TI  - Two lines and a tab" in lines and "AU  - Lee, Ann" in lines


def test_every_reference_manager_format_is_a_style_and_an_export_format():
    for style in citations.DATA_STYLES:
        assert style in citations.STYLES and style in citations.STYLE_NAMES and style in export.FORMATS


# --- the real corpus, read by the readers users have ---------------------------------------------


@pytest.fixture(scope="module")
def syria() -> list[Article]:
    """The allsides-syria subset, read as `newsreader import` reads it."""
    if not SYRIA.exists():
        pytest.skip("the news corpus is not on this machine")
    articles = [item for item in read_input(SYRIA) if isinstance(item, Article)]
    assert len(articles) > 700
    return articles


@pytest.mark.parametrize("flavour", ["biblatex", "bibtex"])
def test_the_syria_export_parses_in_pybtex_and_bibtexparser_with_every_entry(syria, flavour):
    import bibtexparser
    from pybtex.database import parse_string

    text = export.export([(article, []) for article in syria], flavour)
    parsed = parse_string(text, "bibtex")  # pybtex refuses a repeated key
    assert len(parsed.entries) == len(syria)
    library = bibtexparser.parse_string(text)  # bibtexparser sets a repeated key aside as a failed block
    assert library.failed_blocks == [] and len(library.entries) == len(syria)
    assert len({entry.key for entry in library.entries}) == len(syria)
    field = "journaltitle" if flavour == "biblatex" else "journal"
    assert sum(field in entry.fields_dict for entry in library.entries) > 0.9 * len(syria)


def test_the_syria_export_keeps_its_keys_when_exported_again_in_another_order(syria):
    first = keys(syria[:300])
    again = keys(syria[:300][::-1])[::-1]
    assert first == again


def test_the_syria_csl_json_loads_in_citeproc_py_and_renders_a_bibliography(syria):
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    items = json.loads(export.export([(article, []) for article in syria], "csl-json"))
    source = CiteProcJSON(items)
    assert len(source) == len(syria)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)  # shipped with citeproc-py
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == len(syria)
    # every entry names its article's title (the style sorts by author, so look each one up)
    assert all(any(item["title"] in entry for entry in rendered) for item in items[:50])


def test_the_syria_ris_parses_in_rispy(syria):
    import rispy

    text = export.export([(article, []) for article in syria], "ris")
    records = rispy.loads(text)
    assert len(records) == len(syria)
    assert len({record["id"] for record in records}) == len(syria)
    for record, article in zip(records, syria):  # the same order as the export's
        facts = Facts.of(article, TODAY)
        assert record["title"] == facts.title
        assert record.get("authors", []) == [ris._name(name) for name in facts.names]


def test_a_failed_write_leaves_the_earlier_file_whole_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "refs.bib"
    target.write_text("% my earlier export\n", encoding="utf-8")

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tui_reader.core.export.os.replace", disk_full)
    with pytest.raises(OSError, match="No space"):
        export.write(target, [(TWO, [])], "bibtex")
    assert target.read_text(encoding="utf-8") == "% my earlier export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["refs.bib"]


def test_write_counts_one_entry_per_article_for_a_reference_manager(tmp_path):
    assert export.write(tmp_path / "a.ris", [(TWO, []), (opinion("o", "2019"), [])], "ris") == 2
    assert (tmp_path / "a.ris").read_text(encoding="utf-8").count("ER  -") == 2


def test_markdown_notes_in_a_data_only_style_cite_in_apa():
    from tui_reader.core.articles import Anchor, Passage

    body = "Fighting spread to the capital."
    article = TWO.with_(body=body)
    quoted = Passage(id=1, article_id="t", anchor=Anchor(exact="Fighting spread", prefix="", suffix=" to", start=0, end=15), status="anchored",
                     note="", created_at="2021-12-06T10:00:00+00:00", modified_at="2021-12-06T10:00:00+00:00",
                     tags=("war",))
    for style in ("csl-json", "ris"):
        notes = export.export([(article, [quoted])], "markdown", style)
        assert notes == export.export([(article, [quoted])], "markdown", "apa")
        assert "TY  -" not in notes and '"id"' not in notes
