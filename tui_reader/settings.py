"""The user's settings: typed, with defaults, read from a TOML file; every value checked as it loads."""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any


from tui_reader import locations
from tui_reader.core import citations
from tui_reader.core.citations import publications as outlets
from tui_reader.core.sanitize import clean_line

SORTS = ("relevance", "date")
SEARCH_LIMITS = (1, 10_000)  # hits listed for a search; beyond this a search is slow and the list no use
CLIPBOARD_TIMEOUTS = (0.0, 60.0)  # seconds, the lower end excluded: a copy needs some time
# Minutes between automatic refreshes of the feeds, when on: feeds seldom change faster than every few
# minutes, and a reader that asks more often only loads the sites (newsboat's default is an hour).
REFRESH_MINUTES = (5, 24 * 60)


@dataclass(frozen=True)
class Settings:
    """Everything a user can set in config.toml; every field has a sensible default."""

    citation_style: str = "apa"  # one of citations.STYLES: apa, mla, chicago, chicago-note, biblatex, bibtex, csl-json, ris
    citation_format: str = "plain"  # plain, markdown, html: how italics are written
    search_limit: int = 100  # hits listed for a search (Whoosh's cost grows with it; 500 was 2-3x slower)
    default_sort: str = "relevance"  # relevance or date
    clipboard_timeout: float = 2.0  # seconds to wait for the system clipboard program
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> keys, e.g. {"quit": "q,ctrl+q"}
    theme: str = "textual-dark"  # the app checks the name against its themes, which only it knows
    # host or source label -> the publication's name in citations, over the shipped table of outlets:
    # {"npr.org": "NPR", "Fox Online News": "Fox News"}
    publications: dict[str, str] = field(default_factory=dict)
    # [feeds] refresh_minutes: refresh every feed this often while the app runs; 0 (the default) is never
    refresh_minutes: int = 0


# Settings written inside a table of the file rather than at its top: field -> (table, key).
IN_TABLES = {"refresh_minutes": ("feeds", "refresh_minutes")}


class Invalid(ValueError):
    """A value a setting cannot take; the message says what it can take."""


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], Any]:
    """A check that the value is one of choices."""

    def check(value: Any) -> Any:
        if not isinstance(value, str) or value not in choices:
            raise Invalid(f"choose from {', '.join(choices)}")
        return value

    return check


def _whole_number(value: Any) -> int:
    """A positive integer within SEARCH_LIMITS."""
    low, high = SEARCH_LIMITS
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Invalid(f"a whole number from {low} to {high:,}")
    return value


def _seconds(value: Any) -> float:
    """A positive number of seconds within CLIPBOARD_TIMEOUTS; an integer (3) is as good as 3.0."""
    low, high = CLIPBOARD_TIMEOUTS
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low < value <= high:
        raise Invalid(f"a number of seconds above {low:g} and at most {high:g}")
    return float(value)


def _minutes(value: Any) -> int:
    """0 (off), or a whole number of minutes within REFRESH_MINUTES."""
    low, high = REFRESH_MINUTES
    if isinstance(value, bool) or not isinstance(value, int) or not (value == 0 or low <= value <= high):
        raise Invalid(f"0 for never, or a whole number of minutes from {low} to {high:,}")
    return value


def _text(value: Any) -> str:
    """Any string."""
    if not isinstance(value, str):
        raise Invalid("a string in quotes")
    return value


CHECKS: dict[str, Callable[[Any], Any]] = {
    "citation_style": _one_of(citations.STYLES),
    "citation_format": _one_of(citations.FORMATS),
    "search_limit": _whole_number,
    "default_sort": _one_of(SORTS),
    "clipboard_timeout": _seconds,
    "theme": _text,
}
TABLE_NAMES = frozenset(table for table, _ in IN_TABLES.values())
TABLE_CHECKS: dict[str, Callable[[Any], Any]] = {"refresh_minutes": _minutes}  # the fields of IN_TABLES


def load(path: Path | None = None) -> tuple[Settings, list[str]]:
    """Settings from the config file, and the problems found in it; each bad value is replaced by its default.

    The [publications] table is handed to the citations here, so the CLI and the app, which both load
    the settings this way, cite with it (the core never reads the settings itself)."""
    loaded, problems = _read(path or locations.config_file())
    outlets.use(loaded.publications)
    return loaded, problems


def _read(path: Path) -> tuple[Settings, list[str]]:
    """Settings and problems from the file at path."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(), []
    except (OSError, UnicodeDecodeError) as error:
        return Settings(), [f"{display_name(path)}: cannot be read ({error}); using the default settings"]
    return parse(text, path)


def parse(text: str, path: Path) -> tuple[Settings, list[str]]:
    """Settings from the text of a config file (path names it in the messages), and the problems found."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Settings(), [f"{display_name(path)}: not valid TOML ({error}); using the default settings"]
    defaults = Settings()
    problems: list[str] = []
    chosen: dict[str, Any] = {}
    for key, value in data.items():
        if key == "keys":
            chosen["keys"] = _keys(value, path, problems)
        elif key == "publications":
            chosen["publications"] = _publications(value, path, problems)
        elif key in TABLE_NAMES:
            chosen.update(_table(key, value, path, problems))
        elif key not in CHECKS:
            known = ", ".join([f.name for f in fields(Settings) if f.name not in IN_TABLES] + sorted(TABLE_NAMES))
            problems.append(f"{display_name(path)}: unknown setting {shown_value(key)} "
                            f"(the settings are {known}); ignored")
        else:
            try:
                chosen[key] = CHECKS[key](value)
            except Invalid as allowed:
                problems.append(f"{display_name(path)}: {key} = {shown_value(value)} is not allowed ({allowed}); "
                                f"using {shown_value(getattr(defaults, key))}")
    return replace(defaults, **chosen), problems


def _table(table: str, value: Any, path: Path, problems: list[str]) -> dict[str, Any]:
    """The checked values of a table of settings ([feeds]): field -> value; a bad or unknown entry is
    named and left out, so that its default stands."""
    settings = {key: name for name, (in_table, key) in IN_TABLES.items() if in_table == table}
    if not isinstance(value, dict):
        problems.append(f"{display_name(path)}: {table} = {shown_value(value)} is not allowed (a [{table}] table "
                        f"of {', '.join(settings)}); using the defaults")
        return {}
    defaults = Settings()
    chosen = {}
    for key, item in value.items():
        name = settings.get(key)
        if name is None:
            problems.append(f"{display_name(path)}: unknown setting [{table}] {shown_value(key)} (the [{table}] "
                            f"settings are {', '.join(settings)}); ignored")
            continue
        try:
            chosen[name] = TABLE_CHECKS[name](item)
        except Invalid as allowed:
            problems.append(f"{display_name(path)}: [{table}] {key} = {shown_value(item)} is not allowed ({allowed}); "
                            f"using {shown_value(getattr(defaults, name))}")
    return chosen


def _keys(value: Any, path: Path, problems: list[str]) -> dict[str, str]:
    """The [keys] table: binding id -> keys as a string; entries of another kind are reported and left out.

    Whether the ids exist and the keys clash is for the app to say: only it has the bindings."""
    if not isinstance(value, dict):
        problems.append(f"{display_name(path)}: keys = {shown_value(value)} is not allowed (a [keys] table of "
                        f'binding id = "keys"); using the default keys')
        return {}
    keys = {}
    for binding_id, keys_text in value.items():
        if isinstance(keys_text, str) and all(part.strip() for part in keys_text.split(",")):
            keys[binding_id] = keys_text
        else:
            problems.append(f"{display_name(path)}: [keys] {shown_value(binding_id)} = {shown_value(keys_text)} "
                            f'is not allowed (keys in quotes, separated by commas, such as "s,ctrl+s"); '
                            f"using its default keys")
    return keys


def _publications(value: Any, path: Path, problems: list[str]) -> dict[str, str]:
    """The [publications] table: host or label -> name, both non-empty strings; others reported and left out."""
    if not isinstance(value, dict):
        problems.append(f"{display_name(path)}: publications = {shown_value(value)} is not allowed (a "
                        f'[publications] table such as "npr.org" = "NPR"); using the shipped names')
        return {}
    names = {}
    for key, name in value.items():
        if key.strip() and isinstance(name, str) and clean_line(name).strip():
            names[key.strip()] = clean_line(name).strip()
        else:
            problems.append(f"{display_name(path)}: [publications] {shown_value(key)} = {shown_value(name)} "
                            f'is not allowed (a name in quotes, such as "npr.org" = "NPR"); ignored')
    return names


def save(settings: Settings, path: Path | None = None) -> None:
    """Write the settings that differ from what the file says, in place: the user's comments, order and
    formatting stay, and so does every value the app did not change (a bad one keeps its warning, to be
    mended by the user rather than wiped by us). Atomic: readers see the old file or the new, never half.

    Raises ValueError when the file is not valid TOML: it is the user's, and is not overwritten."""
    path = path or locations.config_file()
    if path.is_symlink():  # a config kept in a dotfiles repository: write through the link, keep it
        path = path.resolve()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    # Imported here: tomlkit costs ~25 ms of start-up, and only saving needs it (loading uses tomllib).
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        document = tomlkit.parse(text)
    except TOMLKitError as error:
        raise ValueError(f"{display_name(path)} is not valid TOML ({error}); not overwritten") from error
    current, _ = parse(text, path)
    for f in fields(Settings):
        new, old = getattr(settings, f.name), getattr(current, f.name)
        if new == old:
            continue
        if f.name in IN_TABLES:
            name, key = IN_TABLES[f.name]
            table = document.get(name)
            if not isinstance(table, dict):
                table = document[name] = tomlkit.table()
            table[key] = new
        elif isinstance(new, dict):
            table = document.get(f.name)
            if not isinstance(table, dict):
                table = document[f.name] = tomlkit.table()
            for key, value in new.items():  # added or changed; entries are never removed from the user's file
                if old.get(key) != value:
                    table[key] = value
        else:
            document[f.name] = new
    _write_atomically(path, tomlkit.dumps(document))


def _write_atomically(path: Path, text: str) -> None:
    """Write text to path through a temporary file in the same folder, renamed over it once complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.chmod(temporary, path.stat().st_mode & 0o777)  # keep the user's permissions
        except FileNotFoundError:
            os.chmod(temporary, 0o644)  # mkstemp's 0600 would surprise on a new file
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029\ud800-\udfff]")  # what json.dumps leaves but a terminal acts on


def shown_value(value: Any) -> str:
    """A value as TOML would write it, quoted where it is a string, with no control character left raw."""
    if isinstance(value, bool):
        shown = "true" if value else "false"
    elif isinstance(value, (int, float)):
        shown = repr(value)
    else:
        shown = json.dumps(value if isinstance(value, (str, list, dict)) else str(value), ensure_ascii=False,
                           default=str)
    shown = _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", shown)
    return shown if len(shown) <= 80 else shown[:79] + "…"


def display_name(path: Path) -> str:
    """The file's name for a message, safe to print."""
    return clean_line(str(path))
