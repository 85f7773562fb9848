"""Citations of a news article, or of a quoted passage: APA 7, MLA 9, Chicago 17, BibTeX.

Standard library only: the app, the CLI and the exporter all call the functions here.
facts.py reads an article's citable facts; styles.py writes APA, MLA and Chicago; bibtex.py biblatex.
The rules are those each manual gives for an article on a news site: APA 7 (9.8 authors,
10.1 example 16 and 10.16; 8.17 in-text authors, 8.13 pinpoints), MLA 9 (core elements, ch. 5;
in-text citations, ch. 6), Chicago 17 notes and bibliography (14.76 authors, 14.191 and 14.207
news articles, 14.12 access dates) and the biblatex manual (@article with journaltitle, @online).

Titles: MLA and Chicago re-case an article's title in headline style (CMOS 8.159, MLA 1.2), which
only raises words (and lowers articles, prepositions and coordinating conjunctions), so proper
nouns, acronyms and inner capitals survive; APA in-text short titles use APA title case (6.17).
APA references keep the headline as published, as Zotero does: APA wants sentence case, and
lowering words automatically would lower proper nouns with them (only an ALL-CAPS headline is
re-cased, in title case). titles.py holds these rules; publications.py the names of outlets.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from tui_reader.core.articles import Article
from tui_reader.core.citations import bibtex, csl_json, ris, styles
from tui_reader.core.citations.facts import Facts, Name, clean, parse_names, publication_name
from tui_reader.core.citations.bibtex import bibtex_key

__all__ = ["STYLES", "STYLE_NAMES", "FORMATS", "DATA_STYLES", "Name", "bibliography", "bibtex_key", "in_text",
           "parse_names", "passage", "publication_name", "reference"]

# The one list of styles: the CLI's choices, the settings' allowed values and the app's chooser.
# "bibtex" was biblatex's output before biblatex had its own name; settings that say "bibtex" now get
# classic BibTeX, which every .bst reads (the README says so).
STYLE_NAMES = {
    "apa": "APA 7",
    "mla": "MLA 9",
    "chicago": "Chicago 17 (bibliography)",
    "chicago-note": "Chicago 17 (note)",
    "biblatex": "biblatex",
    "bibtex": "BibTeX (classic, for plain.bst)",
    "csl-json": "CSL-JSON (Zotero, Mendeley, pandoc)",
    "ris": "RIS (EndNote, Zotero, Mendeley)",
}
STYLES = tuple(STYLE_NAMES)
DATA_STYLES = ("biblatex", "bibtex", "csl-json", "ris")  # for reference managers: one entry per article
FORMATS = ("plain", "markdown", "html")


def reference(article: Article, style: str = "apa", fmt: str = "plain",
              today: date | None = None) -> str:
    """The full entry: APA reference, MLA works-cited, Chicago bibliography or note, or the
    article's record for a reference manager (biblatex, BibTeX, CSL-JSON, RIS)."""
    check(style, fmt)
    if style in DATA_STYLES:
        return bibliography([article], style, today).rstrip("\n")
    build = {"apa": styles.apa_entry, "mla": styles.mla_entry, "chicago": styles.chicago_entry,
             "chicago-note": styles.chicago_note}[style]
    return styles.render(build(Facts.of(article, today)), fmt)


def bibliography(articles: Iterable[Article], style: str, today: date | None = None) -> str:
    """Many articles' records for a reference manager, with keys unique among them (an export)."""
    if style not in DATA_STYLES:
        raise ValueError(f"{style!r} is not a reference-manager format; choose from {', '.join(DATA_STYLES)}")
    entries = [(article, Facts.of(article, today)) for article in articles]
    keyed = [(facts, key) for (_, facts), key in zip(entries, bibtex.unique_keys(entries))]
    if style == "csl-json":
        return csl_json.dump(keyed)
    if style == "ris":
        return ris.dump(keyed)
    # one entry after another with a blank line between, and a final newline like every text file
    return "\n".join(bibtex.entry(facts, key, style) + "\n" for facts, key in keyed)


def in_text(article: Article, style: str = "apa", paragraph: int | None = None,
            fmt: str = "plain") -> str:
    """The in-text citation: APA and MLA parenthetical, Chicago short note, \\autocite for biblatex,
    \\cite for BibTeX, and pandoc's [@key] for CSL-JSON and RIS."""
    style = check(style, fmt)
    if style in DATA_STYLES:
        return _data_in_text(bibtex_key(article), style, paragraph)
    return styles.render(styles.marked_in_text(Facts.of(article, None), style, paragraph), fmt)


def _data_in_text(key: str, style: str, paragraph: int | None) -> str:
    """The citation command that finds the entry by its key."""
    if style in ("biblatex", "bibtex"):
        return bibtex.cite_command(key, paragraph, style)
    return f"[@{key}{f', para. {paragraph}' if paragraph else ''}]"  # pandoc's citation syntax


def passage(article: Article, quote: str, paragraph: int | None, style: str = "apa",
            fmt: str = "plain", today: date | None = None) -> str:
    """A quotation with its citation and pinpoint, a blank line, then the entry: pasteable as is."""
    check(style, fmt)
    facts = Facts.of(article, today)
    quote = styles.drop_period(styles.nest_quotes(clean(quote)))
    if style in DATA_STYLES:
        text = bibtex.tex(quote) if style in ("biblatex", "bibtex") else quote
        cited = f"“{text}” {in_text(article, style, paragraph)}."
        return f"{cited}\n\n{reference(article, style, fmt, today)}"
    entry = reference(article, style, fmt, today)
    if style in ("apa", "mla"):
        # APA 8.25, MLA ch. 6: the sentence's period follows the parenthetical citation
        cited = f"“{quote}” {styles.marked_in_text(facts, style, paragraph)}."
        return f"{styles.render(cited, fmt)}\n\n{entry}"
    marker = "<sup>1</sup>" if fmt == "html" else "¹"
    quoted = styles.render(styles.punct(f"“{quote}”", "."), fmt) + marker  # Chicago: period inside quotes
    if style == "chicago-note":  # the full note is the entry: repeating it would say it twice
        return f"{quoted}\n\n1. {styles.render(styles.chicago_note(facts, paragraph), fmt)}"
    return f"{quoted}\n\n1. {styles.render(styles.chicago_short_note(facts, paragraph), fmt)}\n\n{entry}"


def check(style: str, fmt: str) -> str:
    """The style, after refusing an unknown style or output format."""
    if style not in STYLES:
        raise ValueError(f"unknown citation style {style!r}; choose from {', '.join(STYLES)}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r}; choose from {', '.join(FORMATS)}")
    return style
