"""Step 2: query latency, newsreader's search next to SQLite FTS5 and a substring scan, as a screen needs
it: the top 50 rows by relevance and newest first, and excerpts for the 20 rows on screen."""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

from bench import sqlite_search
from bench.queries import QUERIES, TAG, TAG_SEARCH, BenchQuery
from bench.sqlite_search import LIMIT, SHOWN
from bench.stats import percentile, summary
from tui_reader.core.library import Library

SORTS = ("relevance", "date")
TAGGED = 5  # passages tagged before measuring


class Newsreader:
    """newsreader's own search: Library.search, then Library.excerpts for the rows on screen."""

    name = "newsreader (Whoosh)"

    def __init__(self, library: Library) -> None:
        self.library = library
        self.parts: dict[str, list[tuple[float, float]]] = defaultdict(list)  # query -> (search, excerpts) seconds

    def search(self, query: BenchQuery, sort: str) -> int:
        """Run one search as the app does; returns how many articles matched, as the page says."""
        started = time.perf_counter()
        page = self.library.search(query.text, limit=LIMIT, sort=sort)
        searched = time.perf_counter()
        self.library.excerpts([row.id for row in page.rows[:SHOWN]], page.highlighter)
        self.parts[query.text].append((searched - started, time.perf_counter() - searched))
        return page.total


def tag_passages(library: Library) -> list[str]:
    """Tag the opening words of the best hits of TAG_SEARCH, once per library; returns the tagged ids."""
    tagged = [passage.article_id for passage in library._passages.with_tag(TAG)]
    if tagged:
        return tagged
    for row in library.search(TAG_SEARCH, limit=TAGGED).rows:
        article = library.get(row.id)
        library.tag_quote(row.id, " ".join(article.body.split()[:8]), [TAG], note="benchmark")
        tagged.append(row.id)
    return tagged


def measure(library: Library, tagged: list[str], source: Path, folder: Path, repeat: int, scan_repeat: int) -> dict:
    """Build the SQLite yardsticks for the articles in source (with the tags of the tagged articles),
    then time every query in every engine."""
    database = folder / "yardsticks.sqlite3"
    started = time.perf_counter()
    count = sqlite_search.build(database, source, library._passages.tags_by_article(tagged))
    build_seconds = time.perf_counter() - started
    ours = Newsreader(library)
    fts, scan = sqlite_search.Fts5(database), sqlite_search.Scan(database)
    # The scan has no ranking (one sort) and reads every row, up to a second a query at full size:
    # fewer rounds and no warm-up.
    engines = [(ours, SORTS, repeat), (fts, SORTS, repeat), (scan, ("date",), scan_repeat)]
    for engine, sorts, _ in engines[:2]:  # warm-up: open searchers, fill caches
        for query in QUERIES:
            for sort in sorts:
                engine.search(query, sort)
    ours.parts.clear()
    samples: dict[str, dict[tuple[str, str], list[float]]] = {e.name: defaultdict(list) for e, _, _ in engines}
    matches: dict[str, dict[str, int]] = {engine.name: {} for engine, _, _ in engines}
    for round_number in range(repeat):
        for query in QUERIES:
            for engine, sorts, rounds in engines:  # interleaved, so that a busy moment hurts all alike
                if round_number >= rounds:
                    continue
                for sort in sorts:
                    started = time.perf_counter()
                    matches[engine.name][query.text] = engine.search(query, sort)
                    samples[engine.name][(query.text, sort)].append(time.perf_counter() - started)
    fts.close()
    scan.close()
    return {
        "tagged_articles": tagged,
        "yardstick_build": {"articles": count, "seconds": round(build_seconds, 2),
                            "rate": round(count / build_seconds, 1)},
        "engines": {name: _engine_report(by_query, matches[name]) for name, by_query in samples.items()},
        "newsreader_parts_ms": {
            text: {"search_p50": round(percentile([s for s, _ in parts], 0.5) * 1000, 2),
                   "excerpts_p50": round(percentile([e for _, e in parts], 0.5) * 1000, 2)}
            for text, parts in ours.parts.items()
        },
    }


def _engine_report(by_query: dict[tuple[str, str], list[float]], matches: dict[str, int]) -> dict:
    """Overall and per-kind summaries, and each query's p50 per sort with its match count."""
    kinds = {query.text: query.kind for query in QUERIES}
    by_kind: dict[str, list[float]] = defaultdict(list)
    for (text, _), seconds in by_query.items():
        by_kind[kinds[text]].extend(seconds)
    return {
        "overall": summary([s for seconds in by_query.values() for s in seconds]),
        "kinds": {kind: summary(seconds) for kind, seconds in by_kind.items()},
        "queries": [
            {"kind": kinds[text], "query": text, "sort": sort, "matches": matches.get(text),
             "p50_ms": round(percentile(seconds, 0.5) * 1000, 2)}
            for (text, sort), seconds in by_query.items()
        ],
    }
