"""`newsreader feeds`, `fetch` and `add` as a user runs them: real processes against a real server on loopback."""

from __future__ import annotations

import json

import pytest

from tests.httpd import Reply, serving
from tests.test_cli import home, run, write  # noqa: F401  (fixtures and helpers shared with the CLI tests)
from tests.test_web_library import HTML_TYPE, PARAGRAPHS, RSS_TYPE, full_item, page, rss


def test_feeds_add_list_fetch_remove(home) -> None:
    with serving() as server:
        server.route("/feed.xml", Reply(body=rss("Harbour News", [full_item(1, server), full_item(2, server)]),
                                        headers=RSS_TYPE))
        server.route("/gone.xml", Reply(status=404))
        added = run("feeds", "add", server.url("/feed.xml"), "--name", "Harbour", check_code=0)
        assert "following Harbour" in added.stdout
        run("feeds", "add", server.url("/gone.xml"), "--name", "Gone", "--full-text", "never", check_code=0)
        assert run("feeds", "add", server.url("/feed.xml"), check_code=2).stderr.count("already followed") == 1
        fetched = run("fetch", check_code=1)
        assert "Harbour: 2 new, 0 updated, 0 unchanged" in fetched.stdout
        assert "Gone: failed: HTTP 404" in fetched.stdout
        assert "2 new, 0 updated, 0 unchanged; 1 of 2 read, 1 failed" in fetched.stdout
        assert run("fetch", "Harbour", "--background", check_code=0).stdout.startswith("Harbour: 0 new, 0 updated, 2 unchanged")
        assert "no feed" in run("fetch", "Nope", check_code=2).stderr
    listed = json.loads(run("feeds", "list", "--json", check_code=0).stdout)
    by_name = {feed["name"]: feed for feed in listed}
    assert by_name["Harbour"]["articles"] == 2 and by_name["Harbour"]["unread"] == 2
    assert by_name["Harbour"]["last_error"] is None and by_name["Harbour"]["last_fetched"]
    assert by_name["Gone"]["last_error"] == "HTTP 404" and by_name["Gone"]["full_text"] == "never"
    table = run("feeds", "list", check_code=0).stdout
    assert "last error: HTTP 404" in table
    hits = json.loads(run("search", 'feed:Harbour', "--json", check_code=0).stdout)
    assert len(hits) == 2
    assert "its 2 articles stay" in run("feeds", "remove", "Harbour", check_code=0).stdout
    assert run("search", "dredging", "--json", check_code=0).stdout.count('"id"') == 2
    assert run("feeds", "remove", "Harbour", check_code=2).stderr


def test_feeds_import_and_export(home, tmp_path) -> None:
    urls = write(tmp_path / "urls", "# newsboat's list\nhttps://one.example.test/feed.xml tech \"~One\"\n"
                 "https://two.example.test/rss\nnot a url\n")
    imported = run("feeds", "import", str(urls), check_code=0)
    assert "2 feeds added" in imported.stdout and "skipped" in imported.stderr
    exported = run("feeds", "export", check_code=0).stdout
    assert 'xmlUrl="https://one.example.test/feed.xml"' in exported and "One" in exported
    target = tmp_path / "out.opml"
    run("feeds", "export", "-o", str(target), check_code=0)
    assert target.read_text(encoding="utf-8") == exported
    assert run("feeds", "import", str(tmp_path / "missing.opml"), check_code=1).stderr


def test_add_saves_a_page_and_names_a_failure(home) -> None:
    with serving() as server:
        server.route("/story", Reply(body=page("Harbour vote", PARAGRAPHS * 2), headers=HTML_TYPE))
        result = run("add", server.url("/story"), server.url("/missing"), check_code=1)
        assert "new: Harbour vote" in result.stdout
        assert f"failed: {server.url('/missing')}: HTTP 404" in result.stderr
        assert "unchanged: Harbour vote" in run("add", server.url("/story"), check_code=0).stdout
    shown = json.loads(run("search", "title:vote", "--json", check_code=0).stdout)
    assert shown[0]["source"] == "The Test Gazette"


def test_fetch_without_feeds_is_a_usage_error(home) -> None:
    run("add", "ftp://nowhere.test/x", check_code=1)  # makes the library; nothing fetched
    assert "no feeds" in run("fetch", check_code=2).stderr


@pytest.mark.parametrize("args", [["feeds", "add", "notaurl"], ["feeds", "add", "https://x.test/f", "--full-text", "maybe"]])
def test_bad_arguments_are_usage_errors(home, args) -> None:
    assert run(*args, check_code=2).stderr


def test_ctrl_c_stops_a_refresh_and_keeps_what_was_read(home) -> None:
    import os
    import signal
    import subprocess
    import sys

    with serving() as server:
        for number in range(12):
            server.route(f"/slow{number}.xml", Reply(body=rss(f"Slow {number}", [full_item(number, server)]),
                                                     headers=RSS_TYPE, delay=1.0))
            run("feeds", "add", server.url(f"/slow{number}.xml"), "--name", f"Slow {number}", check_code=0)
        process = subprocess.Popen([sys.executable, "-m", "tui_reader", "fetch"], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=os.environ.copy())
        try:
            assert server.wait_until(lambda s: len(s.requests) >= 1, timeout=60)
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=60)
        finally:
            process.kill()
        assert process.returncode == 130, err
        assert "interrupted, the other feeds wait for the next refresh" in out
        assert "Traceback" not in err
        assert len(server.requests) < 12  # the feeds not started were not fetched
    listed = json.loads(run("feeds", "list", "--json", check_code=0).stdout)
    fetched = [feed for feed in listed if feed["last_fetched"]]
    assert all(feed["articles"] == 1 and feed["last_error"] is None for feed in fetched)
