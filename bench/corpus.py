"""The benchmark's input: the shared corpus (or given JSON Lines files) in a fixed order, cut to sizes."""

from __future__ import annotations

import collections
import gzip
import json
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
NEW_ARTICLES = 100  # step 6: how many articles a small follow-up import brings


def default_inputs() -> list[Path]:
    """The corpus parts in order; the Syria file repeats articles of the parts, so it is left out."""
    return sorted(CORPUS.glob("allsides-part-*.jsonl.gz"))


def _open(path: Path):
    """A JSON Lines file for reading as bytes, gzip or not."""
    return gzip.open(path, "rb") if path.name.endswith(".gz") else path.open("rb")


def lines(paths: list[Path], limit: int | None = None) -> Iterator[bytes]:
    """The non-blank lines of the files one after the other, at most limit of them."""
    count = 0
    for path in paths:
        with _open(path) as stream:
            for line in stream:
                if not line.strip():
                    continue
                if limit is not None and count >= limit:
                    return
                count += 1
                yield line if line.endswith(b"\n") else line + b"\n"


def count(paths: list[Path], limit: int | None = None) -> int:
    """How many articles the input holds (up to limit)."""
    return sum(1 for _ in lines(paths, limit))


def write_cuts(
    paths: list[Path], sizes: set[int], folder: Path, limit: int | None
) -> tuple[dict[int, Path], list[bytes]]:
    """One pass over the input: a .jsonl.gz of the first N articles for each size, and the last
    NEW_ARTICLES lines (raw) for the follow-up import."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {size: folder / f"first-{size}.jsonl.gz" for size in sizes}
    # Level 1: the import pays for decompression, which costs about the same at any level.
    writers = {size: gzip.open(path, "wb", compresslevel=1) for size, path in files.items()}
    tail: collections.deque[bytes] = collections.deque(maxlen=NEW_ARTICLES)
    total = 0
    try:
        for line in lines(paths, limit):
            for size, writer in writers.items():
                if total < size:
                    writer.write(line)
            tail.append(line)
            total += 1
    finally:
        for writer in writers.values():
            writer.close()
    return files, list(tail)


def write_new_articles(tail: list[bytes], path: Path, feed: str) -> int:
    """Copies of real articles under new ids, all from one made-up publication (`feed`) so that
    one `source:` search finds exactly them; returns how many were written."""
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for number, line in enumerate(tail):
            record = json.loads(line)
            record["id"] = f"{feed}-{number:03d}"
            record["source"] = feed
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(tail)
