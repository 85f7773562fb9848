"""The naive baseline, run as its own process: one plain Whoosh writer with default settings.

`python -m bench.naive_whoosh INPUT.jsonl[.gz] FOLDER` indexes title and body of every line with
StemmingAnalyzer, TEXT(stored=True), one ix.writer(), add_document per article and one commit,
and prints how many articles it indexed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from whoosh import index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import TEXT, Schema

from bench.corpus import lines


def build(source: Path, folder: Path) -> int:
    """Index the file into a new index in folder; returns the number of articles."""
    schema = Schema(title=TEXT(analyzer=StemmingAnalyzer(), stored=True),
                    body=TEXT(analyzer=StemmingAnalyzer(), stored=True))
    folder.mkdir(parents=True, exist_ok=True)
    writer = index.create_in(str(folder), schema).writer()
    count = 0
    for line in lines([source]):
        record = json.loads(line)
        writer.add_document(title=record.get("title") or "", body=record.get("body") or "")
        count += 1
    writer.commit()
    return count


if __name__ == "__main__":
    print(build(Path(sys.argv[1]), Path(sys.argv[2])))
