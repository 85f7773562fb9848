"""Helpers for the fault tests: synthetic articles, subprocesses to kill, and library checks."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tui_reader.core.progress import ImportProgress, read_event

WORDS = ("harbour council budget river ferry vote library garden transit bridge school market "
         "weather flood tide museum station hospital election court museum park").split()


def synthetic_articles(count: int, prefix: str = "s", seed: int = 7, words: int = 400) -> list[dict]:
    """Articles of random words with full metadata (no real text needed to test faults)."""
    rng = random.Random(seed)
    articles = []
    for n in range(count):
        paragraphs = [" ".join(rng.choice(WORDS) for _ in range(40)) + "." for _ in range(words // 40)]
        articles.append({
            "id": f"{prefix}{n}", "title": f"Article {n} on the {rng.choice(WORDS)}", "author": "Ann Lee",
            "source": "Test Ledger", "date": f"20{10 + n % 10}-0{1 + n % 9}-1{n % 9}", "url": f"https://example.org/{prefix}{n}",
            "body": "\n\n".join(paragraphs),
        })
    return articles


def write_jsonl(path: Path, articles: list[dict]) -> Path:
    """Articles as a JSON Lines file."""
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    return path


def command(home: Path, *args: str) -> list[str]:
    """The newsreader command line for a library."""
    return [sys.executable, "-m", "tui_reader", "--home", str(home), *args]


def run(home: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run newsreader to the end."""
    return subprocess.run(command(home, *args), capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "NEWSREADER_CLIPBOARD": "terminal"})


def kill_at_progress(args: list[str], fraction: float) -> subprocess.Popen:
    """Start `newsreader import --json-progress` and kill -9 it once it reports having read `fraction`
    of its input: a moment inside the import however fast this machine imports (a kill after a fixed
    delay missed imports that had already finished)."""
    process = subprocess.Popen([*args, "--json-progress"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)
    for line in process.stdout:
        event = read_event(line)
        if isinstance(event, ImportProgress) and event.fraction >= fraction:
            process.send_signal(signal.SIGKILL)
            break
    process.stdout.close()
    process.wait()
    return process


def wait_for_line(process: subprocess.Popen, text: str, timeout: float = 60) -> None:
    """Read a process's stdout until a line contains text."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if text in line:
            return
    raise AssertionError(f"{text!r} never appeared")
