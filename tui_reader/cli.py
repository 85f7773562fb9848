"""The `newsreader` command: the reader app, and subcommands over the same library functions."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from tui_reader.core.library import ImportProgress, ImportReport, Library, QueryError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """The command line: global options and one subparser per command."""
    parser = argparse.ArgumentParser(prog="newsreader", description="A terminal reader for news archives.")
    parser.add_argument("--home", metavar="DIR", help="library folder (default: $NEWSREADER_HOME or the user data folder)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("read", help="open the reader (the default)")

    importing = commands.add_parser("import", help="import articles from files or folders")
    importing.add_argument("paths", nargs="+", metavar="PATH", help=".txt .md .json .jsonl .html (also .gz), or folders")
    importing.add_argument("--quiet", "-q", action="store_true", help="no progress bar")

    search = commands.add_parser("search", help="search the library")
    search.add_argument("query", nargs="+", help="words, OR, NOT/-, \"phrases\", prefix*, field:value")
    search.add_argument("--limit", type=int, default=20, metavar="N", help="at most N hits (default 20)")
    search.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    search.add_argument("--json", action="store_true", help="print a JSON array")

    show = commands.add_parser("show", help="print one article")
    show.add_argument("id")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:  # argparse exits 2 on usage errors and 0 for --help
        return int(exit.code or 0)
    command = args.command or "read"
    if command == "read":
        from tui_reader.app.app import run  # the Textual front loads only when it is needed

        return run(args.home)
    library = Library.open(args.home)
    try:
        return COMMANDS[command](library, args)
    finally:
        library.close()


def cmd_import(library: Library, args: argparse.Namespace) -> int:
    """Import paths with a progress bar on a terminal and a summary at the end."""
    bar = ProgressBar(enabled=sys.stderr.isatty() and not args.quiet)
    report = library.import_paths(args.paths, progress=bar.update)
    bar.close()
    print_report(report)
    return EXIT_FAILED if report.rejected else EXIT_OK


def print_report(report: ImportReport) -> None:
    """Rejections and notices on stderr, the summary on stdout."""
    for notice in report.notices:
        print(f"warning: {notice}", file=sys.stderr)
    for rejection in report.rejected:
        print(f"rejected: {rejection}", file=sys.stderr)
    print(report.summary())


def cmd_search(library: Library, args: argparse.Namespace) -> int:
    """Print ranked hits, as lines or JSON."""
    text = " ".join(args.query)
    try:
        page = library.search(text, limit=max(args.limit, 0), sort=args.sort)
    except QueryError as error:
        print(f"newsreader: bad query: {error}", file=sys.stderr)
        return EXIT_USAGE
    rows = page.rows[: args.limit]
    if args.json:
        excerpts = library.excerpts((row.id for row in rows), page.highlighter)
        out = [
            {
                "id": row.id, "title": row.title, "author": row.author, "source": row.source,
                "date": row.date, "url": row.url, "score": round(page.scores.get(row.id, 0.0), 4),
                "snippet": excerpts.get(row.id, ("", []))[0],
            }
            for row in rows
        ]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return EXIT_OK
    width = max((len(row.id) for row in rows), default=0)
    for row in rows:
        print(f"{row.id:<{width}}  {row.date or '—':<10}  {_cut(row.source or '—', 28):<28}  {row.title}")
    shown = f"{len(rows):,} of {'' if page.exact else 'about '}{page.total:,}"
    print(f"{shown} matching articles" if rows else "no matching articles", file=sys.stderr)
    return EXIT_OK


def cmd_show(library: Library, args: argparse.Namespace) -> int:
    """Print one article's metadata, then its text."""
    article = library.get(args.id)
    if article is None:
        print(f"newsreader: no article with id {args.id!r}", file=sys.stderr)
        return EXIT_FAILED
    print(article.title)
    for label, value in (("Author", article.author), ("Source", article.source), ("Date", article.date),
                         ("URL", article.url), ("ID", article.id), ("Imported", article.imported_at)):
        if value:
            print(f"{label}: {value}")
    print()
    print(article.body)
    return EXIT_OK


COMMANDS = {"import": cmd_import, "search": cmd_search, "show": cmd_show}


class ProgressBar:
    """A one-line progress bar on stderr: share done, count, rate and time left."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.last = 0.0
        self.shown = False

    def update(self, progress: ImportProgress) -> None:
        """Redraw at most ten times a second."""
        now = time.monotonic()
        if not self.enabled or now - self.last < 0.1:
            return
        self.last = now
        filled = int(progress.fraction * 30)
        left = progress.seconds_left
        eta = "--:--" if left is None else f"{int(left // 60):02d}:{int(left % 60):02d}"
        line = (f"\r[{'#' * filled}{'.' * (30 - filled)}] {progress.fraction:4.0%}  "
                f"{progress.articles:,} articles  {progress.rate:,.0f}/s  {eta} left")
        sys.stderr.write(line + "\x1b[K")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        """Clear the bar's line."""
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def _cut(text: str, width: int) -> str:
    """Text cut to width with an ellipsis."""
    return text if len(text) <= width else text[: width - 1] + "…"


if __name__ == "__main__":
    sys.exit(main())
