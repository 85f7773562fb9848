"""The names of well-known outlets, as a citation gives them: found from the archive's source label
("NPR Online News" -> "NPR") or, when the label names no publication ("Guest Writer - Right", a
columnist's name), from the article's address (npr.org -> NPR).

The table ships with the app; a user's `[publications]` table in config.toml adds to it or overrides
it (`"npr.org" = "NPR"`, or a label: `"Fox Online News" = "Fox News"`). The core never reads the
settings: whoever loads them hands the table to `use`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# host (without "www.") -> name; a host's subdomains share its entry (politicalticker.blogs.cnn.com)
HOSTS: dict[str, str] = {
    "abcnews.go.com": "ABC News", "aljazeera.com": "Al Jazeera", "apnews.com": "Associated Press",
    "axios.com": "Axios", "bbc.co.uk": "BBC News", "bbc.com": "BBC News",
    "bloomberg.com": "Bloomberg", "bostonglobe.com": "The Boston Globe", "breitbart.com": "Breitbart News",
    "businessinsider.com": "Business Insider", "buzzfeednews.com": "BuzzFeed News",
    "cbn.com": "CBN News", "cbsnews.com": "CBS News", "cnbc.com": "CNBC", "cnn.com": "CNN",
    "csmonitor.com": "Christian Science Monitor", "dailybeast.com": "The Daily Beast",
    "thedailybeast.com": "The Daily Beast", "dailycaller.com": "The Daily Caller",
    "dailykos.com": "Daily Kos", "dailymail.co.uk": "Daily Mail", "dailywire.com": "The Daily Wire",
    "economist.com": "The Economist", "fivethirtyeight.com": "FiveThirtyEight",
    "foreignpolicy.com": "Foreign Policy", "foxbusiness.com": "Fox Business",
    "foxnews.com": "Fox News", "freebeacon.com": "Washington Free Beacon",
    "hotair.com": "Hot Air", "huffingtonpost.com": "HuffPost", "huffpost.com": "HuffPost",
    "latimes.com": "Los Angeles Times", "motherjones.com": "Mother Jones",
    "msnbc.com": "MSNBC", "nationalreview.com": "National Review", "nbcnews.com": "NBC News",
    "newrepublic.com": "New Republic", "newsmax.com": "Newsmax", "newyorker.com": "The New Yorker",
    "npr.org": "NPR", "nymag.com": "New York Magazine", "nypost.com": "New York Post",
    "nytimes.com": "New York Times", "pbs.org": "PBS NewsHour", "politico.com": "Politico",
    "propublica.org": "ProPublica", "realclearpolitics.com": "RealClearPolitics",
    "reason.com": "Reason", "reuters.com": "Reuters", "salon.com": "Salon", "slate.com": "Slate",
    "spectator.org": "American Spectator", "suntimes.com": "Chicago Sun-Times",
    "theatlantic.com": "The Atlantic", "theblaze.com": "TheBlaze", "theguardian.com": "The Guardian",
    "thehill.com": "The Hill", "theintercept.com": "The Intercept", "thenation.com": "The Nation",
    "theweek.com": "The Week", "time.com": "Time", "townhall.com": "Townhall",
    "usatoday.com": "USA Today", "vanityfair.com": "Vanity Fair", "vice.com": "Vice",
    "vox.com": "Vox", "washingtonexaminer.com": "Washington Examiner",
    "washingtonpost.com": "Washington Post", "washingtontimes.com": "Washington Times",
    "wired.com": "Wired", "wsj.com": "Wall Street Journal",
}
# an archive's label (compared without case, a leading "The" or punctuation) -> the outlet's name
# as the outlet writes it; a label not listed here is cited as it stands, less its section suffix
NAMES: dict[str, str] = {
    "npr": "NPR", "npr online news": "NPR", "fox online news": "Fox News",
    "fox news online": "Fox News", "fox news opinion": "Fox News", "cnn": "CNN",
    "cnn web news": "CNN", "usa today": "USA Today", "bbc news": "BBC News", "cbn": "CBN News",
    "nbcnews com": "NBC News", "nbc news online": "NBC News", "abc news online": "ABC News",
    "theblaze com": "TheBlaze", "time magazine": "Time",
    "wall street journal": "Wall Street Journal",
    "daily caller": "The Daily Caller", "yahoo the 360": "Yahoo News", "yahoo news": "Yahoo News",
    "msnbc": "MSNBC", "cnbc": "CNBC", "hotair": "Hot Air", "huffpost": "HuffPost",
    "huffington post": "HuffPost", "associated press": "Associated Press", "reuters": "Reuters",
}
# labels that name a kind of writer, not a publication: the address says where it appeared
_NOT_A_PUBLICATION = re.compile(r"^guest (?:writer|author|columnist)\b|^opinion$|^contributor$",
                                re.IGNORECASE)
_SECTION_SUFFIX = re.compile(
    r"\s*(?:[-–—]\s*(?:News|Opinion|Editorial|Right|Left|Center)"
    r"|\((?:News|Opinion|Online News|Web News|Online)\))\s*$",
    re.IGNORECASE,
)

_extra_hosts: dict[str, str] = {}
_extra_names: dict[str, str] = {}


def use(extra: dict[str, str]) -> None:
    """Add the user's entries (host or label -> name) to the shipped table, replacing earlier ones."""
    _extra_hosts.clear()
    _extra_names.clear()
    for key, name in extra.items():
        name = " ".join(name.split())
        if not name:
            continue
        if "." in key and " " not in key.strip():  # "npr.org": an address's host
            _extra_hosts[_bare_host(key)] = name
        else:
            _extra_names[_label_key(key)] = name


def without_section(label: str) -> str:
    """The source label without the archive's section suffix ("CNN (Web News)" -> "CNN")."""
    return _SECTION_SUFFIX.sub("", label).strip()


def by_label(label: str, shipped: bool = True) -> str:
    """The outlet a label names, from the user's table, then (with `shipped`) the app's; else ""."""
    for table in (_extra_names, NAMES) if shipped else (_extra_names,):
        for key in (_label_key(label), _label_key(without_section(label))):
            if key in table:
                return table[key]
    return ""


def by_host(url: str, shipped: bool = True) -> str:
    """The outlet at an address, from the user's table, then (with `shipped`) the app's; a subdomain
    shares its domain's entry; else ""."""
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:
        return ""
    parts = _bare_host(host).split(".")
    for start in range(len(parts) - 1):
        candidate = ".".join(parts[start:])
        for table in (_extra_hosts, HOSTS) if shipped else (_extra_hosts,):
            if candidate in table:
                return table[candidate]
    return ""


def is_publication_label(label: str) -> bool:
    """False for a label that names a kind of writer ("Guest Writer - Right") rather than an outlet."""
    return bool(label) and not _NOT_A_PUBLICATION.search(without_section(label) or label)


def known_names() -> set[str]:
    """Every outlet name in the table, for telling an outlet in a byline from a person."""
    return {*NAMES.values(), *HOSTS.values(), *_extra_names.values(), *_extra_hosts.values()}


def _bare_host(host: str) -> str:
    """A host lowercased, without "www." and a trailing dot."""
    return re.sub(r"^www\d*\.", "", host.strip().lower().rstrip("."))


def _label_key(label: str) -> str:
    """A label compared without case, punctuation or a leading "The"."""
    words = re.findall(r"[a-z0-9]+", label.lower())
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    return " ".join(words)
