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


# --- issue 9: usage errors, bad settings, hygiene -------------------------------------------


@pytest.mark.parametrize("limit", ["0", "-5"])
def test_a_limit_below_one_is_a_usage_error_and_the_index_is_untouched(home, articles, limit):
    run("import", str(articles))
    bad = run("search", "--limit", limit, "kerry", check_code=2)
    assert f"argument --limit: must be 1 or more, not {int(limit)}" in bad.stderr and "Traceback" not in bad.stderr
    again = run("search", "kerry", "--json", check_code=0)
    assert [hit["id"] for hit in json.loads(again.stdout)] == ["j1"]
    assert "indexing" not in again.stderr  # nothing had to be indexed again


@pytest.mark.parametrize("line, allowed", [
    ('citation_style = "harvard"', "choose from apa, mla, chicago, chicago-note, biblatex, bibtex, csl-json, ris"),
    ('citation_format = "rtf"', "choose from plain, markdown, html"),
])
def test_cite_with_a_bad_setting_warns_once_and_cites_with_the_default(home, articles, tmp_path, line, allowed):
    run("import", str(articles))
    expected = run("cite", "j1", check_code=0).stdout
    config = write(tmp_path / "config.toml", line + "\n")
    result = run("cite", "j1", check_code=0)
    assert result.stdout == expected and "Traceback" not in result.stderr
    key, value = (part.strip() for part in line.split("="))
    warning = f"newsreader: warning: {config}: {key} = {value} is not allowed ({allowed}); using "
    assert result.stderr.count(warning) == 1


def test_export_with_a_bad_style_setting_warns_and_exports(home, articles, tmp_path):
    run("import", str(articles))
    run("tag", "j1", "--quote", "chemical weapons", "--tag", "arms", check_code=0)
    write(tmp_path / "config.toml", 'citation_style = "harvard"\n')
    result = run("export", check_code=0)
    assert "Kerry visits Moscow" in result.stdout and result.stderr.count('citation_style = "harvard"') == 1


def big_article(tmp_path: Path) -> Path:
    """An article far longer than a pipe holds (64 KiB), so that its writer meets a reader that has gone."""
    paragraphs = [f"Paragraph {number} of a very long article about the harbour board." for number in range(20_000)]
    return write(tmp_path / "big" / "big.txt", "Title: A long one\nID: big\n\n" + "\n\n".join(paragraphs))


def test_show_into_a_reader_that_stops_early_ends_quietly_with_141(home, tmp_path):
    run("import", str(big_article(tmp_path)), check_code=0)
    process = subprocess.Popen([sys.executable, "-m", "tui_reader", "show", "big"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=os.environ.copy())
    first = process.stdout.readline()  # as `| head -1` does: one line, then the reader goes
    process.stdout.close()
    errors = process.stderr.read().decode()
    assert process.wait(timeout=300) == 141
    assert first == b"A long one\n" and errors == ""  # no BrokenPipeError traceback, no "Exception ignored"


def test_show_into_head_through_a_shell(home, tmp_path):
    run("import", str(big_article(tmp_path)), check_code=0)
    shell = subprocess.run(["sh", "-c", f'"{sys.executable}" -m tui_reader show big | head -n 2'], capture_output=True,
                           text=True, env=os.environ.copy(), timeout=300)
    assert shell.stdout == "A long one\nID: big\n" and shell.stderr == ""


def test_export_to_a_missing_folder_says_so_without_a_traceback(home, articles, tmp_path):
    run("import", str(articles))
    result = run("export", "-o", str(tmp_path / "nonexistent" / "x.md"), check_code=1)
    assert result.stderr == f"newsreader: cannot write {tmp_path / 'nonexistent' / 'x.md'}: No such file or directory\n"
    assert run("export", "-o", str(tmp_path), check_code=1).stderr.endswith(": Is a directory\n")


@pytest.mark.parametrize("command", [["show", "no-such-id"], ["search", "tide"], ["cite", "x"], ["tags"],
                                     ["export"], ["check"], ["backup", "copy.db"], ["show", "x", "--json"]])
def test_commands_that_read_do_not_create_a_library(home, command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(*command, check_code=1)
    assert result.stderr == f"newsreader: no library at {home} (`newsreader import PATH` makes one)\n"
    assert not home.exists() and not (tmp_path / "copy.db").exists()


def test_a_folder_without_a_database_is_no_library_either(home):
    home.mkdir()
    assert "no library at" in run("show", "x", check_code=1).stderr
    assert list(home.iterdir()) == []


def test_version_comes_from_the_package_metadata(home):
    from importlib import metadata

    assert run("--version", check_code=0).stdout == f"newsreader {metadata.version('newsreader')}\n"


def test_tags_and_exports_end_with_a_newline(home, articles):
    run("import", str(articles))
    run("tag", "j1", "--quote", "chemical weapons", "--tag", "arms", check_code=0)
    exports = [["export", "--format", fmt] for fmt in ("markdown", "json", "biblatex", "bibtex", "csl-json", "ris")]
    for command in (["tags"], ["tags", "--json"], *exports):
        out = run(*command, check_code=0).stdout
        assert out.endswith("\n") and not out.endswith("\n\n"), command
    assert run("export", "--format", "bibtex").stdout.startswith("@article{")


def test_bibtex_entries_are_apart_and_end_with_a_newline(home, articles):
    run("import", str(articles))
    for article in ("j1", "j2"):
        run("tag", article, "--quote", "The" if article == "j2" else "John", "--tag", "t", check_code=0)
    out = run("export", "--format", "biblatex", check_code=0).stdout
    assert out.startswith("@article{chan2013kerry,") and "}\n\n@online{video2014flood," in out and out.endswith("}\n")
    classic = run("export", "--format", "bibtex", check_code=0).stdout
    assert classic.startswith("@article{chan2013kerry,") and "}\n\n@misc{video2014flood," in classic


def test_a_folder_of_only_other_formats_names_each_file_and_exits_1(home, tmp_path):
    folder = tmp_path / "office"
    write(folder / "report.pdf", "%PDF-1.4")
    write(folder / "notes.docx", "PK")
    result = run("import", str(folder), check_code=1)
    assert "0 imported, 0 updated, 0 unchanged, 2 rejected" in result.stdout
    expected = "unsupported format (expected .txt .md .json .jsonl .html .htm (each also .gz))"
    assert f"rejected: {folder / 'notes.docx'}: {expected}" in result.stderr
    assert f"rejected: {folder / 'report.pdf'}: {expected}" in result.stderr


def test_show_json_gives_every_field_the_text_and_the_import_time(home, articles):
    run("import", str(articles))
    record = json.loads(run("show", "j1", "--json", check_code=0).stdout)
    assert set(record) == {"id", "title", "author", "source", "date", "url", "imported_at", "corrections", "body"}
    assert (record["id"], record["title"], record["author"], record["source"], record["date"], record["url"]) == (
        "j1", "Kerry visits Moscow", "Bo Chan", "Wire", "2013-05-07", "https://example.org/kerry")
    assert record["body"] == "John Kerry met officials about chemical weapons."
    assert record["imported_at"][:4].isdigit() and "T" in record["imported_at"]
    assert json.loads(run("show", "j2", "--json").stdout)["author"] is None
    assert "no article" in run("show", "nope", "--json", check_code=1).stderr


# --- issue 10: the formats reference managers read ------------------------------------------------


def test_cite_help_lists_every_style_by_name():
    from tui_reader.core import citations

    shown = " ".join(run("cite", "--help", check_code=0).stdout.split())
    for key, name in citations.STYLE_NAMES.items():
        assert f"{key}: {name}" in shown
    exported = " ".join(run("export", "--help", check_code=0).stdout.split())
    assert all(fmt in exported for fmt in ("markdown", "json", "biblatex", "bibtex", "csl-json", "ris"))


@pytest.mark.parametrize(("style", "start"), [
    ("biblatex", "@article{chan2013kerry,\n  author = {Chan, Bo},\n  title = {Kerry visits Moscow},\n  journaltitle = {Wire},"),
    ("bibtex", "@article{chan2013kerry,\n  author = {Chan, Bo},\n  title = {{Kerry visits Moscow}},\n  journal = {Wire},\n"
               "  year = {2013},\n  month = may,"),
    ("csl-json", '[\n  {\n    "id": "chan2013kerry",\n    "type": "article-newspaper",'),
    ("ris", "TY  - NEWS\nID  - chan2013kerry\nAU  - Chan, Bo\nTI  - Kerry visits Moscow\nT2  - Wire\n"),
])
def test_cite_gives_each_reference_manager_format(home, articles, style, start):
    run("import", str(articles))
    assert run("cite", "j1", "--style", style, check_code=0).stdout.startswith(start)


def test_a_settings_file_that_chose_bibtex_still_works_and_now_gets_classic_bibtex(home, articles, tmp_path):
    run("import", str(articles))
    write(tmp_path / "config.toml", 'citation_style = "bibtex"\n')
    result = run("cite", "j1", check_code=0)
    assert result.stderr == "" and "  journal = {Wire},\n  year = {2013},\n" in result.stdout


@pytest.mark.parametrize("fmt", ["biblatex", "bibtex", "csl-json", "ris", "markdown", "json"])
def test_export_to_a_file_says_where_and_how_many_entries(home, articles, tmp_path, fmt):
    run("import", str(articles))
    run("tag", "j1", "--quote", "chemical weapons", "--tag", "arms", check_code=0)
    run("tag", "j1", "--quote", "John Kerry", "--tag", "people", check_code=0)
    run("tag", "j2", "--quote", "The river", "--tag", "arms", check_code=0)
    target = tmp_path / f"out.{fmt}"
    result = run("export", "--format", fmt, "-o", str(target), check_code=0)
    count = 2 if fmt in ("biblatex", "bibtex", "csl-json", "ris") else 3  # articles, or passages
    assert result.stderr == f"wrote {count} entries to {target}\n" and result.stdout == ""
    assert target.read_text(encoding="utf-8") == run("export", "--format", fmt, check_code=0).stdout
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []  # no temporary file left

