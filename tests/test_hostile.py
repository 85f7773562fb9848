"""Hostile and broken input: named and skipped, never a traceback, never a control sequence out."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from tui_reader.core.search import QueryError, parse
from tui_reader.core.library import Library
from tui_reader.core.sanitize import clean_body, clean_line, is_safe

# What a terminal would act on: escape, CSI/OSC (7- and 8-bit), bell, backspace, carriage return.
TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
EVIL = "\x1b]52;c;cHduZWQ=\x07\x1b[2J\x1b[31mred\x1b[0m\x08\x08\r\x9b2J\x9d0;title\x9c[@click=app.quit]x[/]"


def hostile_folder(folder):
    """One file for every kind of bad input the issue lists, and good articles among them."""
    folder.mkdir()
    (folder / "latin1.txt").write_bytes("Title: Caf\xe9 prices\n\nThe caf\xe9 raised prices.".encode("cp1252"))
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (folder / "empty.md").write_text("")
    (folder / "huge.txt").write_text("Title: Huge\n\n" + ("word " * 10_000_000))  # 50 MB
    lines = [
        json.dumps({"id": "ok1", "title": "Good one", "body": "Fine text here."}),
        "{broken",
        json.dumps({"id": "ok1", "title": "Duplicate id", "body": "Again."}),
        json.dumps({"id": "notitle", "body": "A body without a title, long enough to lend one."}),
        json.dumps({"id": "nobody", "title": "No body"}),
        json.dumps({"id": "baddate", "title": "Impossible date", "body": "Text.", "date": "2019-02-30"}),
        json.dumps({"id": "worddate", "title": "Unreadable date", "body": "Text.", "date": "last Tuesday"}),
        json.dumps({"id": "long", "title": "Long words", "body": "x" * 100_000 + "\n\n" + "y" * 50_000}),
        json.dumps({"id": "rtl", "title": "مرحبا بالعالم", "body": "نص عربي طويل\n\n中文文本 日本語のテキスト 😀🎉"}),
        json.dumps({"id": "evil", "title": "Evil " + EVIL, "author": "By " + EVIL, "source": EVIL,
                    "body": "Before " + EVIL + " after.\n\nSecond paragraph."}),
        json.dumps([1, 2, 3]),
    ]
    (folder / "mixed.jsonl").write_text("\n".join(lines))
    (folder / "page.html").write_text(
        "<html><head><title>Scripted page</title><script>alert('x')</script><style>p{}</style></head>"
        "<body><nav>Menu</nav><article><p>Real text.</p><script>document.write('no')</script></article></body></html>")
    return folder


def cli(home, *args):
    return subprocess.run([sys.executable, "-m", "tui_reader", "--home", str(home), *args], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "NEWSREADER_CLIPBOARD": "terminal"})


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    folder = hostile_folder(root / "in")
    home = root / "home"
    return home, folder, cli(home, "import", str(folder))


def test_every_bad_input_is_named_with_its_reason_and_the_rest_is_imported(imported):
    home, folder, result = imported
    assert result.returncode == 1 and "Traceback" not in result.stderr
    err = result.stderr
    for expected in [
        f"{folder / 'binary.txt'}: binary file",
        f"{folder / 'empty.md'}: empty file",
        f"{folder / 'huge.txt'}: article too long",
        f"{folder / 'mixed.jsonl'}:2: not valid JSON",
        f"{folder / 'mixed.jsonl'}:3: duplicate id 'ok1'",
        f"{folder / 'mixed.jsonl'}:5: no body",
        f"{folder / 'mixed.jsonl'}:11: not an article object",
        "2019-02-30",
        "last Tuesday",
    ]:
        assert expected in err, expected
    library = Library(home)
    ids = set(library._store.ids())
    assert {"ok1", "notitle", "baddate", "worddate", "long", "rtl", "evil"} <= ids
    assert library.get("baddate").date is None and library.get("ok1").title == "Good one"
    assert library.get("rtl").body.endswith("😀🎉") and library.get("rtl").title == "مرحبا بالعالم"
    assert any(r.title == "Café prices" for r in library._store.all_rows())  # Windows-1252, decoded
    assert any(r.title == "Scripted page" for r in library._store.all_rows())
    library.close()


def test_no_command_prints_a_control_sequence(imported):
    home, _, _ = imported
    cli(home, "tag", "evil", "--quote", "Before", "--tag", "x" + EVIL, "--note", "note " + EVIL)
    outputs = [
        cli(home, "search", "evil"), cli(home, "search", "evil", "--json"), cli(home, "search", "red"),
        cli(home, "show", "evil"), cli(home, "cite", "evil", "--style", "mla"), cli(home, "cite", "evil", "--style", "bibtex"),
        cli(home, "tags"), cli(home, "tags", "--json"), cli(home, "export"), cli(home, "export", "--format", "json"),
    ]
    for result in outputs:
        assert result.returncode == 0, result.stderr
        assert not TERMINAL_CONTROLS.search(result.stdout.replace("\n", "")), result.args
        assert not TERMINAL_CONTROLS.search(result.stderr.replace("\n", "")), result.args
    assert "[@click=app.quit]" in cli(home, "show", "evil").stdout  # markup shown literally, not stripped


@pytest.mark.parametrize("query", ['"unbalanced', "(open", "close)", "nosuchfield:x", "*", "q" * 10_000, "a\x1b[31m",
                                   "\x01", "title:", "date:[2015 to", "((((((((((x"])
def test_bad_queries_get_a_clear_message_on_stderr_and_exit_2(imported, query):
    home, _, _ = imported
    result = cli(home, "search", query)
    assert result.returncode in (0, 2) and "Traceback" not in result.stderr
    if result.returncode == 2:
        assert result.stderr.startswith("newsreader: bad query: ")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_typed_text_either_parses_or_says_what_is_wrong(text):
    try:
        parse(text)
    except QueryError as error:
        assert str(error)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(list("\x1b\x9b\x9d\x07\x08\r[]")), max_size=300))
def test_sanitised_text_never_holds_a_control_sequence(text):
    body, line = clean_body(text), clean_line(text)
    assert is_safe(body) and is_safe(line)
    assert "\n" not in line and not TERMINAL_CONTROLS.search(body.replace("\n", "").replace("\t", ""))
