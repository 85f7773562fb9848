"""BibTeX in two flavours: biblatex (@article with journaltitle and date, or @online) and classic
BibTeX (@article with journal, year and month, or @misc) that plain.bst reads; the keys, unique
within an export; and the citation command for a passage."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from itertools import count

from tui_reader.core.articles import Article
from tui_reader.core.citations.facts import MINOR_WORDS, Facts, Name, ascii_key

_MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def bibtex_key(article: Article) -> str:
    """The key an article has alone, e.g. landler2012heavier: first author (or title word), year
    or "nd", first title word that is not a minor one."""
    return base_key(Facts.of(article, date.today()))


def base_key(facts: Facts) -> str:
    """The key before any suffix that keeps it apart from another article's."""
    words = [w for w in map(ascii_key, facts.title.split()) if w not in MINOR_WORDS | {""}]
    if facts.names:
        first = ascii_key(facts.names[0].surname)
    else:
        first, words = (words[0], words[1:]) if words else ("anon", [])
    year = facts.published.year if facts.published else "nd"
    return f"{first or 'anon'}{year}{words[0] if words else ''}"


def unique_keys(entries: Sequence[tuple[Article, Facts]]) -> list[str]:
    """One key per entry, none repeated. Articles whose keys would clash are put in a stable order
    (publication date, undated last, then id) whatever order they came in: the first keeps the key
    it has alone (what `cite` gives), the others get a, b, ..., z, aa, ... as biblatex users expect.
    The same set of articles therefore always gets the same keys."""
    bases = [base_key(facts) for _, facts in entries]
    by_base: dict[str, list[int]] = {}
    for i, base in enumerate(bases):
        by_base.setdefault(base, []).append(i)
    keys = list(bases)
    taken = set(bases)  # a suffixed key must not take another article's own key ("smith2019war" + "a")
    for base in sorted(by_base):
        clashing = sorted(by_base[base], key=lambda i: _stable_order(*entries[i]))
        suffixes = (_letters(n) for n in count())
        for i in clashing[1:]:
            key = next(base + s for s in suffixes if base + s not in taken)
            keys[i] = key
            taken.add(key)
    return keys


def _stable_order(article: Article, facts: Facts) -> tuple:
    """Earliest first; an undated article after the dated ones; the id breaks ties."""
    published = facts.published
    return (published is None, published.iso() if published else "", article.id)


def _letters(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa, 27 -> ab: spreadsheet-column letters."""
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def cite_command(key: str, paragraph: int | None, flavour: str = "biblatex") -> str:
    """\\autocite[para.~3]{key} for biblatex (placed as the document's style wants), \\cite for BibTeX."""
    pinpoint = f"[para.~{paragraph}]" if paragraph else ""
    command = "autocite" if flavour == "biblatex" else "cite"
    return f"\\{command}{pinpoint}{{{key}}}"


def entry(facts: Facts, key: str, flavour: str = "biblatex") -> str:
    """One entry in the flavour asked for."""
    return biblatex_entry(facts, key) if flavour == "biblatex" else classic_entry(facts, key)


def biblatex_entry(facts: Facts, key: str) -> str:
    """@article with journaltitle, or @online when there is no publication (biblatex 2.1.1)."""
    fields = [
        ("author", _authors(facts.names)),
        ("title", tex(facts.title)),
        ("journaltitle", tex(facts.publication)),
        ("date", facts.published.iso() if facts.published else ""),
        ("url", _url(facts.url)),
        ("urldate", facts.accessed.iso() if facts.url else ""),
    ]
    return _render("article" if facts.publication else "online", key, fields)


def classic_entry(facts: Facts, key: str) -> str:
    """@article with journal, year and month (plain.bst prints these and ignores biblatex's
    journaltitle and date), or @misc without a publication; the access date goes in a note."""
    published = facts.published
    fields = [
        ("author", _authors(facts.names)),
        # double braces: classic styles lower-case article titles, which would lower proper nouns
        ("title", "{" + tex(facts.title) + "}"),
        ("journal", tex(facts.publication)),
        ("year", str(published.year) if published else ""),
        ("url", _url(facts.url)),
        ("note", f"Accessed {facts.accessed.chicago()}" if facts.url else ""),
    ]
    lines = [f"@{'article' if facts.publication else 'misc'}{{{key},"]
    for field, value in fields:
        if value:
            lines.append(f"  {field} = {{{value}}},")
        if field == "year" and published and published.month:
            # the standard month macro, unbraced, so that every style prints it in its own way
            lines.append(f"  month = {_MONTH_MACROS[published.month - 1]},")
    return "\n".join([*lines, "}"])


def _render(kind: str, key: str, fields: list[tuple[str, str]]) -> str:
    """@kind{key, field = {value}, ...} with the empty fields left out."""
    lines = [f"  {field} = {{{value}}}," for field, value in fields if value]
    return "\n".join([f"@{kind}{{{key},", *lines, "}"])


def _authors(names: list[Name]) -> str:
    """The names joined with "and", as both BibTeX and biblatex read them."""
    return " and ".join(_bibtex_name(name) for name in names)


def _url(url: str) -> str:
    """A URL unescaped (both read url verbatim), but a brace would end the field."""
    return url.replace("{", "%7B").replace("}", "%7D")


def _bibtex_name(name: Name) -> str:
    """Family, Suffix, Given; a group in braces so that BibTeX does not split it into names."""
    if name.is_group:
        return "{" + tex(name.family) + "}"
    return ", ".join(tex(part) for part in (name.surname, name.suffix, name.given) if part)


def tex(text: str) -> str:
    """Escape the characters LaTeX treats as commands in a BibTeX value."""
    # not \{ and \}: BibTeX's parser counts those braces too, and one alone breaks the entry
    specials = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "~": r"\textasciitilde{}",
                "^": r"\textasciicircum{}", "\\": r"\textbackslash{}"}
    return re.sub(r"[&%$#_{}~^\\]", lambda match: specials[match.group()], text)
