"""APA 7, MLA 9 and Chicago 17: entries, citations in the text and notes, from the facts (facts.py),
with italics as marks that `render` turns into plain text, Markdown or HTML."""

from __future__ import annotations

import html
import re

from tui_reader.core.citations import titles
from tui_reader.core.citations.facts import ITALIC_OFF, ITALIC_ON, Facts, Name


def marked_in_text(facts: Facts, style: str, paragraph: int | None) -> str:
    """The in-text citation of a non-BibTeX style, italics still as marks."""
    if style == "apa":
        return _apa_in_text(facts, paragraph)
    if style == "mla":  # MLA ch. 6: no locator, since news sites do not number paragraphs
        return f"({_mla_short_authors(facts)})"
    return chicago_short_note(facts, paragraph)


# --- APA 7 -----------------------------------------------------------------------------------


def apa_entry(facts: Facts) -> str:
    """Author. (Date). Title. *Newspaper*. URL (10.1 ex. 16); a webpage's title italic (10.16)."""
    # 10.16: when the author and the site are the same, the site is not repeated
    publication = "" if facts.sole_author_is_publication() else facts.publication
    # the headline as published (sentence case would guess proper nouns), its quotes nested (APA 7 p. 157 ff.);
    # only an ALL-CAPS headline is re-cased, in title case, as no manual takes capitals throughout
    title = titles.nest(facts.title)
    title = titles.headline(title, apa=True) if titles.shouting(title) else title
    title = title if publication else _italic(title)
    when = f"({facts.published.apa() if facts.published else 'n.d.'})"
    heads = [_apa_authors(facts.names), when, title] if facts.names else [title, when]
    entry = _sentences([*heads, _italic(publication) if publication else ""])
    return f"{entry} {facts.url}" if facts.url else entry  # no period after a URL (9.35)


def _apa_authors(names: list[Name]) -> str:
    """Up to 20 names with "&" before the last; 21 or more: 19, an ellipsis, the last (9.8)."""
    shown = [name.inverted(initials=True) for name in names]
    if len(shown) > 20:
        return ", ".join(shown[:19]) + ", . . . " + shown[-1]
    return _inverted_series(shown, "&")


def _apa_in_text(facts: Facts, paragraph: int | None) -> str:
    """(Landler & Macfarquhar, 2012, para. 3); without an author the short title (8.14)."""
    if facts.names:
        who = _family_list(facts.names, "&", most=2)
    else:  # a title in quotes in the entry goes in quotes here, an italic one in italics (8.14),
        # in title case (6.17) whatever case the reference gives it
        quoted = bool(facts.publication) and not facts.sole_author_is_publication()
        short = titles.short(titles.headline(titles.nest(facts.title, 1 if quoted else 0), apa=True))
        who = f"“{short}”" if quoted else _italic(short)
    year = str(facts.published.year) if facts.published else "n.d."
    return "(" + _commas([who, year, _para(paragraph)]) + ")"


# --- MLA 9 -----------------------------------------------------------------------------------


def _mla_names(facts: Facts) -> list[Name]:
    """The authors MLA names: an organisation that also publishes the work is left out (ch. 5)."""
    return [] if facts.sole_author_is_publication() else facts.names


def mla_entry(facts: Facts) -> str:
    """Author. “Title.” *Newspaper*, 13 June 2012, URL sans scheme. [Accessed 6 Dec. 2021.]"""
    shown = _first_inverted(_mla_names(facts))
    authors = f"{shown[0]}, et al." if len(shown) > 2 else _inverted_series(shown, "and")
    container = _commas([
        _italic(facts.publication) if facts.publication else "",
        facts.published.mla() if facts.published else "",
        re.sub(r"^https?://", "", facts.url),
    ])
    # the access date is optional in MLA 9 but recommended when the work has no date
    accessed = "" if facts.published else f"Accessed {facts.accessed.mla()}"
    return _sentences([authors, _quoted_title(facts), container, accessed])


def _mla_short_authors(facts: Facts) -> str:
    """Landler / Landler and Macfarquhar / Landler et al. / “Short Title”."""
    names = _mla_names(facts)
    return _family_list(names, "and", most=2) if names else _quoted_short_title(facts)


# --- Chicago 17, notes and bibliography ------------------------------------------------------


def chicago_entry(facts: Facts) -> str:
    """Landler, Mark. “Title.” *Newspaper*, June 13, 2012. URL. (14.191)"""
    publication = _italic(facts.publication) if facts.publication else ""
    names = _chicago_names(facts)
    if names:
        heads = [_chicago_bibliography_authors(names), _quoted_title(facts)]
    else:  # 14.207: in a bibliography the newspaper stands in place of the missing author
        heads, publication = [publication, _quoted_title(facts)], ""
    published = facts.published.chicago() if facts.published else ""
    accessed = "" if facts.published else f"Accessed {facts.accessed.chicago()}"  # 14.12
    return _sentences([*heads, _commas([publication, published]), accessed, facts.url])


def _chicago_bibliography_authors(names: list[Name]) -> str:
    """First name inverted, the others not; up to ten, else seven and et al. (14.76)."""
    shown = _first_inverted(names)
    if len(shown) > 10:
        return ", ".join(shown[:7]) + ", et al."
    return _inverted_series(shown, "and")


def chicago_note(facts: Facts, paragraph: int | None = None) -> str:
    """Mark Landler, “Title,” *Newspaper*, June 13, 2012, para. 3, URL. (14.191, 14.76)"""
    names = [name.natural() for name in _chicago_names(facts)]
    if len(names) > 3:
        names = [names[0] + " et al."]
    authors = _series(names, "and")
    accessed = f"accessed {facts.accessed.chicago()}"  # 14.12, lowercase inside a note
    when = facts.published.chicago() if facts.published else accessed
    publication = _italic(facts.publication) if facts.publication else ""
    fields = [authors, _quoted_title(facts), publication, when, _para(paragraph), facts.url]
    return punct(_commas(fields), ".")


def chicago_short_note(facts: Facts, paragraph: int | None) -> str:
    """Landler and Macfarquhar, “Heavier Weapons,” para. 3. (14.29-14.30)"""
    authors = _family_list(_chicago_names(facts), "and", most=3)
    return punct(_commas([authors, _quoted_short_title(facts), _para(paragraph)]), ".")


def _chicago_names(facts: Facts) -> list[Name]:
    """The authors Chicago names: a byline that is the newspaper itself is unsigned (14.207)."""
    return [] if facts.sole_author_is_publication() else facts.names


# --- titles ------------------------------------------------------------------------------------


def _quoted_title(facts: Facts) -> str:
    """An article title in quotation marks, headline style (MLA 9 1.2, CMOS 8.159), its own
    quotation marks nested inside (CMOS 6.9)."""
    return f"“{titles.headline(titles.nest(facts.title, 1))}”"


def _quoted_short_title(facts: Facts) -> str:
    """The short title in quotation marks (CMOS 14.30, MLA 6.6)."""
    return f"“{titles.short(titles.headline(titles.nest(facts.title, 1)))}”"


# --- lists of names ------------------------------------------------------------------------


def _family_list(names: list[Name], conjunction: str, most: int) -> str:
    """Family names for a citation in the text: up to `most` named, else "First et al."."""
    families = [name.surname for name in names]
    return f"{families[0]} et al." if len(families) > most else _series(families, conjunction)


def _first_inverted(names: list[Name]) -> list[str]:
    """The first name family-first, the others given-first (MLA 9, CMOS 14.76 bibliography)."""
    return [name.inverted() for name in names[:1]] + [name.natural() for name in names[1:]]


def _inverted_series(items: list[str], conjunction: str) -> str:
    """Names after an inverted first one: "Landler, M., & Macfarquhar, N." keeps the comma."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f", {conjunction} " + items[-1]


def _series(items: list[str], conjunction: str) -> str:
    """A, B, and C with the serial comma; A and B; A."""
    if len(items) < 3:
        return f" {conjunction} ".join(items)
    return ", ".join(items[:-1]) + f", {conjunction} " + items[-1]


# --- text and punctuation --------------------------------------------------------------------


def _italic(text: str) -> str:
    """Mark text as italic; `_render` turns the marks into the output format's own."""
    return f"{ITALIC_ON}{text}{ITALIC_OFF}"


def render(text: str, fmt: str) -> str:
    """Resolve italic marks: none in plain text, *x* in Markdown, <i>x</i> in (escaped) HTML."""
    if fmt == "html":
        text = html.escape(text, quote=False)
        return text.replace(ITALIC_ON, "<i>").replace(ITALIC_OFF, "</i>")
    if fmt == "markdown":
        text = text.replace("\\", "\\\\").replace("*", "\\*")
        return text.replace(ITALIC_ON, "*").replace(ITALIC_OFF, "*")
    return text.replace(ITALIC_ON, "").replace(ITALIC_OFF, "")


def punct(text: str, mark: str) -> str:
    """Add a period or comma: inside a closing quote, and not after ? or ! (or a second period)."""
    if text.endswith(ITALIC_OFF):  # after an italic title: "*Is It War?*" takes no period
        inner = titles.close_inside(text[:-1], mark)
        return text if inner == text[:-1] else text + mark
    return titles.close_inside(text, mark)


def _sentences(parts: list[str]) -> str:
    """The non-empty elements of an entry, each closed with a period."""
    return " ".join(punct(part, ".") for part in parts if part)


def _commas(parts: list[str]) -> str:
    """The non-empty elements joined by commas (a comma after a quoted title goes inside)."""
    kept = [part for part in parts if part]
    return " ".join([punct(part, ",") for part in kept[:-1]] + kept[-1:])


def _para(paragraph: int | None) -> str:
    """The paragraph pinpoint all three manuals use for unpaginated works."""
    return f"para. {paragraph}" if paragraph else ""


def drop_period(quote: str) -> str:
    """A quotation without the closing period or comma the citation's sentence will supply."""
    return quote.rstrip(".,;:") if not quote.endswith("...") else quote


def nest_quotes(quote: str) -> str:
    """Double quotation marks inside a quotation become single ones, as all three manuals say."""
    quote = quote.replace("“", "‘").replace("”", "’")
    quote = re.sub(r'(?:^|(?<=[\s(\[]))"', "‘", quote)
    return quote.replace('"', "’")
