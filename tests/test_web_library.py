"""Feeds and links through the library, against a real HTTP server on loopback: following feeds,
refreshing them (new, changed, unchanged, 304, failures among good feeds), full text from pages,
the same story reached twice, passages that survive a changed entry, and `add`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.httpd import Reply, refused_url, serving
from tui_reader.core.library import Library, NotFound

PARAGRAPHS = [
    "The harbour commission met on Tuesday to weigh the plan for the northern quay.",
    "Members asked how the dredging would be paid for, and who would carry the risk of delay.",
    "A vote is expected next month, after the public has had its say at two open meetings.",
]


def rss(title: str, items: list[dict]) -> bytes:
    """An RSS 2.0 feed written for these tests."""
    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
             'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
             f"<channel><title>{title}</title><link>http://example.test/</link><description>d</description>"]
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{item['title']}</title><link>{item['link']}</link><guid>{item['guid']}</guid>")
        parts.append(f"<pubDate>{item.get('date', 'Tue, 03 Mar 2026 09:00:00 GMT')}</pubDate>")
        if "author" in item:
            parts.append(f"<dc:creator>{item['author']}</dc:creator>")
        parts.append(f"<description><![CDATA[{item.get('summary', '')}]]></description>")
        if "content" in item:
            parts.append(f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


def html_paragraphs(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def page(title: str, paragraphs: list[str], canonical: str | None = None) -> bytes:
    """An article page written for these tests: metadata in its head, boilerplate around the text."""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title} | The Test Gazette</title>"
            f"<meta property='og:title' content='{title}'><meta property='og:site_name' content='The Test Gazette'>"
            f"<meta name='author' content='Rosa Keller'>{link}"
            "<meta property='article:published_time' content='2026-03-02T08:00:00Z'></head><body>"
            "<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/sport'>Sport</a></nav>"
            f"<article><h1>{title}</h1>{html_paragraphs(paragraphs)}</article>"
            "<footer>Copyright The Test Gazette. All rights reserved. Subscribe to our newsletter.</footer>"
            "</body></html>").encode("utf-8")


RSS_TYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}
HTML_TYPE = {"Content-Type": "text/html; charset=utf-8"}


def full_item(n: int, server, **extra) -> dict:
    return {"title": f"Quay plan, part {n}", "link": server.url(f"/story/{n}"), "guid": f"story-{n}",
            "author": "Rosa Keller", "summary": "The commission met.",
            "content": html_paragraphs([f"Part {n}."] + PARAGRAPHS * 4), **extra}


@pytest.fixture
def library(tmp_path: Path):
    lib = Library(tmp_path / "lib")
    yield lib
    lib.close()


def test_a_feed_is_followed_fetched_and_searchable(library: Library) -> None:
    with serving() as server:
        server.route("/feed.xml", Reply(body=rss("Harbour News", [full_item(1, server), full_item(2, server)]),
                                        headers=RSS_TYPE))
        feed = library.add_feed(server.url("/feed.xml"), name="Harbour News")
        report = library.fetch()
    assert [r.line() for r in report.results] == ["Harbour News: 2 new, 0 updated, 0 unchanged"]
    assert not report.failed
    rows = library.search('feed:"Harbour News"').rows
    assert sorted(row.title for row in rows) == ["Quay plan, part 1", "Quay plan, part 2"]
    article = library.get(rows[0].id)
    assert "dredging" in article.body and article.author == "Rosa Keller"
    assert article.source == "Harbour News"  # the feed's title, as no page said better
    assert article.date == "2026-03-03"
    listed = library.feed(feed.name)
    assert (listed.articles, listed.unread, listed.last_error, listed.title) == (2, 2, None, "Harbour News")
    library.mark_read([rows[0].id])
    assert library.feed(feed.url).unread == 1
    assert library.search("dredging harbour").total == 2


def test_unchanged_entries_and_304_cost_nothing(library: Library) -> None:
    with serving() as server:
        body = rss("Harbour News", [full_item(1, server)])

        def conditional(request) -> Reply:
            if request.headers.get("if-none-match") == '"v1"':
                return Reply(status=304, headers={"ETag": '"v1"'})
            return Reply(body=body, headers={**RSS_TYPE, "ETag": '"v1"'})

        server.route("/feed.xml", conditional)
        library.add_feed(server.url("/feed.xml"), name="Harbour")
        first = library.fetch()
        second = library.fetch()
        sent = [request.headers.get("if-none-match") for request in server.requests_to("/feed.xml")]
    assert first.results[0].new == 1
    assert second.results[0].not_modified and second.results[0].line() == "Harbour: not modified"
    assert sent == [None, '"v1"']


def test_a_changed_entry_updates_its_article_and_its_passages_follow(library: Library) -> None:
    with serving() as server:
        server.route("/feed.xml", Reply(body=rss("Harbour", [full_item(1, server)]), headers=RSS_TYPE))
        library.add_feed(server.url("/feed.xml"), name="Harbour")
        library.fetch()
        article_id = library.search("feed:Harbour").rows[0].id
        passage = library.tag_quote(article_id, "who would carry the risk of delay", ["risk"])
        changed = full_item(1, server, content=html_paragraphs(["A correction was added at the top."] + PARAGRAPHS * 4))
        server.route("/feed.xml", Reply(body=rss("Harbour", [changed]), headers=RSS_TYPE))
        report = library.fetch()
    assert report.results[0].updated == 1
    article = library.get(article_id)
    moved = library.passage(passage.id)
    assert moved.status == "anchored"
    start, end = moved.span
    assert article.body[start:end] == "who would carry the risk of delay"
    assert library.search("correction feed:Harbour").total == 1


def test_summary_only_entries_get_their_page_text(library: Library) -> None:
    with serving() as server:
        summary = "The commission met on Tuesday. Continue reading..."
        items = [{"title": "Quay plan", "link": server.url("/story/1"), "guid": "s1", "summary": summary}]
        server.route("/feed.xml", Reply(body=rss("Harbour", items), headers=RSS_TYPE))
        server.route("/story/1", Reply(body=page("Quay plan", PARAGRAPHS * 3, canonical="/quay-plan"),
                                       headers=HTML_TYPE))
        library.add_feed(server.url("/feed.xml"), name="Harbour")
        report = library.fetch()
        canonical = server.url("/quay-plan")
    assert report.results[0].new == 1 and not report.results[0].page_problems
    article = library.get(library.search("feed:Harbour").rows[0].id)
    assert "dredging" in article.body
    assert "Copyright" not in article.body and "Sport" not in article.body
    assert article.source == "The Test Gazette"  # the page names its publication
    assert article.author == "Rosa Keller"
    assert article.url == canonical


def test_never_means_the_summary_and_a_failed_page_keeps_the_summary(library: Library) -> None:
    with serving() as server:
        summary = "The commission met on Tuesday. Continue reading..."
        items = [{"title": "Quay plan", "link": server.url("/gone"), "guid": "s1", "summary": summary}]
        server.route("/feed.xml", Reply(body=rss("Harbour", items), headers=RSS_TYPE))
        server.route("/gone", Reply(status=404))
        library.add_feed(server.url("/feed.xml"), name="Harbour")
        report = library.fetch()
    result = report.results[0]
    assert result.new == 1 and result.page_problems == [(server.url("/gone"), "HTTP 404")]
    assert not report.failed  # the feed was read; one page was not
    assert "commission met" in library.get(library.search("feed:Harbour").rows[0].id).body


def test_bad_feeds_among_good_ones_are_named_and_the_good_ones_imported(library: Library) -> None:
    with serving() as server:
        server.route("/good.xml", Reply(body=rss("Good", [full_item(1, server)]), headers=RSS_TYPE))
        server.route("/missing.xml", Reply(status=404))
        server.route("/broken.xml", Reply(status=500))
        server.route("/page.html", Reply(body=page("Not a feed", PARAGRAPHS), headers=HTML_TYPE))
        library.add_feed(server.url("/good.xml"), name="Good")
        library.add_feed(server.url("/missing.xml"), name="Missing")
        library.add_feed(server.url("/broken.xml"), name="Broken")
        library.add_feed(server.url("/page.html"), name="Page")
        with refused_url() as refused:
            library.add_feed(refused, name="Refused")
            report = library.fetch()
    lines = sorted(r.line() for r in report.results)
    assert lines[0] == "Broken: failed: HTTP 500"
    assert lines[1] == "Good: 1 new, 0 updated, 0 unchanged"
    assert lines[2] == "Missing: failed: HTTP 404"
    assert lines[3].startswith("Page: failed: not a feed")
    assert lines[4].startswith("Refused: failed:") and "refused" in lines[4]
    assert len(report.failed) == 4
    assert library.feed("Missing").last_error == "HTTP 404"
    assert library.search("feed:Good").total == 1


def test_the_same_story_from_two_feeds_and_add_is_one_article(library: Library) -> None:
    with serving() as server:
        story = server.url("/story/7")
        item = full_item(7, server)
        server.route("/a.xml", Reply(body=rss("Feed A", [item]), headers=RSS_TYPE))
        server.route("/b.xml", Reply(body=rss("Feed B", [{**item, "guid": "other-guid-7"}]), headers=RSS_TYPE))
        server.route("/story/7", Reply(body=page("Quay plan, part 7", PARAGRAPHS * 3), headers=HTML_TYPE))
        library.add_feed(server.url("/a.xml"), name="A")
        library.add_feed(server.url("/b.xml"), name="B")
        library.fetch(["A"])
        library.fetch(["B"])
        added = library.add_urls([story])
    assert library.count() == 1
    assert library.search("feed:A").total == library.search("feed:B").total == 1
    assert added.results[0].error is None and library.get(library.search("feed:B").rows[0].id).url == story


def test_a_removed_article_is_not_brought_back(library: Library) -> None:
    with serving() as server:
        server.route("/feed.xml", Reply(body=rss("Harbour", [full_item(1, server)]), headers=RSS_TYPE))
        library.add_feed(server.url("/feed.xml"), name="Harbour")
        library.fetch()
        article_id = library.search("feed:Harbour").rows[0].id
        library._store.db.execute("DELETE FROM articles WHERE id = ?", (article_id,))  # as a deletion will
        report = library.fetch()
    assert library.get(article_id) is None
    assert report.results[0].new == 0


def test_following_feeds_and_their_lists(library: Library, tmp_path: Path) -> None:
    feed = library.add_feed("https://www.example.test/rss")
    assert feed.name == "example.test"
    assert library.add_feed("https://example.test/other").name == "example.test 2"
    with pytest.raises(ValueError, match="already followed"):
        library.add_feed("https://www.example.test/rss", name="Again")
    with pytest.raises(ValueError, match="not an http"):
        library.add_feed("file:///etc/passwd")
    with pytest.raises(ValueError, match="--full-text"):
        library.add_feed("https://example.test/x", full_text="sometimes")
    opml_text = library.export_feeds()
    other = Library(tmp_path / "other")
    try:
        source = tmp_path / "feeds.opml"
        source.write_text(opml_text, encoding="utf-8")
        added, problems = other.import_feeds(source)
        assert sorted(f.url for f in added) == sorted(f.url for f in library.feeds())
        assert problems == []
        added, problems = other.import_feeds(source)
        assert added == [] and len(problems) == 2 and all("already followed" in p for p in problems)
    finally:
        other.close()
    removed = library.remove_feed("example.test 2")
    assert removed.url == "https://example.test/other"
    with pytest.raises(NotFound):
        library.remove_feed("example.test 2")


def test_add_saves_pages_and_names_what_fails(library: Library) -> None:
    with serving() as server:
        server.route("/a", Reply(body=page("Harbour vote", PARAGRAPHS * 2), headers=HTML_TYPE))
        server.route("/empty", Reply(body=b"<html><body></body></html>", headers=HTML_TYPE))
        report = library.add_urls([server.url("/a"), server.url("/missing"), server.url("/empty"), "ftp://x/y"])
    outcomes = {r.url.rsplit("/", 1)[-1]: (r.new, r.error) for r in report.results}
    assert outcomes["a"] == (1, None)
    assert outcomes["missing"] == (0, "HTTP 404")
    assert outcomes["empty"][1] == "no article text found on the page"
    assert outcomes["y"][1] == "not an http(s) address"
    article = library.get(library.search("title:vote").rows[0].id)
    assert (article.title, article.source, article.author) == ("Harbour vote", "The Test Gazette", "Rosa Keller")


def test_json_feed_and_atom(library: Library) -> None:
    with serving() as server:
        json_feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Json Harbour",
                     "items": [{"id": "j1", "url": server.url("/j1"), "title": "Quay from JSON",
                                "content_html": html_paragraphs(PARAGRAPHS * 4), "date_published": "2026-03-04T10:00:00Z",
                                "authors": [{"name": "Ana Ortiz"}]}]}
        atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                "<title>Atom Harbour</title><id>urn:x</id><updated>2026-03-05T10:00:00Z</updated>"
                f"<entry><id>urn:a1</id><title>Quay from Atom</title><link href='{server.url('/a1')}'/>"
                "<updated>2026-03-05T10:00:00Z</updated><author><name>Ben Udo</name></author>"
                f"<content type='html'>{html_paragraphs(PARAGRAPHS * 4).replace('<', '&lt;')}</content></entry></feed>")
        server.route("/feed.json", Reply(body=json.dumps(json_feed).encode(),
                                         headers={"Content-Type": "application/feed+json"}))
        server.route("/atom.xml", Reply(body=atom.encode(), headers={"Content-Type": "application/atom+xml"}))
        library.add_feed(server.url("/feed.json"), name="Json")
        library.add_feed(server.url("/atom.xml"), name="Atom")
        report = library.fetch()
    assert not report.failed, [r.line() for r in report.results]
    by_json = library.get(library.search("feed:Json").rows[0].id)
    by_atom = library.get(library.search("feed:Atom").rows[0].id)
    assert (by_json.title, by_json.author, by_json.date) == ("Quay from JSON", "Ana Ortiz", "2026-03-04")
    assert (by_atom.title, by_atom.author, by_atom.date) == ("Quay from Atom", "Ben Udo", "2026-03-05")
    assert "dredging" in by_atom.body and "<p>" not in by_atom.body


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
                  + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&" + bytes([97 + i]) + b";") * 10)
                             for i in range(8))
                  + b']><rss version="2.0"><channel><title>&i;</title><item><title>&i;</title>'
                    b"<link>http://x.test/1</link><description>&i;</description></item></channel></rss>")


def test_hostile_feeds_are_refused_and_named_while_the_good_ones_arrive(library: Library, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("MARKER-7f3a local file contents", encoding="utf-8")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
           '<rss version="2.0"><channel><title>x</title><item><title>&xxe;</title><link>http://x.test/2</link>'
           "<description>&xxe;</description></item></channel></rss>").encode()
    with serving() as server:
        server.route("/good.xml", Reply(body=rss("Good", [full_item(1, server)]), headers=RSS_TYPE))
        server.route("/laughs.xml", Reply(body=BILLION_LAUGHS, headers=RSS_TYPE))
        server.route("/xxe.xml", Reply(body=xxe, headers=RSS_TYPE))
        server.route("/moved.xml", Reply(status=301, headers={"Location": "/good.xml"}))
        server.route("/loop.xml", Reply(status=302, headers={"Location": "/loop.xml"}))
        for name in ("good", "laughs", "xxe", "moved", "loop"):
            library.add_feed(server.url(f"/{name}.xml"), name=name)
        report = library.fetch()
    lines = {r.name: r.line() for r in report.results}
    assert lines["good"] == "good: 1 new, 0 updated, 0 unchanged"
    assert lines["moved"] == "moved: 0 new, 0 updated, 1 unchanged"  # the same story, followed through a redirect
    assert lines["laughs"].startswith("laughs: failed: unsafe XML")
    assert lines["xxe"].startswith("xxe: failed: unsafe XML")
    assert lines["loop"] == "loop: failed: too many redirects"
    assert library.count() == 1
    for article_id in library._store.ids():
        assert "MARKER-7f3a" not in library.get(article_id).body


def test_a_slow_feed_is_cut_off_by_the_time_limit(library: Library) -> None:
    from tests.httpd import drip
    from tui_reader.core.web.client import Fetcher

    with serving() as server:
        server.route("/good.xml", Reply(body=rss("Good", [full_item(1, server)]), headers=RSS_TYPE))
        server.route("/slow.xml", drip(b"<", every=0.2, count=50))
        library.add_feed(server.url("/good.xml"), name="good")
        library.add_feed(server.url("/slow.xml"), name="slow")
        with Fetcher(connect_timeout=1, read_timeout=1, total_timeout=1) as fetcher:
            report = library.fetch(fetcher=fetcher)
    lines = {r.name: r.line() for r in report.results}
    assert lines["slow"] == "slow: failed: timed out"
    assert lines["good"] == "good: 1 new, 0 updated, 0 unchanged"


def test_a_page_declared_latin1_is_read_as_browsers_read_it(library: Library) -> None:
    words = "señor Müller’s résumé – “naïve” œuvre costs 5 €"
    body = page("Fête", [words] * 4).replace(b"charset='utf-8'", b"charset='iso-8859-1'")
    body = body.decode("utf-8").encode("cp1252")
    with serving() as server:
        server.route("/fete", Reply(body=body, headers={"Content-Type": "text/html; charset=ISO-8859-1"}))
        report = library.add_urls([server.url("/fete")])
    assert report.results[0].error is None
    article = library.get(library.search("title:fête").rows[0].id)
    assert words in article.body


def test_an_html_file_declared_latin1_imports_as_browsers_read_it(library: Library, tmp_path: Path) -> None:
    words = "señor Müller’s résumé – “naïve” œuvre costs 5 €"
    body = page("Fête", [words] * 4).replace(b"charset='utf-8'", b"charset='iso-8859-1'")
    saved = tmp_path / "fete.html"
    saved.write_bytes(body.decode("utf-8").encode("cp1252"))
    report = library.import_paths([saved])
    assert report.imported == 1, report.rejected
    assert words in library.get(library.search("title:fête").rows[0].id).body


def test_a_version_5_index_gains_the_feeds_field_without_a_rebuild(tmp_path: Path) -> None:
    from whoosh import index as whoosh_index
    from whoosh.fields import Schema

    from tui_reader.core.search import index as search_index
    from tui_reader.core.search.analysis import SCHEMA

    folder = tmp_path / "index"
    folder.mkdir()
    old = Schema(**{name: SCHEMA[name] for name in SCHEMA.names() if name != "feeds"})
    writer = whoosh_index.create_in(str(folder), old).writer(codec=search_index.CODEC)
    writer.add_document(id="a1", title="Old", text="Old text about harbours", author="", source="", day=0, url="", tags="")
    writer.commit()
    (folder / "newsreader-index-version").write_text("5")
    index = search_index.SearchIndex(folder)
    try:
        assert not index.fresh and index.problem == ""
        assert (folder / "newsreader-index-version").read_text() == search_index.INDEX_VERSION
        from tui_reader.core.articles import Article
        from tui_reader.core.search import parse

        index.write([(Article("b1", "New", "from a feed about harbours"), [], ["Harbour News"])])
        assert [hit.id for hit in index.search(parse('feed:"Harbour News"')).hits] == ["b1"]
        assert sorted(hit.id for hit in index.search(parse("harbours")).hits) == ["a1", "b1"]
    finally:
        index.close()


def test_a_query_of_filters_alone_lists_newest_first(library: Library) -> None:
    with serving() as server:
        items = [full_item(n, server, date=f"Tue, 0{n} Mar 2026 09:00:00 GMT") for n in (3, 1, 5, 2, 4)]
        server.route("/feed.xml", Reply(body=rss("Harbour", items), headers=RSS_TYPE))
        library.add_feed(server.url("/feed.xml"), name="Harbour")
        library.fetch()
    dates = [row.date for row in library.search("feed:Harbour").rows]
    assert dates == sorted(dates, reverse=True) and len(dates) == 5


def test_a_refresh_parsing_in_another_process_gives_the_same_articles(library: Library, tmp_path: Path) -> None:
    with serving() as server:
        summary = "The commission met on Tuesday. Continue reading..."
        items = [{"title": "Quay plan", "link": server.url("/story/1"), "guid": "s1", "summary": summary}]
        server.route("/teasers.xml", Reply(body=rss("Teasers", items), headers=RSS_TYPE))
        server.route("/story/1", Reply(body=page("Quay plan", PARAGRAPHS * 3), headers=HTML_TYPE))
        server.route("/full.xml", Reply(body=rss("Full", [full_item(2, server)]), headers=RSS_TYPE))
        server.route("/laughs.xml", Reply(body=BILLION_LAUGHS, headers=RSS_TYPE))
        for name in ("teasers", "full", "laughs"):
            library.add_feed(server.url(f"/{name}.xml"), name=name)
        report = library.fetch(processes=1)
    lines = {r.name: r.line() for r in report.results}
    assert lines["teasers"] == "teasers: 1 new, 0 updated, 0 unchanged"
    assert lines["full"] == "full: 1 new, 0 updated, 0 unchanged"
    assert lines["laughs"].startswith("laughs: failed: unsafe XML")  # the worker's FeedError comes back as it is
    assert "dredging" in library.get(library.search("feed:teasers").rows[0].id).body
