"""One reader per input format -> Articles, with named rejections and notices.

Input comes from files the user did not write: every problem with one file or one record
becomes a `Rejection` (or, when the article is still imported, a `Notice`) naming where it
happened, and the rest of the input is still imported. Nothing here raises for bad input.
"""

from __future__ import annotations

import codecs
import errno
import gzip
import hashlib
import io
import json
import os
import re
import stat
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from tui_reader.core.articles import Article
from tui_reader.core.dates import normalize_date
from tui_reader.core.html_page import PageReader
from tui_reader.core.sanitize import clean_body, clean_line, replace_surrogates
from tui_reader.core.web.encoding import decode_page
from tui_reader.core.web.extract import extract_page


@dataclass(frozen=True)
class Rejection:
    """An input, or one record of it, that was not imported, and why."""

    origin: str  # "path/file.jsonl:123" for one record of several, else "path/file.html"
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass(frozen=True)
class Notice:
    """Something the user should know about an article that was imported."""

    origin: str
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


SUPPORTED_SUFFIXES = (".txt", ".md", ".json", ".jsonl", ".html", ".htm")  # each optionally + ".gz"
FORMATS_HINT = " ".join(SUPPORTED_SUFFIXES) + " (each also .gz)"  # for help texts: the CLI's and the app's
MAX_BODY_CHARS = 2_000_000
_MAX_WHOLE_FILE = 256 * 1024 * 1024  # beyond this a non-streamed file is refused (gzip bombs)
_SNIFF_BYTES = 8192  # how much of a file decides its encoding, or that it is binary
_PROGRESS_STEP = 256 * 1024  # a progress report per this many bytes is plenty for a bar
_TITLE_CHARS = 100
_SHOWN_CHARS = 60  # how much of a bad value a message quotes

_UNSUPPORTED = f"unsupported format (expected {FORMATS_HINT})"
_BINARY = "binary file, not text"
_NOT_UTF8 = "not valid UTF-8 and no charset declared"
_NO_TITLE = "no title; used the first line of the text"

Item = Article | Rejection | Notice


class _Rejected(Exception):
    """Internal: a file or record cannot be imported; the reason becomes a Rejection."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- finding the input files -------------------------------------------------------------


def find_inputs(paths: Iterable[str | Path]) -> tuple[list[Path], list[Rejection]]:
    """Expand files and folders (recursively, sorted, following no symlink loops) into input files, and
    the rejections: every file that will not be read (other formats, unreadable, loops) with its reason."""
    files: list[Path] = []
    rejections: list[Rejection] = []
    seen: set[tuple[int, int]] = set()  # (device, inode): one file reached twice is read once
    for given in paths:
        for found in _expand(Path(given)):
            if isinstance(found, Rejection):
                rejections.append(found)
            elif found[1] not in seen:
                seen.add(found[1])
                files.append(found[0])
    return files, rejections


def total_size(paths: list[Path]) -> int:
    """The sum of the files' on-disk sizes, for a progress bar (vanished files count 0)."""
    total = 0
    for path in paths:
        try:
            total += path.stat().st_size
        except OSError:
            pass  # read_input will report it; the bar only needs an estimate
    return total


def _expand(path: Path) -> Iterator[tuple[Path, tuple[int, int]] | Rejection]:
    """The input files a path the user named stands for: itself, or the files under it."""
    try:
        info = path.stat()
    except OSError as error:
        yield Rejection(_origin(path), _os_reason(error))
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _walk(path, frozenset({(info.st_dev, info.st_ino)}))
    elif _format_of(path) is None:
        yield Rejection(_origin(path), _UNSUPPORTED)
    elif not stat.S_ISREG(info.st_mode):
        yield Rejection(_origin(path), "not a regular file")
    else:
        yield path, (info.st_dev, info.st_ino)


def _walk(folder: Path, ancestors: frozenset[tuple[int, int]]) -> Iterator[tuple[Path, tuple[int, int]] | Rejection]:
    """Supported files under a folder, sorted by name; hidden names are skipped, other files rejected."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as error:
        yield Rejection(_origin(folder), _os_reason(error))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        try:
            info = entry.stat()  # follows symbolic links, so linked folders are walked too
        except OSError as error:  # a broken link: told if it looked like an input; a loop: always told
            if _format_of(path) or error.errno == errno.ELOOP:
                yield Rejection(_origin(path), _os_reason(error))
            continue
        identity = (info.st_dev, info.st_ino)
        if stat.S_ISDIR(info.st_mode):
            if identity in ancestors:
                yield Rejection(_origin(path), "symbolic link loop (leads back to a folder above it); skipped")
            else:
                yield from _walk(path, ancestors | {identity})
        elif _format_of(path) is None:  # named, so that a folder of .pdf or .docx files is not "0 imported" in silence
            yield Rejection(_origin(path), _UNSUPPORTED)
        elif not stat.S_ISREG(info.st_mode):
            yield Rejection(_origin(path), "not a regular file")
        else:
            yield path, identity


def _format_of(path: Path) -> str | None:
    """The format a file name says ("txt", "jsonl", ...; "htm" is "html"), or None if unsupported."""
    name = path.name.lower().removesuffix(".gz")
    suffix = os.path.splitext(name)[1]
    if suffix not in SUPPORTED_SUFFIXES:
        return None
    return "html" if suffix == ".htm" else suffix[1:]


def _os_reason(error: OSError) -> str:
    """A short, human reason for an operating-system error."""
    if isinstance(error, FileNotFoundError):
        return "no such file or folder"
    if isinstance(error, PermissionError):
        return "cannot read: permission denied"
    if isinstance(error, IsADirectoryError):
        return "is a folder, not a file"
    if error.errno == errno.ELOOP:
        return "symbolic link loop"
    return f"cannot read: {error.strerror or error}"


def _origin(path: Path, number: int | None = None) -> str:
    """The printable name of an input (or of record `number` in it) for messages and Article.origin."""
    # File names are bytes on POSIX: undecodable ones come back as surrogates, control
    # characters are legal in them, and either would reach the terminal through a message.
    name = clean_line(replace_surrogates(str(path)))
    return f"{name}:{number}" if number is not None else name


# --- reading one input -------------------------------------------------------------------


def read_input(path: Path, on_progress: Callable[[int], None] | None = None) -> Iterator[Item]:
    """Read one input file; on_progress(bytes consumed of the on-disk file) is called now and then, for a bar."""
    path = Path(path)
    origin = _origin(path)
    kind = _format_of(path)
    if kind is None:
        yield Rejection(origin, _UNSUPPORTED)
        return
    try:
        with _opened(path) as (disk, stream):
            report = _reporter(disk, on_progress)
            if kind == "jsonl":
                yield from _read_jsonl(stream, path, report)
            else:
                text = _decode(_read_whole(stream), html=kind == "html")
                report()
                if not text.strip():
                    raise _Rejected("empty file")
                yield from _READERS[kind](text, path)
    except _Rejected as problem:
        yield Rejection(origin, problem.reason)
    except gzip.BadGzipFile:
        yield Rejection(origin, "not a valid gzip file")
    except (EOFError, zlib.error):  # a gzip stream cut short or corrupted after a good start
        yield Rejection(origin, "not a valid gzip file (damaged or cut short)")
    except OSError as error:
        yield Rejection(origin, _os_reason(error))


def _reporter(disk: BinaryIO, on_progress: Callable[[int], None] | None) -> Callable[[bool], None]:
    """A function passing the on-disk position to on_progress every _PROGRESS_STEP bytes (or when final)."""
    last = -_PROGRESS_STEP

    def report(final: bool = True) -> None:
        nonlocal last
        position = disk.tell()
        if on_progress and (final or position - last >= _PROGRESS_STEP):
            last = position
            on_progress(position)

    return report


@contextmanager
def _opened(path: Path) -> Iterator[tuple[BinaryIO, BinaryIO]]:
    """The on-disk file (whose position is the progress) and the stream of its content, ungzipped."""
    if not stat.S_ISREG(path.stat().st_mode):  # opening a FIFO or a device could block for ever
        raise _Rejected("not a regular file")
    with open(path, "rb") as disk:
        if path.name.lower().endswith(".gz"):
            with gzip.GzipFile(fileobj=disk, mode="rb") as unzipped:
                yield disk, unzipped
        else:
            yield disk, disk


def _read_whole(stream: BinaryIO) -> bytes:
    """All of a (non-streamed) file's content, refusing more than _MAX_WHOLE_FILE bytes."""
    data = stream.read(_MAX_WHOLE_FILE + 1)
    if len(data) > _MAX_WHOLE_FILE:
        raise _Rejected(f"file too large (over {_MAX_WHOLE_FILE // 2**20} MiB of text); use .jsonl for big collections")
    return data


_BOMS = (  # longest first: the UTF-32-LE mark begins with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def _bom_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark at the start announces, if any."""
    return next((name for bom, name in _BOMS if head.startswith(bom)), None)


def _decode(data: bytes, html: bool) -> str:
    """Text from bytes: BOM, then a declared HTML charset, then UTF-8, then Windows-1252."""
    encoding = _bom_encoding(data)
    if encoding:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            raise _Rejected(_BINARY) from None
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise _Rejected(_BINARY)
    if html and _META_CHARSET.search(data[:_SNIFF_BYTES]):
        # A declaration is authoritative, read as browsers read it (iso-8859-1 means windows-1252).
        return decode_page(data)
    return _decode_undeclared(data)


def _decode_undeclared(data: bytes) -> str:
    """UTF-8, else Windows-1252 (the usual encoding of old Western files), else a rejection."""
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _Rejected(_NOT_UTF8)


# --- JSON and JSON Lines -------------------------------------------------------------------


def _read_jsonl(stream: BinaryIO, path: Path, report: Callable[[bool], None]) -> Iterator[Item]:
    """Articles from a JSON Lines stream, one record per line, read line by line."""
    head = stream.read(_SNIFF_BYTES)
    stream.seek(0)
    encoding = _bom_encoding(head)
    if encoding is None and b"\x00" in head:
        raise _Rejected(_BINARY)
    records = _parsed_lines(_numbered_lines(stream, encoding), report)
    yield from _read_records(records, path, unit="line")
    report()


def _numbered_lines(stream: BinaryIO, encoding: str | None) -> Iterator[tuple[int, str | _Rejected]]:
    """The lines of a stream, numbered from 1 and decoded (each line on its own without a BOM)."""
    if encoding:
        text = io.TextIOWrapper(stream, encoding=encoding)
        try:
            yield from enumerate(text, start=1)
        except UnicodeDecodeError:
            raise _Rejected(_BINARY) from None
        finally:
            text.detach()  # else collecting the wrapper would close the file under the caller
        return
    for number, line in enumerate(stream, start=1):
        try:
            yield number, _decode_undeclared(line)
        except _Rejected as problem:
            yield number, problem


def _parsed_lines(
    lines: Iterable[tuple[int, str | _Rejected]], report: Callable[[bool], None]
) -> Iterator[tuple[int, Any]]:
    """(line number, parsed JSON value or _Rejected) for each non-blank line, reporting progress."""
    any_text = False
    for number, line in lines:
        report(False)
        if isinstance(line, _Rejected) or line.strip():
            any_text = True
            yield number, line if isinstance(line, _Rejected) else _parse_json(line)
    if not any_text:
        raise _Rejected("empty file")


def _parse_json(text: str) -> Any:
    """The JSON value in text, or a _Rejected saying what is wrong with it (returned, not raised)."""
    try:
        return json.loads(text, strict=False)  # strict=False: raw tabs in strings are common and harmless
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}" if error.lineno > 1 else f"column {error.colno}"
        return _Rejected(f"not valid JSON ({error.msg} at {where})")
    except RecursionError:
        return _Rejected("not valid JSON (nested too deeply)")
    except ValueError as error:  # e.g. an integer too long to convert
        return _Rejected(f"not valid JSON ({error})")


def _read_json(text: str, path: Path) -> Iterator[Item]:
    """Articles from a JSON file holding one article object or a list of them."""
    value = _parse_json(text)
    if isinstance(value, _Rejected):
        raise value
    if isinstance(value, dict):
        yield from _read_records([(None, value)], path, unit="item")
    elif isinstance(value, list) and value:
        yield from _read_records(enumerate(value, start=1), path, unit="item")
    elif isinstance(value, list):
        raise _Rejected("no articles (the list is empty)")
    else:
        raise _Rejected("not an article object or a list of them")


def _read_records(records: Iterable[tuple[int | None, Any]], path: Path, unit: str) -> Iterator[Item]:
    """Articles from numbered records (None: the only one), rejecting bad ones and repeated ids."""
    first_seen: dict[str, int | None] = {}
    for number, record in records:
        origin = _origin(path, number)
        try:
            if isinstance(record, _Rejected):
                raise record
            if not isinstance(record, dict):
                raise _Rejected("not an article object")
            article, notices = _build_article(_record_fields(record), origin, path, number)
            if article.id in first_seen:
                raise _Rejected(f"duplicate id {_shown(article.id)} (first seen at {unit} {first_seen[article.id]})")
        except _Rejected as problem:
            yield Rejection(origin, problem.reason)
            continue
        first_seen[article.id] = number
        yield article
        yield from notices


def _record_fields(record: dict[str, Any]) -> dict[str, str | None]:
    """The article fields of a JSON record as text; unknown keys are ignored."""
    fields = {key: _record_text(record, key) for key in ("id", "title", "source", "date", "url", "body")}
    authors = record.get("author")
    if isinstance(authors, list) and all(isinstance(name, str) for name in authors):
        fields["author"] = ", ".join(name for name in map(clean_line, authors) if name)
    else:
        fields["author"] = _record_text(record, "author")
    return fields


def _record_text(record: dict[str, Any], key: str) -> str | None:
    """One field of a record as text: strings as they are, numbers written out, null as None."""
    value = record.get(key)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise _Rejected(f"'{key}' is not text")


# --- plain text and Markdown ---------------------------------------------------------------

_HEADER_LINE = re.compile(r"(title|author|source|date|url|id)[ \t]*:[ \t]*(.*)", re.IGNORECASE)
_MD_HEADING = re.compile(r"#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?")  # ATX, optionally closed: "# Title #"


def _read_text(text: str, path: Path) -> Iterator[Item]:
    """The article of a .txt file: an optional header block, then the body."""
    yield from _text_article(text, path, markdown=False)


def _read_markdown(text: str, path: Path) -> Iterator[Item]:
    """The article of a .md file: like .txt, and a leading '# Heading' can be the title."""
    yield from _text_article(text, path, markdown=True)


def _text_article(text: str, path: Path, markdown: bool) -> Iterator[Item]:
    """One article from plain text with an optional header block."""
    lines = clean_body(text).split("\n")
    fields, rest = _split_header(lines)
    if not fields.get("title"):
        fields["title"], rest = _title_line(rest, markdown, has_header=bool(fields))
    fields["body"] = _line_paragraphs("\n".join(rest).strip("\n"))
    article, notices = _build_article(fields, _origin(path), path, None)
    yield article
    yield from notices


def _split_header(lines: list[str]) -> tuple[dict[str, str | None], list[str]]:
    """Header fields and the remaining lines; no header unless its lines end at a blank line."""
    fields: dict[str, str | None] = {}
    for count, line in enumerate(lines):
        match = _HEADER_LINE.fullmatch(line)
        if not line and fields:
            return fields, lines[count + 1 :]
        if not match:
            return {}, lines  # prose that happens to start with "Date:" is not a header
        fields.setdefault(match.group(1).lower(), match.group(2))
    return fields, []


def _title_line(lines: list[str], markdown: bool, has_header: bool) -> tuple[str | None, list[str]]:
    """A title taken off the top of the text, when the text's shape says it has one."""
    if not lines:
        return None, lines
    heading = _MD_HEADING.fullmatch(lines[0]) if markdown else None
    if heading:
        return heading.group(1), lines[1:]
    if has_header or len(lines) == 1:
        return None, lines  # the header chose not to give a title; a lone line is the body itself
    return lines[0], lines[1:]


def _line_paragraphs(body: str) -> str:
    """A body whose lines are its paragraphs (no blank line anywhere) in the blank-line convention."""
    return body if "\n\n" in body else body.replace("\n", "\n\n")


def _read_html(text: str, path: Path) -> Iterator[Item]:
    """The article of an HTML page: text and metadata by the web extractor (trafilatura, else our parser)."""
    page = extract_page(text)
    if not page.body:
        _check_readable(text)  # a page html.parser cannot read says so, rather than "no body text"
    title, body = page.title, page.body
    first, _, rest = body.partition("\n\n")
    if rest and title and clean_line(first) == clean_line(title):
        body = rest  # the page's headline repeated as the body's first paragraph
    fields = {"title": title, "author": page.author, "source": page.source, "date": page.date, "url": page.url, "body": body}
    article, notices = _build_article(fields, _origin(path), path, None)
    yield article
    yield from notices


def _check_readable(text: str) -> None:
    """_Rejected when html.parser refuses the page (an unknown "<![keyword[" section), naming why."""
    try:
        reader = PageReader()
        reader.feed(text)
        reader.close()
    except AssertionError as error:
        raise _Rejected(f"cannot be read as HTML ({error})") from None


_READERS: dict[str, Callable[[str, Path], Iterator[Item]]] = {
    "txt": _read_text,
    "md": _read_markdown,
    "json": _read_json,
    "html": _read_html,
}


# --- from fields to an Article -----------------------------------------------------------

def _build_article(
    fields: dict[str, str | None], origin: str, path: Path, number: int | None
) -> tuple[Article, list[Notice]]:
    """A clean Article from raw text fields, with notices for what had to be fixed; _Rejected if unusable."""
    line = {key: clean_line(replace_surrogates(value or "")) for key, value in fields.items() if key != "body"}
    body = clean_body(replace_surrogates(fields.get("body") or ""))
    if not body:
        raise _Rejected("no body text")
    if len(body) > MAX_BODY_CHARS:
        raise _Rejected(f"article too long ({len(body):,} characters; the limit is {MAX_BODY_CHARS:,})")
    notices = []
    title = line.get("title")
    if not title:
        title = _title_from(body)
        notices.append(Notice(origin, _NO_TITLE))
    try:
        date = normalize_date(line.get("date"))
    except ValueError as error:
        date = None
        notices.append(Notice(origin, f"date {error}; imported without a date"))
    url = line.get("url") or None
    article = Article(
        id=_article_id(line.get("id"), url, path, number),
        title=title,
        body=body,
        author=line.get("author") or None,
        source=line.get("source") or None,
        date=date,
        url=url,
        origin=origin,
    )
    return article, notices


def _article_id(record_id: str | None, url: str | None, path: Path, number: int | None) -> str:
    """The record's own id, else one derived from the url, else from the file (and record number)."""
    if record_id:
        return record_id
    if url:
        return "url-" + _digest(url)
    return "file-" + _digest(str(path.resolve()) + (f"#{number}" if number is not None else ""))


def _digest(text: str) -> str:
    """The first 16 hex digits of text's SHA-1: short, stable ids."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _title_from(body: str) -> str:
    """A stand-in title: the body's first line, cut at a word boundary to at most 100 characters."""
    first = body.split("\n", 1)[0].strip()
    if len(first) <= _TITLE_CHARS:
        return first
    cut = first[: _TITLE_CHARS - 1]
    space = cut.rfind(" ")
    if space > _TITLE_CHARS // 2:  # a boundary far back would leave too little; cut the word instead
        cut = cut[:space]
    return cut.rstrip() + "…"


def _shown(value: str) -> str:
    """A value quoted for a message, shortened if long."""
    value = clean_line(replace_surrogates(value))
    return f"'{value}'" if len(value) <= _SHOWN_CHARS else f"'{value[: _SHOWN_CHARS - 1]}…'"
