"""Step 1: import throughput of the real `newsreader import` into an empty library, next to a naive
Whoosh writer indexing the same articles; both run as their own processes and are timed from outside."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.corpus import REPO


def app_command(home: Path) -> list[str]:
    """`newsreader --home DIR`, run by this Python (the project's virtualenv under make)."""
    return [sys.executable, "-m", "tui_reader", "--home", str(home)]


def _timed(command: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run a command to its end: the finished process, wall seconds, and CPU seconds (user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return done, wall, cpu


def run_import(home: Path, source: Path, env: dict[str, str]) -> dict:
    """`newsreader import FILE --quiet` into the library at home: seconds, CPU seconds, its summary line."""
    done, wall, cpu = _timed([*app_command(home), "import", str(source), "--quiet"], env)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if done.returncode not in (0, 1) or not summary:  # 1: some input was rejected, the rest imported
        raise RuntimeError(f"newsreader import failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    imported = int(summary.split()[0].replace(",", ""))
    return {"imported": imported, "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2), "summary": summary,
            "rate": round(imported / wall, 1)}


def run_baseline(source: Path, folder: Path) -> dict:
    """The naive writer (bench.naive_whoosh) over the same file: seconds, CPU seconds, rate."""
    done, wall, cpu = _timed([sys.executable, "-m", "bench.naive_whoosh", str(source), str(folder)])
    if done.returncode != 0:
        raise RuntimeError(f"the naive Whoosh baseline failed: {done.stderr.strip()[-2000:]}")
    articles = int(done.stdout.strip())
    return {"articles": articles, "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
            "rate": round(articles / wall, 1)}
