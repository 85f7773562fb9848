"""Where a refresh's time goes: `python -m bench.profile_fetch --work DIR [--size N] [--light] [--inline]`
runs the fetch step's first refresh (the same 200 loopback feeds) in this process and prints its costs by
part (HTTP, feed parsing, page extraction, SQLite, the index).

Without --light, every thread runs under its own cProfile, timed by its own CPU clock (a thread waiting
for the GIL, the network or a worker process costs nothing), and the top functions follow; cProfile
slows pure-Python code about twofold, so read shares, not seconds. With --light, each part is only timed
around its calls (CPU of the calling thread, and wall). A refresh of many feeds parses and extracts in
worker processes, which neither way sees inside: their CPU is given in all, and the time the threads
waited for them by step; --inline keeps that work in this process (as a refresh of a few feeds does) to
see inside it.

It needs a library built by `make bench ARGS="--sizes N --work DIR ..."` (DIR/library-N); it works on a
copy. The sites are served from this process too (their answers are rendered beforehand: little work).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import resource
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from bench import corpus
from bench.__main__ import app_env, compile_package
from bench.feed_server import FeedServer
from bench.measure_fetch import STORIES_NEEDED, import_feeds, load_stories

# Parts of a refresh in a profile: the cumulative CPU of functions (a module path's end, a function's
# name), added or (-1) taken away, so that each part counts its own work once.
PARTS: list[tuple[str, list[tuple[str, str, int]]]] = [
    ("HTTP requests (Fetcher.get)", [("web/client.py", "get", 1)]),
    ("feed parsing (parse_feed)", [("web/feeds.py", "parse_feed", 1)]),
    ("page extraction (page_of: decoding, extract_page)", [("web/refresh.py", "page_of", 1)]),
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
    """Copy the library, serve the feeds, import them, run one refresh measured, print the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.profile_fetch", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, required=True, help="the bench's --work folder")
    parser.add_argument("--size", type=int, default=7500, help="which library-N of it (default 7500)")
    parser.add_argument("--top", type=int, default=30, help="how many functions to list")
    parser.add_argument("--save", type=Path, help="also write the merged profile here (for pstats, snakeviz)")
    parser.add_argument("--light", action="store_true", help="no cProfile: each part timed around its calls")
    parser.add_argument("--inline", action="store_true",
                        help="parse and extract in this process's threads, not in worker processes")
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
        with _inline(args.inline):
            if args.light:
                print(time_parts(copy))
            else:
                stats, lines = profile_refresh(copy)
                if args.save:
                    stats.dump_stats(str(args.save))
                print(report(stats, lines, args.top))
    finally:
        sites.stop()
        shutil.rmtree(copy, ignore_errors=True)
    return 0


@contextlib.contextmanager
def _inline(inline: bool) -> Iterator[None]:
    """With inline, a refresh of any number of feeds parses and extracts in its own threads."""
    from tui_reader.core import library as library_module

    if not inline:
        yield
        return
    before = library_module.PARALLEL_FEEDS
    library_module.PARALLEL_FEEDS = 10**9
    try:
        yield
    finally:
        library_module.PARALLEL_FEEDS = before


@contextlib.contextmanager
def _patched(owner: object, name: str, wrap: Callable[[Callable], Callable]) -> Iterator[None]:
    """owner.name replaced by wrap(owner.name) for a while."""
    original = vars(owner)[name]
    setattr(owner, name, wrap(original))
    try:
        yield
    finally:
        setattr(owner, name, original)


def _waits(totals: dict[str, list], lock: threading.Lock) -> Callable[[Callable], Callable]:
    """A wrapper for refresh.cpu_runner whose runner times (wall) each step handed to a worker process, by
    the step's name: what the fetching threads waited for."""
    def wrap(cpu_runner):
        @contextlib.contextmanager
        def timed_runner(processes: int):
            with cpu_runner(processes) as run:
                def timed_run(function, *args):
                    started = time.perf_counter()
                    try:
                        return run(function, *args)
                    finally:
                        with lock:
                            entry = totals.setdefault(f"waiting for {function.__name__} (runner, {processes} "
                                                      "processes)", [0.0, 0.0, 0])
                            entry[1] += time.perf_counter() - started
                            entry[2] += 1
                yield timed_run
        return timed_runner
    return wrap


def _cpu(before: resource.struct_rusage, after: resource.struct_rusage) -> float:
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def _run_fetch(home: Path) -> int:
    """`newsreader --home H fetch -q` in this process, its lines thrown away."""
    from tui_reader import cli

    try:
        with contextlib.redirect_stdout(io.StringIO()):
            return cli.main(["--home", str(home), "fetch", "-q"])
    except SystemExit as end:
        return int(end.code or 0)


def time_parts(home: Path) -> str:
    """The refresh without a profiler: CPU (the calling thread's clock) and wall seconds inside each
    part, and the CPU of this process and of its worker processes."""
    from tui_reader.core import library as library_module
    from tui_reader.core.search import index as index_module
    from tui_reader.core.web import client, refresh

    parts = [("HTTP requests (Fetcher.get)", client.Fetcher, "get"),
             ("feed parsing (parse_feed, when in this process)", refresh, "parse_feed"),
             ("page extraction (page_of, when in this process)", refresh, "page_of"),
             ("articles from entries (make_article)", refresh, "make_article"),
             ("saving a feed (Library._save_feed, with the commits it makes)", library_module.Library, "_save_feed"),
             ("index commits (_IndexFeeder.commit)", library_module._IndexFeeder, "commit"),
             ("  of which Whoosh writing (SearchIndex.write)", index_module.SearchIndex, "write")]
    totals: dict[str, list] = {label: [0.0, 0.0, 0] for label, _, _ in parts}
    lock = threading.Lock()

    def timed(label: str) -> Callable[[Callable], Callable]:
        def wrap(function):
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
        return wrap

    with contextlib.ExitStack() as patches:
        for label, owner, name in parts:
            if owner is refresh and name in ("parse_feed", "page_of"):
                continue  # handed to worker processes by name: a wrapper would not pickle; patched below if inline
            patches.enter_context(_patched(owner, name, timed(label)))
        if library_module.PARALLEL_FEEDS > 10**6:  # inline: these run in this process's threads
            patches.enter_context(_patched(refresh, "parse_feed", timed(parts[1][0])))
            patches.enter_context(_patched(refresh, "page_of", timed(parts[2][0])))
        patches.enter_context(_patched(refresh, "cpu_runner", _waits(totals, lock)))
        before, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        code = _run_fetch(home)
        wall = time.perf_counter() - started
        after, children_after = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = [f"newsreader fetch exited {code}: wall {wall:.1f} s; CPU of this process {_cpu(before, after):.1f} s, "
             f"of its worker processes {_cpu(children, children_after):.1f} s; load {os.getloadavg()[0]:.1f}",
             "part: CPU s (calling thread's clock) / wall s inside (summed over threads) / calls"]
    lines += [f"  {label}: {c:.1f} / {w:.1f} / {n}" for label, (c, w, n) in totals.items() if n]
    return "\n".join(lines)


def profile_refresh(home: Path) -> tuple[pstats.Stats, list[str]]:
    """The refresh with every thread of this process under its own profiler (CPU clocks): the merged
    profile, and lines on CPU by thread kind and of the worker processes."""
    from tui_reader.core.web import refresh

    profiles: list[cProfile.Profile] = []
    cpu: dict[str, float] = {}
    lock = threading.Lock()
    local = threading.local()
    workers = "fetching threads (HTTP; parsing and extracting when inline)"

    def wrap(read_feed):
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
                    cpu[workers] = cpu.get(workers, 0.0) + time.thread_time() - started
        return profiled_read_feed

    main_profile = cProfile.Profile(time.thread_time)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    with _patched(refresh, "read_feed", wrap):
        started, main_cpu = time.perf_counter(), time.thread_time()
        main_profile.enable()
        try:
            code = _run_fetch(home)
        finally:
            main_profile.disable()
    wall = time.perf_counter() - started
    cpu["main thread (saving, index)"] = time.thread_time() - main_cpu
    cpu["worker processes (parsing, extracting), not profiled"] = _cpu(children, resource.getrusage(resource.RUSAGE_CHILDREN))
    stats = pstats.Stats(main_profile, stream=io.StringIO())
    for profile in profiles:
        stats.add(profile)
    lines = [f"newsreader fetch exited {code}: wall {wall:.1f} s under cProfile; CPU:"]
    lines += [f"  {kind}: {seconds:.1f} s" for kind, seconds in cpu.items()]
    return stats, lines


def report(stats: pstats.Stats, lines: list[str], top: int) -> str:
    """The lines given, the cumulative CPU per part, and the top functions by own time."""
    lines = [*lines, "CPU by part in this process (cumulative; indented parts are inside the one above):"]
    for label, terms in PARTS:
        seconds = sum(sign * row[3] for module, name, sign in terms for (path, _, function), row in stats.stats.items()
                      if function == name and path.replace("\\", "/").endswith(module))
        lines.append(f"  {label}: {seconds:.1f} s")
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats("tottime").print_stats(top)
    lines.append(out.getvalue())
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
