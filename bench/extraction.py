"""`python -m bench.extraction --dataset DIR`: article text of the web extractor against a ground truth.

DIR has the layout of the ScrapingHub article-extraction-benchmark (181 news pages): DIR/ground-truth.json
maps an id to {"articleBody": ..., "url": ...} and DIR/html/ID.html.gz holds the page. The data set stays
outside the repository (its pages are publishers' text). The metric is that benchmark's own (its
evaluate.py): word 4-gram shingles, counted with repeats; per page true and false positives and false
negatives, normalised so that long pages do not weigh more; precision averaged over the pages that gave
text, recall over the pages whose truth has text; F1 of the two averages.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tui_reader.core.web.extract import extract_page

SHINGLE = 4
# The benchmark's tokenizer: runs of word characters, case kept (its IGNORECASE flag changes nothing for \w).
_TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)

Extractor = Callable[[str, "str | None"], str]  # (html, url) -> article text


@dataclass(frozen=True)
class Item:
    """One page of the data set with its true article text."""

    key: str
    url: str | None
    html: str
    truth: str


@dataclass(frozen=True)
class Score:
    """The benchmark's figures for one extractor over a data set."""

    pages: int
    precision: float
    recall: float
    f1: float
    empty: int  # pages that gave no text although the truth has an article
    empty_keys: list[str] = field(default_factory=list)
    median_ms: float = 0.0


def load(folder: Path) -> list[Item]:
    """The pages and truths of a data set in the benchmark's layout, in id order; OSError/ValueError if absent."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    items = []
    for key in sorted(truth):
        with gzip.open(folder / "html" / f"{key}.html.gz", "rt", encoding="utf-8", errors="replace") as page:
            html = page.read()  # the benchmark reads its pages as UTF-8 too
        items.append(Item(key, truth[key].get("url"), html, truth[key].get("articleBody") or ""))
    return items


def tokens(text: str) -> list[str]:
    """Words as the benchmark cuts them."""
    return _TOKEN.findall(text or "")


def shingles(text: str, size: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """The text's word n-grams with their counts; a text shorter than n words is one shingle (as there)."""
    words = tokens(text)
    return Counter(tuple(words[i : i + size]) for i in range(max(1, len(words) - size + 1)) if words[i : i + size])


def shingle_counts(true: str, predicted: str) -> tuple[float, float, float]:
    """(true positives, false positives, false negatives) of one page, normalised to sum to 1 (0s if empty)."""
    expected, found = shingles(true), shingles(predicted)
    tp = float(sum((expected & found).values()))
    fp = float(sum((found - expected).values()))
    fn = float(sum((expected - found).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    """A page's precision, with the benchmark's conventions for empty texts."""
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    """A page's recall, with the benchmark's conventions for empty texts."""
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def score(counts: Iterable[tuple[float, float, float]]) -> tuple[float, float, float]:
    """(precision, recall, F1) over pages: each averaged over the pages where it is defined.

    Where the benchmark would fail on an average of nothing (an extractor that never gives text), 0.
    """
    counts = list(counts)
    precisions = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(items: list[Item], extractor: Extractor) -> Score:
    """Run the extractor on every page, timing each, and score its texts against the truths."""
    counts, times, empty = [], [], []
    for item in items:
        started = time.perf_counter()
        text = extractor(item.html, item.url)
        times.append((time.perf_counter() - started) * 1000)
        counts.append(shingle_counts(item.truth, text))
        if tokens(item.truth) and not tokens(text):
            empty.append(item.key)
    precision, recall, f1 = score(counts)
    return Score(len(items), precision, recall, f1, len(empty), empty, statistics.median(times) if times else 0.0)


def body_of(html: str, url: str | None) -> str:
    """The article text newsreader keeps for a page."""
    return extract_page(html, url).body


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.extraction", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", type=Path, required=True, metavar="DIR",
                        help="a folder with ground-truth.json and html/ID.html.gz (kept outside the repository)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures to FILE as JSON")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Evaluate the extractor on the data set and print its figures; 2 if the data set cannot be read."""
    args = parse_args(argv)
    try:
        items = load(args.dataset)
    except (OSError, ValueError, AttributeError) as error:  # AttributeError: an entry that is not an object
        print(f"bench.extraction: cannot read the data set in {args.dataset} (ground-truth.json and html/): {error}",
              file=sys.stderr)
        return 2
    extract_page("<html><head><title>warm-up</title></head><body><p>x</p></body></html>")  # imports, untimed
    result = evaluate(items, body_of)
    print(f"pages      {result.pages}")
    print(f"precision  {result.precision:.3f}")
    print(f"recall     {result.recall:.3f}")
    print(f"F1         {result.f1:.3f}")
    print(f"no text    {result.empty} (pages with an article that gave none{': ' if result.empty_keys else ''}"
          f"{', '.join(result.empty_keys)})")
    print(f"median ms per page  {result.median_ms:.1f}")
    if args.json:
        args.json.write_text(json.dumps(result.__dict__, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
