"""Feeds -> entries: RSS, Atom and JSON Feed written for these tests; unsafe XML refused without reading files."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_reader.core.sanitize import is_safe
from tui_reader.core.web.feeds import Entry, FeedError, ParsedFeed, needs_full_text, parse_feed

FEED_URL = "https://news.example.org/feeds/all.xml"
LONG_TEXT = " ".join(["The harbour board switched the tide gauges back on after three quiet years."] * 20)  # 260 words

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>The Daily &amp; Example</title>
  <link>https://news.example.org/</link>
  <description>Invented news for tests</description>
  <item>
    <title>Tide gauges &lt;b&gt;return&lt;/b&gt;</title>
    <link>/2024/01/tide-gauges</link>
    <guid isPermaLink="false">daily-example-1001</guid>
    <description>&lt;p&gt;Gauges back at the pier &amp;amp; on the board.&lt;/p&gt;&lt;p&gt;Second part&lt;/p&gt;</description>
    <content:encoded><![CDATA[<p>{LONG_TEXT}</p><script>alert("no")</script><p>Last &eacute;t&eacute; paragraph.</p>]]></content:encoded>
    <dc:creator>Mara Quill</dc:creator>
    <pubDate>Tue, 02 Jan 2024 00:30:00 +0200</pubDate>
  </item>
  <item>
    <title>Ferry timetable</title>
    <link>https://news.example.org/2024/01/ferry</link>
    <description>The ferry keeps its winter timetable until March. [&#8230;]</description>
    <author>desk@news.example.org (Tobias Renn)</author>
  </item>
  <item>
    <description>An entry with neither title nor link nor id.</description>
    <pubDate>Wed, 03 Jan 2024 09:00:00 GMT</pubDate>
  </item>
</channel>
</rss>""".encode()

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.net/">
  <title type="html">Harbour &amp;lt;notes&amp;gt;</title>
  <link rel="alternate" href="https://blog.example.net/"/>
  <link rel="self" href="https://blog.example.net/atom.xml"/>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2024-03-01T00:00:00Z</updated>
  <entry>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <title>Gulls at the lighthouse</title>
    <link rel="alternate" href="posts/gulls"/>
    <published>2023-12-31T23:30:00-05:00</published>
    <updated>2024-02-01T10:00:00Z</updated>
    <author><name>Ada Pennant</name><uri>https://blog.example.net/about</uri></author>
    <author><name>Ada Pennant</name></author>
    <summary>Gulls nest again.</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Para one</p><ul><li>Item</li></ul><p>Para two</p></div></content>
  </entry>
  <entry>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6b</id>
    <title type="text">Plain &lt;b&gt; text</title>
    <updated>2024-02-02T10:00:00Z</updated>
    <content type="text">Line one
Line two</content>
  </entry>
</feed>"""

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Harbour JSON",
    "home_page_url": "https://json.example.com/",
    "feed_url": "https://json.example.com/feed.json",
    "authors": [{"name": "Feed Desk"}],
    "items": [
        {
            "id": "j1",
            "url": "/posts/j1",
            "title": "Buoys <i>repainted</i>",
            "content_html": "<p>Red &amp; green.</p><p>" + LONG_TEXT + "</p>",
            "summary": "Red and green buoys.",
            "date_published": "2024-04-05T23:59:00-07:00",
            "authors": [{"name": "Ines Cove", "url": "https://json.example.com/ines"}],
        },
        {"id": 2, "content_text": "Only text.\nTwo lines.", "date_modified": "2024-04-06T00:00:00Z"},
        {"id": "j1", "title": "A repeated id"},
        "not an item",
    ],
}


def test_rss_entries():
    feed = parse_feed(RSS, FEED_URL, "application/rss+xml; charset=utf-8")
    assert (feed.title, feed.link) == ("The Daily & Example", "https://news.example.org/")
    first, second, third = feed.entries
    assert first == Entry(
        key="daily-example-1001",
        title="Tide gauges return",
        link="https://news.example.org/2024/01/tide-gauges",  # resolved against the feed's address
        authors="Mara Quill",
        date="2024-01-02",  # the day as the feed wrote it, not shifted to UTC
        summary="Gauges back at the pier & on the board.\n\nSecond part",
        content=LONG_TEXT + "\n\nLast été paragraph.",  # no script
    )
    assert (second.key, second.authors, second.content) == ("https://news.example.org/2024/01/ferry", "Tobias Renn", "")
    assert second.summary == "The ferry keeps its winter timetable until March. […]"
    assert third.key.startswith("digest:") and third.title is None and third.link is None
    assert third.date == "2024-01-03"
    assert parse_feed(RSS, FEED_URL).entries[2].key == third.key  # stable


def test_atom_entries():
    feed = parse_feed(ATOM, "https://blog.example.net/atom.xml")
    assert (feed.title, feed.link) == ("Harbour <notes>", "https://blog.example.net/")
    first, second = feed.entries
    assert first == Entry(
        key="urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a",
        title="Gulls at the lighthouse",
        link="https://blog.example.net/posts/gulls",
        authors="Ada Pennant",
        date="2023-12-31",  # published, not updated
        summary="Gulls nest again.",
        content="Para one\n\nItem\n\nPara two",
    )
    assert second.title == "Plain <b> text"  # declared as text: kept as text, never read as markup
    assert (second.date, second.content, second.summary) == ("2024-02-02", "Line one\n\nLine two", "")


def test_json_feed_entries():
    data = json.dumps(JSON_FEED).encode()
    for content_type in ("application/feed+json", None):
        feed = parse_feed(data, "https://json.example.com/feed.json", content_type)
        assert (feed.title, feed.link) == ("Harbour JSON", "https://json.example.com/")
        first, second = feed.entries  # the repeated id and the string item are left out
        assert first == Entry(
            key="j1",
            title="Buoys <i>repainted</i>",  # JSON Feed titles are plain text
            link="https://json.example.com/posts/j1",
            authors="Ines Cove",
            date="2024-04-05",
            summary="Red and green buoys.",
            content="Red & green.\n\n" + LONG_TEXT,
        )
        assert (second.key, second.authors, second.date) == ("2", "Feed Desk", "2024-04-06")
        assert second.content == "Only text.\n\nTwo lines."


def test_the_body_wins_over_a_mislabelled_content_type():
    assert parse_feed(RSS, FEED_URL, "application/json").title == "The Daily & Example"
    assert parse_feed(json.dumps(JSON_FEED).encode(), FEED_URL, "text/xml").title == "Harbour JSON"


def test_json_feed_1_0_author_object():
    data = json.dumps({"version": "https://jsonfeed.org/version/1", "title": "Old",
                       "items": [{"id": "a", "content_text": "x", "author": {"name": "Old Hand"}}]}).encode()
    assert parse_feed(data, "https://json.example.com/f").entries[0].authors == "Old Hand"


@pytest.mark.parametrize(
    "data, content_type, reason",
    [
        (b'{"version": "1", "items": []}', "application/json", "not a feed (JSON without a JSON Feed version)"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": {}}', None, "bad JSON Feed: 'items' is not a list"),
        (b"{not json", "application/feed+json", "not a feed (not valid JSON)"),
        (b"[" * 100_000, "application/json", "not a feed (not valid JSON)"),
        (b"<!DOCTYPE html><html><head><title>A page</title></head><body><p>Hi</p></body></html>", "text/html",
         "not a feed (an HTML page)"),
        (b"<html><body><p>A page without a doctype</p></body></html>", "text/html", "not a feed"),
        (b"\x00\x01\x02 binary junk \xff\xfe", None, "not a feed"),
        (b"", None, "not a feed"),
    ],
)
def test_not_a_feed(data, content_type, reason):
    with pytest.raises(FeedError) as raised:
        parse_feed(data, FEED_URL, content_type)
    assert str(raised.value) == reason


def test_a_channel_without_entries_is_a_feed():
    data = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    assert parse_feed(data, FEED_URL) == ParsedFeed("Quiet", None, [])


def test_rss_0_91_with_its_netscape_doctype_is_read():
    data = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old times</title><link>http://old.example.org/</link>
<item><title>One</title><link>http://old.example.org/1</link><description>First.</description></item></channel></rss>"""
    feed = parse_feed(data, "http://old.example.org/rss")
    assert feed.title == "Old times" and [entry.link for entry in feed.entries] == ["http://old.example.org/1"]


def test_malformed_but_safe_feed_is_still_read():
    data = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Sloppy & co</title>
<item><title>Caf&eacute; &nbsp;news</title><link>https://s.example.org/1</link></item></channel></rss>"""
    feed = parse_feed(data, FEED_URL)
    assert [entry.link for entry in feed.entries] == ["https://s.example.org/1"]


# --- unsafe XML --------------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>"""


def test_billion_laughs_is_refused():
    with pytest.raises(FeedError) as raised:
        parse_feed(BILLION_LAUGHS, FEED_URL, "application/rss+xml")
    assert str(raised.value) == "unsafe XML: the document declares entities ('lol')"
    with pytest.raises(FeedError, match="unsafe XML"):  # the same in UTF-16
        parse_feed(BILLION_LAUGHS.decode().replace('"1.0"?>', '"1.0" encoding="utf-16"?>', 1).encode("utf-16"), FEED_URL)


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("MARKER-7f3a91-LOCAL-FILE-CONTENT\n")
    return path


@pytest.mark.parametrize(
    "template",
    [
        # an external general entity, used in a title
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{path}">]>'
        '<rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title></item></channel></rss>',
        # an external parameter entity
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % ext SYSTEM "file://{path}"> %ext;]>'
        '<rss version="2.0"><channel><title>t</title></channel></rss>',
        # an external DTD subset
        '<?xml version="1.0"?><!DOCTYPE rss SYSTEM "file://{path}"><rss version="2.0"><channel><title>t</title></channel></rss>',
        # a malformed document (feedparser's loose parser would read it) with an external entity
        '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY xxe SYSTEM "file://{path}">]>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>&xxe; & broken</title><entry><title>&xxe;</title></entry>',
    ],
    ids=["entity", "parameter-entity", "external-dtd", "malformed"],
)
def test_external_entities_are_refused_and_no_local_file_is_read(secret, template):
    data = template.format(path=secret).encode()
    with pytest.raises(FeedError) as raised:
        parse_feed(data, FEED_URL, "application/xml")
    assert str(raised.value).startswith("unsafe XML: ")
    assert "MARKER-7f3a91" not in repr(raised.value) and "MARKER-7f3a91" not in str(raised.value.__context__)


def test_a_body_that_names_a_local_file_is_not_opened(secret):
    # feedparser opens a file whose name it is given as a byte string; parse_feed hands it a stream
    with pytest.raises(FeedError) as raised:
        parse_feed(str(secret).encode(), FEED_URL)
    assert str(raised.value) == "not a feed"
    with pytest.raises(FeedError):
        parse_feed(str(secret), FEED_URL)  # type: ignore[arg-type]  # a str is never an address or a path


# --- text, safety and the full-text rule -------------------------------------------------------


def test_markup_and_control_characters_never_come_out():
    data = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Evil \x1b]0;x\x07 feed</title>
<item><title><![CDATA[<script>x</script>Red \x1b[31malert]]></title><link>javascript:alert(1)</link>
<description><![CDATA[<p onclick="x">One<br>two</p><style>p{{}}</style><![if !IE]>three<![endif]>]]></description>
<author>https://evil.example.org/me</author></item></channel></rss>""".encode()
    entry = parse_feed(data, FEED_URL).entries[0]
    assert entry.title == "Red alert" and entry.link is None and entry.authors is None
    for text in (entry.title, entry.summary, entry.content, entry.key):
        assert is_safe(text) and "<" not in text


def entry(summary: str = "", content: str = "") -> Entry:
    return Entry("k", "T", "https://x.example.org/1", None, None, summary, content)


@pytest.mark.parametrize(
    "summary, content, expected",
    [
        ("A short teaser about the harbour.", "", True),
        (LONG_TEXT, "", False),  # a feed that carries the whole text in its description
        ("Short.", LONG_TEXT, False),
        (LONG_TEXT + " [\u2026]", "", True),
        (LONG_TEXT + "...", "", True),
        (LONG_TEXT + "\n\nContinue reading \u201cTide gauges\u201d \u2192", "", True),
        (LONG_TEXT + "\n\nRead more", "", True),
        (LONG_TEXT + " Read more \u00bb", "", True),
        ("", LONG_TEXT + "\n\nThe post Tide gauges appeared first on The Daily Example.", False),
        ("Short.\n\nThe post Tide gauges appeared first on The Daily Example.", "", True),
        (LONG_TEXT + "\n\nMore than 300 people came to see the gauges switched on.", "", False),
        ("", "", True),
    ],
)
def test_needs_full_text(summary, content, expected):
    assert needs_full_text(entry(summary, content)) is expected


FEED_PARTS = st.sampled_from(
    ['<?xml version="1.0"?>', "<rss version='2.0'>", "<channel>", "<item>", "</item>", "<title>", "</title>",
     "<link>", "</link>", "<description>", "&lt;p&gt;", "<![CDATA[<b>x</b>", "]]>", "<!DOCTYPE rss [", "]>",
     '<!ENTITY a "b">', "&a;", "<feed xmlns='http://www.w3.org/2005/Atom'>", "<entry>", "<guid>", "\x1b[2J"]
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(FEED_PARTS | st.text(max_size=20), max_size=30))
def test_random_feeds_give_entries_or_feed_error(parts):
    try:
        feed = parse_feed("".join(parts).encode("utf-8", "surrogatepass"), FEED_URL)
    except FeedError as error:
        assert str(error)
        return
    for item in feed.entries:
        for text in (item.key, item.title, item.link, item.authors, item.date, item.summary, item.content):
            assert text is None or is_safe(text)
