"""BibTeX for biblatex: an entry (@article, or @online without a publication), its key, and the
\\autocite command for a passage."""

from __future__ import annotations

import re

from tui_reader.core.articles import Article
from tui_reader.core.citations.facts import MINOR_WORDS, Facts, Name, PartialDate, ascii_key, clean, parse_names

def bibtex_key(article: Article) -> str:
    """A key such as landler2012heavier: first author (or title word), year or "nd", title word."""
    names = parse_names(article.author, article.source)
    words = [w for w in map(ascii_key, clean(article.title).split()) if w not in MINOR_WORDS | {""}]
    if names:
        first = ascii_key(names[0].surname)
    else:
        first, words = (words[0], words[1:]) if words else ("anon", [])
    when = PartialDate.parse(article.date)
    return f"{first or 'anon'}{when.year if when else 'nd'}{words[0] if words else ''}"


def autocite(article: Article, paragraph: int | None) -> str:
    """\\autocite[para.~3]{key}: biblatex places it as the document's style wants."""
    pinpoint = f"[para.~{paragraph}]" if paragraph else ""
    return f"\\autocite{pinpoint}{{{bibtex_key(article)}}}"


def entry(article: Article, facts: Facts) -> str:
    """@article with journaltitle, or @online when there is no publication (biblatex 2.1.1)."""
    fields = [
        ("author", " and ".join(_bibtex_name(name) for name in facts.names)),
        ("title", tex(facts.title)),
        ("journaltitle", tex(facts.publication)),
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
        return "{" + tex(name.family) + "}"
    return ", ".join(tex(part) for part in (name.surname, name.suffix, name.given) if part)


def tex(text: str) -> str:
    """Escape the characters LaTeX treats as commands in a BibTeX value."""
    # not \{ and \}: BibTeX's parser counts those braces too, and one alone breaks the entry
    specials = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "~": r"\textasciitilde{}",
                "^": r"\textasciicircum{}", "\\": r"\textbackslash{}"}
    return re.sub(r"[&%$#_{}~^\\]", lambda match: specials[match.group()], text)
