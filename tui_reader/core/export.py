"""The reader's passages out of the library: Markdown notes, W3C Web Annotations, BibTeX."""

from __future__ import annotations

import json
from collections.abc import Iterable

from tui_reader.core import citations
from tui_reader.core.articles import Article, Passage, paragraph_number

FORMATS = ("markdown", "json", "bibtex")


def export(groups: Iterable[tuple[Article, list[Passage]]], fmt: str, style: str = "apa") -> str:
    """Passages grouped by article, as Markdown, JSON-LD Web Annotations or BibTeX."""
    groups = list(groups)
    if fmt == "markdown":
        return markdown(groups, style)
    if fmt == "json":
        return json.dumps([annotation(a, p) for a, ps in groups for p in ps], ensure_ascii=False, indent=2) + "\n"
    if fmt == "bibtex":
        # One entry after another with a blank line between, and a final newline like every text file.
        return "\n".join(citations.reference(article, "bibtex") + "\n" for article, _ in groups)
    raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")


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
