"""The `newsreader` command: the reader app, and subcommands over the same library functions."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from importlib import metadata
from pathlib import Path

import tui_reader
from tui_reader import settings as settings_module
from tui_reader.core import citations, export
from tui_reader.core import progress as progress_events
from tui_reader.core.importers import FORMATS_HINT
from tui_reader.core.articles import CORRECTABLE, Article, Correction
from tui_reader.core.library import (
    FULL_TEXT_MODES, FetchProgress, FetchReport, ImportProgress, ImportReport, IndexDamaged, Library, NoLibrary,
    NotFound, QueryError, QuoteNotFound,
)
from tui_reader.core.articles import Passage
from tui_reader.settings import Settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # as a shell reports a program that ctrl+c stopped (128 + SIGINT)
# The reader of our output went away (`newsreader show ID | head`): the status a shell gives a program
# that SIGPIPE ended (128 + 13), as for `cat file | head`, so that `set -o pipefail` scripts see what they
# see from any other tool, and so that it differs from 1 (not found, something rejected).
EXIT_BROKEN_PIPE = 141
# The commands that may create the library; the others only read or change one that exists.
CREATING = {"import", "add", "feeds add", "feeds import"}
WITH_SETTINGS = {"cite", "export"}  # the commands that read config.toml


def positive_int(text: str) -> int:
    """An argparse type: a whole number of 1 or more (a limit of 0 or -5 is a usage error, not a search)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def version() -> str:
    """The installed package's version (its metadata), else the source's."""
    try:
        return metadata.version("newsreader")
    except metadata.PackageNotFoundError:
        return tui_reader.__version__


def build_parser() -> argparse.ArgumentParser:
    """The command line: global options and one subparser per command."""
    parser = argparse.ArgumentParser(prog="newsreader", description="A terminal reader for news archives.")
    parser.add_argument("--home", metavar="DIR", help="library folder (default: $NEWSREADER_HOME or the user data folder)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("read", help="open the reader (the default)")

    importing = commands.add_parser("import", help="import articles from files or folders")
    importing.add_argument("paths", nargs="+", metavar="PATH", help=f"{FORMATS_HINT}, or folders")
    importing.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    importing.add_argument("--json-progress", action="store_true",
                           help="progress and the final report as JSON lines on stdout (for the app)")

    search = commands.add_parser("search", help="search the library")
    search.add_argument("query", nargs="+", help="words, OR, NOT/-, \"phrases\", prefix*, field:value")
    search.add_argument("--limit", type=positive_int, default=20, metavar="N", help="at most N hits (default 20)")
    search.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    search.add_argument("--json", action="store_true", help="print a JSON array")

    show = commands.add_parser("show", help="print one article")
    show.add_argument("id")
    show.add_argument("--json", action="store_true",
                      help="print a JSON object: every field, the text, the import time, the corrections")

    edit = commands.add_parser(
        "edit", help="correct an article's title, author, source or date",
        description="Correct what an import got wrong. A correction is kept apart from the imported value and "
                    "wins over every later import of the article; `show` says which fields are corrected.")
    edit.add_argument("id")
    edit.add_argument("--title", metavar="TEXT")
    edit.add_argument("--author", metavar="NAMES", help='the byline as it should read, names separated by commas '
                      '("" for no author)')
    edit.add_argument("--source", metavar="NAME", help='the publication ("" for none)')
    edit.add_argument("--date", metavar="DATE", help='e.g. 2019-02-28, 2019-02, "February 28, 2019" ("" for none)')
    edit.add_argument("--undo", action="append", choices=(*CORRECTABLE, "all"), default=[], metavar="FIELD",
                      help="drop the correction of FIELD (title, author, source, date, or all): the imported "
                           "value shows again; repeat for more")

    cite = commands.add_parser("cite", help="print an article's citation, or a quoted passage's")
    cite.add_argument("id")
    cite.add_argument("--style", choices=citations.STYLES, metavar="STYLE",
                      help="; ".join(f"{key}: {name}" for key, name in citations.STYLE_NAMES.items())
                      + ". Default: the style in the settings (apa)")
    cite.add_argument("--format", choices=citations.FORMATS, dest="fmt", help="italics as plain, markdown or html")
    cite.add_argument("--quote", metavar="TEXT", help="cite this passage of the article, with its paragraph")

    tag = commands.add_parser("tag", help="tag a passage of an article")
    tag.add_argument("id")
    tag.add_argument("--quote", required=True, metavar="TEXT", help="the passage, as it reads in the article")
    tag.add_argument("--tag", required=True, action="append", metavar="NAME", help="a tag (repeat for more)")
    tag.add_argument("--note", default="", metavar="TEXT")

    tags = commands.add_parser("tags", help="list tagged passages")
    tags.add_argument("--tag", metavar="NAME", help="only passages with this tag")
    tags.add_argument("--json", action="store_true", help="print a JSON array")

    exporting = commands.add_parser("export", help="export tagged passages")
    exporting.add_argument("--format", choices=export.FORMATS, default="markdown", dest="fmt", metavar="FORMAT",
                           help="markdown: passages with their citations (the default); json: W3C Web Annotations; "
                           + "; ".join(f"{key}: {citations.STYLE_NAMES[key]}" for key in citations.DATA_STYLES)
                           + " (one entry per tagged article, keys unique within the file)")
    exporting.add_argument("--tag", metavar="NAME", help="only passages with this tag")
    exporting.add_argument("--style", choices=citations.STYLES, help="citation style for Markdown (csl-json and ris: APA)")
    exporting.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")

    feeds = commands.add_parser("feeds", help="the feeds the library follows: add, list, remove, import, export")
    feed_commands = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)
    feed_add = feed_commands.add_parser("add", help="follow a feed (RSS, Atom or JSON Feed)")
    feed_add.add_argument("url", metavar="URL")
    feed_add.add_argument("--name", metavar="NAME", help="what to call it (default: its site's host name)")
    feed_add.add_argument("--full-text", choices=FULL_TEXT_MODES, default="auto", dest="full_text",
                          help="fetch each entry's page for its whole text: auto (when the entry carries only a "
                               "summary; the default), always, or never")
    feed_list = feed_commands.add_parser("list", help="the feeds, with articles, unread, last fetch and last error")
    feed_list.add_argument("--json", action="store_true", help="print a JSON array")
    feed_remove = feed_commands.add_parser("remove", help="stop following a feed (its articles stay)")
    feed_remove.add_argument("feed", metavar="URL|NAME")
    feed_import = feed_commands.add_parser("import", help="follow the feeds of an OPML file or a newsboat urls file")
    feed_import.add_argument("file", metavar="FILE")
    feed_export = feed_commands.add_parser("export", help="write the feeds as OPML")
    feed_export.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")

    fetching = commands.add_parser("fetch", help="fetch new articles from every feed, or the named ones")
    fetching.add_argument("feeds", nargs="*", metavar="NAME|URL")
    fetching.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    fetching.add_argument("--json-progress", action="store_true",
                          help="progress and the final report as JSON lines on stdout (for the app)")
    fetching.add_argument("--background", action="store_true",
                          help="run at a lower CPU priority (nice 10), as the app's refresh does, so that "
                               "reading and searching stay quick meanwhile")

    adding = commands.add_parser("add", help="save web pages as articles")
    adding.add_argument("urls", nargs="+", metavar="URL")
    adding.add_argument("--json-progress", action="store_true",
                        help="progress and the final report as JSON lines on stdout (for the app)")

    check = commands.add_parser("check", help="verify the library: database, index, passages")
    check.add_argument("--repair", action="store_true", help="rebuild what is derived (the index, passage offsets)")

    backup = commands.add_parser("backup", help="write a consistent copy of the database")
    backup.add_argument("file", metavar="FILE")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        status = run_command(argv)
        sys.stdout.flush()  # a reader gone early shows here, where it is handled, not at the interpreter's exit
        return status
    except BrokenPipeError:
        # As Python's documentation on SIGPIPE recommends: point stdout at /dev/null so that the
        # interpreter's own last flush has nowhere to fail, and end quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def run_command(argv: list[str] | None = None) -> int:
    """Parse the arguments and run the command on the library; the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:  # argparse exits 2 on usage errors and 0 for --help and --version
        return int(exit.code or 0)
    command = args.command or "read"
    if command == "read":
        from tui_reader.app.app import run  # the Textual front loads only when it is needed

        return run(args.home)
    args.settings = load_settings() if command in WITH_SETTINGS else Settings()
    try:
        creates = command in CREATING or f"{command} {getattr(args, 'feeds_command', '')}" in CREATING
        library = Library.open(args.home, create=creates)
    except NoLibrary as error:
        print(f"newsreader: {error} (`newsreader import PATH` makes one)", file=sys.stderr)
        return EXIT_FAILED
    try:
        return COMMANDS[command](library, args)
    finally:
        library.close()


def load_settings() -> Settings:
    """The user's settings, once; what is wrong in the file is said on stderr (the defaults stand in)."""
    loaded, problems = settings_module.load()
    for problem in problems:
        print(f"newsreader: warning: {problem}", file=sys.stderr)
    return loaded


def cmd_import(library: Library, args: argparse.Namespace) -> int:
    """Import paths with a progress bar on a terminal and a summary at the end."""
    if args.json_progress:
        report = library.import_paths(args.paths, progress=JsonProgress().update)
        print(progress_events.event_line(report), flush=True)
        return EXIT_FAILED if report.rejected else EXIT_OK
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
    bring_index_up_to_date(library)
    try:
        try:
            page = library.search(text, limit=args.limit, sort=args.sort)
        except IndexDamaged:
            bring_index_up_to_date(library)  # says why, rebuilds, then the search runs again
            page = library.search(text, limit=args.limit, sort=args.sort)
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
                "snippet": excerpts[row.id].text if row.id in excerpts else "",
            }
            for row in rows
        ]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return EXIT_OK
    width = max((len(row.id) for row in rows), default=0)
    for row in rows:
        print(f"{row.id:<{width}}  {row.date or '—':<10}  {_cut(row.source or '—', 28):<28}  {row.title}")
    total = page.total if page.exact else library.count_matches(text)
    shown = f"{len(rows):,} of {total:,}"
    print(f"{shown} matching articles" if rows else "no matching articles", file=sys.stderr)
    return EXIT_OK


def bring_index_up_to_date(library: Library) -> None:
    """Index what an interrupted import, a damaged index or another version left out, saying so."""
    pending = library.unindexed_count()
    if pending:
        reason = library.index_problem or f"{pending:,} articles were not in the search index"
        print(f"newsreader: {reason}; indexing {pending:,} articles…", file=sys.stderr)
        library.sync_index()


def cmd_show(library: Library, args: argparse.Namespace) -> int:
    """Print one article's metadata, then its text; or all of it as one JSON object."""
    article = library.get(args.id)
    if article is None:
        print(f"newsreader: no article with id {args.id!r}", file=sys.stderr)
        return EXIT_FAILED
    corrections = library.corrections(article.id)
    if args.json:
        print(json.dumps(article_record(article, corrections), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(article.title)
    if "title" in corrections:
        print(f"Title corrected; imported: {corrections['title'].imported}")
    for label, value in (("Author", article.author), ("Source", article.source), ("Date", article.date),
                         ("URL", article.url), ("ID", article.id), ("Imported", article.imported_at)):
        correction = corrections.get(label.lower())
        if correction:
            print(f"{label}: {value or 'none'} (corrected; imported: {correction.imported or 'none'})")
        elif value:
            print(f"{label}: {value}")
    print()
    print(article.body)
    return EXIT_OK


def article_record(article: Article, corrections: dict[str, Correction] | None = None) -> dict:
    """An article as the JSON that `newsreader show --json` prints: every stored field as the library shows
    it, the corrections among them ({field: {value, imported, corrected_at}}), the text last."""
    # origin is where one import read it from: not stored; corrected is said by the corrections.
    record = {f.name: getattr(article, f.name) for f in fields(Article) if f.name not in ("origin", "body", "corrected")}
    record["corrections"] = {
        name: {"value": c.value, "imported": c.imported, "corrected_at": c.corrected_at}
        for name, c in (corrections or {}).items()
    }
    return {**record, "body": article.body}


def cmd_edit(library: Library, args: argparse.Namespace) -> int:
    """Correct fields of an article, or drop corrections; exit 1 for an unknown id, 2 for bad input
    (nothing is written then)."""
    values = {name: getattr(args, name) for name in CORRECTABLE if getattr(args, name) is not None}
    undo = list(CORRECTABLE) if "all" in args.undo else list(dict.fromkeys(args.undo))
    problem = None
    if not values and not undo:
        problem = "nothing to change: give --title, --author, --source, --date or --undo FIELD"
    elif both := [name for name in values if name in undo]:
        problem = f"--{both[0]} and --undo {both[0]} both given: choose one"
    if problem is None:
        try:
            values = library.clean_corrections(**values)  # every value checked before anything is written
        except ValueError as error:
            problem = str(error)
    if problem:
        print(f"newsreader: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        undone = library.undo_edit(args.id, undo) if undo else []
        changed = library.edit(args.id, **values) if values else []
    except NotFound as error:
        print(f"newsreader: {error}", file=sys.stderr)
        return EXIT_FAILED
    article, corrections = library.get(args.id), library.corrections(args.id)
    for name in CORRECTABLE:
        if name in changed or name in undone:
            value = getattr(article, name) or "none"
            if name in corrections:
                print(f"{name}: {value} (imported: {corrections[name].imported or 'none'})")
            else:
                print(f"{name}: {value} (the imported value again)")
    if not changed and not undone:
        print("nothing to undo" if undo and not values else "nothing changed: the article already reads so")
    return EXIT_OK


def _style(args: argparse.Namespace) -> str:
    """The style asked for, else the user's default."""
    return args.style or args.settings.citation_style


def cmd_cite(library: Library, args: argparse.Namespace) -> int:
    """Print a citation; exit 1 for an unknown id, 2 when the quote is not in the article."""
    fmt = args.fmt or args.settings.citation_format
    try:
        print(library.cite(args.id, _style(args), fmt, args.quote))
    except NotFound as error:
        print(f"newsreader: {error}", file=sys.stderr)
        return EXIT_FAILED
    except QuoteNotFound as error:
        print(f"newsreader: {error}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def cmd_tag(library: Library, args: argparse.Namespace) -> int:
    """Tag the passage that reads as --quote."""
    try:
        passage = library.tag_quote(args.id, args.quote, args.tag, args.note)
    except NotFound as error:
        print(f"newsreader: {error}", file=sys.stderr)
        return EXIT_FAILED
    except (QuoteNotFound, ValueError) as error:
        print(f"newsreader: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(f"passage {passage.id} tagged {', '.join(passage.tags)}")
    return EXIT_OK


def passage_record(passage: Passage) -> dict:
    """A passage as the JSON that `newsreader tags --json` prints."""
    return {
        "id": passage.id, "article_id": passage.article_id, "tags": list(passage.tags), "quote": passage.anchor.exact,
        "note": passage.note, "status": passage.status, "start": passage.anchor.start, "end": passage.anchor.end,
        "created": passage.created_at, "modified": passage.modified_at,
    }


def cmd_tags(library: Library, args: argparse.Namespace) -> int:
    """List passages (optionally one tag's), as lines or JSON."""
    groups = library.passages_by_article(args.tag)
    if args.json:
        print(json.dumps([passage_record(p) for _, ps in groups for p in ps], ensure_ascii=False, indent=2))
        return EXIT_OK
    for article, passages in groups:
        print(f"{article.id}  {article.title}")
        for p in passages:
            status = "" if p.status == "anchored" else " [orphaned]"
            print(f"  #{p.id} {', '.join(p.tags)}{status}: “{_cut(' '.join(p.anchor.exact.split()), 100)}”")
            if p.note:
                print(f"      note: {p.note}")
    if not groups:
        print("no tagged passages" + (f" with tag {args.tag!r}" if args.tag else ""), file=sys.stderr)
    return EXIT_OK


def cmd_export(library: Library, args: argparse.Namespace) -> int:
    """Write passages as Markdown, Web Annotation JSON, or biblatex, BibTeX, CSL-JSON or RIS entries."""
    groups = library.passages_by_article(args.tag)
    if not args.output:
        sys.stdout.write(export.export(groups, args.fmt, _style(args)))
        return EXIT_OK
    try:
        count = export.write(Path(args.output), groups, args.fmt, _style(args))
    except OSError as error:  # no such folder, a folder, no permission, a full disk
        print(f"newsreader: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
        return EXIT_FAILED
    print(f"wrote {count} {'entry' if count == 1 else 'entries'} to {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_check(library: Library, args: argparse.Namespace) -> int:
    """Report the library's health; exit 1 when something is wrong (and was not repaired)."""
    problems = library.check(repair=args.repair)
    serious = [p for p in problems if not p.startswith("note:")]
    for problem in problems:
        print(problem)
    if args.repair and serious:
        after = [p for p in library.check() if not p.startswith("note:")]
        print("repaired" if not after else "still wrong: " + "; ".join(after))
        return EXIT_FAILED if after else EXIT_OK
    if not serious:
        print(f"ok: {library.count():,} articles, {library.passage_count():,} passages")
    return EXIT_FAILED if serious else EXIT_OK


def cmd_backup(library: Library, args: argparse.Namespace) -> int:
    """Copy the database to FILE."""
    target = Path(args.file)
    if target.exists():
        print(f"newsreader: {target} exists; choose a new file name", file=sys.stderr)
        return EXIT_USAGE
    library.backup(target)
    print(f"backed up {library.count():,} articles and {library.passage_count():,} passages to {target}")
    return EXIT_OK


def cmd_feeds(library: Library, args: argparse.Namespace) -> int:
    """feeds add|list|remove|import|export."""
    action = args.feeds_command
    try:
        if action == "add":
            feed = library.add_feed(args.url, args.name, args.full_text)
            print(f"following {feed.name} ({feed.url}); `newsreader fetch` reads it")
        elif action == "list":
            print_feeds(library.feeds(), args.json)
        elif action == "remove":
            feed = library.remove_feed(args.feed)
            print(f"no longer following {feed.name} ({feed.url}); its {feed.articles:,} articles stay")
        elif action == "import":
            added, problems = library.import_feeds(args.file)
            for problem in problems:
                print(f"skipped: {problem}", file=sys.stderr)
            print(f"{len(added):,} feeds added, {len(problems):,} skipped")
            return EXIT_FAILED if problems and not added else EXIT_OK
        elif action == "export":
            text = library.export_feeds().rstrip("\n") + "\n"
            if args.output:
                export.write_whole(Path(args.output), text)
                print(f"wrote {len(library.feeds()):,} feeds to {args.output}", file=sys.stderr)
            else:
                sys.stdout.write(text)
    except (ValueError, NotFound) as error:
        print(f"newsreader: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        print(f"newsreader: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def print_feeds(feeds: list, as_json: bool) -> None:
    """The feeds as a table, or as JSON."""
    if as_json:
        keys = ("name", "url", "full_text", "title", "articles", "unread", "last_fetched", "last_error", "added_at")
        print(json.dumps([{key: getattr(feed, key) for key in keys} for feed in feeds], ensure_ascii=False, indent=2))
        return
    if not feeds:
        print("no feeds yet: `newsreader feeds add URL` or `newsreader feeds import FILE`")
        return
    for feed in feeds:
        fetched = (feed.last_fetched or "never")[:16].replace("T", " ")
        error = f"  last error: {feed.last_error}" if feed.last_error else ""
        print(f"{_cut(feed.name, 28):28}  {feed.articles:6,} articles  {feed.unread:6,} unread  "
              f"fetched {fetched:16}  {feed.url}{error}")


def cmd_fetch(library: Library, args: argparse.Namespace) -> int:
    """Refresh the feeds with a progress bar and a line per feed; 1 when some could not be read."""
    try:
        for name in args.feeds:
            library.feed(name)  # an unknown name is a usage error, before anything is fetched
    except NotFound as error:
        print(f"newsreader: {error} (`newsreader feeds list` shows them)", file=sys.stderr)
        return EXIT_USAGE
    if not args.feeds and not library.feeds():
        print("newsreader: no feeds to fetch (`newsreader feeds add URL` follows one)", file=sys.stderr)
        return EXIT_USAGE
    if args.background:
        lower_priority()
    with interruptible() as stop:
        if args.json_progress:
            report = library.fetch(args.feeds, progress=JsonProgress().update_feeds, cancelled=stop.is_set)
            print(progress_events.event_line(report), flush=True)
        else:
            bar = FeedBar(enabled=sys.stderr.isatty() and not args.quiet)
            report = library.fetch(args.feeds, progress=bar.update, cancelled=stop.is_set)
            bar.close()
            print_fetch_report(report)
    if report.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_FAILED if report.failed else EXIT_OK


def lower_priority() -> None:
    """Yield the processor to interactive programs (the app this refresh runs for); its worker processes
    inherit the priority."""
    try:
        os.nice(10)
    except (AttributeError, OSError):  # no nice() on this system, or not allowed: run as we are
        pass


@contextmanager
def interruptible() -> Iterator[threading.Event]:
    """While the block runs, ctrl+c (or the app's SIGINT) sets the event instead of raising, so that a
    refresh saves the feeds it has read and stops; a second ctrl+c interrupts at once."""
    stop = threading.Event()

    def interrupted(signum: int, frame: object) -> None:
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    try:
        previous = signal.signal(signal.SIGINT, interrupted)
    except ValueError:  # not the main thread (a test calling main()): ctrl+c cannot reach us anyway
        yield stop
        return
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def print_fetch_report(report: FetchReport) -> None:
    """One line per feed (or link) on stdout, pages that could not be read on stderr, then the totals."""
    for result in report.results:
        print(result.line())
        for url, reason in result.page_problems:
            print(f"warning: {result.name}: {url}: {reason}", file=sys.stderr)
    print(report.summary())


def cmd_add(library: Library, args: argparse.Namespace) -> int:
    """Save web pages as articles; 1 when some could not be read."""
    if args.json_progress:
        report = library.add_urls(args.urls, progress=JsonProgress().update_feeds)
        print(progress_events.event_line(report), flush=True)
        return EXIT_FAILED if report.failed else EXIT_OK
    bar = FeedBar(enabled=sys.stderr.isatty() and len(args.urls) > 1)
    report = library.add_urls(args.urls, progress=bar.update)
    bar.close()
    for result in report.results:
        if result.error:
            print(f"failed: {result.url}: {result.error}", file=sys.stderr)
        else:
            outcome = "new" if result.new else "updated" if result.updated else "unchanged"
            print(f"{outcome}: {result.name} ({result.url})")
    return EXIT_FAILED if report.failed else EXIT_OK


COMMANDS = {
    "import": cmd_import, "search": cmd_search, "show": cmd_show, "edit": cmd_edit,
    "cite": cmd_cite, "tag": cmd_tag, "tags": cmd_tags, "export": cmd_export,
    "check": cmd_check, "backup": cmd_backup, "feeds": cmd_feeds, "fetch": cmd_fetch, "add": cmd_add,
}


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


class FeedBar(ProgressBar):
    """A one-line progress bar on stderr for a refresh: feeds done of all, and the last one read."""

    def update(self, progress: FetchProgress) -> None:  # type: ignore[override]
        """Redraw after each feed."""
        if not self.enabled:
            return
        filled = int(progress.fraction * 30)
        last = _cut(progress.last.name, 30) if progress.last else ""
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {progress.done:,}/{progress.total:,}  {last}\x1b[K")
        sys.stderr.flush()
        self.shown = True


class JsonProgress:
    """Progress as JSON lines on stdout, at most five a second, for a program that runs the import."""

    def __init__(self) -> None:
        self.last = 0.0

    def update(self, progress: ImportProgress) -> None:
        """Print one progress event when enough time has passed."""
        now = time.monotonic()
        if now - self.last < 0.2:
            return
        self.last = now
        print(progress_events.event_line(progress), flush=True)

    def update_feeds(self, progress: FetchProgress) -> None:
        """One event per feed read (a refresh has few, and each says how that feed went)."""
        print(progress_events.event_line(progress), flush=True)


def _cut(text: str, width: int) -> str:
    """Text cut to width with an ellipsis."""
    return text if len(text) <= width else text[: width - 1] + "…"


if __name__ == "__main__":
    sys.exit(main())
