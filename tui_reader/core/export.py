"""The reader's passages out of the library: Markdown notes, W3C Web Annotations, and the tagged
articles for a reference manager (biblatex, BibTeX, CSL-JSON, RIS)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from tui_reader.core import citations
from tui_reader.core.articles import Article, Passage, paragraph_number

FORMATS = ("markdown", "json", *citations.DATA_STYLES)


def export(groups: Iterable[tuple[Article, list[Passage]]], fmt: str, style: str = "apa") -> str:
    """Passages grouped by article, as Markdown, JSON-LD Web Annotations, or one entry per article
    (keys unique within the export) in a reference manager's format."""
    groups = list(groups)
    if fmt == "markdown":
        # a JSON or RIS record inside reading notes helps nobody: those styles' notes cite in APA
        return markdown(groups, "apa" if style in ("csl-json", "ris") else style)
    if fmt == "json":
        return json.dumps([annotation(a, p) for a, ps in groups for p in ps], ensure_ascii=False, indent=2) + "\n"
    if fmt in citations.DATA_STYLES:
        return citations.bibliography([article for article, _ in groups], fmt)
    raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")


def write(path: Path, groups: Iterable[tuple[Article, list[Passage]]], fmt: str, style: str = "apa") -> int:
    """Write the export to path and return how many entries it holds (articles for a reference
    manager's format, passages otherwise). The file is replaced whole or not at all: a full disk or a
    missing folder raises OSError and leaves any earlier file as it was."""
    groups = list(groups)
    write_whole(Path(path), export(groups, fmt, style))
    return len(groups) if fmt in citations.DATA_STYLES else sum(len(passages) for _, passages in groups)


def write_whole(path: Path, text: str) -> None:
    """Write text to path whole or not at all (a temporary file beside it, then renamed over it)."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def markdown(groups: list[tuple[Article, list[Passage]]], style: str) -> str:
    """One section per article: its reference, then each passage quoted with its citation, tags and note."""
    out = ["# Tagged passages", ""]
    for article, passages in groups:
        out += [f"## {article.title}", "", citations.reference(article, style, "markdown"), ""]
        for passage in passages:
            out.append("> " + " ".join(passage.anchor.exact.split()))
            if passage.status == "orphaned":
                out.append(">\n> *(orphaned: these words are no longer in the article)*")
            else:
                paragraph = paragraph_number(article.body, passage.anchor.start or 0)
                out.append(">\n> " + citations.in_text(article, style, paragraph, "markdown"))
            out.append("")
            out.append("Tags: " + ", ".join(f"`{tag}`" for tag in passage.tags))
            if passage.note:
                out += ["", "Note: " + passage.note]
            out.append("")
    return "\n".join(out)


def annotation(article: Article, passage: Passage) -> dict:
    """A passage as a W3C Web Annotation (JSON-LD) with its quote and position selectors."""
    selectors = passage.anchor.to_selectors()  # an orphan's has no position any more, only its last known quote
    body = [{"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in passage.tags]
    if passage.note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": passage.note})
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": f"urn:newsreader:passage:{passage.id}",
        "type": "Annotation",
        "motivation": "tagging",
        "created": passage.created_at,
        "modified": passage.modified_at,
        "body": body,
        "target": {
            "source": article.url or f"urn:newsreader:article:{article.id}",
            "selector": selectors,
        },
        "newsreader": {"article_id": article.id, "status": passage.status},
    }
