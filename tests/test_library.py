"""The library facade: import, re-import, tagging, anchoring after edits, citations and export."""

import json
import subprocess
import sys

import pytest

from tui_reader.core import export
from tui_reader.core.library import Library, NotFound, QuoteNotFound, normalize_tags

PARAGRAPHS = [
    "The council met on Tuesday to debate the budget.",
    "Mayor Ada Ruiz said the river cleanup would cost less than planned.",
    "Critics said the plan ignored the northern districts entirely.",
    "A vote is expected next month.",
]


def write_article(path, paragraphs, title="Council debates budget"):
    header = f"ID: council-1\nTitle: {title}\nAuthor: Ann Lee, Bo Chan\nSource: Daily Ledger\nDate: 2016-03-08\n"
    path.write_text(header + "\n" + "\n\n".join(paragraphs), encoding="utf-8")
    return path


@pytest.fixture
def library(tmp_path):
    lib = Library(tmp_path / "home")
    yield lib
    lib.close()


@pytest.fixture
def article_file(tmp_path):
    return write_article(tmp_path / "council.txt", PARAGRAPHS)


def tag(library, quote, *tags, note=""):
    return library.tag_quote("council-1", quote, tags, note)


def test_tags_are_normalised():
    assert normalize_tags([" Evidence ", "arms supply", "a,b", "EVIDENCE", "", "\"q\""]) == ["evidence", "arms-supply", "a", "b", "q"]


def test_a_tagged_passage_is_stored_with_its_anchor_and_is_searchable_by_tag(library, article_file):
    library.import_paths([article_file])
    passage = tag(library, "the river cleanup would cost less", "Evidence", note="cost claim")
    body = library.get("council-1").body
    assert body[passage.anchor.start:passage.anchor.end] == "the river cleanup would cost less"
    assert passage.anchor.prefix == body[max(0, passage.anchor.start - 32):passage.anchor.start] and len(passage.anchor.suffix) == 32
    assert passage.tags == ("evidence",) and passage.note == "cost claim" and passage.status == "anchored"
    assert [r.id for r in library.search("tag:evidence").rows] == ["council-1"]
    assert [r.id for r in library.search("tag:evidence AND river").rows] == ["council-1"]
    assert library.search("tag:evidence AND moon").rows == []
    assert library.tag_counts() == [("evidence", 1)]


def test_tags_survive_reopening_the_library(tmp_path, article_file):
    first = Library(tmp_path / "home")
    first.import_paths([article_file])
    tag(first, "A vote is expected next month.", "timeline")
    first.close()
    again = Library(tmp_path / "home")
    assert [p.anchor.exact for _, found in again.passages_by_article("timeline") for p in found] == ["A vote is expected next month."]
    assert [r.id for r in again.search("tag:timeline").rows] == ["council-1"]
    again.close()


def test_reimport_of_an_edited_article_keeps_moves_and_orphans_passages(library, article_file):
    library.import_paths([article_file])
    unchanged = tag(library, "The council met on Tuesday", "a")
    moved = tag(library, "Critics said the plan ignored the northern districts", "b")
    deleted = tag(library, "A vote is expected next month.", "c")
    edited = [
        "The council met on Tuesday to debate the budget.",
        "A new paragraph now stands here, pushing the rest of the text further down the page.",
        "Mayor Ada Ruiz said the river cleanup would cost less than planned.",
        "Critics said the plan ignored the northern districts entirely.",
    ]
    write_article(article_file, edited)
    report = library.import_paths([article_file])
    assert report.updated == 1
    body = library.get("council-1").body
    now = {p.id: p for p in library.passages_of("council-1")}
    assert (now[unchanged.id].anchor.start, now[unchanged.id].status) == (unchanged.anchor.start, "anchored")
    assert now[moved.id].status == "anchored" and now[moved.id].anchor.start > moved.anchor.start
    assert body[now[moved.id].anchor.start:now[moved.id].anchor.end] == moved.anchor.exact
    assert now[deleted.id].status == "orphaned" and now[deleted.id].anchor.start is None
    assert now[deleted.id].anchor.exact == deleted.anchor.exact and now[deleted.id].tags == ("c",)  # nothing lost
    assert len(now) == 3


def test_retag_note_delete_and_undo(library, article_file):
    library.import_paths([article_file])
    passage = tag(library, "A vote is expected", "old")
    changed = library.update_passage(passage.id, tags=["new", "second"], note="edited")
    assert changed.tags == ("new", "second") and changed.note == "edited"
    assert library.search("tag:old").rows == [] and len(library.search("tag:new").rows) == 1
    removed = library.delete_passage(passage.id)
    assert library.passage(passage.id) is None and library.search("tag:new").rows == []
    restored = library.restore_passage(removed)
    assert restored == removed and len(library.search("tag:new").rows) == 1
    with pytest.raises(NotFound):
        library.delete_passage(9999)
    with pytest.raises(ValueError):
        library.update_passage(passage.id, tags=[" , "])


def test_unknown_article_and_missing_quote(library, article_file):
    library.import_paths([article_file])
    with pytest.raises(NotFound):
        library.tag_quote("nope", "x", ["t"])
    with pytest.raises(QuoteNotFound):
        library.tag_quote("council-1", "words that are not there", ["t"])


def test_passage_citation_has_the_paragraph_pinpoint(library, article_file):
    library.import_paths([article_file])
    cited = library.cite("council-1", "apa", quote="Critics said the plan ignored")
    assert cited.startswith("“Critics said the plan ignored” (Lee & Chan, 2016, para. 3).")
    assert "Lee, A., & Chan, B. (2016, March 8). Council debates budget. Daily Ledger." in cited
    assert library.cite("council-1", "mla").startswith("Lee, Ann, and Bo Chan. “Council Debates Budget.” Daily Ledger, 8 Mar. 2016")  # MLA 1.2: title case


def test_export_formats(library, article_file):
    library.import_paths([article_file])
    tag(library, "the river cleanup would cost less", "evidence", note="check the figures")
    tag(library, "A vote is expected", "timeline")
    groups = library.passages_by_article("evidence")
    text = export.export(groups, "markdown")
    assert "## Council debates budget" in text and "> the river cleanup would cost less" in text
    assert "(Lee & Chan, 2016, para. 2)" in text and "Note: check the figures" in text and "A vote" not in text
    annotations = json.loads(export.export(library.passages_by_article(), "json"))
    assert len(annotations) == 2 and annotations[0]["type"] == "Annotation"
    kinds = {s["type"] for s in annotations[0]["target"]["selector"]}
    assert kinds == {"TextQuoteSelector", "TextPositionSelector"}
    assert export.export(groups, "bibtex").startswith("@article{lee2016council,")


def test_the_core_never_imports_textual():
    code = ("import sys, tui_reader.core.library, tui_reader.core.export, tui_reader.cli;"
            "assert not any(m == 'textual' or m.startswith('textual.') for m in sys.modules), 'textual imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_empty_query_lists_a_first_page_then_everything_as_one_snapshot(tmp_path):
    library = Library(tmp_path / "home")
    records = [{"id": f"n{n}", "title": f"Story {n}", "body": "Words.", "date": f"2020-01-{n + 1:02d}"}
               for n in range(9)]
    (tmp_path / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    library.import_paths([tmp_path / "a.jsonl"])
    pages = library.listing(4)
    first = next(pages)
    assert [row.id for row in first.rows] == ["n8", "n7", "n6", "n5"] and first.total == 9 and first.exact
    other = Library(tmp_path / "home")  # another process imports while the first page is on screen
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "late", "title": "Late", "body": "Words.",
                                                  "date": "2021-01-01"}) + "\n", encoding="utf-8")
    other.import_paths([tmp_path / "b.jsonl"])
    everything = next(pages)
    assert [row.id for row in everything.rows] == [f"n{n}" for n in range(8, -1, -1)]  # the same snapshot
    assert everything.total == 9
    pages.close()
    assert [row.id for row in library.search("").rows][:2] == ["late", "n8"]  # the next listing sees it
    other.close()
    library.close()
