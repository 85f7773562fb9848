"""Step 6: 100 new articles imported into the full library until a search finds them all."""

from __future__ import annotations

import time
from pathlib import Path

from bench.measure_import import run_import
from tui_reader.core.library import Library


def measure(library: Library, home: Path, source: Path, feed: str, expected: int, env: dict[str, str]) -> dict:
    """`newsreader import` of the new articles, then the search a user would make for them."""
    imported = run_import(home, source, env)
    started = time.perf_counter()
    page = library.search(f"source:{feed}", limit=expected * 2)
    search_seconds = time.perf_counter() - started
    found = len(page.rows)
    return {
        "import": imported, "search_seconds": round(search_seconds, 3), "found": found, "expected": expected,
        "seconds": round(imported["seconds"] + search_seconds, 2) if found == expected else None,
    }
