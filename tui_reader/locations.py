"""Where newsreader keeps things: the library folder, the config file, the bundled samples."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "newsreader"


def library_home(override: str | os.PathLike[str] | None = None) -> Path:
    """The library folder: --home, else $NEWSREADER_HOME, else the user's data folder."""
    chosen = override or os.environ.get("NEWSREADER_HOME")
    if chosen:
        return Path(chosen).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    """The settings file: $NEWSREADER_CONFIG, else config.toml in the user's config folder."""
    chosen = os.environ.get("NEWSREADER_CONFIG")
    if chosen:
        return Path(chosen).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def database_file(home: Path) -> Path:
    """The SQLite database: the articles and the reader's passages, the library's source of truth."""
    return home / "library.sqlite3"


def index_folder(home: Path) -> Path:
    """The Whoosh index: derived from the database, rebuilt whenever it is missing or broken."""
    return home / "index"


def sample_data() -> Path:
    """The bundled sample articles: inside the installed package, or the checkout's sample_data/."""
    packaged = Path(__file__).parent / "sample_data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "sample_data"
