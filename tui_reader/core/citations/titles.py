"""Titles as each manual writes them: quotation marks nested American style, headline-style
capitals (CMOS 8.159, MLA 9 1.2), and the short title of a note or an in-text citation (CMOS 14.30)."""

from __future__ import annotations

import re

_ARTICLES = {"a", "an", "the"}
_CONJUNCTIONS = {"and", "but", "for", "nor", "or"}  # coordinating: lowercase in CMOS and MLA
# prepositions lowercase whatever their length (CMOS 8.159 rule 3, MLA 9 1.2); words that are as
# often adverbs or conjunctions (up, down, out, off, over, after, before, since, until, like) are
# left capitalised, as the manuals capitalise them in those uses
_PREPOSITIONS = {
    "about", "above", "across", "against", "along", "amid", "among", "around", "as", "at",
    "behind", "below", "beneath", "beside", "besides", "between", "beyond", "by", "despite",
    "during", "except", "from", "in", "inside", "into", "of", "on", "onto", "outside", "per",
    "through", "throughout", "to", "toward", "towards", "under", "underneath", "unlike", "upon",
    "via", "vs.", "v.", "with", "within", "without",
}
LOWERCASE = _ARTICLES | _CONJUNCTIONS | _PREPOSITIONS
# APA title case (6.17) lowercases only the minor words of three letters or fewer ("Clash With")
_APA_LOWERCASE = {w for w in LOWERCASE | {"so", "yet", "off", "up"} if len(w) <= 3}
_AUXILIARIES = {"is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "has",
                "have", "had", "will", "would", "can", "could", "shall", "should", "may", "might",
                "must", "why", "how", "what", "who", "when", "where", "not", "if", "so", "yet",
                "that", "than", "no", "my", "his", "her", "its", "our", "their", "your", "this",
                "these", "those", "some", "any", "each", "every"}
# a kicker before the headline ("OPINION: ..."), not its main title: a short title skips it
_KICKERS = {"opinion", "exclusive", "analysis", "watch", "video", "breaking", "update", "updated",
            "live", "editorial", "commentary", "review", "poll", "photos"}
# a short title must not end on one of these (CMOS 14.30: it keeps the title's key words)
_WEAK_ENDINGS = LOWERCASE | _AUXILIARIES
# a prefix that cannot stand alone keeps the next element lowercase (CMOS 8.161: "Anti-inflation")
_PREFIXES = {"anti", "co", "de", "inter", "intra", "mid", "multi", "non", "post", "pre", "pro",
             "re", "semi", "sub", "super", "trans", "un"}
# acronyms an ALL-CAPS headline may hold: kept in capitals when the rest is re-cased
_ACRONYMS = {"US", "USA", "UN", "UK", "EU", "NATO", "ISIS", "ISIL", "GOP", "FBI", "CIA", "NSA",
             "CNN", "NPR", "IRS", "DOJ", "EPA", "ICE", "NFL", "NBA", "AP", "CEO", "GDP", "AIDS",
             "HIV", "LGBT", "LGBTQ", "DNC", "RNC", "TV", "ABC", "CBS", "NBC", "BBC", "MSNBC",
             "NRA", "NYC", "DC", "COVID", "II", "III", "IV", "VA", "DHS", "ACLU", "NASA", "OPEC"}
_OPEN_CONTEXT = set(" \t([{—–-/") | {""}
_LETTER = re.compile(r"[^\W_]")
OPEN = ("“", "‘")  # by depth: even depth double, odd single (CMOS 6.9; APA 7 p. 157 ff.; MLA alike)
CLOSE = ("”", "’")


# --- quotation marks -------------------------------------------------------------------------


def nest(title: str, depth: int = 0) -> str:
    """The title's quotation marks paired and nested American style: double at the outside, single
    within, alternating; `depth` 1 when the title itself stands in quotation marks. An apostrophe
    (don't, O'Brien, protesters') is written ’ and never taken for a quotation mark."""
    out: list[str] = []
    stack: list[int] = []  # indices in out of the opening marks not yet closed
    for i, char in enumerate(title):
        before, after = title[i - 1:i], title[i + 1:i + 2]
        if char not in "\"“”„'‘’":
            out.append(char)
            continue
        double = char in "\"“”„"
        opening = before in _OPEN_CONTEXT or before in "\"“‘'"
        if not double and _LETTER.match(before or " ") and _LETTER.match(after or " "):
            out.append("’")  # inside a word: an apostrophe
        elif opening and after not in ("", " ") and (char not in "”’" or not stack):
            stack.append(len(out))
            out.append("\0" + ("d" if double else "s"))
        elif stack and (double == (out[stack[-1]] == "\0d") or double):
            level = (depth + len(stack) - 1) % 2
            out[stack.pop()] = OPEN[level]
            out.append(CLOSE[level])
        else:
            out.append("’" if not double else "")  # an apostrophe (protesters'), or a stray mark
    for index in stack:  # an opening mark never closed: an apostrophe ('90s) or a stray double
        out[index] = "’" if out[index] == "\0s" else ""
    return " ".join("".join(out).split())


def close_inside(text: str, mark: str) -> str:
    """Add a period or comma inside the closing quotation marks at the end (CMOS 6.9, APA 7 p. 157 ff.)."""
    end = len(text)
    while end and text[end - 1] in "”’" and (text[end - 1] == "”" or "‘" in text[:end - 1]):
        end -= 1
    last = text[end - 1:end]
    if last in ("?", "!") or (mark == "." and last == "."):
        return text
    return text[:end] + mark + text[end:]


# --- capitals --------------------------------------------------------------------------------


def headline(title: str, apa: bool = False) -> str:
    """Headline-style capitals (CMOS 8.159, MLA 9 1.2): major words up; articles, coordinating
    conjunctions and prepositions down unless first, last or after a colon; words in capitals
    (ISIS, U.N.) and with inner capitals (iPhone, McConnell) kept; an ALL-CAPS headline re-cased
    except for its acronyms. With `apa`, APA title case (6.17): only minor words of three letters
    or fewer down, and both parts of a hyphenated compound up."""
    capitals = shouting(title)
    minor = _APA_LOWERCASE if apa else LOWERCASE
    words = title.split(" ")
    out = []
    for i, word in enumerate(words):
        first = i == 0 or words[i - 1].endswith((":", "?", "!", "—")) or words[i - 1] in ("—", "–", "-")
        last = i == len(words) - 1
        parts = word.split("-")
        out.append("-".join(
            _case(part, minor, first and j == 0 or last or j > 0 and _bare(part) not in minor, capitals,
                  j > 0 and not apa and _bare(parts[j - 1]) in _PREFIXES)
            for j, part in enumerate(parts)))
    return " ".join(out)


def _case(word: str, minor: set[str], force: bool, shouting: bool, after_prefix: bool) -> str:
    """One word (or one element of a compound) in headline style."""
    lead = len(word) - len(word.lstrip("“‘\"'(["))
    head, core = word[:lead], word[lead:]
    letters = [c for c in core if c.isalpha()]
    if not letters:
        return word
    bare = _bare(core)
    if shouting:
        if bare.upper() in _ACRONYMS or re.search(r"[^\W\d_]\.[^\W\d_]", core):
            return word  # an acronym, or U.N. / U.S.
        core = core.lower()
    elif any(c.isupper() for c in core[1:]) or next(c for c in core if c.isalnum()).isdigit():
        return word  # ISIS, U.N., iPhone, McConnell, 9/11: as the outlet wrote them
    if after_prefix:
        return head + core.lower()
    if bare in minor and not force:
        return head + core.lower()
    index = next(i for i, c in enumerate(core) if c.isalpha())
    return head + core[:index] + core[index].upper() + core[index + 1:]


def _bare(word: str) -> str:
    """A word lowercased without the punctuation around it."""
    return word.strip("“”‘’\"'()[],.:;?!").lower() if not word.lower() in ("vs.", "v.") else word.lower()


def shouting(title: str) -> bool:
    """True for a headline written in capitals throughout ("SYRIA TALKS FAIL")."""
    words = [w for w in re.findall(r"[^\W\d_]+", title) if len(w) > 1]
    return len(words) >= 2 and all(w.isupper() for w in words)


# --- short titles ----------------------------------------------------------------------------


def short(title: str) -> str:
    """The short title of a note or in-text citation (CMOS 14.30, APA 8.14, MLA 6.6): the main
    title without its subtitle or leading article, whole up to four words; a longer one gives its
    first two words, extended up to four so as not to end on an article, preposition, conjunction
    or auxiliary ("Why Does ISIS", not "Why Does"), and never stopping inside a quotation."""
    words: list[str] = []
    kicker = re.match(r"\s*(\w+)\s*:\s+(?=\S)", title)
    if kicker and kicker.group(1).lower() in _KICKERS:
        title = title[kicker.end():]
    for word in title.split():
        if word in ("-", "–", "—"):
            break
        words.append(word.rstrip(":"))
        if word.endswith((":", "?", "!")) and not _open_quote(words):
            break
    if len(words) > 1 and words[0].lower() in _ARTICLES:
        words = words[1:]
    if len(words) > 4:
        size = 2
        while size < 4 and _weak(words[size - 1]):
            size += 1
        while size > 1 and _weak(words[size - 1]):
            size -= 1
        if _open_quote(words[:size]):  # take the quotation whole, or stop before it opens
            closing = next((n for n in range(size, len(words) + 1) if not _open_quote(words[:n])), None)
            opening = max(i for i in range(size) if _open_quote(words[:i + 1]) and not _open_quote(words[:i]))
            size = closing if closing and (closing <= 6 or opening == 0) else opening or size
        words = words[:size]
    return " ".join(words).rstrip(",;") or title


def _weak(word: str) -> bool:
    """True for a word a short title must not end on."""
    return _bare(word) in _WEAK_ENDINGS


def _open_quote(words: list[str]) -> bool:
    """True when the words leave a quotation open (marks already nested by `nest`)."""
    text = " ".join(words)
    opened = text.count("“") + text.count("‘")
    closed = text.count("”") + sum(1 for i, c in enumerate(text) if c == "’" and not (
        i + 1 < len(text) and _LETTER.match(text[i + 1]) and i and _LETTER.match(text[i - 1])))
    return opened > closed
