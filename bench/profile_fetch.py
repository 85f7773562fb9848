"""Where a refresh's time goes: `python -m bench.profile_fetch --work DIR [--size N]` runs the fetch
step's first refresh (the same 200 loopback feeds) in this process under cProfile, every thread
profiled on its own CPU clock, and prints the CPU per thread kind, the costs by part (feed parsing,
page fetching and extraction, SQLite, the index) and the top functions.

It needs a library built by `make bench ARGS="--sizes N --work DIR ..."` (DIR/library-N); it works on
a copy. cProfile slows pure-Python code about twofold, so read shares, not seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import shutil
import sys
import threading
import time
from pathlib import Path

from bench import corpus
from bench.feed_server import FeedServer
from bench.measure_fetch import STORIES_NEEDED, import_feeds, load_stories
from bench.__main__ import app_env, compile_package

# Parts of a refresh: the cumulative CPU of functions (a module path's end, a function's name), added
# or (-1) taken away, so that each part counts its own work once.
PARTS: list[tuple[str, list[tuple[str, str, int]]]] = [
    ("HTTP requests (Fetcher.get)", [("web/client.py", "get", 1)]),
    ("feed parsing (parse_feed)", [("web/feeds.py", "parse_feed", 1)]),
    ("page extraction (extract_page)", [("web/extract.py", "extract_page", 1)]),
    ("articles from entries (make_article: sanitising)", [("web/refresh.py", "make_article", 1)]),
    ("SQLite: saving each feed (_save_feed less its index commits)",
     [("core/library.py", "_save_feed", 1), ("core/library.py", "add", -1)]),
    ("index: every commit (_IndexFeeder.commit)", [("core/library.py", "commit", 1)]),
    ("  of which Whoosh writing (SearchIndex.write)", [("search/index.py", "write", 1)]),
    ("    of which analysis (word_values: tokenizing)", [("search/analysis.py", "word_values", 1)]),
    ("    of which postings written at commit (add_postings)", [("codec/base.py", "add_postings", 1)]),
    ("  of which marking indexed in SQLite (Store.mark_indexed)", [("core/store.py", "mark_indexed", 1)]),
]


def main(argv: list[str] | None = None) -> int:
    """Copy the library, serve the feeds, import them, profile one refresh, print the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.profile_fetch", description=__doc__)
    parser.add_argument("--work", type=Path, required=True, help="the bench's --work folder")
    parser.add_argument("--size", type=int, default=7500, help="which library-N of it (default 7500)")
    parser.add_argument("--top", type=int, default=30, help="how many functions to list")
    parser.add_argument("--save", type=Path, help="also write the merged profile here (for snakeviz, pstats)")
    parser.add_argument("--light", action="store_true",
                        help="no cProfile: only the CPU and wall seconds of each part, timed around its calls")
    args = parser.parse_args(argv)
    home = args.work / f"library-{args.size}"
    if not home.exists():
        print(f"no library at {home}: build it with make bench ARGS=\"--sizes {args.size} --work {args.work}\"",
              file=sys.stderr)
        return 2
    compile_package()
    copy = args.work / f"profile-library-{args.size}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(home, copy)
    env = app_env(args.work)
    sites = FeedServer(load_stories(corpus.default_inputs(), None, skip=args.size, needed=STORIES_NEEDED))
    sites.start()
    try:
        sites.set_round(1)
        import_feeds(copy, args.work, env, sites)
        if args.light:
            print(time_parts(copy))
            return 0
        stats, cpu, wall = profile_refresh(copy)
    finally:
        sites.stop()
        shutil.rmtree(copy, ignore_errors=True)
    if args.save:
        stats.dump_stats(str(args.save))
    print(report(stats, cpu, wall, args.top))
    return 0


def time_parts(home: Path) -> str:
    """The refresh in this process without a profiler: CPU (each thread's own clock) and wall seconds
    spent inside each part, timed around its calls, and the process's CPU in all."""
    import resource

    from tui_reader import cli
    from tui_reader.core import library as library_module
    from tui_reader.core.search import index as index_module
    from tui_reader.core.web import client, refresh

    parts = [("HTTP requests (Fetcher.get)", client.Fetcher, "get"),
             ("feed parsing (parse_feed)", refresh, "parse_feed"),
             ("page extraction (extract_page)", refresh, "extract_page"),
             ("articles from entries (make_article)", refresh, "make_article"),
             ("saving a feed (Library._save_feed, with the commits it makes)", library_module.Library, "_save_feed"),
             ("index commits (_IndexFeeder.commit)", library_module._IndexFeeder, "commit"),
             ("  of which Whoosh writing (SearchIndex.write)", index_module.SearchIndex, "write")]
    totals = {label: [0.0, 0.0, 0] for label, _, _ in parts}
    lock = threading.Lock()
    originals = []

    def timed(label, function):
        def wrapper(*args, **kwargs):
            cpu, wall = time.thread_time(), time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                with lock:
                    entry = totals[label]
                    entry[0] += time.thread_time() - cpu
                    entry[1] += time.perf_counter() - wall
                    entry[2] += 1
        return wrapper

    for label, owner, name in parts:
        original = owner.__dict__[name]
        originals.append((owner, name, original))
        setattr(owner, name, timed(label, original))
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            code = cli.main(["--home", str(home), "fetch", "-q"])
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    lines = [f"newsreader fetch exited {code}: wall {wall:.1f} s, process CPU {cpu:.1f} s "
             f"(user {after.ru_utime - before.ru_utime:.1f}, system {after.ru_stime - before.ru_stime:.1f}); "
             f"load {os.getloadavg()[0]:.1f}",
             "part: CPU s (own threads' clocks) / wall s inside (summed over threads) / calls"]
    lines += [f"  {label}: {c:.1f} / {w:.1f} / {n}" for label, (c, w, n) in totals.items()]
    return "\n".join(lines)


def profile_refresh(home: Path) -> tuple[pstats.Stats, dict[str, float], float]:
    """`newsreader --home H fetch -q` in this process; every thread under its own profiler, timed by
    its own CPU clock (a thread waiting for the GIL or the network costs nothing). Returns the merged
    profile, CPU seconds per thread kind, and the wall seconds."""
    from tui_reader import cli
    from tui_reader.core.web import refresh

    profiles: list[cProfile.Profile] = []
    cpu: dict[str, float] = {}
    lock = threading.Lock()
    local = threading.local()
    read_feed = refresh.read_feed

    def profiled_read_feed(*args, **kwargs):
        profile = getattr(local, "profile", None)
        if profile is None:
            profile = local.profile = cProfile.Profile(time.thread_time)
            with lock:
                profiles.append(profile)
        started = time.thread_time()
        profile.enable()
        try:
            return read_feed(*args, **kwargs)
        finally:
            profile.disable()
            with lock:
                cpu["worker threads (fetch, parse, extract)"] = (cpu.get("worker threads (fetch, parse, extract)", 0.0)
                                                                 + time.thread_time() - started)

    refresh.read_feed = profiled_read_feed
    main_profile = cProfile.Profile(time.thread_time)
    started, main_cpu = time.perf_counter(), time.thread_time()
    main_profile.enable()
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # a line per feed: not wanted here
            code = cli.main(["--home", str(home), "fetch", "-q"])
    except SystemExit as end:
        code = end.code
    finally:
        main_profile.disable()
        refresh.read_feed = read_feed
    wall = time.perf_counter() - started
    cpu["main thread (saving, index)"] = time.thread_time() - main_cpu
    print(f"newsreader fetch exited {code}", file=sys.stderr)
    stats = pstats.Stats(main_profile, stream=io.StringIO())
    for profile in profiles:
        stats.add(profile)
    return stats, cpu, wall


def report(stats: pstats.Stats, cpu: dict[str, float], wall: float, top: int) -> str:
    """CPU per thread kind, cumulative CPU per part, and the top functions by own time."""
    lines = [f"wall {wall:.1f} s (under cProfile); CPU by thread kind:"]
    lines += [f"  {kind}: {seconds:.1f} s" for kind, seconds in cpu.items()]
    total = sum(cpu.values())
    lines.append("CPU by part (cumulative, a part may hold another):")
    for label, terms in PARTS:
        seconds = sum(sign * row[3] for module, name, sign in terms for (path, _, function), row in stats.stats.items()
                      if function == name and path.replace("\\", "/").endswith(module))
        lines.append(f"  {label}: {seconds:.1f} s ({seconds / total:.0%})" if total else f"  {label}: {seconds:.1f} s")
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats("tottime").print_stats(top)
    lines.append(out.getvalue())
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
