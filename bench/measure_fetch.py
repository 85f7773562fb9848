"""Step 8: news from the web. 200 feeds of 20 entries (a quarter summary-only, their pages fetched for
the whole text) served on loopback by bench.feed_server, followed with `newsreader feeds import` and read
with `newsreader fetch`, timed from outside: the first refresh (4,000 new articles), a second with
nothing changed (every feed answers 304), and search as you type in the app while a refresh that brings
new entries runs in another process (as the app runs its refreshes).

The step works on a copy of the size's library, so the other steps (and a later run with --work) see
the library as it was built.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench import corpus, screen
from bench.feed_server import BOILERPLATE_MARKERS, ENTRIES, FEEDS_PER_SITE, SITES, FeedServer, Story
from bench.measure_app import (
    TIMEOUT, TYPE_INTERVAL, AppFailed, _focus_field, _startup, _top, _typeable, type_paced,
)
from bench.measure_import import _timed, app_command
from bench.stats import summary
from bench.tmux import POLL, Tmux, TmuxMissing
from tui_reader.core.library import FetchReport, Library
from tui_reader.core.progress import read_event

REFRESH_TARGET_S = 20.0  # the whole first refresh, process start to exit
TYPING_TARGET_MS = 150.0  # p95 of search as you type while a refresh runs
TYPING_ROUNDS = 4  # refreshes of new entries the typing may take (each brings 4,000 articles)
STORIES_NEEDED = (1 + TYPING_ROUNDS) * SITES * FEEDS_PER_SITE * ENTRIES  # every round's entries, none twice
RECHECK = 0.5  # seconds between looks at what the list should show (new articles change it)
SLOW = 0.3  # seconds: a query slower than this keeps the screens it went through, to tell why
_FEED_LINE = re.compile(r"^(?P<name>\S+): (?:failed: (?P<error>.*)|(?P<not_modified>not modified)|"
                        r"(?P<new>[\d,]+) new, (?P<updated>[\d,]+) updated, (?P<unchanged>[\d,]+) unchanged"
                        r"(?:, (?P<pages>[\d,]+) pages not read)?)$")
# The summary's figures, each found by its word (the line may gain figures, as "200 not modified").
_SUMMARY = {key: re.compile(pattern) for key, pattern in (
    ("new", r"\b([\d,]+) new\b"), ("updated", r"\b([\d,]+) updated\b"), ("unchanged", r"\b([\d,]+) unchanged\b"),
    ("read", r"\b([\d,]+) of [\d,]+ read\b"), ("total", r"\b[\d,]+ of ([\d,]+) read\b"),
    ("failed", r"\b([\d,]+) failed\b"))}


def measure(home: Path, work: Path, env: dict[str, str], inputs: list[Path], limit: int | None, size: int,
            typed: int) -> dict:
    """The fetch figures at one size: the library at home is copied, the sites started and stopped."""
    copy = work / f"fetch-library-{size}"
    shutil.rmtree(copy, ignore_errors=True)
    started = time.perf_counter()
    shutil.copytree(home, copy)
    result: dict = {"targets": {"first_refresh_s": REFRESH_TARGET_S, "typing_p95_ms": TYPING_TARGET_MS},
                    "library_copy_seconds": round(time.perf_counter() - started, 1)}
    sites = FeedServer(load_stories(inputs, limit, skip=size, needed=STORIES_NEEDED))
    sites.start()
    try:
        sites.set_round(1)
        result["shape"] = shape(sites)
        result["feeds_import"] = import_feeds(copy, work, env, sites)
        sites.reset_counts()
        result["first"] = refresh(copy, env, sites)
        result["checks"] = check_first(copy, env, sites)
        result["second"] = refresh(copy, env, sites)  # nothing changed: every feed answers 304
        library = Library(copy)
        try:
            result["typing"] = typing_while_refreshing(library, copy, env, sites, work, typed)
        finally:
            library.close()
    finally:
        sites.stop()
        shutil.rmtree(copy, ignore_errors=True)
    return result


def load_stories(inputs: list[Path], limit: int | None, skip: int, needed: int) -> list[Story]:
    """needed stories for the sites: the articles after the library's (so that the feeds bring texts it
    does not hold), or from the start of the input where too few follow."""
    stories = [Story.from_record(json.loads(line)) for line in _slice(corpus.lines(inputs, limit), skip, needed)]
    if len(stories) < needed:
        stories += [Story.from_record(json.loads(line))
                    for line in _slice(corpus.lines(inputs, limit), 0, needed - len(stories))]
    return stories


def _slice(lines: Iterator[bytes], skip: int, count: int) -> Iterator[bytes]:
    for number, line in enumerate(lines):
        if number >= skip + count:
            return
        if number >= skip:
            yield line


def shape(sites: FeedServer) -> dict:
    """What is served: sites (ports), feeds by kind, summary-only feeds, entries per feed."""
    kinds: dict[str, int] = {}
    for spec in sites.specs:
        kinds[spec.kind] = kinds.get(spec.kind, 0) + 1
    return {"sites": len({spec.site for spec in sites.specs}), "feeds": len(sites.specs), "kinds": kinds,
            "summary_only": sum(spec.summary_only for spec in sites.specs), "entries_per_feed": sites.entries,
            "stories": len(sites.stories)}


def import_feeds(home: Path, work: Path, env: dict[str, str], sites: FeedServer) -> dict:
    """`newsreader feeds import` of an OPML of every feed; RuntimeError unless all were added."""
    opml = work / "fetch-feeds.opml"
    opml.write_text(sites.opml(), encoding="utf-8")
    done, wall, _ = _timed([*app_command(home), "feeds", "import", str(opml)], env)
    line = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    added = int(line.split()[0].replace(",", "")) if line[:1].isdigit() else 0
    if done.returncode != 0 or added != len(sites.specs):
        raise RuntimeError(f"feeds import added {added} of {len(sites.specs)} ({done.returncode}): "
                           f"{done.stdout.strip()[-500:]} {done.stderr.strip()[-1500:]}")
    return {"added": added, "seconds": round(wall, 2)}


def refresh(home: Path, env: dict[str, str], sites: FeedServer) -> dict:
    """`newsreader fetch -q`, timed from process start to exit, with the load average around it."""
    load_before = os.getloadavg()
    done, wall, cpu = _timed([*app_command(home), "fetch", "-q"], env)
    figures = read_report(done.stdout, done.stderr)
    served = sites.reset_counts()
    return {**figures, "exit": done.returncode, "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
            "articles_per_s": round(figures["new"] / wall, 1) if wall else None,
            "served": dict(served), "load_before": [round(x, 2) for x in load_before],
            "load_after": [round(x, 2) for x in os.getloadavg()],
            **({"stderr_tail": done.stderr.strip()[-1500:]} if done.returncode not in (0, 1) else {})}


def read_report(stdout: str, stderr: str) -> dict:
    """The figures of a refresh's report: totals, feeds not modified, failures and pages not read."""
    failures, not_modified, pages_not_read = [], 0, 0
    totals = None
    for line in stdout.splitlines():
        found = {key: pattern.search(line) for key, pattern in _SUMMARY.items()}
        if all(found.values()):
            totals = [int(found[key][1].replace(",", "")) for key in _SUMMARY]
        elif match := _FEED_LINE.match(line.strip()):
            if match["error"] is not None:
                failures.append(f"{match['name']}: {match['error']}")
            elif match["not_modified"]:
                not_modified += 1
            elif match["pages"]:
                pages_not_read += int(match["pages"].replace(",", ""))
    if totals is None:
        raise RuntimeError(f"no summary line from newsreader fetch: {stdout.strip()[-500:]} {stderr.strip()[-1500:]}")
    new, updated, unchanged, read, total, failed = totals
    warnings = [line for line in stderr.splitlines() if line.startswith("warning:")]
    return {"new": new, "updated": updated, "unchanged": unchanged, "feeds_read": read, "feeds": total,
            "failed": failed, "failures": failures[:10], "not_modified": not_modified,
            "pages_not_read": pages_not_read, "page_warnings": warnings[:5]}


# -- after the first refresh: are the articles there, whole, and searchable? ---------------------------

def check_first(home: Path, env: dict[str, str], sites: FeedServer) -> dict:
    """A feed's 20 found with feed:NAME; a new article found by words of its title, and a summary-only
    entry by a phrase from deep in its page (so its whole text was fetched and indexed); and how whole
    the texts of the summary-only entries are."""
    spec = sites.specs[min(3 * 20 + 3, len(sites.specs) - 1)]  # a summary-only RSS feed of the fourth site
    full = sites.specs[min(5 * 20 + 4, len(sites.specs) - 1)]  # a full-content RSS feed of the sixth site
    feed_hits = _search(home, env, f"feed:{spec.name}", 100)
    prefix = sites.page_url(spec, 1, 0).rsplit("/", 1)[0] + "/"
    checks = {"feed_query": f"feed:{spec.name}", "feed_found": len(feed_hits),
              "feed_all_its_own": all((hit["url"] or "").startswith(prefix) for hit in feed_hits)}
    story, url = sites.story(full, 1, 7), sites.page_url(full, 1, 7)
    words = screen.title_words(story.title, 5)
    query = f"title:({' '.join(words)})"
    # The queries are named, not kept: their words are the corpus's, which stay out of the results.
    checks.update(title_query=f"title:({len(words)} words of the title of {url})",
                  title_found=any(hit["url"] == url for hit in _search(home, env, query, 50)))
    deep, url = sites.story(spec, 1, 5), sites.page_url(spec, 1, 5)
    phrase = _phrase(deep)
    checks.update(phrase_query=f"6 words in a row from the third paragraph on of {url}",
                  phrase_found=any(hit["url"] == url for hit in _search(home, env, phrase, 50)) if phrase else None)
    checks["full_text"] = full_text_coverage(home, sites)
    checks["ok"] = (checks["feed_found"] == sites.entries and checks["feed_all_its_own"] and checks["title_found"]
                    and checks["phrase_found"] is not False)
    return checks


def _search(home: Path, env: dict[str, str], query: str, limit: int) -> list[dict]:
    """`newsreader search --json`: the hits."""
    done = subprocess.run([*app_command(home), "search", "--json", "--limit", str(limit), query], env=env,
                          cwd=corpus.REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"newsreader search {query!r} failed ({done.returncode}): {done.stderr.strip()[-1000:]}")
    return json.loads(done.stdout)


def _phrase(story: Story) -> str | None:
    """Six plain words from a paragraph past the summary, as a quoted phrase (None for a short story)."""
    for paragraph in story.paragraphs()[2:]:
        words = paragraph.split()
        if len(words) >= 12 and all(re.fullmatch(r"[A-Za-z]+", w) for w in words[3:9]):
            return '"' + " ".join(words[3:9]) + '"'
    return None


def full_text_coverage(home: Path, sites: FeedServer) -> dict:
    """For every summary-only entry of round 1: is its article's text the whole story (at least 90% of
    its words), free of the page's furniture (newsletter box, footer), and without the headline again?"""
    library = Library(home)
    try:
        bodies = dict(library._store.db.execute("SELECT url, body FROM articles WHERE url LIKE 'http://127.0.0.1:%'"))
    finally:
        library.close()
    counts = {"entries": 0, "missing": 0, "whole": 0, "short": 0, "with_furniture": 0, "headline_in_text": 0}
    for spec in (s for s in sites.specs if s.summary_only):
        for entry in range(sites.entries):
            counts["entries"] += 1
            body = bodies.get(sites.page_url(spec, 1, entry))
            if body is None:
                counts["missing"] += 1
                continue
            story = sites.story(spec, 1, entry)
            # Words of its paragraphs, each once: an extractor rightly drops a repeated one (a caption twice).
            wanted = sum(len(paragraph.split()) for paragraph in dict.fromkeys(story.paragraphs()))
            counts["whole" if len(body.split()) >= 0.9 * wanted else "short"] += 1
            counts["with_furniture"] += any(m in body and m not in story.body for m in BOILERPLATE_MARKERS)
            # The page's headline (or the section line above it) at the top of the text, which the
            # article's title already shows.
            counts["headline_in_text"] += story.title.strip() in [p.strip() for p in body.split("\n\n")[:3]]
    return counts


# -- search as you type while a refresh runs ----------------------------------------------------------

@dataclass
class _Refresh:
    """A `newsreader fetch` running in the background, its output going to files."""

    process: subprocess.Popen
    started: float
    out: Path
    err: Path
    round: int
    load_before: tuple[float, float, float]

    def running(self) -> bool:
        return self.process.poll() is None


def _start_refresh(home: Path, env: dict[str, str], work: Path, round_: int) -> _Refresh:
    out, err = work / f"fetch-round-{round_}.out", work / f"fetch-round-{round_}.err"
    load = os.getloadavg()
    with out.open("w") as stdout, err.open("w") as stderr:
        # As the app runs its refreshes (tui_reader/app/refreshing.py): progress as JSON lines, at a
        # lower CPU priority than the app.
        process = subprocess.Popen([*app_command(home), "fetch", "--json-progress", "--background"], env=env,
                                   cwd=corpus.REPO, stdout=stdout, stderr=stderr)
    return _Refresh(process, time.perf_counter(), out, err, round_, load)


def _finish_refresh(job: _Refresh, sites: FeedServer, origin: float) -> dict:
    """Wait for a background refresh; its figures, times relative to origin."""
    job.process.wait(timeout=600)
    ended = time.perf_counter()
    reports = [event for event in map(read_event, job.out.read_text(encoding="utf-8").splitlines())
               if isinstance(event, FetchReport)]
    if not reports:
        raise RuntimeError(f"no report from the refresh of round {job.round} ({job.process.returncode}): "
                           f"{job.err.read_text(encoding='utf-8').strip()[-1500:]}")
    report = reports[-1]
    return {"round": job.round, "exit": job.process.returncode, "seconds": round(ended - job.started, 2),
            "start_s": round(job.started - origin, 2), "end_s": round(ended - origin, 2),
            "new": sum(result.new for result in report.results), "failed": len(report.failed),
            "failures": [f"{result.name}: {result.error}" for result in report.failed][:10],
            "served": dict(sites.reset_counts()), "load_before": [round(x, 2) for x in job.load_before],
            "load_after": [round(x, 2) for x in os.getloadavg()]}


def typing_while_refreshing(library: Library, home: Path, env: dict[str, str], sites: FeedServer, work: Path,
                            count: int) -> dict:
    """The app under tmux, queries typed a key at a time while `newsreader fetch` brings a round of new
    entries; a query counts only when its last key and its final list both fall inside the refresh
    (one that the refresh's end overtakes is typed again during the next round's refresh). count
    queries are typed, the typeable ones of the set in turn; first with no refresh running, for
    comparison."""
    try:
        tmux = Tmux(f"newsreader-bench-fetch-{os.getpid()}")
    except TmuxMissing as error:
        return {"error": str(error)}
    newest = _newest(library)
    queries = _typeable(library, newest, count)
    result: dict = {"queries_chosen": len(queries), "keystroke_interval_ms": TYPE_INTERVAL * 1000}
    job = None
    try:
        startup = _startup(tmux, app_command(home), env, str(corpus.REPO), newest, 1)
        session = startup.pop("session")
        result["startup_s"] = startup["p50_s"]
        _focus_field(tmux, session)
        # Fewer queries qualify than samples are wanted at some sizes: the set is typed again (its lists
        # change as the refresh's articles come in, so a second pass is no easier than the first).
        wanted = [queries[number % len(queries)] for number in range(count)] if queries else []
        # The same typing with no refresh running, just before: the yardstick on a machine whose load
        # (other work) changes from minute to minute.
        idle = [_type_query(tmux, session, library, text) for text, _ in wanted]
        result["idle"] = {**summary([typed.seconds for typed in idle]), "load": [round(x, 2) for x in os.getloadavg()],
                          "bench_search": summary([typed.search_seconds for typed in idle]),
                          "slow": [typed.sample(idle[0].pressed, query=text)
                                   for typed, (text, _) in zip(idle, wanted) if typed.seconds > SLOW]}
        origin = time.perf_counter()
        pending, samples, refreshes = list(wanted), [], []
        for round_ in range(2, 2 + TYPING_ROUNDS):
            if not pending:
                break
            sites.set_round(round_)
            sites.reset_counts()
            job = _start_refresh(home, env, work, round_)
            while pending and job.running():
                text = pending[0][0]
                typed = _type_query(tmux, session, library, text)
                if job.running():  # the final list came while the refresh still ran
                    samples.append(typed.sample(origin, query=text, round=round_))
                    pending.pop(0)
            refreshes.append(_finish_refresh(job, sites, origin))
            job = None
        tmux.close(session)
    except AppFailed as error:
        result["error"] = str(error)
        return result
    finally:
        if job is not None and job.running():
            job.process.kill()
            job.process.wait()
        tmux.stop()
    latencies = [sample["ms"] / 1000 for sample in samples]
    result.update(summary(latencies))
    result["bench_search"] = summary([sample["bench_search_ms"] / 1000 for sample in samples])
    result.update(samples=samples, refreshes=refreshes, not_typed=[text for text, _ in pending],
                  overlapped=bool(samples) and all(
                      any(r["start_s"] <= s["pressed_s"] and s["seen_s"] <= r["end_s"] for r in refreshes)
                      for s in samples))
    return result


def _newest(library: Library) -> str:
    """The title the empty query lists first (newest first), read the cheap way."""
    pages = library.listing(1)
    try:
        return next(pages).rows[0].title
    finally:
        pages.close()  # the second page is not wanted (nor a read snapshot kept open for it)


@dataclass
class _Typed:
    """One query typed: when its last key went and its final list showed, and what explains a slow one."""

    pressed: float
    seen: float
    top_changed: bool  # the final list's expected first row changed while waiting (new articles came in)
    search_seconds: float  # the same search in this process just before: the index's share, apart from the app's
    shown: list[tuple[float, str, str]]  # (seconds after the key, which list, status line) as they changed

    @property
    def seconds(self) -> float:
        return self.seen - self.pressed

    def sample(self, origin: float, **more: object) -> dict:
        """The figures kept for this query; the screens it went through when it was slow."""
        figures = {**more, "ms": round(self.seconds * 1000, 1), "pressed_s": round(self.pressed - origin, 2),
                   "seen_s": round(self.seen - origin, 2), "top_changed": self.top_changed,
                   "bench_search_ms": round(self.search_seconds * 1000, 1)}
        if self.seconds > SLOW:
            figures["shown"] = [[round(at * 1000), row, status] for at, row, status in self.shown]
        return figures


def _type_query(tmux: Tmux, session: str, library: Library, text: str) -> _Typed:
    """Clear the field, type a query a key at a time, and wait for its final list."""
    _clear_field(tmux, session, library)
    searched = time.perf_counter()
    expected = {_top(library, text)}
    search_seconds = time.perf_counter() - searched
    pressed = type_paced(tmux, session, text)
    seen, changed, captures = _wait_first_row(tmux, session, library, text, expected, pressed, f"list for {text!r}")
    shown: list[tuple[float, str, str]] = []
    for at, row, status in captures:
        # Which list, not its title: the corpus's words stay out of the results.
        which = ("no matches" if row is None else "empty" if not row
                 else "final" if any(_same(row, title) for title in expected) else "another")
        if not shown or shown[-1][1:] != (which, status):
            shown.append((at - pressed, which, status))
    return _Typed(pressed, seen, changed, search_seconds, shown[:12])


def _clear_field(tmux: Tmux, session: str, library: Library) -> None:
    """Empty the search field, and give the full list a moment to come (it may change as articles come in)."""
    tmux.keys(session, "C-e", "C-u")
    if tmux.wait_for(session, screen.field_empty, TIMEOUT) is None:
        raise AppFailed("the search field did not empty; the screen was:\n" + "\n".join(tmux.screen(session)))
    newest = _newest(library)
    tmux.wait_for(session, lambda lines: screen.shows_first(lines, newest), 2.0)


def _wait_first_row(tmux: Tmux, session: str, library: Library, text: str, expected: set[str | None],
                    since: float, what: str) -> tuple[float, bool, list[tuple[float, str | None, str]]]:
    """When the screen first showed one of the first rows the query has had since typing began: the
    library is asked again every RECHECK seconds (a commit of the refresh may change the answer), and
    the captures already taken are looked at again when it did. (seen, whether the answer changed,
    the captures: time, first row, status line)."""
    captures: list[tuple[float, str | None, str]] = []
    deadline = since + TIMEOUT
    next_check = since + RECHECK
    changed = False
    while time.perf_counter() < deadline:
        lines = tmux.screen(session)
        captures.append((time.perf_counter(), None if screen.no_matches(lines) else screen.first_row(lines),
                         screen.status(lines)))
        if any(_same(captures[-1][1], title) for title in expected):
            return captures[-1][0], changed, captures
        if time.perf_counter() >= next_check:
            top = _top(library, text)
            if top not in expected:
                expected.add(top)
                changed = True
                for seen, row, _ in captures:  # the app may have shown it already
                    if _same(row, top):
                        return seen, changed, captures
            next_check = time.perf_counter() + RECHECK
            continue
        time.sleep(POLL)
    raise AppFailed(f"no {what} within {TIMEOUT:.0f} s; the screen was:\n" + "\n".join(tmux.screen(session)))


def _same(row: str | None, title: str | None) -> bool:
    """Whether a first row (None: "no matches") is the list that a first title gives."""
    if title is None or row is None:
        return title is None and row is None
    start = title[: screen.TITLE_CHARS].strip()
    return bool(start) and row.startswith(start)
