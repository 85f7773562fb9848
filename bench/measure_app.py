"""Steps 3, 4, 5 and 7: the real app in a real terminal (tmux): start-up to a filled list, search as you
type, opening the longest article, and the app's memory after a round of queries."""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench import screen
from bench.measure_import import app_command
from bench.queries import QUERIES, TYPED
from bench.stats import percentile, summary
from bench.tmux import POLL, Tmux, TmuxMissing
from tui_reader.core.library import Library, QueryError
from tui_reader.core.articles import ArticleRow
from tui_reader.settings import Settings

APP_LIMIT = Settings().search_limit  # how many rows the app asks for (its expected first row must match)
TYPE_INTERVAL = 0.12  # seconds between keystrokes: a quick typist; slower than the app's debounce, so
                      # most prefixes start a search that the next keystroke makes stale
STALE_WATCH = 0.6  # seconds the screen is watched after the final list appeared
TIMEOUT = 30.0  # seconds to wait for any one screen before calling it a failure


class AppFailed(RuntimeError):
    """The app did not show what was expected in time; the message holds the last screen."""


def measure(library: Library, home: Path, env: dict[str, str], cwd: Path, startups: int, typed: int) -> dict:
    """Run the app under a private tmux server and take its figures; the server is stopped after."""
    try:
        tmux = Tmux(f"newsreader-bench-{os.getpid()}")
    except TmuxMissing as error:
        return {"error": str(error)}
    command = app_command(home)
    newest = library.search("").rows[0]  # the empty query lists everything, newest first
    result: dict = {}
    try:
        result["startup"] = _startup(tmux, command, env, cwd, newest.title, startups)
        session = result["startup"].pop("session")
        result["screen_capture_ms"] = round(tmux.capture_seconds(session) * 1000, 1)
        result["typing"] = _typing(tmux, session, library, newest.title, typed)
        result["query_set"] = _query_set(tmux, session, library)
        result["rss_after_queries_mb"] = _memory(tmux.pid(session))["VmRSS"]
        result["longest"] = _longest(tmux, session, library, newest)
        result["peak_rss_mb"] = _memory(tmux.pid(session))["VmHWM"]
        tmux.close(session)
    except AppFailed as error:
        result["error"] = str(error)
    finally:
        tmux.stop()
    return result


def _wait(tmux: Tmux, session: str, test, what: str, timeout: float = TIMEOUT) -> tuple[float, list[str]]:
    """Wait for a screen; AppFailed with the last screen when it does not come."""
    seen = tmux.wait_for(session, test, timeout)
    if seen is None:
        last = "\n".join(tmux.screen(session)) if tmux.alive(session) else "(the app has exited)"
        raise AppFailed(f"no {what} within {timeout:.0f} s; the screen was:\n{last}")
    return seen


def _startup(tmux: Tmux, command: list[str], env: dict[str, str], cwd: Path, newest: str, runs: int) -> dict:
    """Seconds from starting the app to its list showing the newest article first; the last app stays open."""
    seconds = []
    session = ""
    for run in range(runs):
        if session:
            tmux.close(session)
        session = f"app{run}"
        started = time.perf_counter()
        tmux.launch(session, command, env, str(cwd))
        seen, _ = _wait(tmux, session, lambda lines: screen.shows_first(lines, newest), "filled list at start-up")
        seconds.append(seen - started)
    return {"seconds": [round(s, 3) for s in seconds], "p50_s": round(percentile(seconds, 0.5), 3),
            "session": session}


def _top(library: Library, text: str) -> str | None:
    """The title the app's list shows first for a query (None: no matches); QueryError for a bad query."""
    rows = library.search(text, limit=APP_LIMIT).rows
    return rows[0].title if rows else None


def _typeable(library: Library, newest: str, count: int) -> list[tuple[str, str]]:
    """Queries whose first row differs from that of every shorter prefix (and the full list's), so
    that the screen shows when the final list is painted; with that first row."""
    chosen = []
    for text in TYPED:
        tops = {newest[: screen.TITLE_CHARS]}
        for end in range(1, len(text)):
            try:
                tops.add((_top(library, text[:end]) or "")[: screen.TITLE_CHARS])
            except QueryError:
                continue  # the app keeps the previous list and shows the error
        final = _top(library, text)
        if final and final[: screen.TITLE_CHARS] not in tops:
            chosen.append((text, final))
        if len(chosen) == count:
            break
    return chosen


def _focus_field(tmux: Tmux, session: str) -> None:
    """Put the focus in the search field, and wait until it is there."""
    tmux.keys(session, "/")
    _wait(tmux, session, screen.field_focused, "focus in the search field")


def _clear(tmux: Tmux, session: str, newest: str | None = None) -> None:
    """Empty the search field (and wait for the full list when its first title is given)."""
    tmux.keys(session, "C-e", "C-u")
    # Keys typed right after ctrl+u can be inserted before Textual runs its binding, and then deleted.
    _wait(tmux, session, screen.field_empty, "empty search field")
    if newest is not None:
        _wait(tmux, session, lambda lines: screen.shows_first(lines, newest), "full list after clearing the search")


def type_paced(tmux: Tmux, session: str, text: str) -> float:
    """Type text a key every TYPE_INTERVAL, as a quick typist; returns when its last key was pressed."""
    start = time.perf_counter()
    for number, char in enumerate(text[:-1]):
        tmux.type(session, char)
        time.sleep(max(0.0, start + (number + 1) * TYPE_INTERVAL - time.perf_counter()))
    pressed = time.perf_counter()
    tmux.type(session, text[-1])
    return pressed


def _typing(tmux: Tmux, session: str, library: Library, newest: str, count: int) -> dict:
    """Type queries a key at a time: last key to the final list painted, and any stale list seen after."""
    _focus_field(tmux, session)
    latencies, stale, runs = [], [], []
    for text, final in _typeable(library, newest, count):
        _clear(tmux, session, newest)
        pressed = type_paced(tmux, session, text)
        seen, _ = _wait(tmux, session, lambda lines: screen.shows_first(lines, final), f"list for {text!r}")
        latencies.append(seen - pressed)
        shown_after = _watch(tmux, session, final)
        stale.extend({"query": text, "shown": shown} for shown in shown_after)
        runs.append({"query": text, "ms": round((seen - pressed) * 1000, 1)})
    return {**summary(latencies), "queries": runs, "stale": stale,
            "keystroke_interval_ms": TYPE_INTERVAL * 1000}


def _watch(tmux: Tmux, session: str, final: str) -> list[str]:
    """First rows other than the final one seen during STALE_WATCH seconds."""
    other = []
    deadline = time.perf_counter() + STALE_WATCH
    while time.perf_counter() < deadline:
        lines = tmux.screen(session)
        if not screen.shows_first(lines, final):
            other.append(screen.first_row(lines))
        time.sleep(POLL)
    return sorted(set(other))


def _query_set(tmux: Tmux, session: str, library: Library) -> dict:
    """Put each query of the set in the field (as a paste would) and wait for its list: the app's
    round trip per query, and the load the memory figure is taken after."""
    seconds = []
    for query in QUERIES:
        _clear(tmux, session)
        expected = _top(library, query.text)
        started = time.perf_counter()
        tmux.type(session, query.text)
        seen, _ = _wait(tmux, session, lambda lines: screen.shows_first(lines, expected), f"list for {query.text!r}")
        seconds.append(seen - started)
    time.sleep(0.5)  # excerpts are fetched after the list is painted
    return summary(seconds)


def _longest(tmux: Tmux, session: str, library: Library, newer: ArticleRow) -> dict:
    """Find the longest article by searching its title (with a newer article, sorted newest first, so
    that the preview of the first row does not open it), go down to it, press enter: time to its text."""
    longest_id, title, length = library._store.db.execute(
        "SELECT id, title, length(body) FROM articles ORDER BY length(body) DESC LIMIT 1").fetchone()
    text = " OR ".join(f"title:({' '.join(screen.title_words(t))})" for t in (title, newer.title))
    rows = library.search(text, limit=APP_LIMIT, sort="date").rows
    position = [row.id for row in rows].index(longest_id)
    if position == 0:
        raise AppFailed(f"the longest article comes first for {text!r}; the preview would open it")
    first = library.get(rows[0].id)
    _clear(tmux, session)
    tmux.type(session, text)
    tmux.keys(session, "Enter")  # to the list; a key sent before the focus moved would go in the field
    _wait(tmux, session, screen.list_focused, "focus in the list")
    tmux.keys(session, "s")  # newest first
    _wait(tmux, session, lambda lines: "newest first" in screen.status(lines)
          and screen.shows_first(lines, first.title) and screen.opening(first.body) in screen.reader_text(lines),
          "date-sorted list with its first article previewed")
    wanted = screen.opening(library.get(longest_id).body)
    pressed = time.perf_counter()
    tmux.keys(session, *["Down"] * position, "Enter")
    seen, _ = _wait(tmux, session, lambda lines: wanted in screen.reader_text(lines), "longest article's text")
    return {"id": longest_id, "characters": length, "rows_down": position, "ms": round((seen - pressed) * 1000, 1)}


def _memory(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (peak) of a process, in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = round(int(rest.split()[0]) / 1024, 1)
    return values
