"""The results as one Markdown table (a column per size, targets marked met or not) and as JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.measure_fetch import REFRESH_TARGET_S, TYPING_TARGET_MS
from bench.measure_query import Newsreader
from bench.queries import QUERIES
from bench.sqlite_search import Fts5, Scan

OURS, FTS, SCAN = Newsreader.name, Fts5.name, Scan.name


@dataclass(frozen=True)
class Row:
    """One line of the table: a label, its target, and how a size's results give its cell."""

    label: str
    target: str
    value: Callable[[dict], tuple[str, bool | None]]  # -> (text, met?) ; met is None without a target


def _import(e: dict) -> tuple[str, bool]:
    """Articles per second of wall time (and of CPU time: the machine may be busy with other work)."""
    imported = e["import"]
    cpu_rate = imported["imported"] / imported["cpu_seconds"]
    text = f"{imported['rate']:,.0f}/s ({imported['seconds']:,.0f} s; {cpu_rate:,.0f}/s of CPU time)"
    return text, imported["rate"] >= 150


def _baseline(e: dict) -> tuple[str, None]:
    """The naive writer's rate, and on how many articles it was measured."""
    b = e["baseline"]
    return f"{b['rate']:,.0f}/s ({b['articles']:,} art.; {b['articles'] / b['cpu_seconds']:,.0f}/s of CPU time)", None


def _ratio(e: dict) -> tuple[str, bool]:
    """How many times faster the import is than the naive writer."""
    ratio = e["import"]["rate"] / e["baseline"]["rate"]
    return f"{ratio:.2f}×", ratio >= 2.5


def _yardstick_build(e: dict) -> tuple[str, None]:
    """How fast SQLite filled its table and FTS5 index with the same articles."""
    return f"{e['query']['yardstick_build']['rate']:,.0f}/s", None


def _query(engine: str, key: str, limit: float | None) -> Callable[[dict], tuple[str, bool | None]]:
    """One percentile of an engine over the whole query set, against a limit in ms."""
    def cell(e: dict) -> tuple[str, bool | None]:
        ms = e["query"]["engines"][engine]["overall"][key]
        return f"{ms:,.1f} ms", None if limit is None else ms <= limit
    return cell


def _both(engine: str) -> Callable[[dict], tuple[str, None]]:
    """p50 / p95 of an engine over the whole query set."""
    def cell(e: dict) -> tuple[str, None]:
        overall = e["query"]["engines"][engine]["overall"]
        return f"{overall['p50_ms']:,.1f} / {overall['p95_ms']:,.1f} ms", None
    return cell


def _kind(kind: str) -> Callable[[dict], tuple[str, None]]:
    """p50/p95 of one kind of query in each engine."""
    def cell(e: dict) -> tuple[str, None]:
        parts = []
        for engine in (OURS, FTS, SCAN):
            figures = e["query"]["engines"][engine]["kinds"][kind]
            parts.append(f"{figures['p50_ms']:,.0f}/{figures['p95_ms']:,.0f}")
        return " · ".join(parts), None
    return cell


def _startup(e: dict) -> tuple[str, bool]:
    """The median start-up time."""
    startup = e["app"]["startup"]
    return f"{startup['p50_s'] * 1000:,.0f} ms (n={len(startup['seconds'])})", startup["p50_s"] <= 1.0


def _typing(key: str, limit: float | None) -> Callable[[dict], tuple[str, bool | None]]:
    """A percentile of search as you type, against a limit in ms."""
    def cell(e: dict) -> tuple[str, bool | None]:
        typing = e["app"]["typing"]
        return f"{typing[key]:,.0f} ms (n={typing['n']})", None if limit is None else typing[key] <= limit
    return cell


def _stale(e: dict) -> tuple[str, bool]:
    """How many stale lists were seen after the final one."""
    count = len(e["app"]["typing"]["stale"])
    return str(count), count == 0


def _longest(e: dict) -> tuple[str, bool]:
    """Enter to the longest article's text on screen."""
    longest = e["app"]["longest"]
    return f"{longest['ms']:,.0f} ms ({longest['characters']:,} ch.)", longest["ms"] <= 150


def _update(e: dict) -> tuple[str, bool]:
    """The follow-up import plus the search that finds its articles."""
    update = e["update"]
    if update["seconds"] is None:
        return f"found {update['found']} of {update['expected']}", False
    return f"{update['seconds']:.2f} s", update["seconds"] <= 5.0


def _rss(e: dict) -> tuple[str, bool]:
    """The app's resident memory after the query set, and its peak."""
    app = e["app"]
    return f"{app['rss_after_queries_mb']:,.0f} MB (peak {app['peak_rss_mb']:,.0f})", app["rss_after_queries_mb"] <= 300


def _load(figures: dict) -> str:
    """The 1-minute load average when a figure was taken (the machine is shared)."""
    return f"load {figures['load_before'][0]:.1f}→{figures['load_after'][0]:.1f}"


def _first_refresh(e: dict) -> tuple[str, bool]:
    """The first refresh, process start to exit; met only with every feed read."""
    first = e["fetch"]["first"]
    ok = first["exit"] == 0 and first["failed"] == 0
    text = (f"{first['seconds']:.1f} s, {first['cpu_seconds']:.0f} s of CPU ({first['new']:,} new, "
            f"{first['served'].get('page', 0):,} pages, "
            f"{first['articles_per_s']:,.0f}/s; exit {first['exit']}, "
            f"{first['failed']} feeds failed, {first['pages_not_read']} pages not read; {_load(first)})")
    return text, ok and first["seconds"] <= REFRESH_TARGET_S


def _fetch_checks(e: dict) -> tuple[str, bool]:
    """The fetched articles are there, whole and searchable."""
    checks = e["fetch"]["checks"]
    cover = checks["full_text"]
    text = (f"feed: {checks['feed_found']}, title {'found' if checks['title_found'] else 'NOT found'}, page phrase "
            f"{'found' if checks['phrase_found'] else 'NOT found'}; whole text {cover['whole']:,}/{cover['entries']:,}"
            f" (furniture in {cover['with_furniture']}, headline again in {cover.get('headline_in_text', '?')})")
    return text, checks["ok"] and cover["whole"] == cover["entries"] and cover["with_furniture"] == 0


def _second_refresh(e: dict) -> tuple[str, None]:
    """The refresh with nothing changed."""
    second = e["fetch"]["second"]
    return (f"{second['seconds']:.1f} s ({second['not_modified']} of {second['feeds']} not modified, "
            f"{second['new']} new; {_load(second)})"), None


def _fetch_typing(key: str, limit: float | None) -> Callable[[dict], tuple[str, bool | None]]:
    """A percentile of search as you type while a refresh ran, and whether it really overlapped."""
    def cell(e: dict) -> tuple[str, bool | None]:
        typing = e["fetch"]["typing"]
        loads = "/".join(f"{r['load_after'][0]:.1f}" for r in typing["refreshes"])
        seconds = "/".join(f"{r['seconds']:.0f}" for r in typing["refreshes"])
        text = (f"{typing[key]:,.0f} ms (n={typing['n']}, during refreshes of {seconds} s, "
                f"{'overlapped' if typing['overlapped'] else 'NOT overlapped'}; load {loads})")
        return text, None if limit is None else typing[key] <= limit and typing["overlapped"]
    return cell


def _fetch_idle(e: dict) -> tuple[str, None]:
    """The yardstick: the same queries typed with no refresh running."""
    idle = e["fetch"]["typing"]["idle"]
    return f"{idle['p50_ms']:,.0f} / {idle['p95_ms']:,.0f} ms (n={idle['n']}; load {idle['load'][0]:.1f})", None


def rows(results: dict) -> list[Row]:
    """The table's rows, in the order of the product issue's list."""
    cut = results["run"]["baseline_articles"]
    kinds = list(dict.fromkeys(query.kind for query in QUERIES))
    return [
        Row("1. Import: `newsreader import FILE` into an empty library (one run per size)", "≥150/s", _import),
        Row("1. Naive Whoosh writer, the same articles" if cut is None else
            f"1. Naive Whoosh writer, first ≤{cut:,} articles (one run, reused across sizes)", "", _baseline),
        Row("1. Import ÷ naive writer", "≥2.5×", _ratio),
        Row("2. (SQLite FTS5 table build, for reference)", "", _yardstick_build),
        Row("2. Query p50, newsreader: top 50 + excerpts of 20 rows, both sorts", "≤30 ms",
            _query(OURS, "p50_ms", 30)),
        Row("2. Query p95, newsreader", "≤100 ms", _query(OURS, "p95_ms", 100)),
        Row("2. Query p50 / p95, SQLite FTS5 (porter), same screen", "", _both(FTS)),
        Row("2. Query p50 / p95, substring scan (LIKE '%word%'), same screen", "", _both(SCAN)),
        *[Row(f"2. · {kind} — p50/p95 ms: newsreader · FTS5 · scan", "", _kind(kind)) for kind in kinds],
        Row("3. Start-up to the first painted, filled list (tmux; median)", "≤1.0 s", _startup),
        Row("4. Search as you type: last key to painted list, p50", "", _typing("p50_ms", None)),
        Row("4. Search as you type, p95", "≤150 ms", _typing("p95_ms", 150)),
        Row("4. Stale lists shown after the final one", "0", _stale),
        Row("5. Longest article: enter to its text painted", "≤150 ms", _longest),
        Row("6. 100 new articles: `newsreader import` + a search finding all", "≤5 s", _update),
        Row("7. App RSS after the query set typed in it", "≤300 MB", _rss),
        Row("8. Fetch: first refresh of 200 feeds × 20 entries on loopback (¼ summary-only), start to exit",
            f"≤{REFRESH_TARGET_S:.0f} s",
            _first_refresh),
        Row("8. Fetch: found with feed:NAME (20), by title, by a phrase of a fetched page; whole texts", "all",
            _fetch_checks),
        Row("8. Fetch: second refresh, nothing changed (304s)", "", _second_refresh),
        Row("8. (The same typing just before, no refresh running: p50 / p95)", "", _fetch_idle),
        Row("8. Search as you type while a refresh runs, p50", "", _fetch_typing("p50_ms", None)),
        Row("8. Search as you type while a refresh runs, p95", f"≤{TYPING_TARGET_MS:.0f} ms",
            _fetch_typing("p95_ms", TYPING_TARGET_MS)),
    ]


def _cell(row: Row, entry: dict) -> str:
    """A row's cell for one size: the figure with ✓ or ✗ against the target, — when not measured."""
    try:
        text, met = row.value(entry)
    except (KeyError, TypeError, ZeroDivisionError):
        return "—"
    return text if met is None else f"{text} {'✓' if met else '✗'}"


def markdown(results: dict) -> str:
    """The table, with a line about the machine above it and what failed below it."""
    sizes = results["sizes"]
    run = results["run"]
    head = ["measure", "target", *(f"{int(size):,} articles" for size in sizes)]
    lines = [
        f"newsreader benchmark, {run['started']}, commit {run['commit']}, {run['cpus']} CPUs, load average "
        f"{run['load_before'][0]:.2f} before / {run['load_after'][0]:.2f} after; repeats {run['repeat']}; code digest "
        + ", ".join(f"{int(size):,}: {entry.get('code_digest', '?')}" for size, entry in sizes.items()),
        "",
        "| " + " | ".join(head) + " |",
        "|" + "|".join(["---"] * len(head)) + "|",
    ]
    for row in rows(results):
        cells = [row.label, row.target, *(_cell(row, entry) for entry in sizes.values())]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    for size, entry in sizes.items():
        for step, figures in entry.items():
            if isinstance(figures, dict) and "error" in figures:
                first_line = figures["error"].splitlines()[0]
                lines.append(f"\n{int(size):,} articles, {step}: failed: {first_line}")
    return "\n".join(lines)


def save(results: dict, path: Path) -> None:
    """Write every figure as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
