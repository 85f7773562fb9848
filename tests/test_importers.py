"""Importers: every format, every named failure, ids, encodings, and the shipped sample data."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_reader.core import importers
from tui_reader.core.articles import Article
from tui_reader.core.importers import (
    SUPPORTED_SUFFIXES,
    Notice,
    Rejection,
    find_inputs,
    normalize_date,
    read_input,
    total_size,
)
from tui_reader.core.sanitize import is_safe

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
SEEDS = SHARED / "seeds"
UNSUPPORTED = "unsupported format (expected .txt .md .json .jsonl .html .htm (each also .gz))"


def write(folder: Path, name: str, content: str | bytes) -> Path:
    """A file in folder with content (str as UTF-8), gzipped when its name ends in .gz."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data) if name.lower().endswith(".gz") else data)
    return path


def read(path: Path) -> list:
    """Everything read_input yields for path."""
    return list(read_input(path))


def articles(items: list) -> list[Article]:
    """The Articles among items."""
    return [item for item in items if isinstance(item, Article)]


def rejections(items: list) -> list[str]:
    """The Rejections among items, as the user sees them."""
    return [str(item) for item in items if isinstance(item, Rejection)]


def notices(items: list) -> list[str]:
    """The Notices among items, as the user sees them."""
    return [str(item) for item in items if isinstance(item, Notice)]


def only_article(path: Path) -> Article:
    """The one article read from path, asserting nothing was rejected."""
    items = read(path)
    assert rejections(items) == []
    [article] = articles(items)
    return article


def sha16(text: str) -> str:
    """The id digest the importers promise: the first 16 hex digits of SHA-1."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def jsonl(*records: object) -> str:
    """Records as JSON Lines."""
    return "".join(json.dumps(record) + "\n" for record in records)


HEADERED = (
    "Title: Bridge reopens\nauthor: A. Writer\nSOURCE: Town Gazette\nDate: June 13, 2012\n"
    "URL: https://example.org/b\nID: bridge-1\n\nFirst paragraph.\n\nSecond paragraph.\n"
)


# --- plain text and Markdown ---------------------------------------------------------------


def test_txt_header_block_gives_every_field(tmp_path):
    article = only_article(write(tmp_path, "a.txt", HEADERED))
    assert article == Article(
        id="bridge-1",
        title="Bridge reopens",
        body="First paragraph.\n\nSecond paragraph.",
        author="A. Writer",
        source="Town Gazette",
        date="2012-06-13",
        url="https://example.org/b",
    )
    assert article.origin == str(tmp_path / "a.txt")
    assert article.imported_at is None


def test_txt_without_header_takes_first_line_as_title(tmp_path):
    article = only_article(write(tmp_path, "a.txt", "\n\n  Bridge reopens  \nOne.\nTwo.\n"))
    assert (article.title, article.body) == ("Bridge reopens", "One.\n\nTwo.")
    assert article.author is article.date is article.url is None


def test_body_without_blank_lines_has_a_paragraph_per_line(tmp_path):
    article = only_article(write(tmp_path, "a.txt", "ID: x\nTitle: T\n\nOne.\nTwo.\nThree."))
    assert article.body == "One.\n\nTwo.\n\nThree."


def test_body_with_blank_lines_keeps_its_paragraphs_one_blank_line_apart(tmp_path):
    article = only_article(write(tmp_path, "a.txt", "T\n\nOne,\nstill one.\n\n\n\n   \nTwo.\n"))
    assert article.body == "One,\nstill one.\n\nTwo."


def test_header_without_title_uses_first_line_with_a_notice(tmp_path):
    path = write(tmp_path, "a.txt", "Author: A. Writer\n\nThe opening line.\nMore.")
    items = read(path)
    [article] = articles(items)
    assert (article.title, article.author) == ("The opening line.", "A. Writer")
    assert article.body == "The opening line.\n\nMore."
    assert notices(items) == [f"{path}: no title; used the first line of the text"]


def test_single_line_file_is_the_body_and_gives_the_title(tmp_path):
    path = write(tmp_path, "a.txt", "Just one line of text.")
    items = read(path)
    assert [(a.title, a.body) for a in articles(items)] == [("Just one line of text.", "Just one line of text.")]
    assert notices(items) == [f"{path}: no title; used the first line of the text"]


def test_lines_like_a_header_but_no_blank_line_after_are_prose(tmp_path):
    article = only_article(write(tmp_path, "a.txt", "Source: the council minutes\nThe council met."))
    assert (article.title, article.body, article.source) == ("Source: the council minutes", "The council met.", None)


def test_long_first_line_is_cut_at_a_word_boundary_for_the_title(tmp_path):
    line = " ".join(["word"] * 40)  # 199 characters
    article = only_article(write(tmp_path, "a.txt", f"Date: 2020\n\n{line}"))
    assert article.title == " ".join(["word"] * 19) + "…"
    assert len(article.title) <= 100 and article.body == line


@pytest.mark.parametrize(
    "text, title, body",
    [
        ("# The heading\n\nBody one.\nBody two.", "The heading", "Body one.\n\nBody two."),
        ("## Closed heading ##\nBody.", "Closed heading", "Body."),
        ("Title: From header\n\n# Not the title\n\nBody.", "From header", "# Not the title\n\nBody."),
        ("Author: Z\n\n# From heading\n\nBody.", "From heading", "Body."),
    ],
)
def test_markdown_heading_can_be_the_title(tmp_path, text, title, body):
    article = only_article(write(tmp_path, "a.md", text))
    assert (article.title, article.body) == (title, body)


# --- JSON and JSON Lines -------------------------------------------------------------------

RECORD = {
    "id": "r1",
    "title": "T",
    "author": ["Ann", "Bo"],
    "source": "S",
    "date": "2012-06-13",
    "url": "https://example.org/r1",
    "body": "B.\n\nC.",
    "extra": [1],
}
RECORD_ARTICLE = Article(
    id="r1", title="T", body="B.\n\nC.", author="Ann, Bo", source="S", date="2012-06-13", url="https://example.org/r1"
)


def test_json_single_object(tmp_path):
    path = write(tmp_path, "a.json", json.dumps(RECORD))
    article = only_article(path)
    assert article == RECORD_ARTICLE
    assert article.origin == str(path)


def test_json_list_numbers_its_items_from_one(tmp_path):
    path = write(tmp_path, "a.json", json.dumps([RECORD, 7, {**RECORD, "id": 42, "author": "Cy"}]))
    items = read(path)
    assert [(a.id, a.author, a.origin) for a in articles(items)] == [
        ("r1", "Ann, Bo", f"{path}:1"),
        ("42", "Cy", f"{path}:3"),
    ]
    assert rejections(items) == [f"{path}:2: not an article object"]


@pytest.mark.parametrize(
    "content, reason",
    [
        ('{"title": "T", "body": ', "not valid JSON (Expecting value at column 24)"),
        ('[\n  {"title": "T"\n  "body": "B"}\n]', "not valid JSON (Expecting ',' delimiter at line 3 column 3)"),
        ('"just a string"', "not an article object or a list of them"),
        ("[]", "no articles (the list is empty)"),
        ("[" * 100_000 + "]" * 100_000, "not valid JSON (nested too deeply)"),
    ],
)
def test_json_file_level_failures(tmp_path, content, reason):
    path = write(tmp_path, "a.json", content)
    assert rejections(read(path)) == [f"{path}: {reason}"]


def test_jsonl_rejects_bad_lines_by_number_and_imports_the_rest(tmp_path):
    lines = [
        json.dumps({"id": "a", "title": "A", "body": "Body a."}),
        "",
        '{"id": "a" "body": "x"}',
        "[1, 2]",
        json.dumps({"id": "b", "title": "B"}),
        json.dumps({"id": "a", "title": "A again", "body": "Other."}),
        json.dumps({"id": "c", "title": ["not", "text"], "body": "C."}),
        "   ",
        json.dumps({"id": "d", "title": "D", "body": "Body d."}),
    ]
    path = write(tmp_path, "a.jsonl", "\n".join(lines) + "\n")
    items = read(path)
    assert [(a.id, a.origin) for a in articles(items)] == [("a", f"{path}:1"), ("d", f"{path}:9")]
    assert rejections(items) == [
        f"{path}:3: not valid JSON (Expecting ',' delimiter at column 12)",
        f"{path}:4: not an article object",
        f"{path}:5: no body text",
        f"{path}:6: duplicate id 'a' (first seen at line 1)",
        f"{path}:7: 'title' is not text",
    ]


def test_json_list_duplicate_ids_name_the_first_item(tmp_path):
    path = write(tmp_path, "a.json", json.dumps([RECORD, RECORD]))
    assert rejections(read(path)) == [f"{path}:2: duplicate id 'r1' (first seen at item 1)"]


def test_jsonl_undecodable_line_is_rejected_alone(tmp_path):
    good = jsonl({"id": "a", "title": "A", "body": "B"}).encode()
    path = write(tmp_path, "a.jsonl", good + b'{"body": "\x81\x8d"}\n' + good.replace(b'"a"', b'"b"'))
    items = read(path)
    assert [a.id for a in articles(items)] == ["a", "b"]
    assert rejections(items) == [f"{path}:2: not valid UTF-8 and no charset declared"]


def test_lone_surrogates_from_json_escapes_become_replacement_characters(tmp_path):
    article = only_article(write(tmp_path, "a.jsonl", '{"title": "A\\ud800", "body": "B\\udfff"}\n'))
    assert (article.title, article.body) == ("A\ufffd", "B\ufffd")


# --- HTML -------------------------------------------------------------------------------------

# The extractor (trafilatura) reads a page as an article when it has an article's length, as real pages do.
ARTICLE_TEXT = ("Long enough to be an article for the extractor, it tells of the harbour ferry that sails again after "
                "its refit, of the crossings it makes each day, and of the islanders who waited all winter for it.")
PAGE = """<!doctype html><html><head>
<title>Page title | Site</title>
<meta property="og:title" content="Ferry &amp; harbour news">
<meta property="og:site_name" content="Harbour Times">
<meta name="byl" content="By Ann Lee">
<meta property="article:published_time" content="2021-03-04T05:06:07Z">
<link rel="canonical" href="https://example.org/ferry">
<meta property="og:url" content="https://example.org/other">
<script>var tracking = "SCRIPT TEXT";</script>
</head><body>
<nav>NAV TEXT</nav><header>HEADER TEXT</header>
<main><p>MAIN ONLY</p>
<article><h1>Ferry &amp; harbour news</h1>
<p>First   paragraph,
 split over lines with &ldquo;entities&rdquo;. """ + ARTICLE_TEXT + """</p>
<div>Second<br>Third <b>bold</b> end</div>
<aside>ASIDE TEXT</aside><form>FORM TEXT</form><svg><title>SVG</title></svg>
<ul><li>Item one</li><li>Item two</li></ul>
<table><tr><td>a</td><td>b</td></tr></table>
<noscript>NOSCRIPT</noscript><template>TEMPLATE</template><style>p {}</style>
</article></main>
<footer>FOOTER TEXT</footer>
</body></html>"""


def test_html_metadata_and_article_text(tmp_path):
    article = only_article(write(tmp_path, "a.html", PAGE))
    assert article == Article(
        id="url-" + sha16("https://example.org/ferry"),
        title="Ferry & harbour news",
        body="\n\n".join(
            [
                "First paragraph, split over lines with \u201centities\u201d. " + ARTICLE_TEXT,
                *("Second", "Third bold end", "Item one", "Item two", "a b"),
            ]
        ),
        author="Ann Lee",
        source="Harbour Times",
        date="2021-03-04",
        url="https://example.org/ferry",
    )


def test_html_leaves_out_navigation_and_title_falls_back_to_title_then_h1(tmp_path):
    page = f"<html><head><title>The title</title></head><body><nav>N</nav><main><p>{ARTICLE_TEXT}</p></main><footer>Out</footer></body>"
    article = only_article(write(tmp_path, "a.htm", page))
    assert (article.title, article.body) == ("The title", ARTICLE_TEXT)
    page = "<h1>Heading</h1><p>Body text.</p><time datetime='2001-02-03'>3 Feb</time>"
    article = only_article(write(tmp_path, "b.html", page))
    assert (article.title, article.body, article.date) == ("Heading", "Body text.", "2001-02-03")  # a dateline is not text


@pytest.mark.parametrize(
    "meta, author",
    [
        ('<meta name="author" content="Ann"><meta name="author" content="Bo"><meta name="AUTHOR" content="Ann">', "Ann, Bo"),
        ('<meta property="article:author" content="https://x.org/a"><meta name="parsely-author" content="Cy">', "Cy"),
        ('<meta name="DC.creator" content="Di">', "Di"),
    ],
)
def test_html_author_sources(tmp_path, meta, author):
    assert only_article(write(tmp_path, "a.html", f"<head>{meta}</head><p>Body.</p>")).author == author


def test_html_unknown_marked_section_is_rejected_not_raised(tmp_path):
    path = write(tmp_path, "a.html", "<p>Text</p><![foo[ x ]]>")
    reason = "cannot be read as HTML (unknown status keyword 'foo' in marked section)"
    assert rejections(read(path)) == [f"{path}: {reason}"]


# --- gzip -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content",
    [
        ("a.txt", HEADERED),
        ("a.md", HEADERED),
        ("a.json", json.dumps([RECORD])),
        ("a.jsonl", jsonl(RECORD)),
        ("a.html", PAGE),
        ("a.htm", PAGE),
    ],
    ids=lambda value: value if value.startswith("a.") else "",
)
def test_gzip_variants_read_like_the_plain_file(tmp_path, name, content):
    plain = only_article(write(tmp_path, name, content))
    zipped = only_article(write(tmp_path, name.upper() + ".GZ", content))
    assert zipped == plain and ".GZ" in zipped.origin


def test_bad_gzip_data_is_rejected(tmp_path):
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(b"not gzip at all")
    assert rejections(read(path)) == [f"{path}: not a valid gzip file"]
    cut = tmp_path / "cut.txt.gz"
    cut.write_bytes(gzip.compress(HEADERED.encode() * 50)[:60])
    assert rejections(read(cut)) == [f"{cut}: not a valid gzip file (damaged or cut short)"]


def test_progress_reports_on_disk_positions_up_to_the_file_size(tmp_path):
    records = [{"title": "T", "body": os.urandom(3000).hex()} for _ in range(120)]  # random: gzip cannot shrink it much
    for name in ("big.jsonl", "big.jsonl.gz"):
        path = write(tmp_path, name, jsonl(*records))
        positions: list[int] = []
        assert len(articles(list(read_input(path, on_progress=positions.append)))) == 120
        assert len(positions) > 2 and positions == sorted(positions)
        assert positions[-1] == path.stat().st_size == total_size([path])


# --- finding inputs -------------------------------------------------------------------------


def test_folder_walk_is_recursive_sorted_skips_hidden_files_and_names_other_files(tmp_path):
    for name in ("b.txt", "a/z.json", "a/y.html.gz", "c.pdf", ".hidden.txt", ".git/x.txt", "a/notes", "d.MD"):
        write(tmp_path, name, "x")
    files, rejected = find_inputs([tmp_path])
    assert files == [tmp_path / "a/y.html.gz", tmp_path / "a/z.json", tmp_path / "b.txt", tmp_path / "d.MD"]
    assert [str(r) for r in rejected] == [f"{tmp_path / 'a/notes'}: {UNSUPPORTED}", f"{tmp_path / 'c.pdf'}: {UNSUPPORTED}"]


def test_named_paths_missing_or_unsupported_are_rejected(tmp_path):
    good = write(tmp_path, "a.txt", "x")
    other = write(tmp_path, "a.pdf", "x")
    files, rejected = find_inputs([str(good), other, tmp_path / "missing.txt", good])
    assert files == [good]  # the same file named twice is read once
    assert [str(r) for r in rejected] == [
        f"{other}: {UNSUPPORTED}",
        f"{tmp_path / 'missing.txt'}: no such file or folder",
    ]
    assert rejections(read(other)) == [f"{other}: {UNSUPPORTED}"]


def test_symlink_loops_are_rejected_and_walks_end(tmp_path):
    (tmp_path / "one.txt").symlink_to(tmp_path / "two.txt")
    (tmp_path / "two.txt").symlink_to(tmp_path / "one.txt")
    folder = tmp_path / "folder"
    write(folder, "a.txt", "x")
    (folder / "back").symlink_to(folder)
    files, rejected = find_inputs([tmp_path / "one.txt", folder])
    assert files == [folder / "a.txt"]
    assert [str(r) for r in rejected] == [
        f"{tmp_path / 'one.txt'}: symbolic link loop",
        f"{folder / 'back'}: symbolic link loop (leads back to a folder above it); skipped",
    ]
    assert rejections(read(tmp_path / "one.txt")) == [f"{tmp_path / 'one.txt'}: symbolic link loop"]


def test_broken_links_in_a_walk_are_told_only_when_they_look_like_inputs(tmp_path):
    for name in ("gone.txt", "gone.png", "gone-folder", "self"):
        (tmp_path / name).symlink_to(tmp_path / ("self" if name == "self" else "nowhere"))
    files, rejected = find_inputs([tmp_path])
    assert files == []
    assert [str(r) for r in rejected] == [
        f"{tmp_path / 'gone.txt'}: no such file or folder",
        f"{tmp_path / 'self'}: symbolic link loop",
    ]


def test_a_folder_reached_twice_gives_its_files_once(tmp_path):
    write(tmp_path, "real/a.txt", "x")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert find_inputs([tmp_path]) == ([tmp_path / "link/a.txt"], [])


def test_fifo_is_not_opened(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert [str(r) for r in find_inputs([fifo])[1]] == [f"{fifo}: not a regular file"]
    assert rejections(read(fifo)) == [f"{fifo}: not a regular file"]


def test_file_vanishing_before_it_is_read(tmp_path):
    path = write(tmp_path, "a.txt", "x")
    files, _ = find_inputs([tmp_path])
    path.unlink()
    assert rejections(read(files[0])) == [f"{path}: no such file or folder"]
    assert total_size(files) == 0


def test_unreadable_file_and_folder(tmp_path):
    path = write(tmp_path, "a.txt", "x")
    folder = tmp_path / "closed"
    write(folder, "b.txt", "x")
    path.chmod(0)
    folder.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user (root) who can read a file without permission")
        assert rejections(read(path)) == [f"{path}: cannot read: permission denied"]
        assert [str(r) for r in find_inputs([folder])[1]] == [f"{folder}: cannot read: permission denied"]
    finally:
        folder.chmod(0o755)


def test_permission_errors_are_named(tmp_path, monkeypatch):
    """The same as above for root, who can read anything: the system's refusal is simulated."""
    path = write(tmp_path, "a.txt", "x")
    folder = tmp_path / "closed"
    folder.mkdir()
    real_scandir = os.scandir

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(importers, "open", refuse, raising=False)
    monkeypatch.setattr(os, "scandir", lambda where: refuse() if Path(where) == folder else real_scandir(where))
    assert rejections(read(path)) == [f"{path}: cannot read: permission denied"]
    assert [str(r) for r in find_inputs([folder])[1]] == [f"{folder}: cannot read: permission denied"]


# --- content failures and encodings ----------------------------------------------------------


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
@pytest.mark.parametrize(
    "content, reason",
    [(b"", "empty file"), (b" \n\t\n  \n", "empty file"), (b"Title\n\x00\x01\x02", "binary file, not text")],
)
def test_empty_and_binary_files(tmp_path, suffix, content, reason):
    for name in ("a" + suffix, "a" + suffix + ".gz"):
        path = write(tmp_path, name, content)
        assert rejections(read(path)) == [f"{path}: {reason}"]


@pytest.mark.parametrize(
    "name, content",
    [
        ("a.txt", "Title: T\n\n"),
        ("a.json", '{"title": "T", "body": "  \\n "}'),
        ("a.html", "<title>T</title><nav>only navigation</nav>"),
    ],
)
def test_no_body_text(tmp_path, name, content):
    path = write(tmp_path, name, content)
    assert rejections(read(path)) == [f"{path}: no body text"]


def test_body_over_the_limit_is_rejected(tmp_path):
    limit = importers.MAX_BODY_CHARS
    path = write(tmp_path, "big.txt", "Title: T\n\n" + "x" * (limit + 1))
    assert rejections(read(path)) == [f"{path}: article too long (2,000,001 characters; the limit is 2,000,000)"]
    assert only_article(write(tmp_path, "ok.txt", "Title: T\n\n" + "x" * limit)).body == "x" * limit


def test_long_words_rtl_cjk_and_emoji_pass_through_intact(tmp_path):
    body = "w" * 50_000 + "\n\n" + "مرحبا بالعالم \u200fשלום" + "\n\n" + "新闻阅读器 😀👩‍👩‍👧 e\u0301"
    article = only_article(write(tmp_path, "a.json", json.dumps({"title": "标题 😀", "body": body})))
    assert (article.title, article.body) == ("标题 😀", body.replace("e\u0301", "é"))  # NFC, as sanitize does


def test_terminal_escapes_are_removed_at_import(tmp_path):
    text = "Title: \x1b[31mRed\x1b[0m\x07\n\nBody\x1b]0;owned\x07 text.\r\nMore."
    article = only_article(write(tmp_path, "a.txt", text))
    assert (article.title, article.body) == ("Red", "Body text.\n\nMore.")


def test_cp1252_utf16_utf32_and_bom_files(tmp_path):
    expected = "Caf\u00e9 \u201cquoted\u201d"
    for name, data in [
        ("cp1252.txt", b"Caf\xe9 \x93quoted\x94\n\nBody."),
        ("utf8bom.txt", b"\xef\xbb\xbf" + f"{expected}\n\nBody.".encode()),
        ("utf16.md", f"\ufeff{expected}\n\nBody.".encode("utf-16-le")),
        ("utf32.txt", f"{expected}\n\nBody.".encode("utf-32")),
        ("utf16.jsonl", jsonl({"title": expected, "body": "Body."}).encode("utf-16")),
    ]:
        assert only_article(write(tmp_path, name, data)).title == expected, name


def test_html_declared_charset_wins_over_guessing(tmp_path):
    word = "Новости"
    for name, encoding, head in [
        ("a.html", "koi8-r", '<meta charset="koi8-r">'),
        ("b.html", "cp1251", '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'),
    ]:
        page = f"<html><head>{head}<title>{word}</title></head><body><p>{word} дня.</p></body></html>"
        article = only_article(write(tmp_path, name, page.encode(encoding)))
        assert (article.title, article.body) == (word, f"{word} дня."), name


def test_undecodable_text_without_a_charset_is_rejected(tmp_path):
    path = write(tmp_path, "a.txt", b"Title\n\nBytes \x81\x8d that no encoding we guess accepts.")
    assert rejections(read(path)) == [f"{path}: not valid UTF-8 and no charset declared"]


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, iso",
    [
        (None, None),
        ("  ", None),
        ("2012", "2012"),
        ("2012-06", "2012-06"),
        ("2012-06-13", "2012-06-13"),
        ("2012-6-3", "2012-06-03"),
        ("2012-06-13T10:00:00+02:00", "2012-06-13"),
        ("2012-06-13 23:59", "2012-06-13"),
        ("6/13/2012", "2012-06-13"),
        ("Tue, 13 Jun 2012 10:00:00 GMT", "2012-06-13"),
        ("June 13, 2012", "2012-06-13"),
        ("13 June 2012", "2012-06-13"),
        ("Jun 13 2012", "2012-06-13"),
        ("Sept. 5, 2012", "2012-09-05"),
        ("1st March 2020", "2020-03-01"),
        ("June 2012", "2012-06"),
        ("2020-02-29", "2020-02-29"),
    ],
)
def test_normalize_date_accepts_common_forms(text, iso):
    assert normalize_date(text) == iso


@pytest.mark.parametrize(
    "text, message",
    [
        ("2019-02-30", "'2019-02-30' is not a real date"),
        ("2019-13-01", "'2019-13-01' is not a real date"),
        ("2019-00", "'2019-00' is not a real date"),
        ("13/13/2012", "'13/13/2012' is not a real date"),
        ("next Tuesday", "'next Tuesday' is not in a date format newsreader reads (such as 2019-02-28)"),
        ("Smarch 3, 2012", "'Smarch 3, 2012' is not in a date format newsreader reads (such as 2019-02-28)"),
        ("12/06/13", "'12/06/13' is not in a date format newsreader reads (such as 2019-02-28)"),
    ],
)
def test_normalize_date_explains_what_it_refuses(text, message):
    with pytest.raises(ValueError) as raised:
        normalize_date(text)
    assert str(raised.value) == message


def test_impossible_date_is_dropped_with_a_notice(tmp_path):
    records = [{"title": "T", "body": "B", "date": "2019-02-30"}, {"title": "U", "body": "B", "date": "x" * 200}]
    path = write(tmp_path, "a.jsonl", jsonl(*records))
    items = read(path)
    assert [a.date for a in articles(items)] == [None, None]
    assert notices(items) == [
        f"{path}:1: date '2019-02-30' is not a real date; imported without a date",
        f"{path}:2: date '{'x' * 59}…' is not in a date format newsreader reads (such as 2019-02-28);"
        " imported without a date",
    ]


# --- ids --------------------------------------------------------------------------------------


def test_ids_come_from_record_then_url_then_file_and_are_stable(tmp_path):
    records = [{"id": 7, "body": "B"}, {"url": "https://example.org/u", "body": "B"}, {"body": "B"}]
    lines = write(tmp_path, "a.jsonl", jsonl(*records))
    single = write(tmp_path, "one.json", json.dumps({"body": "B"}))
    text = write(tmp_path, "a.txt", "T\n\nB")
    expected = ["7", "url-" + sha16("https://example.org/u"), "file-" + sha16(f"{lines.resolve()}#3")]
    assert [a.id for a in articles(read(lines))] == expected
    assert only_article(single).id == "file-" + sha16(str(single.resolve()))
    assert only_article(text).id == "file-" + sha16(str(text.resolve()))
    for path in (lines, single, text, write(tmp_path, "p.html", PAGE)):
        assert [a.id for a in articles(read(path))] == [a.id for a in articles(read(path))]


def test_str_of_rejection_and_notice():
    assert str(Rejection("f.jsonl:3", "no body text")) == "f.jsonl:3: no body text"
    assert str(Notice("f.txt", "no title")) == "f.txt: no title"


# --- the shipped samples and the real corpus ------------------------------------------------


def test_sample_data_imports_cleanly():
    files, rejected = find_inputs([REPO / "sample_data"])
    items = [item for path in files for item in read_input(path)]
    assert rejected == [] and rejections(items) == [] and notices(items) == []
    by_id = {a.id: a for a in articles(items)}
    assert len(by_id) == len(articles(items)) == 8
    clarin, cbs = by_id["sample-clarin-interview"], by_id["sample-60-minutes-interview"]
    assert "Assad" in clarin.title and "Clarín" in clarin.title
    assert (clarin.author, clarin.source, clarin.date, clarin.url) == (None, None, None, None)
    assert (cbs.author, cbs.source, cbs.date, cbs.url) == ("Edwin Mora", None, None, None)
    assert any(a.title.startswith("[Sample] ") for a in by_id.values())
    samples = [a for a in by_id.values() if a.source == "newsreader sample"]
    assert len(samples) == 6 and all(a.author and a.date and a.url.startswith("https://example.org/") for a in samples)
    assert {a.author.count(",") for a in samples} >= {1, 2}  # two authors, three authors
    assert all("written for newsreader" in a.body.split("\n\n")[0] for a in samples)
    assert not any("must not appear" in a.body for a in samples)


def test_sample_seed_bodies_are_the_seed_texts():
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    for sample, seed in [
        ("assad-clarin-interview.txt", "000_90a60032310f2e63.txt"),
        ("assad-60-minutes-interview.txt", "003_ae4a5f6b3d8abcfc.txt"),
    ]:
        lines = (SEEDS / seed).read_text(encoding="utf-8").splitlines()
        assert only_article(REPO / "sample_data" / sample).body == "\n\n".join(lines)


def test_corpus_part_imports_completely():
    part = CORPUS / "allsides-part-00.jsonl.gz"
    if not part.is_file():
        pytest.skip(f"the shared news corpus is not at {CORPUS}")
    items = list(read_input(part))
    assert rejections(items) == []
    assert len({a.id for a in articles(items)}) == len(articles(items)) == 7510


# --- properties -------------------------------------------------------------------------------

NAMES = [f"input{suffix}{gz}" for suffix in SUPPORTED_SUFFIXES for gz in ("", ".gz")]
PROPERTY = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_all_safe(items: list) -> None:
    """Every yielded Article is clean, follows the paragraph convention, and can be stored as UTF-8."""
    for item in items:
        assert isinstance(item, (Article, Rejection, Notice))
        if isinstance(item, Rejection):
            assert not item.reason.startswith("cannot read:")  # only real OS failures say that
        if isinstance(item, Article):
            fields = [item.id, item.title, item.body, item.author, item.source, item.date, item.url, item.origin]
            for field in filter(None, fields):
                assert is_safe(field)
                field.encode("utf-8")  # raises on a lone surrogate, which SQLite would refuse
            assert item.title and item.body and "\n\n\n" not in item.body and item.imported_at is None
            assert "\n" not in item.title + item.id + (item.author or "")


def read_bytes_as(name: str, data: bytes) -> list:
    """Everything read_input yields for data written to a fresh file called name."""
    with tempfile.TemporaryDirectory() as folder:
        return list(read_input(write(Path(folder), name, data)))


@PROPERTY
@given(name=st.sampled_from(NAMES), data=st.binary(max_size=2000))
def test_random_bytes_never_raise(name, data):
    assert_all_safe(read_bytes_as(name, data))


@PROPERTY
@given(name=st.sampled_from(NAMES), text=st.text(max_size=500))
def test_random_text_never_raises(name, text):
    assert_all_safe(read_bytes_as(name, text.encode("utf-8", "surrogatepass")))


FIELD = st.none() | st.text(max_size=60) | st.integers() | st.booleans() | st.lists(st.text(max_size=10), max_size=3)
KEYS = st.sampled_from(["id", "title", "author", "source", "date", "url", "body"])
MARKUP = st.sampled_from(
    ["<p>", "</p>", "<article>", "</article>", "<script>", "<nav>", "</nav>", "<br>", "<h1>", "</h1>", "<title>"]
    + ["&amp;", "&#0;", "&#x1b;", "<!--", "<![CDATA[", "<meta charset=x>", "<time datetime='2020-02-30'>", "\x1b[2J"]
)


@PROPERTY
@given(records=st.lists(st.dictionaries(KEYS, FIELD), max_size=4))
def test_random_records_never_raise(records):
    assert_all_safe(read_bytes_as("input.jsonl", jsonl(*records).encode()))
    assert_all_safe(read_bytes_as("input.json", json.dumps(records).encode()))


@PROPERTY
@given(parts=st.lists(MARKUP | st.text(max_size=20), max_size=30))
def test_random_html_never_raises(parts):
    assert_all_safe(read_bytes_as("input.html", "".join(parts).encode("utf-8", "surrogatepass")))
