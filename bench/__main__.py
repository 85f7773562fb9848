"""`python -m bench [FILE...]` (or `make bench ARGS=...`): every figure of the product issue, per size,
printed as one Markdown table and written as JSON. Progress goes to stderr."""

from __future__ import annotations

import argparse
import compileall
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import tui_reader
from bench import corpus, measure_app, measure_fetch, measure_import, measure_query, measure_update, report
from tui_reader.core.library import Library

STEPS = ("import", "query", "app", "update", "fetch")
DEFAULT_SIZES = (7500, 15000, 37548)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("files", nargs="*", type=Path, help=f"JSON Lines files (default: the parts in {corpus.CORPUS})")
    parser.add_argument("--articles", type=int, metavar="N", help="use only the first N articles of the input")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), metavar="N,N,...",
                        help="library sizes to measure, capped by the input (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=5, metavar="K", help="rounds of the query set (default 5)")
    parser.add_argument("--baseline-articles", type=int, metavar="N",
                        help="the naive Whoosh writer indexes the first min(size, N) articles "
                             "(default: the same articles as the import, at every size)")
    parser.add_argument("--only", metavar="STEP,...", help=f"measure only these: {', '.join(STEPS)} "
                        "(a library is still built for the others, untimed)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 1,000 articles, few repeats")
    parser.add_argument("--out", type=Path, default=corpus.REPO / "bench" / "results" / "latest.json",
                        help="where the JSON goes (default: bench/results/latest.json)")
    parser.add_argument("--work", type=Path, metavar="DIR",
                        help="keep inputs and libraries here and reuse them when import is not measured "
                             "(default: a temporary folder, deleted at the end)")
    args = parser.parse_args(argv)
    args.steps = [step.strip() for step in args.only.split(",")] if args.only else list(STEPS)
    unknown = set(args.steps) - set(STEPS)
    if unknown:
        parser.error(f"unknown step(s) {', '.join(sorted(unknown))}; choose from {', '.join(STEPS)}")
    args.sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    if args.quick:
        args.sizes, args.repeat, args.baseline_articles = [1000], 2, 1000
    return args


def say(message: str) -> None:
    """Progress on stderr, with the time."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_info(args: argparse.Namespace, inputs: list[Path], total: int) -> dict:
    """What was measured where: machine, commit, input, settings."""
    try:
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=corpus.REPO,
                                capture_output=True, text=True).stdout.strip()
    except OSError:  # no git
        commit = ""
    return {
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"), "commit": commit or "unknown",
        "code_digest": code_digest(),
        "python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
        "load_before": os.getloadavg(), "load_after": os.getloadavg(),
        "inputs": [str(path) for path in inputs], "articles_available": total,
        "repeat": args.repeat, "baseline_articles": args.baseline_articles, "steps": args.steps,
    }


def code_digest() -> str:
    """A digest of newsreader's code as it is now: the tree may hold uncommitted work, even change
    during a run, and this tells the code measured apart."""
    code = hashlib.sha1()
    for path in sorted((corpus.REPO / "tui_reader").rglob("*.py")):
        code.update(path.read_bytes())
    return code.hexdigest()[:12]


def app_env(work: Path) -> dict[str, str]:
    """The environment for newsreader's processes: default settings, never the user's config or library."""
    env = {key: value for key, value in os.environ.items() if key != "NEWSREADER_HOME"}
    env["NEWSREADER_CONFIG"] = str(work / "no-config.toml")  # absent: every setting at its default
    return env


def compile_package() -> None:
    """Run the app as it runs when installed: from bytecode, which pip writes at install time and
    Python on a first run. Where PYTHONDONTWRITEBYTECODE is set (as on the benchmark machine), every
    start of an editable checkout compiled the package anew: about 60 ms of the start-up."""
    compileall.compile_dir(str(Path(tui_reader.__file__).parent), quiet=1)


@dataclass
class Plan:
    """What every size shares: the options, the prepared inputs, and where figures go."""

    args: argparse.Namespace
    work: Path
    env: dict[str, str]
    files: dict[int, Path]  # articles -> the first that many, as .jsonl.gz
    new_file: Path  # the articles of step 6
    feed: str  # their publication, which finds them
    new_count: int
    results: dict
    baselines: dict[int, dict] = field(default_factory=dict)  # articles -> the naive writer's figures

    def save(self) -> None:
        """Write the figures so far (a later failure or a kill loses nothing measured)."""
        self.results["run"]["load_after"] = os.getloadavg()
        report.save(self.results, self.args.out)


def attempt(what: str, measure: Callable[[], dict]) -> dict:
    """A step's figures, or its error: one failing step must not cost the figures of the others."""
    say(what)
    try:
        return measure()
    except Exception as error:
        traceback.print_exc()
        say(f"failed: {type(error).__name__}: {error}")
        return {"error": f"{type(error).__name__}: {error}"}


def main(argv: list[str] | None = None) -> int:
    """Prepare the inputs, measure each size, print the table, write the JSON."""
    args = parse_args(argv)
    inputs = args.files or corpus.default_inputs()
    if not inputs:
        print(f"bench: no corpus at {corpus.CORPUS}; give JSON Lines files as arguments", file=sys.stderr)
        return 2
    total = corpus.count(inputs, args.articles)
    sizes = sorted({min(size, total) for size in args.sizes})
    cuts = {min(size, args.baseline_articles or size) for size in sizes}
    work = args.work or Path(tempfile.mkdtemp(prefix="newsreader-bench-"))
    compile_package()
    say(f"{total:,} articles available; sizes {', '.join(f'{s:,}' for s in sizes)}; working in {work}")
    try:
        files, tail = corpus.write_cuts(inputs, set(sizes) | cuts, work / "input", args.articles)
        feed = f"benchfeed{int(time.time()):x}"  # a new publication each run: never in a library yet
        new_file = work / "input" / f"{feed}.jsonl.gz"
        new_count = corpus.write_new_articles(tail, new_file, feed)
        plan = Plan(args, work, app_env(work), files, new_file, feed, new_count,
                    {"run": run_info(args, inputs, total), "sizes": {}})
        for size in sizes:
            measure_size(plan, size)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(report.markdown(plan.results))
    say(f"figures written to {args.out}")
    return 0


def build_library(plan: Plan, entry: dict, home: Path) -> bool:
    """Step 1 (or an untimed build when it is not measured, or a reuse with --work); False if it failed."""
    size = entry["articles"]
    built = home.with_name(home.name + ".built")  # a library finished by an earlier run with --work
    if "import" not in plan.args.steps and built.exists():
        return True
    shutil.rmtree(home, ignore_errors=True)
    built.unlink(missing_ok=True)
    imported = attempt(f"{size:,}: importing with `newsreader import`",
                       lambda: measure_import.run_import(home, plan.files[size], plan.env))
    if "import" in plan.args.steps or "error" in imported:
        entry["import"] = imported
    if "error" in imported:
        return False
    built.touch()
    if "import" in plan.args.steps:
        cut = min(size, plan.args.baseline_articles or size)
        if cut not in plan.baselines:
            naive = plan.work / f"naive-{cut}"
            plan.baselines[cut] = attempt(f"{size:,}: naive Whoosh writer on the first {cut:,} articles",
                                          lambda: measure_import.run_baseline(plan.files[cut], naive))
        entry["baseline"] = plan.baselines[cut]
    return True


def measure_size(plan: Plan, size: int) -> None:
    """Steps 1 to 8 at one size; the new articles of step 6 go in last, so they change nothing before
    (step 8 works on a copy of the library)."""
    args = plan.args
    entry = plan.results["sizes"][str(size)] = {"articles": size, "code_digest": code_digest()}
    home = plan.work / f"library-{size}"
    if not build_library(plan, entry, home):
        plan.save()
        return
    plan.save()
    library = Library(home)
    try:
        tagged = measure_query.tag_passages(library)  # tag: queries need hits, in the query set and in the app
        steps = {
            "query": (f"{size:,}: query set, {args.repeat} rounds, newsreader / FTS5 / substring scan",
                      lambda: measure_query.measure(library, tagged, plan.files[size], plan.work, args.repeat,
                                                    scan_repeat=min(args.repeat, 2))),
            "app": (f"{size:,}: the app under tmux",
                    lambda: measure_app.measure(library, home, plan.env, corpus.REPO,
                                                startups=1 if args.quick else 5, typed=3 if args.quick else 20)),
            "update": (f"{size:,}: {plan.new_count} new articles",
                       lambda: measure_update.measure(library, home, plan.new_file, plan.feed, plan.new_count,
                                                      plan.env)),
            "fetch": (f"{size:,}: 200 feeds on loopback: `newsreader fetch`, twice, then typing in the app during a refresh",
                      lambda: measure_fetch.measure(home, plan.work, plan.env, args.files or corpus.default_inputs(),
                                                    args.articles, size, typed=3 if args.quick else 40)),
        }
        for step, (what, measure) in steps.items():
            if step in args.steps:
                entry[step] = attempt(what, measure)
                plan.save()
    finally:
        library.close()


if __name__ == "__main__":
    sys.exit(main())
