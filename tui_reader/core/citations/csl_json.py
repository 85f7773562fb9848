"""CSL-JSON, the citation data that Zotero, Mendeley, pandoc and every CSL processor read: an
article-newspaper item (a webpage without a publication), keyed like the BibTeX entries."""

from __future__ import annotations

import json
from collections.abc import Sequence

from tui_reader.core.citations.facts import Facts, Name, PartialDate


def item(facts: Facts, key: str) -> dict:
    """One CSL item (CSL-JSON schema 1.0): the empty fields are left out."""
    record: dict = {
        "id": key,
        # article-newspaper is what Zotero exports for a newspaper article, on paper or online
        "type": "article-newspaper" if facts.publication else "webpage",
        "title": facts.title,
    }
    if facts.names:
        record["author"] = [_name(name) for name in facts.names]
    if facts.publication:
        record["container-title"] = facts.publication
    if facts.published:
        record["issued"] = _date(facts.published)
    if facts.url:
        record["URL"] = facts.url
        record["accessed"] = _date(facts.accessed)
    return record


def dump(items: Sequence[tuple[Facts, str]]) -> str:
    """A JSON array of items (the form pandoc's --bibliography and Zotero's import take)."""
    return json.dumps([item(facts, key) for facts, key in items], ensure_ascii=False, indent=2) + "\n"


def _name(name: Name) -> dict:
    """A person in name parts, or a group as a literal name that no processor splits."""
    if name.is_group:
        return {"literal": name.family}
    parts = {"family": name.family, "given": name.given,
             # "de Rugy", "al-Assad": kept before the family name, and sorted under it (CSL's rule)
             "non-dropping-particle": name.particle, "suffix": name.suffix}
    return {field: value for field, value in parts.items() if value}


def _date(when: PartialDate) -> dict:
    """{"date-parts": [[2012, 6, 13]]}, with as many parts as are known."""
    return {"date-parts": [[part for part in (when.year, when.month, when.day) if part]]}
