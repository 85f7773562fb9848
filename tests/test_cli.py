"""The `newsreader` command line, run as a user runs it: a real process, real files, a real library."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def home(tmp_path, monkeypatch):
    folder = tmp_path / "library"
    monkeypatch.setenv("NEWSREADER_HOME", str(folder))
    monkeypatch.setenv("NEWSREADER_CONFIG", str(tmp_path / "config.toml"))
    return folder


def run(*args: str, check_code: int | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "tui_reader", *args], capture_output=True, text=True,
                            env=os.environ.copy(), timeout=300)
    if check_code is not None:
        assert result.returncode == check_code, result.stderr
    return result


@pytest.fixture
def articles(tmp_path):
    folder = tmp_path / "in"
    write(folder / "one.txt", "Title: Rates rise again\nAuthor: Ann Lee\nSource: Daily Ledger\nDate: 2015-04-02\n"
          "URL: https://example.org/rates\n\nThe central bank raised rates.\n\nMarkets shrugged.")
    write(folder / "two.jsonl", "\n".join([
        json.dumps({"id": "j1", "title": "Kerry visits Moscow", "body": "John Kerry met officials about chemical weapons.",
                    "author": "Bo Chan", "source": "Wire", "date": "2013-05-07", "url": "https://example.org/kerry"}),
        "{not json",
        json.dumps({"id": "j2", "title": "[VIDEO] Flood waters recede", "body": "The river fell overnight.", "date": "2014-01-01"}),
    ]))
    return folder


def test_import_reports_counts_names_bad_lines_and_exits_1(home, articles):
    result = run("import", str(articles), check_code=1)
    assert "3 imported, 0 updated, 0 unchanged, 1 rejected" in result.stdout
    assert f"{articles / 'two.jsonl'}:2: not valid JSON" in result.stderr


def test_second_import_reports_unchanged_and_an_edit_as_updated(home, articles):
    run("import", str(articles / "one.txt"), check_code=0)
    assert "0 imported, 0 updated, 1 unchanged, 0 rejected" in run("import", str(articles / "one.txt"), check_code=0).stdout
    path = articles / "one.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n\nA new paragraph.", encoding="utf-8")
    assert "0 imported, 1 updated, 0 unchanged, 0 rejected" in run("import", str(path), check_code=0).stdout
    assert "A new paragraph." in run("search", "rates", "--json").stdout


def test_usage_errors_exit_2(home):
    assert run("import").returncode == 2
    assert run("frobnicate").returncode == 2


def test_search_lines_json_sort_and_query_errors(home, articles):
    run("import", str(articles))
    lines = run("search", "kerry", check_code=0).stdout.splitlines()
    assert len(lines) == 1 and lines[0].split()[:2] == ["j1", "2013-05-07"] and lines[0].endswith("Kerry visits Moscow")
    hits = json.loads(run("search", "chemical", "--json", check_code=0).stdout)
    assert hits[0]["id"] == "j1" and set(hits[0]) == {"id", "title", "author", "source", "date", "url", "score", "snippet"}
    assert "chemical" in hits[0]["snippet"] and hits[0]["score"] > 0
    by_date = [h["id"] for h in json.loads(run("search", "date:[2013 to 2015]", "--sort", "date", "--json").stdout)]
    assert by_date[0] != "j1" and by_date[-1] == "j1"
    assert run("search", "nothingmatchesthis", check_code=0).stdout == ""
    bad = run("search", '"unclosed', check_code=2)
    assert "unbalanced quote" in bad.stderr and "Traceback" not in bad.stderr


def test_titles_print_literally(home, articles):
    run("import", str(articles))
    assert "[VIDEO] Flood waters recede" in run("search", "flood", check_code=0).stdout


def test_show_prints_metadata_then_text_and_exits_1_for_unknown_ids(home, articles):
    run("import", str(articles))
    out = run("show", "j1", check_code=0).stdout
    assert out.startswith("Kerry visits Moscow\nAuthor: Bo Chan\nSource: Wire\nDate: 2013-05-07\n")
    assert out.rstrip().endswith("John Kerry met officials about chemical weapons.")
    assert "no article" in run("show", "nope", check_code=1).stderr


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_corpus_syria_imports_completely_then_is_unchanged_and_searchable(home):
    source = str(CORPUS / "allsides-syria.jsonl.gz")
    assert "752 imported, 0 updated, 0 unchanged, 0 rejected" in run("import", source, check_code=0).stdout
    assert "0 imported, 0 updated, 752 unchanged, 0 rejected" in run("import", source, check_code=0).stdout
    def found(query):
        return {hit["id"] for hit in json.loads(run("search", query, "--json", "--limit", "1000").stdout)}
    # Metadata (not text) of known corpus articles: the 2012 Landler and MacFarquhar story.
    landler = found("author:landler")
    assert landler and landler <= found("assad") | found("syria")
    assert found('"chemical weapons"') < found("chemical")
    assert found("date:2013") and all(h["date"].startswith("2013") for h in
                                     json.loads(run("search", "date:2013", "--json", "--limit", "5").stdout))
    assert found("title:kerry") <= found("kerry")
