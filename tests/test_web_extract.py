"""The web extractor: article text without boilerplate, and metadata by the rules a citation needs.

Every page here is written for these tests (invented text, invented publication); the benchmark script is
checked on a tiny invented data set in a temporary folder.
"""

from __future__ import annotations

import gzip
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench import extraction
from tui_reader.core.sanitize import is_safe
from tui_reader.core.web.extract import MAX_HTML_CHARS, Page, extract_page

REPO = Path(__file__).resolve().parent.parent

PARAGRAPHS = [
    "The harbour board switched the tide gauges at the old pier back on this week, three years after a storm "
    "tore the last of the wooden housings from the pilings and left the town without its own record of the sea.",
    "Volunteers from the sailing club spent the spring building new housings from recycled plastic planks, and "
    "an engineer from the county helped them fix a pressure sensor to the lowest rung of the pier's iron ladder.",
    "Readings now go every six minutes to a small computer in the harbour office, which posts them on a board by "
    "the slipway so that fishermen and swimmers can see the height of the water before they set out.",
    "The board's chair said the gauges would also help the town plan its new sea wall, since the nearest other "
    "record is kept forty kilometres along the coast, where the bay is shaped quite differently.",
    "A schoolteacher who keeps the club's logbook said her pupils would compare the new readings with the marks "
    "painted on the harbour wall by their grandparents after the great flood of the winter of 1953.",
]
HEADLINE = "Tide gauges return to the old pier"
JSON_LD = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "headline": HEADLINE,
    "datePublished": "2023-05-02T08:00:00+01:00",
    "dateModified": "2024-01-15T10:00:00+00:00",
    "author": [
        {"@type": "Person", "name": "Mara Quill", "url": "https://news.example.org/staff/mara-quill"},
        {"@type": "Person", "name": "Tobias Renn"},
        {"@type": "Organization", "name": "The Daily Example"},
    ],
    "publisher": {"@type": "NewsMediaOrganization", "name": "The Daily Example"},
}
BOILERPLATE = ["NAVIGATION-WORDS", "FOOTER-WORDS", "COMMENT-WORDS", "RELATED-WORDS", "SCRIPT-WORDS", "COOKIE-WORDS"]

STANDARD_HEAD = f"""
<title>{HEADLINE} | The Daily Example</title>
<meta property="og:title" content="{HEADLINE} | The Daily Example">
<meta property="og:site_name" content="The Daily Example">
<meta property="og:url" content="https://news.example.org/2023/05/tide-gauges?from=social">
<link rel="canonical" href="/2023/05/tide-gauges">
<meta property="article:modified_time" content="2024-01-15T10:00:00Z">
<meta property="article:published_time" content="2023-05-02T07:00:00Z">
<meta property="article:author" content="https://news.example.org/staff/mara-quill">
<meta name="author" content="The Daily Example">
<script type="application/ld+json">{json.dumps(JSON_LD)}</script>
"""


def page(head: str = STANDARD_HEAD, paragraphs: list[str] = PARAGRAPHS, byline: str = "", h1: str = HEADLINE) -> str:
    """A news page of the invented Daily Example: the article amid navigation, comments and a footer."""
    article = "".join(f"<p>{text}</p>\n" for text in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">{head}
<script>var tracker = "SCRIPT-WORDS";</script><style>p {{ margin: 0 }}</style>
</head><body>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies. COOKIE-WORDS <button>Accept</button></p></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/local">Local NAVIGATION-WORDS</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<main><article>
<h1>{h1}</h1>
{byline}
{article}</article>
<section id="comments" class="comments"><h2>Comments</h2>
<div class="comment"><p class="comment-body">What a lovely thing for the town, COMMENT-WORDS, thank you all.</p></div>
<div class="comment"><p class="comment-body">My grandfather painted one of those marks. COMMENT-WORDS again.</p></div>
</section></main>
<aside class="related"><h2>Related stories</h2><ul><li><a href="/a">Ferry timetable RELATED-WORDS</a></li>
<li><a href="/b">Lighthouse open day RELATED-WORDS</a></li></ul></aside>
<footer><p>&copy; 2023 The Daily Example. FOOTER-WORDS. <a href="/privacy">Privacy</a></p></footer>
</body></html>"""


def test_article_text_without_boilerplate_in_paragraphs():
    result = extract_page(page(), "https://news.example.org/2023/05/tide-gauges?from=feed")
    assert result.body == "\n\n".join(PARAGRAPHS)  # nor the headline: it is the title
    assert not any(word in result.body for word in BOILERPLATE)


def test_metadata_of_a_full_page():
    result = extract_page(page(), "https://news.example.org/2023/05/tide-gauges?from=feed")
    assert result == Page(
        title=HEADLINE,  # " | The Daily Example" is the publication, not the headline
        author="Mara Quill, Tobias Renn",  # not the profile address, not the publication named as author
        source="The Daily Example",
        date="2023-05-02",  # published, not modified
        url="https://news.example.org/2023/05/tide-gauges",  # the relative canonical address, resolved
        body="\n\n".join(PARAGRAPHS),
    )


def test_relative_canonical_without_a_base_resolves_against_og_url_or_is_left_out():
    assert extract_page(page()).url == "https://news.example.org/2023/05/tide-gauges"
    head = f'<title>{HEADLINE}</title><link rel="canonical" href="/2023/05/tide-gauges">'
    assert extract_page(page(head)).url is None
    assert extract_page(page(head), "http://news.example.org/x").url == "http://news.example.org/2023/05/tide-gauges"


def test_og_url_stands_in_for_a_missing_canonical_and_the_page_address_for_both():
    head = f'<title>{HEADLINE}</title><meta property="og:url" content="https://news.example.org/tides">'
    assert extract_page(page(head), "https://news.example.org/tides?utm=x").url == "https://news.example.org/tides"
    assert extract_page(page(f"<title>{HEADLINE}</title>"), "https://news.example.org/t").url == "https://news.example.org/t"
    head = f'<title>{HEADLINE}</title><link rel="canonical" href="javascript:alert(1)">'
    assert extract_page(page(head)).url is None


@pytest.mark.parametrize(
    "title, site, expected",
    [
        (f"{HEADLINE} | The Daily Example", "The Daily Example", HEADLINE),
        (f"{HEADLINE} - The Daily Example", "The Daily Example", HEADLINE),
        (f"{HEADLINE} — Daily Example", "The Daily Example", HEADLINE),
        (f"The Daily Example | {HEADLINE}", "The Daily Example", HEADLINE),
        (f"{HEADLINE} | news.example.org", None, HEADLINE),  # the host of the page
        ("Lyons - Paris: a train that never came | The Daily Example", "The Daily Example",
         "Lyons - Paris: a train that never came"),
        (f"{HEADLINE} | Weather", "The Daily Example", f"{HEADLINE} | Weather"),  # not the publication: kept
        ("Rates - what next?", None, "Rates - what next?"),
    ],
)
def test_headline_loses_only_the_publication_suffix(title, site, expected):
    head = f"<title>{title}</title>" + (f'<meta property="og:site_name" content="{site}">' if site else "")
    assert extract_page(page(head, h1=""), "https://news.example.org/a").title == expected  # the title is the <title>
    head = f'<meta property="og:title" content="{title}">' + (f'<meta property="og:site_name" content="{site}">' if site else "")
    assert extract_page(page(head), "https://news.example.org/a").title == expected  # og:title before the <h1>


@pytest.mark.parametrize(
    "head, expected",
    [
        ('<meta property="og:site_name" content="The Daily Example">', "The Daily Example"),
        ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
         '"publisher": {"@type": "Organization", "name": "Harbour Weekly"}}</script>', "Harbour Weekly"),
        ('<meta property="og:site_name" content="news.example.org">', None),  # a host is not a name
        ('<meta property="og:site_name" content="https://news.example.org/">', None),
        ('<meta name="twitter:site" content="@dailyexample">', None),  # a handle is not a name either
        ("", None),  # trafilatura would fall back on the host
    ],
)
def test_publication_is_a_name_never_a_host(head, expected):
    result = extract_page(page(f"<title>{HEADLINE}</title>{head}"), "https://news.example.org/a")
    assert result.source == expected


@pytest.mark.parametrize(
    "head, expected",
    [
        ('<meta name="author" content="By Mara Quill">', "Mara Quill"),
        ('<meta name="author" content="Mara Quill"><meta name="author" content="mara quill">', "Mara Quill"),
        ('<meta name="author" content="https://news.example.org/staff/mq">', None),
        ('<meta name="author" content="Harbour Weekly"><meta property="og:site_name" content="Harbour Weekly">', None),
        ('<meta name="author" content="Quill">', "Quill"),  # one name is still a name
        ('<meta name="author" content="Mara Quill; Tobias Renn">', "Mara Quill, Tobias Renn"),
    ],
)
def test_authors_are_names(head, expected):
    assert extract_page(page(f"<title>{HEADLINE}</title>{head}"), "https://news.example.org/a").author == expected


def test_published_date_wins_over_modified_in_meta_and_in_json_ld():
    modified_first = ('<meta property="article:modified_time" content="2024-03-01T00:00:00Z">'
                      '<meta property="article:published_time" content="2022-11-30T00:00:00Z">')
    assert extract_page(page(f"<title>{HEADLINE}</title>{modified_first}")).date == "2022-11-30"
    json_ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                          "dateModified": "2024-03-01", "datePublished": "2021-07-09"})
    head = f'<title>{HEADLINE}</title><script type="application/ld+json">{json_ld}</script>'
    assert extract_page(page(head)).date == "2021-07-09"


def test_short_page_falls_back_to_the_old_parser_with_its_metadata():
    # a fragment that trafilatura will not parse as a page: today's parser reads it
    fragment = '<meta name="author" content="Di"><meta property="og:site_name" content="Harbour Weekly"><p>Body.</p>'
    assert extract_page(fragment) == Page(None, "Di", "Harbour Weekly", None, None, "Body.")


def test_byline_link_and_markup_do_not_leak_into_fields():
    head = ('<title>Rates &amp; &lt;b&gt;tides&lt;/b&gt; | The Daily Example</title>'
            '<meta property="og:site_name" content="The Daily Example">')
    result = extract_page(page(head, byline='<p class="byline">By <a href="/staff/mq">Mara Quill</a></p>', h1=""))
    assert result.title == "Rates & <b>tides</b>"  # text, as the page wrote it; never interpreted as markup
    assert "<" not in result.body and "href" not in result.body


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n ",
        "\x00\x01\x02\x03" * 1000,
        bytes(range(256)).decode("latin-1") * 50,
        "<html>" + "<div>" * 50_000 + "deep" + "</div>" * 50_000 + "</html>",
        "<![foo[ x ]]>",
        '{"version": "https://jsonfeed.org/version/1.1"}',
        "<?xml version='1.0'?><rss><channel><title>A feed</title></channel></rss>",
        "<html><body><p>\ud800\udfff</p></body></html>",
    ],
    ids=["empty", "blank", "controls", "binary", "nested", "marked-section", "json", "rss", "surrogates"],
)
def test_garbage_never_raises_and_gives_safe_text(html):
    result = extract_page(html)
    for text in (result.title, result.author, result.source, result.date, result.url, result.body):
        assert text is None or is_safe(text)


def test_binary_junk_gives_no_body():
    assert extract_page(bytes(range(256)).decode("latin-1") * 50).body == ""
    assert extract_page("").body == "" and extract_page("\x00" * 100).body == ""


def test_huge_page_is_read_up_to_the_limit():
    filler = "<script>var blob = '" + "x" * (MAX_HTML_CHARS + 10) + "';</script>"
    html = f"<html><head><title>{HEADLINE}</title>{filler}</head><body><article>" + "".join(
        f"<p>{text}</p>" for text in PARAGRAPHS) + "</article></body></html>"
    assert extract_page(html).body == "\n\n".join(PARAGRAPHS)  # the scripts went first, not the article


def test_terminal_escapes_in_a_page_do_not_survive():
    html = page("<title>Red \x1b[31malert\x1b[0m\x07</title>", [text + " \x1b]0;owned\x07" for text in PARAGRAPHS], h1="")
    result = extract_page(html)
    assert result.title == "Red alert" and is_safe(result.body) and "owned" not in result.body


def test_trafilatura_logs_nothing_to_the_terminal(capfd):
    logging.getLogger().handlers.clear()  # Python's last-resort handler prints warnings to stderr
    for html in ("<html><body></body></html>", "<p>x</p>", "<html><body>" + "<div>" * 300 + "</body></html>"):
        extract_page(html)
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    for name in ("trafilatura", "htmldate", "courlan"):
        assert not logging.getLogger(name).isEnabledFor(logging.ERROR)


MARKUP = st.sampled_from(
    ["<p>", "</p>", "<article>", "</article>", "<script>", "<nav>", "<br>", "<h1>", "</h1>", "<title>", "<html>",
     "<head>", "<body>", "<table><tr><td>", "<meta property='og:site_name' content='x.org'>", "&amp;", "&#0;",
     "&#x1b;", "<!--", "<![CDATA[", "<link rel=canonical href='//x'>", "\x1b[2J", "<template>", "<![x["]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(MARKUP | st.text(max_size=30), max_size=40))
def test_random_markup_never_raises(parts):
    result = extract_page("".join(parts), "https://news.example.org/a")
    for text in (result.title, result.author, result.source, result.date, result.url, result.body):
        assert text is None or is_safe(text)
    assert "\n\n\n" not in result.body and result.body == result.body.strip()


# --- the benchmark script --------------------------------------------------------------------


def make_dataset(folder: Path, pages: dict[str, tuple[str, str]]) -> Path:
    """A data set in the benchmark's layout: ground-truth.json and html/ID.html.gz."""
    (folder / "html").mkdir(parents=True)
    truth = {}
    for key, (html, body) in pages.items():
        (folder / "html" / f"{key}.html.gz").write_bytes(gzip.compress(html.encode("utf-8")))
        truth[key] = {"articleBody": body, "url": f"https://news.example.org/{key}"}
    (folder / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return folder


TINY = {
    "one": (page(), "\n".join(PARAGRAPHS)),
    "two": (page(paragraphs=PARAGRAPHS[2:]), "\n".join(PARAGRAPHS[2:])),
    "three": ("<html><head><title>No article</title></head><body><img src='a.png'></body></html>", PARAGRAPHS[0]),
}


def test_benchmark_scores_perfect_empty_and_real_extractors(tmp_path):
    dataset = extraction.load(make_dataset(tmp_path / "set", TINY))
    truths = {item.url: item.truth for item in dataset}
    perfect = extraction.evaluate(dataset, lambda html, url: truths[url])
    assert (perfect.precision, perfect.recall, perfect.f1, perfect.empty) == (1.0, 1.0, 1.0, 0)
    empty = extraction.evaluate(dataset, lambda html, url: "")
    assert (empty.precision, empty.recall, empty.f1, empty.empty) == (0.0, 0.0, 0.0, 3)
    ours = extraction.evaluate(dataset, lambda html, url: extract_page(html, url).body)
    assert ours.empty == 1 and ours.recall == pytest.approx(2 / 3) and ours.precision == 1.0


def test_benchmark_metric_is_the_benchmarks_own():
    # tokens are \w+ runs; 4-word shingles counted with repeats; tp/fp/fn normalised per page
    tp, fp, fn = extraction.shingle_counts("a b c d e", "a b c d x")
    assert (tp, fp, fn) == (1 / 3, 1 / 3, 1 / 3)
    assert extraction.shingle_counts("one two", "one two") == (1.0, 0.0, 0.0)  # short texts: one shingle
    assert extraction.shingle_counts("", "") == (0.0, 0.0, 0.0)


def test_benchmark_command_prints_its_figures(tmp_path):
    folder = make_dataset(tmp_path / "set", TINY)
    result = subprocess.run([sys.executable, "-m", "bench.extraction", "--dataset", str(folder)], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for label in ("pages", "precision", "recall", "F1", "no text", "median ms per page"):
        assert label in out, label
    assert "three" in out  # the page that gave no text is named
    missing = subprocess.run([sys.executable, "-m", "bench.extraction", "--dataset", str(tmp_path / "none")],
                             cwd=REPO, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "ground-truth.json" in missing.stderr
