"""Citations of a news article, or of a quoted passage: APA 7, MLA 9, Chicago 17, BibTeX.

Standard library only: the app, the CLI and the exporter all call the functions here.
The rules are those each manual gives for an article on a news site: APA 7 (9.8 authors,
10.1 example 16 and 10.16; 8.17 in-text authors, 8.13 pinpoints), MLA 9 (core elements, ch. 5;
in-text citations, ch. 6), Chicago 17 notes and bibliography (14.76 authors, 14.191 and 14.207
news articles, 14.12 access dates) and the biblatex manual (@article with journaltitle, @online).

Titles are never re-cased: APA wants sentence case and MLA/Chicago headline case, but re-casing
a headline (or an ALL-CAPS one) guesses proper nouns wrong more often than right, so every style
shows the title as the publication gave it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from tui_reader.core.articles import Article
from tui_reader.core.dates import iso_parts

STYLES = ("apa", "mla", "chicago", "chicago-note", "bibtex")
STYLE_NAMES = {
    "apa": "APA 7",
    "mla": "MLA 9",
    "chicago": "Chicago 17 (bibliography)",
    "chicago-note": "Chicago 17 (note)",
    "bibtex": "BibTeX",
}
FORMATS = ("plain", "markdown", "html")

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_MLA_MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.",
               "Nov.", "Dec.")  # MLA 9 abbreviates months longer than four letters
_ITALIC_ON, _ITALIC_OFF = "\x0e", "\x0f"  # markers resolved per output format at the very end
_SECTION_SUFFIX = re.compile(
    r"\s*(?:-\s*(?:News|Opinion|Editorial)|\((?:News|Opinion|Online News|Web News|Online)\))\s*$",
    re.IGNORECASE,
)
# words of a byline that names a role or an organisation ("Cnn Staff", "Sun-Times Wire",
# "Cnn Political Reporter", "Editorial Board"), not a person
_GROUP_WORDS = {
    "staff", "press", "reuters", "news", "editorial", "board", "agency", "wire", "wires",
    "reporter", "correspondent", "writer", "producer", "analyst", "commentator", "editor",
    "team", "desk", "bureau", "newsroom",
}
_PARTICLES = {"de", "da", "del", "della", "der", "den", "di", "du", "la", "le", "van", "vanden",
              "von", "ter", "ten", "dos", "das", "bin", "ibn"}
_PREFIX_PARTICLE = re.compile(r"^(?:al|el)-(?=\w)", re.IGNORECASE)  # al-Assad, el-Sisi
_SUFFIXES = {"jr": "Jr.", "sr": "Sr.", "ii": "II", "iii": "III", "iv": "IV"}  # keyed without "."
_HONORIFICS = {"dr.", "sen.", "rep.", "gov.", "prof.", "mr.", "mrs.", "ms."}
_MINOR_WORDS = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by",
                "from", "as", "is", "are"}


@dataclass(frozen=True)
class Name:
    """One author: a person split into name parts, or a group (agency, staff, organisation)."""

    given: str
    family: str
    particle: str = ""  # "de", "van der", "al-": kept in front of the family name in every style
    suffix: str = ""  # Jr., Sr., III
    is_group: bool = False

    @property
    def surname(self) -> str:
        """The family name as cited, with its particle ("de Rugy", "al-Assad")."""
        if not self.particle:
            return self.family
        return self.particle + ("" if self.particle.endswith("-") else " ") + self.family

    def natural(self) -> str:
        """Given name first: "Tom Howell Jr." (Chicago 6.43: no comma before Jr.)."""
        return " ".join(part for part in (self.given, self.surname, self.suffix) if part)

    def inverted(self, initials: bool = False) -> str:
        """Family name first: "Howell, Tom, Jr.", or with initials for APA: "Howell, T., Jr."."""
        given = _initials(self.given) if initials else self.given
        return ", ".join(part for part in (self.surname, given, self.suffix) if part)


def publication_name(source: str | None) -> str:
    """The publication without the archive's section label ("CNN (Web News)" -> "CNN")."""
    return _SECTION_SUFFIX.sub("", _clean(source))


def parse_names(author: str | None, source: str | None = None) -> list[Name]:
    """The authors in a comma-separated byline; roles, agencies and the source itself are groups."""
    names: list[Name] = []
    for piece in re.split(r"[,;]", _clean(author)):
        piece = re.sub(r"^by\s+", "", piece.strip(), flags=re.IGNORECASE)
        if _suffix(piece) and names and not names[-1].is_group:
            last = names.pop()  # "Tom Howell, Jr." was split at its comma
            names.append(Name(last.given, last.family, last.particle, _suffix(piece)))
        elif _is_group(piece, source):
            names.append(Name("", piece, is_group=True))
        elif piece:
            names.extend(_person(one) for one in re.split(r"\s+(?:and|&)\s+", piece))
    return names


def reference(article: Article, style: str = "apa", fmt: str = "plain",
              today: date | None = None) -> str:
    """The full entry: APA reference, MLA works-cited, Chicago bibliography or note, BibTeX."""
    _check(style, fmt)
    facts = _Facts.of(article, today)
    if style == "bibtex":
        return _bibtex_entry(article, facts)
    build = {"apa": _apa_entry, "mla": _mla_entry, "chicago": _chicago_entry,
             "chicago-note": _chicago_note}[style]
    return _render(build(facts), fmt)


def in_text(article: Article, style: str = "apa", paragraph: int | None = None,
            fmt: str = "plain") -> str:
    """The in-text citation: APA and MLA parenthetical, Chicago short note, BibTeX \\autocite."""
    if _check(style, fmt) == "bibtex":
        return _autocite(article, paragraph)
    return _render(_marked_in_text(_Facts.of(article, None), style, paragraph), fmt)


def passage(article: Article, quote: str, paragraph: int | None, style: str = "apa",
            fmt: str = "plain", today: date | None = None) -> str:
    """A quotation with its citation and pinpoint, a blank line, then the entry: pasteable as is."""
    _check(style, fmt)
    facts = _Facts.of(article, today)
    quote = _drop_period(_nest_quotes(_clean(quote)))
    if style == "bibtex":
        cited = f"“{_tex(quote)}” {_autocite(article, paragraph)}."
        return f"{cited}\n\n{_bibtex_entry(article, facts)}"
    entry = reference(article, style, fmt, today)
    if style in ("apa", "mla"):
        # APA 8.25, MLA ch. 6: the sentence's period follows the parenthetical citation
        cited = f"“{quote}” {_marked_in_text(facts, style, paragraph)}."
        return f"{_render(cited, fmt)}\n\n{entry}"
    marker = "<sup>1</sup>" if fmt == "html" else "¹"
    quoted = _render(_punct(f"“{quote}”", "."), fmt) + marker  # Chicago: period inside quotes
    if style == "chicago-note":  # the full note is the entry: repeating it would say it twice
        return f"{quoted}\n\n1. {_render(_chicago_note(facts, paragraph), fmt)}"
    return f"{quoted}\n\n1. {_render(_chicago_short_note(facts, paragraph), fmt)}\n\n{entry}"


def bibtex_key(article: Article) -> str:
    """A key such as landler2012heavier: first author (or title word), year or "nd", title word."""
    names = parse_names(article.author, article.source)
    words = [w for w in map(_ascii, _clean(article.title).split()) if w not in _MINOR_WORDS | {""}]
    if names:
        first = _ascii(names[0].surname)
    else:
        first, words = (words[0], words[1:]) if words else ("anon", [])
    when = _PartialDate.parse(article.date)
    return f"{first or 'anon'}{when.year if when else 'nd'}{words[0] if words else ''}"


def _marked_in_text(facts: _Facts, style: str, paragraph: int | None) -> str:
    """The in-text citation of a non-BibTeX style, italics still as marks."""
    if style == "apa":
        return _apa_in_text(facts, paragraph)
    if style == "mla":  # MLA ch. 6: no locator, since news sites do not number paragraphs
        return f"({_mla_short_authors(facts)})"
    return _chicago_short_note(facts, paragraph)


def _autocite(article: Article, paragraph: int | None) -> str:
    """\\autocite[para.~3]{key}: biblatex places it as the document's style wants."""
    pinpoint = f"[para.~{paragraph}]" if paragraph else ""
    return f"\\autocite{pinpoint}{{{bibtex_key(article)}}}"


# --- the facts every style draws on ----------------------------------------------------------


@dataclass(frozen=True)
class _PartialDate:
    """A date of which the month and day may be unknown."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str | None) -> _PartialDate | None:
        """YYYY, YYYY-MM or YYYY-MM-DD; None for anything else, or an impossible date."""
        parts = iso_parts(_clean(text))
        return cls(*parts) if parts else None

    def iso(self) -> str:
        """2012, 2012-06 or 2012-06-13, as biblatex's date field takes it."""
        parts = [f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p]
        return "-".join(parts)

    def apa(self) -> str:
        """2012, June 13 (APA 9.14)."""
        month = f", {_MONTHS[self.month - 1]}" if self.month else ""
        return f"{self.year}{month}{f' {self.day}' if self.day else ''}"

    def mla(self) -> str:
        """13 June 2012, with MLA's month abbreviations."""
        parts = (self.day, _MLA_MONTHS[self.month - 1] if self.month else None, self.year)
        return " ".join(str(p) for p in parts if p)

    def chicago(self) -> str:
        """June 13, 2012."""
        if not self.month:
            return str(self.year)
        day = f" {self.day}," if self.day else ""
        return f"{_MONTHS[self.month - 1]}{day} {self.year}"


@dataclass(frozen=True)
class _Facts:
    """An article's citable metadata, cleaned once for every style."""

    names: list[Name]
    title: str
    publication: str
    published: _PartialDate | None
    url: str
    accessed: _PartialDate

    @classmethod
    def of(cls, article: Article, today: date | None) -> _Facts:
        """Read the facts off an Article; the access date falls back to today."""
        accessed = _PartialDate.parse(article.access_date) or _PartialDate.parse(
            (today or date.today()).isoformat())
        return cls(
            names=parse_names(article.author, article.source),
            title=_clean(article.title) or "[Untitled]",
            publication=publication_name(article.source),
            published=_PartialDate.parse(article.date),
            url=_clean(article.url),
            accessed=accessed,
        )

    def sole_author_is_publication(self) -> bool:
        """True for a byline like "Reuters" on a Reuters article."""
        return len(self.names) == 1 and self.names[0].is_group and _same_outlet(
            self.names[0].family, self.publication)


# --- APA 7 -----------------------------------------------------------------------------------


def _apa_entry(facts: _Facts) -> str:
    """Author. (Date). Title. *Newspaper*. URL (10.1 ex. 16); a webpage's title italic (10.16)."""
    # 10.16: when the author and the site are the same, the site is not repeated
    publication = "" if facts.sole_author_is_publication() else facts.publication
    title = facts.title if publication else _italic(facts.title)
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


def _apa_in_text(facts: _Facts, paragraph: int | None) -> str:
    """(Landler & Macfarquhar, 2012, para. 3); without an author the short title (8.14)."""
    if facts.names:
        who = _family_list(facts.names, "&", most=2)
    else:  # a title in quotes in the entry goes in quotes here, an italic one in italics
        short = _short_title(facts.title)
        who = f"“{short}”" if facts.publication else _italic(short)
    year = str(facts.published.year) if facts.published else "n.d."
    return "(" + _commas([who, year, _para(paragraph)]) + ")"


# --- MLA 9 -----------------------------------------------------------------------------------


def _mla_names(facts: _Facts) -> list[Name]:
    """The authors MLA names: an organisation that also publishes the work is left out (ch. 5)."""
    return [] if facts.sole_author_is_publication() else facts.names


def _mla_entry(facts: _Facts) -> str:
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
    return _sentences([authors, f"“{facts.title}”", container, accessed])


def _mla_short_authors(facts: _Facts) -> str:
    """Landler / Landler and Macfarquhar / Landler et al. / “Short Title”."""
    names = _mla_names(facts)
    return _family_list(names, "and", most=2) if names else f"“{_short_title(facts.title)}”"


# --- Chicago 17, notes and bibliography ------------------------------------------------------


def _chicago_entry(facts: _Facts) -> str:
    """Landler, Mark. “Title.” *Newspaper*, June 13, 2012. URL. (14.191)"""
    publication = _italic(facts.publication) if facts.publication else ""
    if facts.names:
        heads = [_chicago_bibliography_authors(facts.names), f"“{facts.title}”"]
    else:  # 14.207: in a bibliography the newspaper stands in place of the missing author
        heads, publication = [publication, f"“{facts.title}”"], ""
    published = facts.published.chicago() if facts.published else ""
    accessed = "" if facts.published else f"Accessed {facts.accessed.chicago()}"  # 14.12
    return _sentences([*heads, _commas([publication, published]), accessed, facts.url])


def _chicago_bibliography_authors(names: list[Name]) -> str:
    """First name inverted, the others not; up to ten, else seven and et al. (14.76)."""
    shown = _first_inverted(names)
    if len(shown) > 10:
        return ", ".join(shown[:7]) + ", et al."
    return _inverted_series(shown, "and")


def _chicago_note(facts: _Facts, paragraph: int | None = None) -> str:
    """Mark Landler, “Title,” *Newspaper*, June 13, 2012, para. 3, URL. (14.191, 14.76)"""
    names = [name.natural() for name in facts.names]
    if len(names) > 3:
        names = [names[0] + " et al."]
    authors = _series(names, "and")
    accessed = f"accessed {facts.accessed.chicago()}"  # 14.12, lowercase inside a note
    when = facts.published.chicago() if facts.published else accessed
    publication = _italic(facts.publication) if facts.publication else ""
    fields = [authors, f"“{facts.title}”", publication, when, _para(paragraph), facts.url]
    return _punct(_commas(fields), ".")


def _chicago_short_note(facts: _Facts, paragraph: int | None) -> str:
    """Landler and Macfarquhar, “Heavier Weapons,” para. 3. (14.29-14.30)"""
    authors = _family_list(facts.names, "and", most=3)
    return _punct(_commas([authors, f"“{_short_title(facts.title)}”", _para(paragraph)]), ".")


# --- BibTeX (biblatex) -----------------------------------------------------------------------


def _bibtex_entry(article: Article, facts: _Facts) -> str:
    """@article with journaltitle, or @online when there is no publication (biblatex 2.1.1)."""
    fields = [
        ("author", " and ".join(_bibtex_name(name) for name in facts.names)),
        ("title", _tex(facts.title)),
        ("journaltitle", _tex(facts.publication)),
        ("date", facts.published.iso() if facts.published else ""),
        # URLs go unescaped (biblatex reads url verbatim), but a brace would end the field
        ("url", facts.url.replace("{", "%7B").replace("}", "%7D")),
        ("urldate", facts.accessed.iso() if facts.url else ""),
    ]
    kind = "article" if facts.publication else "online"
    lines = [f"  {field} = {{{value}}}," for field, value in fields if value]
    return "\n".join([f"@{kind}{{{bibtex_key(article)},", *lines, "}"])


def _bibtex_name(name: Name) -> str:
    """Family, Suffix, Given; a group in braces so that BibTeX does not split it into names."""
    if name.is_group:
        return "{" + _tex(name.family) + "}"
    return ", ".join(_tex(part) for part in (name.surname, name.suffix, name.given) if part)


def _tex(text: str) -> str:
    """Escape the characters LaTeX treats as commands in a BibTeX value."""
    # not \{ and \}: BibTeX's parser counts those braces too, and one alone breaks the entry
    specials = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "~": r"\textasciitilde{}",
                "^": r"\textasciicircum{}", "\\": r"\textbackslash{}"}
    return re.sub(r"[&%$#_{}~^\\]", lambda match: specials[match.group()], text)


# --- names -----------------------------------------------------------------------------------


def _is_group(piece: str, source: str | None) -> bool:
    """A role, an agency or the outlet itself, not a person: never inverted or initialised."""
    words = set(re.findall(r"[a-z]+", piece.lower()))
    return bool(words & _GROUP_WORDS) or _same_outlet(piece, publication_name(source))


def _same_outlet(one: str, other: str) -> bool:
    """Equal names of an outlet, ignoring case and a leading "The"."""
    def bare(text: str) -> str:
        return re.sub(r"^the\s+", "", text.strip().lower())
    return bool(bare(one)) and bare(one) == bare(other)


def _person(text: str) -> Name:
    """One person's name in parts; honorific dropped; a single word is a family name."""
    words = text.split()
    if len(words) > 1 and words[0].lower() in _HONORIFICS:
        words = words[1:]  # all three manuals leave out titles such as Dr. or Sen.
    suffix = _suffix(words[-1]) if len(words) > 1 else ""
    if suffix:
        words.pop()
    # a particle counts only after a given name: "Van Jones" is given name Van
    start = next((i for i in range(1, len(words) - 1) if words[i].lower() in _PARTICLES),
                 len(words) - 1)
    end = start
    while end < len(words) - 1 and words[end].lower() in _PARTICLES:
        end += 1
    particle, family = " ".join(words[start:end]), " ".join(words[end:])
    prefix = _PREFIX_PARTICLE.match(family)
    if prefix and not particle:
        particle, family = prefix.group(), family[prefix.end():]
    return Name(" ".join(words[:start]), family, particle, suffix)


def _suffix(word: str) -> str:
    """Jr., Sr., II, III or IV as cited, for a word that is one; else ""."""
    return _SUFFIXES.get(word.lower().rstrip("."), "")


def _initials(given: str) -> str:
    """APA initials: "Mark C." -> "M. C.", "S.A." -> "S. A.", "Jean-Pierre" -> "J.-P." (9.8)."""
    out = ""
    for token in re.findall(r"[^\W\d_]+|-", given):  # runs of letters, and hyphens
        if token == "-":
            out += "-"
        else:
            out += ("" if not out or out.endswith("-") else " ") + token[0].upper() + "."
    return out.strip("-")


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


def _check(style: str, fmt: str) -> str:
    """The style, after refusing an unknown style or output format."""
    if style not in STYLES:
        raise ValueError(f"unknown citation style {style!r}; choose from {', '.join(STYLES)}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r}; choose from {', '.join(FORMATS)}")
    return style


def _clean(text: str | None) -> str:
    """Whitespace collapsed, and none of the italic markers this module uses."""
    return " ".join((text or "").replace(_ITALIC_ON, "").replace(_ITALIC_OFF, "").split())


def _ascii(text: str) -> str:
    """Lowercase ASCII letters and digits only, accents folded: for BibTeX keys."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _italic(text: str) -> str:
    """Mark text as italic; `_render` turns the marks into the output format's own."""
    return f"{_ITALIC_ON}{text}{_ITALIC_OFF}"


def _render(text: str, fmt: str) -> str:
    """Resolve italic marks: none in plain text, *x* in Markdown, <i>x</i> in (escaped) HTML."""
    if fmt == "html":
        text = html.escape(text, quote=False)
        return text.replace(_ITALIC_ON, "<i>").replace(_ITALIC_OFF, "</i>")
    if fmt == "markdown":
        text = text.replace("\\", "\\\\").replace("*", "\\*")
        return text.replace(_ITALIC_ON, "*").replace(_ITALIC_OFF, "*")
    return text.replace(_ITALIC_ON, "").replace(_ITALIC_OFF, "")


def _punct(text: str, mark: str) -> str:
    """Add a period or comma: inside a closing quote, and not after ? or ! (or a second period)."""
    last = text.rstrip(_ITALIC_OFF + "”")[-1:]
    if last in ("?", "!") or (mark == "." and last == "."):
        return text
    if text.endswith("”"):
        return text[:-1] + mark + "”"
    return text + mark


def _sentences(parts: list[str]) -> str:
    """The non-empty elements of an entry, each closed with a period."""
    return " ".join(_punct(part, ".") for part in parts if part)


def _commas(parts: list[str]) -> str:
    """The non-empty elements joined by commas (a comma after a quoted title goes inside)."""
    kept = [part for part in parts if part]
    return " ".join([_punct(part, ",") for part in kept[:-1]] + kept[-1:])


def _para(paragraph: int | None) -> str:
    """The paragraph pinpoint all three manuals use for unpaginated works."""
    return f"para. {paragraph}" if paragraph else ""


def _short_title(title: str) -> str:
    """A title shortened for citations in the text (CMOS 14.30, APA 8.14, MLA 6).

    The main title, without a subtitle or a leading article, whole up to four words; a longer one
    keeps its first two words, extended so as not to end on a minor word ("State of the Union").
    """
    words: list[str] = []
    for word in title.split():
        if word in ("-", "–", "—"):
            break
        words.append(word.rstrip(":"))
        if word.endswith((":", "?", "!")):
            break
    if len(words) > 1 and words[0].lower() in ("a", "an", "the"):
        words = words[1:]
    if len(words) > 4:
        size = 2
        while size < 4 and words[size - 1].lower() in _MINOR_WORDS:
            size += 1
        words = words[:size]
    return " ".join(words).rstrip(",;") or title


def _drop_period(quote: str) -> str:
    """A quotation without the closing period or comma the citation's sentence will supply."""
    return quote.rstrip(".,;:") if not quote.endswith("...") else quote


def _nest_quotes(quote: str) -> str:
    """Double quotation marks inside a quotation become single ones, as all three manuals say."""
    quote = quote.replace("“", "‘").replace("”", "’")
    quote = re.sub(r'(?:^|(?<=[\s(\[]))"', "‘", quote)
    return quote.replace('"', "’")
