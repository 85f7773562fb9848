"""Subscription lists: OPML and newsboat's urls file in, OPML 2.0 out, with every unused line named."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader.core.sanitize import clean_line, is_safe
from tui_reader.core.web.opml import Subscription, read_subscriptions, write_opml

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Exported</title></head>
  <body>
    <outline text="News">
      <outline text="The Daily &amp; Example" type="rss" xmlUrl="https://news.example.org/feed"/>
      <outline text="Deeper">
        <outline title="Title only" type="rss" xmlUrl="http://tides.example.org/rss.xml"/>
      </outline>
    </outline>
    <outline text="No scheme" xmlUrl="news.example.org/other"/>
    <outline text="Script" xmlUrl="javascript:alert(1)"/>
    <outline text="A page" type="link" url="https://pages.example.org/"/>
    <outline text="Again" xmlUrl="https://news.example.org/feed"/>
    <outline text="Empty folder"/>
    <outline xmlUrl="https://nameless.example.org/atom"/>
  </body>
</opml>"""


def test_opml_outlines_flattened_with_problems_by_line():
    found, problems = read_subscriptions(OPML, "feeds.opml")
    assert found == [
        Subscription("https://news.example.org/feed", "The Daily & Example"),
        Subscription("http://tides.example.org/rss.xml", "Title only"),
        Subscription("https://nameless.example.org/atom", None),
    ]
    assert problems == [
        "feeds.opml:11: not an http(s) address: 'news.example.org/other'",
        "feeds.opml:12: not an http(s) address: 'javascript:alert(1)'",
        "feeds.opml:13: a link, not a feed (no xmlUrl); skipped",
        "feeds.opml:14: 'https://news.example.org/feed' is already listed (line 6); skipped",
    ]


def test_opml_1_0_and_utf16():
    data = ('<?xml version="1.0" encoding="UTF-16"?><opml version="1.0"><head/><body>'
            '<outline title="Zeitung für Tests" xmlUrl="https://zeitung.example.de/rss"/></body></opml>').encode("utf-16")
    assert read_subscriptions(data, "old.opml") == ([Subscription("https://zeitung.example.de/rss", "Zeitung für Tests")], [])


@pytest.mark.parametrize(
    "data, problem",
    [
        (b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
         b'<opml version="2.0"><body><outline text="&b;" xmlUrl="https://x.example.org/"/></body></opml>',
         "f.opml: unsafe XML (it declares entities or refers to external resources); not read"),
        (b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
         b'<opml version="2.0"><body><outline text="&x;" xmlUrl="https://x.example.org/"/></body></opml>',
         "f.opml: unsafe XML (it declares entities or refers to external resources); not read"),
        (b"<opml><body><outline xmlUrl='https://x.example.org/'></body>",
         "f.opml: not valid OPML (mismatched tag: line 1, column 55)"),
        (b"<rss version='2.0'><channel/></rss>", "f.opml: not an OPML file (its root element is <rss>)"),
        (b"\x00\x01\x02binary", "f.opml: binary file, not OPML or a list of addresses"),
    ],
    ids=["entities", "external-entity", "malformed", "not-opml", "binary"],
)
def test_bad_opml_is_one_problem(data, problem):
    assert read_subscriptions(data, "f.opml") == ([], [problem])


URLS = b"""# newsboat urls, written for the tests
https://news.example.org/feed "~The Daily Example" news "local news"

http://tides.example.org/rss.xml tech !hidden
   https://quiet.example.org/atom.xml
"query:Unread Articles:unread = \\"yes\\""
exec:~/bin/make-feed.sh "~From a script"
filter:~/bin/clean.sh:https://filtered.example.org/feed
ftp://old.example.org/feed
https://news.example.org/feed "~Twice"
https://named.example.org/feed "~"
"""


def test_newsboat_urls_file():
    found, problems = read_subscriptions(URLS, "urls")
    assert found == [
        Subscription("https://news.example.org/feed", "The Daily Example"),
        Subscription("http://tides.example.org/rss.xml", None),
        Subscription("https://quiet.example.org/atom.xml", None),
        Subscription("https://named.example.org/feed", None),  # "~" alone names nothing
    ]
    assert problems == [
        "urls:6: a query feed (a saved search of newsboat's, not a feed); skipped",
        "urls:7: runs a command ('exec'); commands are never run; skipped",
        "urls:8: runs a command ('filter'); commands are never run; skipped",
        "urls:9: not an http(s) address: 'ftp://old.example.org/feed'",
        "urls:10: 'https://news.example.org/feed' is already listed (line 2); skipped",
    ]


def test_empty_inputs_give_nothing():
    assert read_subscriptions(b"", "urls") == ([], [])
    assert read_subscriptions(b"# only a comment\n\n", "urls") == ([], [])
    assert read_subscriptions(b'<opml version="2.0"><body/></opml>', "e.opml") == ([], [])


def test_write_opml_is_valid_opml_2_with_escaped_attributes():
    subscriptions = [
        Subscription("https://news.example.org/feed?a=1&b=2", 'Rates <up> & "down" \'again\''),
        Subscription("https://nameless.example.org/atom", None),
    ]
    document = write_opml(subscriptions, title="Mine & <yours>")
    root = ElementTree.fromstring(document.encode("utf-8"))
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") == "Mine & <yours>"
    outlines = root.findall("body/outline")
    assert [(o.get("type"), o.get("text"), o.get("xmlUrl")) for o in outlines] == [
        ("rss", 'Rates <up> & "down" \'again\'', "https://news.example.org/feed?a=1&b=2"),
        ("rss", "https://nameless.example.org/atom", "https://nameless.example.org/atom"),  # text is required
    ]
    assert read_subscriptions(document.encode("utf-8"), "out.opml") == (subscriptions, [])


def test_write_opml_drops_what_xml_cannot_hold():
    document = write_opml([Subscription("https://x.example.org/", "Bell\x07 and \x1b[31mred\ufffe")])
    root = ElementTree.fromstring(document.encode("utf-8"))
    assert root.find("body/outline").get("text") == "Bell and red"


NAMES = st.none() | st.text(max_size=40).map(clean_line).map(lambda name: name or None)
URLS_STRATEGY = st.builds(lambda host, path: f"https://{host}.example.org/{path}",
                          st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True),
                          st.text(alphabet="abcxyz0123456789-_/?=&%.~", max_size=30))


@settings(max_examples=60, deadline=None)
@given(pairs=st.lists(st.tuples(URLS_STRATEGY, NAMES), max_size=8, unique_by=lambda pair: pair[0]))
def test_round_trip(pairs):
    subscriptions = [Subscription(url, name) for url, name in pairs]
    found, problems = read_subscriptions(write_opml(subscriptions).encode("utf-8"), "round.opml")
    assert (found, problems) == (subscriptions, [])


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=300) | st.text(max_size=300).map(lambda text: text.encode("utf-8", "surrogatepass")))
def test_random_input_never_raises(data):
    found, problems = read_subscriptions(data, "random")
    for subscription in found:
        assert subscription.url.startswith(("http://", "https://")) and is_safe(subscription.url)
        assert subscription.name is None or is_safe(subscription.name)
    assert all(is_safe(problem) for problem in problems)
