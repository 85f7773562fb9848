"""The facts every citation style draws on: an article's authors (people or groups), title,
publication, dates and address, cleaned once. The styles (styles.py) and the reference-manager
formats (bibtex.py) only read them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from tui_reader.core.articles import Article
from tui_reader.core.citations import publications
from tui_reader.core.dates import iso_parts

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_MLA_MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.",
               "Nov.", "Dec.")  # MLA 9 abbreviates months longer than four letters
ITALIC_ON, ITALIC_OFF = "\x0e", "\x0f"  # markers resolved per output format at the very end
# words of a byline that name an organisation ("Cnn Staff", "Sun-Times Wire", "Editorial Board"),
# not a person: such a byline is a group author (APA 9.11, MLA 5.6, CMOS 14.79); "press" is not
# one ("Daryl G. Press"): the Associated Press is found in the table of outlets
_GROUP_WORDS = {
    "staff", "agence", "reuters", "news", "editorial", "board", "agency", "wire", "wires", "team",
    "desk", "bureau", "newsroom", "service", "services", "institute", "center", "centre",
    "council", "foundation", "committee", "network", "association", "editors", "writers",
}
# words of a job title ("Cnn Contributor", "Staff Writer At", "Editor-At-Large"): the role, not
# a name, so none of the manuals cites it; it is dropped from the byline
# (only words that are never a surname: "Jennifer Senior" and "Ann Host" are persons)
_ROLE_WORDS = {
    "contributor", "contributing", "writer", "reporter", "correspondent", "columnist", "editor",
    "analyst", "commentator", "producer",
}
_ROLE_PHRASES = re.compile(r"^(?:special\s+to\b|guest\s+post\b)", re.IGNORECASE)  # "Special To Cnn"
_SECTION_PREFIX = re.compile(r"^(?:opinion|analysis|commentary)\s*[:|-]?\s+", re.IGNORECASE)  # "Opinion Lz Granderson"
# companies that own a publication and show in some bylines ("Condé Nast" on Wired): a publisher,
# never an author (APA 9.29 names no parent company; MLA 5.29)
_PUBLISHERS = {"condé nast", "conde nast", "gannett", "hearst", "mcclatchy", "news corp"}
_PARTICLES = {"de", "da", "del", "della", "der", "den", "di", "du", "la", "le", "van", "vanden",
              "von", "ter", "ten", "dos", "das", "bin", "ibn"}
_PREFIX_PARTICLE = re.compile(r"^(?:al|el)-(?=\w)", re.IGNORECASE)  # al-Assad, el-Sisi
_SUFFIXES = {"jr": "Jr.", "sr": "Sr.", "ii": "II", "iii": "III", "iv": "IV"}  # keyed without "."
_HONORIFICS = {"dr.", "sen.", "rep.", "gov.", "prof.", "mr.", "mrs.", "ms."}
# words a BibTeX key skips (bibtex.py); the styles' capitals and short titles follow titles.py
MINOR_WORDS = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by",
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


def publication_name(source: str | None, url: str | None = None, author: str | None = None) -> str:
    """The publication's name: from the table of outlets by label, else the label without its
    section suffix ("CNN (Web News)" -> "CNN"); a label naming no outlet (a columnist, "Guest
    Writer - Right") gives way to the address's entry in the table."""
    label = clean(source)
    url = clean(url)
    # the user's entries ([publications] in the settings) come before the shipped ones
    known = publications.by_label(label, shipped=False) or (url and publications.by_host(url, shipped=False))
    known = known or publications.by_label(label)
    if known:
        return known
    host = publications.by_host(url) if url else ""
    if host and (not publications.is_publication_label(label) or _names_a_byline(label, author)):
        return host
    if not publications.is_publication_label(label):
        return ""
    return publications.without_section(label) or host


def _names_a_byline(label: str, author: str | None) -> bool:
    """True when the label is one of the article's authors ("Victor Hanson" for Victor Davis Hanson)."""
    words = label.lower().split()
    if not words or not author:
        return False
    surnames = {name.family.lower() for name in parse_names(author) if not name.is_group}
    return words[-1] in surnames


def parse_names(author: str | None, source: str | None = None) -> list[Name]:
    """The authors in a comma-separated byline: job titles and publishers left out, quote marks and
    e-mail addresses cleaned, organisations and outlets as groups, spelled as the outlet spells itself."""
    names: list[Name] = []
    publication = publication_name(source) if source else ""
    for piece in re.split(r"[,;]", _clean_byline(author)):
        piece = re.sub(r"^by\s+", "", piece.strip(), flags=re.IGNORECASE).strip(" .-")
        piece = _SECTION_PREFIX.sub("", piece) if len(piece.split()) > 2 else piece
        words = set(re.findall(r"[a-z]+", piece.lower()))
        if _suffix(piece) and names and not names[-1].is_group:
            last = names.pop()  # "Tom Howell, Jr." was split at its comma
            names.append(Name(last.given, last.family, last.particle, _suffix(piece)))
        elif not piece or piece.lower() in _PUBLISHERS or words & _ROLE_WORDS or _ROLE_PHRASES.match(piece):
            continue  # a job title ("Cnn Contributor") or the parent company is not an author
        elif words & _GROUP_WORDS or _outlet(piece, publication):
            names.append(Name("", _outlet_spelling(piece, publication), is_group=True))
        else:
            names.extend(_person(one) for one in re.split(r"\s+(?:and|&)\s+", piece) if one)
    return names


def _clean_byline(author: str | None) -> str:
    """A byline without e-mail addresses, handles and stray quotation marks ("Cortney OBrien\")."""
    text = re.sub(r"\S+@\S+|(?<!\w)@\w+|\be-?mail\b:?", " ", clean(author), flags=re.IGNORECASE)
    text = re.sub(r"[\"“”„«»]", "", text)
    text = re.sub(r"(?<![^\W\d_])['‘’]|['‘’](?![^\W\d_])", "", text)
    return re.sub(r"['‘]", "’", text)  # an apostrophe inside a name, typeset as in titles: O’Brien


def _outlet(piece: str, publication: str) -> bool:
    """True for a byline naming an outlet ("Usa Today", "Politico"): a group, not a person."""
    return same_outlet(piece, publication) or bool(publications.by_label(piece))


def _outlet_spelling(piece: str, publication: str) -> str:
    """A group author as the outlet spells itself: "Cnn Staff" with CNN as source -> "CNN Staff"."""
    for name in sorted({publication, *publications.known_names()} - {""}, key=len, reverse=True):
        bare = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
        match = re.match(rf"(?:the\s+)?{re.escape(bare)}(?=\s|$)", piece, re.IGNORECASE)
        if match:
            return name + piece[match.end():]
    known = publications.by_label(piece)
    return known or piece


# --- dates and facts ----------------------------------------------------------------------


@dataclass(frozen=True)
class PartialDate:
    """A date of which the month and day may be unknown."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str | None) -> PartialDate | None:
        """YYYY, YYYY-MM or YYYY-MM-DD; None for anything else, or an impossible date."""
        parts = iso_parts(clean(text))
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
class Facts:
    """An article's citable metadata, cleaned once for every style."""

    names: list[Name]
    title: str
    publication: str
    published: PartialDate | None
    url: str
    accessed: PartialDate

    @classmethod
    def of(cls, article: Article, today: date | None) -> Facts:
        """Read the facts off an Article; the access date falls back to today."""
        accessed = PartialDate.parse(article.access_date) or PartialDate.parse(
            (today or date.today()).isoformat())
        publication = publication_name(article.source, article.url, article.author)
        return cls(
            names=parse_names(article.author, publication or article.source),
            title=clean(article.title) or "[Untitled]",
            publication=publication,
            published=PartialDate.parse(article.date),
            url=clean(article.url),
            accessed=accessed,
        )

    def sole_author_is_publication(self) -> bool:
        """True for a byline like "Reuters" on a Reuters article."""
        return len(self.names) == 1 and self.names[0].is_group and same_outlet(
            self.names[0].family, self.publication)


# --- names -----------------------------------------------------------------------------------


def same_outlet(one: str, other: str) -> bool:
    """Equal names of an outlet, ignoring case and a leading "The"."""
    def bare(text: str) -> str:
        return re.sub(r"^the\s+", "", text.strip().lower())
    return bool(bare(one)) and bare(one) == bare(other)


def _person(text: str) -> Name:
    """One person's name in parts; honorific dropped; a single word is a family name; initials
    spaced and closed with a period ("S.A." -> "S. A.", "John P Avlon" -> "John P. Avlon"), as
    CMOS 10.12 and MLA write them."""
    text = re.sub(r"(?<![^\W\d_])([^\W\d_])\.(?=[^\W\d_]\.)", r"\1. ", text)
    words = text.split()
    words = [w + "." if len(w) == 1 and w.isupper() and i < len(words) - 1 else w
             for i, w in enumerate(words)]
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


def clean(text: str | None) -> str:
    """Whitespace collapsed, and none of the italic markers this module uses."""
    return " ".join((text or "").replace(ITALIC_ON, "").replace(ITALIC_OFF, "").split())


def ascii_key(text: str) -> str:
    """Lowercase ASCII letters and digits only, accents folded: for BibTeX keys."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())
