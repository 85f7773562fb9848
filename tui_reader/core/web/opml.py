"""Subscription lists in and out: OPML 1.0/2.0 (what every feed reader exports) and newsboat's `urls` file.

A list comes from another program or another person: it is read with XML entities refused (defusedxml),
only http(s) addresses become subscriptions (newsboat's "exec:" and "filter:" lines name commands, which are
never run), and every line that is not used is named with its line number and why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from tui_reader.core.sanitize import clean_line, replace_surrogates


@dataclass(frozen=True)
class Subscription:
    """A feed to follow: its address and the name the user gave it (None: the feed's own title)."""

    url: str
    name: str | None


_SHOWN_CHARS = 60
_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|(\S+)')  # newsboat's words: "quoted with \" escapes" or bare
_NOT_XML_CHARS = re.compile(r"[\ufffe\uffff]")  # XML 1.0 refuses these too (controls go by clean_line)


def read_subscriptions(data: bytes, origin: str) -> tuple[list[Subscription], list[str]]:
    """The subscriptions in an OPML file or a newsboat `urls` file, and the problems ("origin:line: why").

    origin names the input in the problems (a file name). Each address is kept once, at its first line.
    """
    text_start = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return [], [f"{origin}: binary file, not OPML or a list of addresses"]
    if text_start.startswith(b"<") or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _read_opml(data, origin)
    return _read_urls(data, origin)


def write_opml(subscriptions: Iterable[Subscription], title: str = "newsreader feeds") -> str:
    """An OPML 2.0 document listing the subscriptions (read back by read_subscriptions unchanged)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        f"    <title>{_escaped(title)}</title>",
        "  </head>",
        "  <body>",
    ]
    for subscription in subscriptions:
        # OPML requires a text on every outline; without a name the address stands in (and reads back as None)
        name = _escaped(subscription.name or subscription.url)
        lines.append(f'    <outline type="rss" text="{name}" title="{name}" xmlUrl="{_escaped(subscription.url)}"/>')
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _escaped(value: str) -> str:
    """Text safe inside an XML attribute or element: markup characters escaped, white space kept as such."""
    text = _NOT_XML_CHARS.sub("", clean_line(replace_surrogates(value)))
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&apos;"))


# --- OPML ----------------------------------------------------------------------------------


class _Outlines:
    """An expat target that keeps each <outline>'s attributes, its line and whether it holds others."""

    def __init__(self) -> None:
        self.parser: Any = None
        self.root: str | None = None
        self.outlines: list[tuple[int, dict[str, str], list[bool]]] = []  # (line, attributes, [has children])
        self.open: list[list[bool]] = []

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        """Note an outline (and that its parent outline is a folder)."""
        name = tag.rsplit("}", 1)[-1].lower()
        if self.root is None:
            self.root = name
        if name == "outline":
            if self.open:
                self.open[-1][0] = True
            children = [False]
            self.outlines.append((self.parser.parser.CurrentLineNumber, attributes, children))
            self.open.append(children)

    def end(self, tag: str) -> None:
        """Leave an outline."""
        if tag.rsplit("}", 1)[-1].lower() == "outline" and self.open:
            self.open.pop()

    def data(self, text: str) -> None:
        """Text between tags carries nothing in OPML."""

    def close(self) -> None:
        """Nothing to finish."""


def _read_opml(data: bytes, origin: str) -> tuple[list[Subscription], list[str]]:
    """Subscriptions from every outline with an xmlUrl, folders flattened; text (else title) is the name."""
    import defusedxml  # noqa: PLC0415 - only when a list is imported
    from defusedxml.ElementTree import DefusedXMLParser  # noqa: PLC0415

    target = _Outlines()
    parser = DefusedXMLParser(target=target, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    target.parser = parser
    try:
        parser.feed(data)
        parser.close()
    except defusedxml.DefusedXmlException:
        return [], [f"{origin}: unsafe XML (it declares entities or refers to external resources); not read"]
    except Exception as error:  # expat's ParseError, or a bad encoding name
        return [], [f"{origin}: not valid OPML ({clean_line(str(error))})"]
    if target.root != "opml":
        return [], [f"{origin}: not an OPML file (its root element is <{clean_line(target.root or '')[:30]}>)"]
    found: list[Subscription] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}
    for line, attributes, children in target.outlines:
        keys = {key.rsplit("}", 1)[-1].lower(): value for key, value in attributes.items()}
        address = keys.get("xmlurl")
        if address is None:
            if not children[0] and (keys.get("htmlurl") or keys.get("url")):
                problems.append(f"{origin}:{line}: a link, not a feed (no xmlUrl); skipped")
            continue  # a folder (flattened: its outlines are read in their turn), or an empty one
        name = clean_line(keys.get("text") or keys.get("title")) or None
        _add(found, problems, first_line, address, name, f"{origin}:{line}", line)
    return found, problems


# --- newsboat's urls file ------------------------------------------------------------------


def _read_urls(data: bytes, origin: str) -> tuple[list[Subscription], list[str]]:
    """Subscriptions from newsboat's `urls` file: an address per line, then tags; "~Name" names the feed."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    found: list[Subscription] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        words = [match.group(1).replace('\\"', '"') if match.group(1) is not None else match.group(2)
                 for match in _TOKEN.finditer(line)]
        address, tags = words[0], words[1:]
        where = f"{origin}:{number}"
        if address.lower().startswith("query:"):
            problems.append(f"{where}: a query feed (a saved search of newsboat's, not a feed); skipped")
            continue
        if address.lower().startswith(("exec:", "filter:")):
            problems.append(f"{where}: runs a command ({_shown(address.split(':', 1)[0])}); commands are never run; skipped")
            continue
        name = next((clean_line(tag[1:]) for tag in tags if tag.startswith("~") and clean_line(tag[1:])), None)
        _add(found, problems, first_line, address, name, where, number)
    return found, problems


def _add(found: list[Subscription], problems: list[str], first_line: dict[str, int], address: str,
         name: str | None, where: str, line: int) -> None:
    """Add one subscription if its address is http(s) and new, else say why not."""
    url = clean_line(replace_surrogates(address))
    if not _is_web_address(url):
        problems.append(f"{where}: not an http(s) address: {_shown(url)}")
        return
    if url in first_line:
        problems.append(f"{where}: {_shown(url)} is already listed (line {first_line[url]}); skipped")
        return
    first_line[url] = line
    found.append(Subscription(url, None if name == url else name))


def _is_web_address(url: str) -> bool:
    """True for an absolute http(s) address with a host."""
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and " " not in url
    except ValueError:  # e.g. "http://[broken"
        return False


def _shown(value: str) -> str:
    """A value quoted for a message, shortened if long."""
    value = clean_line(replace_surrogates(value))
    return f"'{value}'" if len(value) <= _SHOWN_CHARS else f"'{value[: _SHOWN_CHARS - 1]}…'"
