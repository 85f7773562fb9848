"""RIS, the tagged format every reference manager imports (EndNote, Zotero, Mendeley, RefWorks):
a NEWS record (an ELEC web page without a publication), with the BibTeX key as its ID."""

from __future__ import annotations

from collections.abc import Sequence

from tui_reader.core.citations.facts import Facts, Name, PartialDate


def record(facts: Facts, key: str) -> str:
    """One record: TY first, ER last, one "TAG  - value" line per field (RIS's fixed layout)."""
    lines = [("TY", "NEWS" if facts.publication else "ELEC"), ("ID", key)]
    lines += [("AU", _name(name)) for name in facts.names]
    lines.append(("TI", facts.title))
    if facts.publication:
        lines.append(("T2", facts.publication))  # T2 is the newspaper's name in a NEWS record
    if facts.published:
        lines += [("PY", str(facts.published.year)), ("DA", _date(facts.published))]
    if facts.url:
        lines += [("UR", facts.url), ("Y2", _date(facts.accessed))]  # Y2: the access date, as Zotero writes it
    # the facts are single lines already (whitespace collapsed); RIS ends a value at the line's end.
    # ER without the spec's trailing blank: readers (Zotero, EndNote, rispy) take both, and no line
    # of ours ends in invisible whitespace
    return "\n".join(f"{tag}  - {value}" for tag, value in lines) + "\nER  -"


def dump(items: Sequence[tuple[Facts, str]]) -> str:
    """Records one after another with a blank line between, and a final newline."""
    return "".join(record(facts, key) + "\n\n" for facts, key in items).removesuffix("\n")


def _name(name: Name) -> str:
    """Family, Given, Suffix for a person; a group's name as it is (no comma, so never split)."""
    if name.is_group:
        return name.family
    return ", ".join(part for part in (name.surname, name.given, name.suffix) if part)


def _date(when: PartialDate) -> str:
    """2012/06/13/, 2012/06// or 2012///: RIS's year/month/day/other layout."""
    month = f"{when.month:02d}" if when.month else ""
    day = f"{when.day:02d}" if when.day else ""
    return f"{when.year:04d}/{month}/{day}/"
