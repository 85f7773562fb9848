"""Nothing lost: kills during imports and tag saves, damaged indexes, two writers at once."""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from faults import command, kill_at_progress, run, synthetic_articles, wait_for_line, write_jsonl
from tui_reader.core.search import SearchIndex, parse
from tui_reader.core.library import IndexDamaged, Library
from tui_reader import locations
from tui_reader.core.articles import Article


def assert_whole(home, expected_ids: set[str], passages: dict[int, tuple[str, ...]] | None = None) -> None:
    """The library opens, its database is sound, it holds exactly the expected articles once each,
    every one of them is searchable, and every committed passage is there with its tags."""
    library = Library(home)
    try:
        assert library._store.integrity() == "ok"
        assert set(library._store.ids()) == expected_ids
        library.sync_index()
        assert library._index.ids() == expected_ids and library._index.doc_count() == len(expected_ids)
        assert [p for p in library.check() if not p.startswith("note:")] == []
        for passage_id, tags in (passages or {}).items():
            found = library.passage(passage_id)
            assert found is not None, f"passage {passage_id} was committed and then lost"
            assert found.tags == tags
    finally:
        library.close()


def test_imports_killed_at_random_moments_lose_nothing_and_duplicate_nothing(tmp_path):
    home = tmp_path / "home"
    rng = random.Random(11)
    expected: set[str] = set()
    kills = 0
    for round_ in range(12):
        articles = synthetic_articles(3000, prefix=f"r{round_}-", seed=round_, words=200)
        source = write_jsonl(tmp_path / f"round{round_}.jsonl", articles)
        # Killed at a random point of its reading (progress events come at most five times a second,
        # and 3,000 articles take longer than a second, so the import is still running then).
        process = kill_at_progress(command(home, "import", str(source)), rng.uniform(0.05, 0.75))
        kills += process.returncode == -signal.SIGKILL
        library = Library(home)  # openable after every kill, whatever the moment
        assert library._store.integrity() == "ok"
        library.close()
        finished = run(home, "import", str(source))  # the same input again completes it
        assert finished.returncode == 0, finished.stderr
        assert ", 0 updated," in finished.stdout  # nothing imported twice
        expected |= {a["id"] for a in articles}
        assert_whole(home, expected)
    assert kills >= 10, "the imports finished before they could be killed; make the input larger"


TAGGER = textwrap.dedent("""
    import sys
    from tui_reader.core.library import IndexDamaged, Library
    library = Library.open(sys.argv[1])
    body = library.get("s0").body
    for n in range(10_000):
        start = (n * 37) % (len(body) - 60)
        passage = library.tag_passage("s0", start, start + 40, ["kill-test", f"t{n % 5}"], note=f"note {n}")
        print(passage.id, ",".join(passage.tags), flush=True)
""")


def test_tag_saves_killed_at_random_moments_keep_every_committed_passage(tmp_path):
    source = write_jsonl(tmp_path / "articles.jsonl", synthetic_articles(20))
    home = tmp_path / "home"
    assert run(home, "import", str(source)).returncode == 0
    committed: dict[int, tuple[str, ...]] = {}
    rng = random.Random(5)
    for _ in range(10):
        process = subprocess.Popen([sys.executable, "-c", TAGGER, str(home)], stdout=subprocess.PIPE, text=True)
        wait_for_line(process, " ")  # it has started saving
        process.stdout.readline()
        try:
            process.wait(timeout=rng.uniform(0.05, 1.0))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
        out, _ = process.communicate()
        for line in out.splitlines():
            if line.count(" ") == 1 and line.endswith(tuple("01234")):  # a whole line: printed after the commit
                passage_id, tags = line.split(" ")
                committed[int(passage_id)] = tuple(sorted(tags.split(",")))
        assert process.returncode == -signal.SIGKILL
    assert len(committed) >= 10
    assert_whole(home, {f"s{n}" for n in range(20)}, committed)
    library = Library(home)
    assert len(library.search("tag:kill-test").rows) == 1
    library.close()


def test_a_deleted_index_is_rebuilt_from_the_database_with_tags_intact(tmp_path):
    home = tmp_path / "home"
    run(home, "import", str(write_jsonl(tmp_path / "a.jsonl", synthetic_articles(30))))
    assert run(home, "tag", "s3", "--quote", synthetic_articles(30)[3]["body"][:30], "--tag", "keep").returncode == 0
    shutil.rmtree(locations.index_folder(home))
    result = run(home, "search", "tag:keep", "--json")
    assert "the search index was missing; indexing 30 articles" in result.stderr
    assert '"id": "s3"' in result.stdout
    assert_whole(home, {f"s{n}" for n in range(30)})


def test_a_corrupted_index_is_detected_and_rebuilt(tmp_path):
    home = tmp_path / "home"
    run(home, "import", str(write_jsonl(tmp_path / "a.jsonl", synthetic_articles(30))))
    for part in locations.index_folder(home).iterdir():
        if not part.name.startswith("newsreader-"):  # every Whoosh file, the table of contents too
            part.write_bytes(b"\x00garbage" * 100)
    check = run(home, "check")
    assert check.returncode == 1 and "the search index was damaged" in check.stdout
    repaired = run(home, "check", "--repair")
    assert repaired.returncode == 0 and "repaired" in repaired.stdout
    assert run(home, "check").returncode == 0
    assert_whole(home, {f"s{n}" for n in range(30)})


def test_two_imports_at_once_both_complete_without_lock_errors(tmp_path):
    home = tmp_path / "home"
    first = write_jsonl(tmp_path / "first.jsonl", synthetic_articles(300, prefix="a"))
    second = write_jsonl(tmp_path / "second.jsonl", synthetic_articles(300, prefix="b", seed=8))
    processes = [subprocess.Popen(command(home, "import", str(path), "--quiet"), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for path in (first, second)]
    outcomes = [p.communicate(timeout=300) for p in processes]
    for process, (out, err) in zip(processes, outcomes):
        assert process.returncode == 0, err
        assert "300 imported" in out and "Lock" not in err
    assert_whole(home, {f"a{n}" for n in range(300)} | {f"b{n}" for n in range(300)})


_OPEN_AT_A_SIGNAL = """
import sys, time
from pathlib import Path
from tui_reader.core.library import Library
go = Path(sys.argv[1])
while not go.exists():  # a spin, not a sleep: the processes must start within microseconds
    pass
library = Library.open(sys.argv[2])
print(library.count(), library._index.doc_count(), repr(library.index_problem))
"""


def test_processes_opening_a_new_library_at_the_same_moment_all_open_it(tmp_path):
    # Opening a new library creates its database and its index. Started together, two processes
    # both created the index and one deleted the other's files mid-write, or the loser of switching
    # the new database to WAL got "database is locked" (each seen in about one run in ten of the
    # two-imports test above). Here four processes wait for one signal, so they collide every time.
    for trial in range(4):
        go, home = tmp_path / f"go{trial}", tmp_path / f"home{trial}"
        processes = [subprocess.Popen([sys.executable, "-c", _OPEN_AT_A_SIGNAL, str(go), str(home)],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
        time.sleep(1.5)  # they are importing Python and the library's modules, then wait for the file
        go.touch()
        for process in processes:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
            assert out.split() == ["0", "0", "''"]


def test_tagging_while_another_process_imports(tmp_path):
    home = tmp_path / "home"
    run(home, "import", str(write_jsonl(tmp_path / "small.jsonl", synthetic_articles(5, prefix="t"))))
    big = write_jsonl(tmp_path / "big.jsonl", synthetic_articles(600, prefix="b"))
    importing = subprocess.Popen(command(home, "import", str(big), "--quiet"), stdout=subprocess.PIPE, text=True)
    body = synthetic_articles(5, prefix="t")[1]["body"]
    tagged = run(home, "tag", "t1", "--quote", body[:25], "--tag", "during-import")
    importing.communicate(timeout=300)
    assert tagged.returncode == 0 and importing.returncode == 0
    assert '"t1"' in run(home, "search", "tag:during-import", "--json").stdout
    assert_whole(home, {f"t{n}" for n in range(5)} | {f"b{n}" for n in range(600)}, None)


def test_a_stale_index_lock_from_a_killed_writer_is_cleared(tmp_path):
    folder = tmp_path / "index"
    SearchIndex(folder).close()
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        from whoosh import index
        writer = index.open_dir({str(folder)!r}).writer()
        print("locked", flush=True)
        import time; time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)
    wait_for_line(holder, "locked")
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    index = SearchIndex(folder)
    assert index.write([(Article("x", "After the kill", "text"), [])], timeout=5) == 1
    assert index.doc_count() == 1


def test_backup_is_a_consistent_copy_while_another_process_writes(tmp_path):
    home = tmp_path / "home"
    run(home, "import", str(write_jsonl(tmp_path / "a.jsonl", synthetic_articles(50))))
    importing = subprocess.Popen(command(home, "import", str(write_jsonl(tmp_path / "b.jsonl",
                                 synthetic_articles(400, prefix="b"))), "--quiet"), stdout=subprocess.PIPE)
    result = run(home, "backup", str(tmp_path / "copy.sqlite3"))
    importing.communicate(timeout=300)
    assert result.returncode == 0
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM articles").fetchone()[0] >= 50
    copy.close()


def test_an_index_damaged_while_open_is_rebuilt_on_the_next_search(tmp_path):
    home = tmp_path / "home"
    run(home, "import", str(write_jsonl(tmp_path / "a.jsonl", synthetic_articles(30))))
    library = Library(home)
    assert len(library.search("harbour").rows) == 30
    library._index.close()  # as after a commit by another process: the next search opens the files again
    for part in locations.index_folder(home).iterdir():
        if not part.name.startswith("newsreader-"):
            part.write_bytes(b"\x00garbage" * 100)
    with pytest.raises(IndexDamaged, match="could not be read"):
        library.search("harbour")
    assert library.unindexed_count() == 30  # everything waits to be indexed again, tags untouched
    library.sync_index()
    assert len(library.search("harbour").rows) == 30 and library.index_problem == ""
    library.close()


def test_the_index_folder_is_made_only_under_the_creation_lock(tmp_path, monkeypatch):
    # Another process creating the index holds the lock and has just removed the folder (creating
    # replaces it). Opening here must wait for the lock before touching the folder: making it first
    # raced with that removal (FileExistsError from mkdir, about one run in 50 of the test above).
    import threading

    from whoosh.util.filelock import FileLock

    from tui_reader.core.search import index as search_index

    folder = tmp_path / "index"
    waiting = threading.Event()

    class SignallingLock(FileLock):
        def acquire(self, blocking=False):
            waiting.set()
            return super().acquire(blocking)

    monkeypatch.setattr(search_index, "FileLock", SignallingLock)
    other = FileLock(str(folder.with_name("index.lock")))  # the other process's hold (flock: per open file)
    assert other.acquire()
    opened = []
    opener = threading.Thread(target=lambda: opened.append(SearchIndex(folder)))
    opener.start()
    try:
        assert waiting.wait(timeout=60)
        assert not folder.exists(), "the folder was made before the creation lock was held"
    finally:
        other.release()
        opener.join(timeout=60)
    assert opened and opened[0].fresh and opened[0].doc_count() == 0
    opened[0].close()


# -- only damaged files clear the index --------------------------------------------------------------

def _index_files(home) -> dict[str, int]:
    """The index folder's files and their sizes."""
    return {part.name: part.stat().st_size for part in locations.index_folder(home).iterdir()}


@pytest.fixture
def library_of_30(tmp_path):
    """A library of 30 synthetic articles, imported by the command line."""
    home = tmp_path / "home"
    assert run(home, "import", str(write_jsonl(tmp_path / "a.jsonl", synthetic_articles(30)))).returncode == 0
    library = Library(home)
    yield home, library
    library.close()


def _fail(error: type[Exception]):
    def failing(*args, **kwargs):
        raise error("injected: a fault in the code, not in the index's files")
    return failing


@pytest.mark.parametrize("module, name, error, text, sort", [
    ("matchers", "_PhraseMatcher._adjacent", TypeError, '"harbour council"', "relevance"),
    ("matchers", "DayRange.matcher", AttributeError, "harbour date:2015", "relevance"),
    ("index", "newest_first", KeyError, "harbour", "date"),
    ("codec", "CompactLeafMatcher._read_ids", ValueError, "harbour", "relevance"),
    ("highlight", "Highlighter.__init__", RuntimeError, "harbour", "relevance"),
    ("count", "DayRange.matcher", IndexError, "harbour date:2015", "relevance"),
])
def test_a_fault_in_searching_is_reported_and_leaves_the_index_alone(library_of_30, monkeypatch, module, name, error,
                                                                     text, sort):
    import importlib

    home, library = library_of_30
    assert len(library.search(text, sort=sort).rows) > 0
    files = _index_files(home)
    owner = importlib.import_module(f"tui_reader.core.search.{'matchers' if module == 'count' else module}")
    if "." in name:
        owner, name = getattr(owner, name.split(".")[0]), name.split(".")[1]
    monkeypatch.setattr(owner, name, _fail(error))
    with pytest.raises(error, match="injected"):
        if module == "count":
            library.count_matches(text)
        else:
            library.search(text, sort=sort)
    monkeypatch.undo()
    assert library.index_problem == "" and library.unindexed_count() == 0
    assert library._index.doc_count() == 30 and _index_files(home) == files
    assert len(library.search(text, sort=sort).rows) > 0


@pytest.mark.parametrize("limit", [0, -5])
def test_a_limit_below_one_is_refused_and_leaves_the_index_alone(library_of_30, limit):
    home, library = library_of_30
    files = _index_files(home)
    with pytest.raises(ValueError, match="at least 1"):
        library.search("harbour", limit=limit)
    with pytest.raises(ValueError, match="at least 1"):
        library._index.search(parse("harbour"), limit=limit)
    assert library.index_problem == "" and library.unindexed_count() == 0
    assert library._index.doc_count() == 30 and _index_files(home) == files


@pytest.mark.parametrize("suffix, sort", [(".pst", "relevance"), (".trm", "relevance"), ("._stored.col", "relevance"),
                                          (".day.col", "date"), (".toc", "relevance")])
@pytest.mark.parametrize("damage", ["cut in half", "emptied", "deleted"])
def test_a_segment_file_cut_short_or_lost_while_open_is_rebuilt(library_of_30, suffix, sort, damage):
    home, library = library_of_30
    assert len(library.search("harbour").rows) == 30  # (by relevance: a segment's days, once read, are kept)
    library._index.close()  # as after a commit by another process: the next search opens the files again
    part = next(p for p in locations.index_folder(home).iterdir() if p.name.endswith(suffix))
    if damage == "deleted":
        part.unlink()
    else:
        part.write_bytes(part.read_bytes()[: part.stat().st_size // 2 if damage == "cut in half" else 0])
    with pytest.raises(IndexDamaged, match="could not be read"):
        library.search("harbour", sort=sort)
    assert library.unindexed_count() == 30  # everything waits to be indexed again, tags untouched
    library.sync_index()
    assert len(library.search("harbour", sort=sort).rows) == 30 and library.index_problem == ""
