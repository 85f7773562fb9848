"""The user's settings: typed, with defaults, read from a TOML file."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from tui_reader import locations


@dataclass(frozen=True)
class Settings:
    """Everything a user can set in config.toml; every field has a sensible default."""

    citation_style: str = "apa"  # apa, mla, chicago, chicago-note, bibtex
    citation_format: str = "plain"  # plain, markdown, html: how italics are written
    search_limit: int = 100  # hits listed for a search (Whoosh's cost grows with it; 500 was 2-3x slower)
    default_sort: str = "relevance"  # relevance or date
    clipboard_timeout: float = 2.0  # seconds to wait for the system clipboard program
    keys: dict[str, str] = field(default_factory=dict)  # binding id -> keys, e.g. {"quit": "q,ctrl+q"}
    theme: str = "textual-dark"


def load(path: Path | None = None) -> tuple[Settings, list[str]]:
    """Settings from the config file, and the problems found in it (unknown keys, wrong types)."""
    path = path or locations.config_file()
    problems: list[str] = []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings(), problems
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return Settings(), [f"{path}: {error}; using the default settings"]
    defaults = Settings()
    known = {f.name: f for f in fields(Settings)}
    chosen = {}
    for key, value in data.items():
        if key not in known:
            problems.append(f"{path}: unknown setting {key!r}")
        elif not isinstance(value, type(getattr(defaults, key))) or isinstance(value, bool) != isinstance(getattr(defaults, key), bool):
            problems.append(f"{path}: {key} should be a {type(getattr(defaults, key)).__name__}")
        else:
            chosen[key] = value
    return replace(defaults, **chosen), problems


def save(settings: Settings, path: Path | None = None) -> None:
    """Write the settings that differ from the defaults, atomically."""
    path = path or locations.config_file()
    defaults = Settings()
    lines = []
    for f in fields(Settings):
        value = getattr(settings, f.name)
        if value == getattr(defaults, f.name):
            continue
        if isinstance(value, dict):
            lines.append(f"\n[{f.name}]")
            lines.extend(f"{_toml(k)} = {_toml(v)}" for k, v in value.items())
        else:
            lines.insert(0, f"{f.name} = {_toml(value)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text("\n".join(lines).strip() + "\n", encoding="utf-8")
    temporary.replace(path)


def _toml(value: object) -> str:
    """A scalar as TOML (strings quoted and escaped the JSON way, which TOML accepts)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)
