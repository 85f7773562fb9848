"""Citations compared in full with entries worked by hand from the APA 7, MLA 9 and Chicago 17
manuals and the biblatex manual. Only metadata appears here, never article text."""

from __future__ import annotations

import itertools
import subprocess
import sys
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_reader.core.articles import Article
from tui_reader.core.citations import (
    FORMATS,
    STYLE_NAMES,
    STYLES,
    Name,
    bibtex_key,
    in_text,
    parse_names,
    passage,
    publication_name,
    reference,
)

TITLE = "Heavier Weapons Push Syrian Crisis Toward Civil War"
# MLA and Chicago give it in headline style: prepositions lowercase whatever their length
# (CMOS 8.159 rule 3, MLA 9 1.2), so "toward"; APA keeps the headline as published
HEAD = "Heavier Weapons Push Syrian Crisis toward Civil War"
URL = "http://www.nytimes.com/2012/06/13/world/middleeast/violence-in-syria.html"
BARE_URL = "www.nytimes.com/2012/06/13/world/middleeast/violence-in-syria.html"  # MLA's form
TWO = Article(
    id="allsides-x",
    title=TITLE,
    body="",
    author="Mark Landler, Neil Macfarquhar",
    source="New York Times - News",
    date="2012-06-13",
    url=URL,
    imported_at="2021-12-06T10:00:00+00:00",
)
ONE = TWO.with_(author="Mark Landler")
THREE = TWO.with_(author="Mark Landler, Neil Macfarquhar, Anne Barnard")
FOUR = TWO.with_(author="Mark Landler, Neil Macfarquhar, Anne Barnard, Tom Howell Jr.")
GROUP = TWO.with_(author="Associated Press")
NO_AUTHOR = TWO.with_(author=None)
NO_DATE = TWO.with_(date=None)
# an address at a host the table of outlets does not know: no publication can be found for it
LOCAL = "https://example.org/2012/06/13/violence-in-syria.html"
BARE_LOCAL = "example.org/2012/06/13/violence-in-syria.html"
NO_SOURCE = TWO.with_(source=None, url=LOCAL)
SURNAMES = ("Able Baker Cole Dunn Ellis Frost Gray Hale Irwin Jones King Lane Moss Nash Owen "
            "Page Quinn Reid Shaw Todd Vance").split()
MANY = {n: TWO.with_(author=", ".join(f"Ann {s}" for s in SURNAMES[:n])) for n in (11, 20, 21)}
QUOTE = "The fighting has   spread\n to the capital."  # invented, with untidy whitespace
SHORT_NOTE = "Landler and Macfarquhar, “Heavier Weapons,” para. 3."


# --- APA 7 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        (ONE, f"Landler, M. (2012, June 13). {TITLE}. New York Times. {URL}"),
        (TWO, f"Landler, M., & Macfarquhar, N. (2012, June 13). {TITLE}. New York Times. {URL}"),
        (THREE, "Landler, M., Macfarquhar, N., & Barnard, A. (2012, June 13). "
                f"{TITLE}. New York Times. {URL}"),
        (FOUR, "Landler, M., Macfarquhar, N., Barnard, A., & Howell, T., Jr. (2012, June 13). "
               f"{TITLE}. New York Times. {URL}"),
        (GROUP, f"Associated Press. (2012, June 13). {TITLE}. New York Times. {URL}"),
        (NO_AUTHOR, f"{TITLE}. (2012, June 13). New York Times. {URL}"),
        (NO_DATE, f"Landler, M., & Macfarquhar, N. (n.d.). {TITLE}. New York Times. {URL}"),
        (NO_SOURCE, f"Landler, M., & Macfarquhar, N. (2012, June 13). {TITLE}. {LOCAL}"),
        (ONE.with_(date="2012-06"), f"Landler, M. (2012, June). {TITLE}. New York Times. {URL}"),
        (ONE.with_(date="2012"), f"Landler, M. (2012). {TITLE}. New York Times. {URL}"),
        (ONE.with_(url=None), f"Landler, M. (2012, June 13). {TITLE}. New York Times."),
        (ONE.with_(source="The Guardian"),
         f"Landler, M. (2012, June 13). {TITLE}. The Guardian. {URL}"),
    ],
    ids=["one", "two", "three", "suffix", "group", "no-author", "no-date", "no-source",
         "year-month", "year", "no-url", "keeps-the"],
)
def test_apa_reference(article, expected):
    assert reference(article, "apa") == expected


def test_apa_lists_twenty_authors_in_full():
    authors = ", ".join(f"{s}, A." for s in SURNAMES[:19]) + ", & Todd, A."
    assert reference(MANY[20], "apa") == f"{authors} (2012, June 13). {TITLE}. New York Times. {URL}"


def test_apa_gives_nineteen_authors_an_ellipsis_and_the_last_from_twenty_one():
    authors = ", ".join(f"{s}, A." for s in SURNAMES[:19]) + ", . . . Vance, A."
    assert reference(MANY[21], "apa") == f"{authors} (2012, June 13). {TITLE}. New York Times. {URL}"
    assert in_text(MANY[21], "apa") == "(Able et al., 2012)"


@pytest.mark.parametrize(
    ("article", "paragraph", "expected"),
    [
        (ONE, None, "(Landler, 2012)"),
        (TWO, None, "(Landler & Macfarquhar, 2012)"),
        (TWO, 3, "(Landler & Macfarquhar, 2012, para. 3)"),
        (THREE, 3, "(Landler et al., 2012, para. 3)"),
        (GROUP, None, "(Associated Press, 2012)"),
        (NO_AUTHOR, None, "(“Heavier Weapons,” 2012)"),
        (NO_DATE, 2, "(Landler & Macfarquhar, n.d., para. 2)"),
        (NO_AUTHOR.with_(title="Is Syria at War?"), None, "(“Is Syria at War?” 2012)"),
    ],
)
def test_apa_in_text(article, paragraph, expected):
    assert in_text(article, "apa", paragraph) == expected


def test_apa_italicises_the_newspaper_or_else_the_title():
    assert reference(TWO, "apa", "markdown") == (
        f"Landler, M., & Macfarquhar, N. (2012, June 13). {TITLE}. *New York Times*. {URL}")
    assert reference(TWO, "apa", "html") == (
        f"Landler, M., &amp; Macfarquhar, N. (2012, June 13). {TITLE}. <i>New York Times</i>. {URL}")
    assert reference(NO_SOURCE, "apa", "markdown") == (
        f"Landler, M., & Macfarquhar, N. (2012, June 13). *{TITLE}*. {LOCAL}")
    # an italic title in the entry is italic in the text too (APA 8.14)
    untitled_site = NO_SOURCE.with_(author=None)
    assert in_text(untitled_site, "apa", 3, "html") == "(<i>Heavier Weapons</i>, 2012, para. 3)"


def test_apa_leaves_out_a_site_that_is_also_the_author():
    wire = TWO.with_(author="Reuters", source="Reuters")
    assert reference(wire, "apa", "markdown") == f"Reuters. (2012, June 13). *{TITLE}*. {URL}"


# --- MLA 9 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        (ONE, f"Landler, Mark. “{HEAD}.” New York Times, 13 June 2012, {BARE_URL}."),
        (TWO, f"Landler, Mark, and Neil Macfarquhar. “{HEAD}.” New York Times, 13 June 2012, {BARE_URL}."),
        (THREE, f"Landler, Mark, et al. “{HEAD}.” New York Times, 13 June 2012, {BARE_URL}."),
        (GROUP, f"Associated Press. “{HEAD}.” New York Times, 13 June 2012, {BARE_URL}."),
        (NO_AUTHOR, f"“{HEAD}.” New York Times, 13 June 2012, {BARE_URL}."),
        (NO_DATE, f"Landler, Mark, and Neil Macfarquhar. “{HEAD}.” New York Times, {BARE_URL}. "
                  "Accessed 6 Dec. 2021."),
        (NO_SOURCE, f"Landler, Mark, and Neil Macfarquhar. “{HEAD}.” 13 June 2012, {BARE_LOCAL}."),
        (ONE.with_(date="2012-09-05"),
         f"Landler, Mark. “{HEAD}.” New York Times, 5 Sept. 2012, {BARE_URL}."),
        (ONE.with_(date="2012-06"), f"Landler, Mark. “{HEAD}.” New York Times, June 2012, {BARE_URL}."),
        (ONE.with_(author="Tom Howell Jr.", url="https://example.com/a"),
         f"Howell, Tom, Jr. “{HEAD}.” New York Times, 13 June 2012, example.com/a."),
        (ONE.with_(title="Is Syria at War?"),
         f"Landler, Mark. “Is Syria at War?” New York Times, 13 June 2012, {BARE_URL}."),
    ],
    ids=["one", "two", "three", "group", "no-author", "no-date", "no-source", "sept", "year-month",
         "suffix-https", "question"],
)
def test_mla_works_cited(article, expected):
    assert reference(article, "mla") == expected


@pytest.mark.parametrize(
    ("article", "expected"),
    [(ONE, "(Landler)"), (TWO, "(Landler and Macfarquhar)"), (THREE, "(Landler et al.)"),
     (GROUP, "(Associated Press)"), (NO_AUTHOR, "(“Heavier Weapons”)")],
)
def test_mla_in_text_never_adds_a_paragraph(article, expected):
    assert in_text(article, "mla", paragraph=3) == expected


def test_mla_italicises_the_container():
    assert reference(ONE, "mla", "markdown") == (
        f"Landler, Mark. “{HEAD}.” *New York Times*, 13 June 2012, {BARE_URL}.")
    assert reference(ONE, "mla", "html") == (
        f"Landler, Mark. “{HEAD}.” <i>New York Times</i>, 13 June 2012, {BARE_URL}.")


def test_mla_begins_with_the_title_when_the_author_also_publishes_it():
    wire = TWO.with_(author="Reuters", source="Reuters")
    assert reference(wire, "mla") == f"“{HEAD}.” Reuters, 13 June 2012, {BARE_URL}."
    assert in_text(wire, "mla") == "(“Heavier Weapons”)"


def test_the_access_date_is_the_import_day_or_else_today():
    undated = NO_DATE.with_(imported_at=None)
    assert reference(undated, "mla", today=date(2021, 12, 6)).endswith("Accessed 6 Dec. 2021.")
    imported = NO_DATE.with_(imported_at="2020-01-02T08:00:00+00:00")
    assert reference(imported, "mla", today=date(2021, 12, 6)).endswith("Accessed 2 Jan. 2020.")


# --- Chicago 17 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        (ONE, f"Landler, Mark. “{HEAD}.” New York Times, June 13, 2012. {URL}."),
        (TWO, f"Landler, Mark, and Neil Macfarquhar. “{HEAD}.” New York Times, June 13, 2012. {URL}."),
        (THREE, "Landler, Mark, Neil Macfarquhar, and Anne Barnard. "
                f"“{HEAD}.” New York Times, June 13, 2012. {URL}."),
        (MANY[11], "Able, Ann, Ann Baker, Ann Cole, Ann Dunn, Ann Ellis, Ann Frost, Ann Gray, et al. "
                   f"“{HEAD}.” New York Times, June 13, 2012. {URL}."),
        (GROUP, f"Associated Press. “{HEAD}.” New York Times, June 13, 2012. {URL}."),
        (NO_AUTHOR, f"New York Times. “{HEAD}.” June 13, 2012. {URL}."),  # CMOS 14.207
        (NO_AUTHOR.with_(source=None, url=LOCAL), f"“{HEAD}.” June 13, 2012. {LOCAL}."),
        (NO_DATE, f"Landler, Mark, and Neil Macfarquhar. “{HEAD}.” New York Times. "
                  f"Accessed December 6, 2021. {URL}."),
        (NO_SOURCE, f"Landler, Mark, and Neil Macfarquhar. “{HEAD}.” June 13, 2012. {LOCAL}."),
        (ONE.with_(date="2012"), f"Landler, Mark. “{HEAD}.” New York Times, 2012. {URL}."),
        (ONE.with_(author="Tom Howell Jr."),
         f"Howell, Tom, Jr. “{HEAD}.” New York Times, June 13, 2012. {URL}."),
    ],
    ids=["one", "two", "three", "eleven", "group", "no-author", "title-only", "no-date",
         "no-source", "year", "suffix"],
)
def test_chicago_bibliography(article, expected):
    assert reference(article, "chicago") == expected


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        (ONE, f"Mark Landler, “{HEAD},” New York Times, June 13, 2012, {URL}."),
        (TWO, f"Mark Landler and Neil Macfarquhar, “{HEAD},” New York Times, June 13, 2012, {URL}."),
        (THREE, f"Mark Landler, Neil Macfarquhar, and Anne Barnard, “{HEAD},” New York Times, "
                f"June 13, 2012, {URL}."),
        (FOUR, f"Mark Landler et al., “{HEAD},” New York Times, June 13, 2012, {URL}."),
        (GROUP, f"Associated Press, “{HEAD},” New York Times, June 13, 2012, {URL}."),
        (NO_AUTHOR, f"“{HEAD},” New York Times, June 13, 2012, {URL}."),
        (NO_DATE, f"Mark Landler and Neil Macfarquhar, “{HEAD},” New York Times, "
                  f"accessed December 6, 2021, {URL}."),
        (NO_SOURCE, f"Mark Landler and Neil Macfarquhar, “{HEAD},” June 13, 2012, {LOCAL}."),
        (ONE.with_(author="Tom Howell Jr.", url=None),
         f"Tom Howell Jr., “{HEAD},” New York Times, June 13, 2012."),
        (ONE.with_(title="Is Syria at War?"),
         f"Mark Landler, “Is Syria at War?” New York Times, June 13, 2012, {URL}."),
    ],
    ids=["one", "two", "three", "four", "group", "no-author", "no-date", "no-source", "suffix",
         "question"],
)
def test_chicago_full_note(article, expected):
    assert reference(article, "chicago-note") == expected


@pytest.mark.parametrize(
    ("article", "paragraph", "expected"),
    [
        (ONE, 3, "Landler, “Heavier Weapons,” para. 3."),
        (TWO, 3, SHORT_NOTE),
        (TWO, None, "Landler and Macfarquhar, “Heavier Weapons.”"),
        (THREE, 3, "Landler, Macfarquhar, and Barnard, “Heavier Weapons,” para. 3."),
        (FOUR, 3, "Landler et al., “Heavier Weapons,” para. 3."),
        (NO_AUTHOR, 3, "“Heavier Weapons,” para. 3."),
        (ONE.with_(title="Is Syria at War?"), 3, "Landler, “Is Syria at War?” para. 3."),
        (ONE.with_(title="The State of the Union Address Tonight"), None,
         "Landler, “State of the Union.”"),
        (ONE.with_(title="Obama: The Interview"), None, "Landler, “Obama.”"),
        (ONE.with_(title="Syria Talks Fail"), None, "Landler, “Syria Talks Fail.”"),
        # an ALL-CAPS headline is re-cased in headline style, its acronyms kept (CMOS 8.159)
        (ONE.with_(title="SYRIA TALKS FAIL AGAIN IN GENEVA"), None, "Landler, “Syria Talks.”"),
        (ONE.with_(title="UN TALKS ON SYRIA FAIL AGAIN IN GENEVA"), None, "Landler, “UN Talks.”"),
        # CMOS 14.30: never end on an article, preposition, conjunction, auxiliary or determiner
        (ONE.with_(title="Why does ISIS keep making enemies?"), None, "Landler, “Why Does ISIS.”"),
        (ONE.with_(title="U.N. must act now on Syria"), None, "Landler, “U.N. Must Act.”"),
        (ONE.with_(title="Congress in no rush to return for Syria vote"), None, "Landler, “Congress in No Rush.”"),
        # a kicker is not the main title; a quotation is never cut open
        (ONE.with_(title="OPINION: Diplomacy with dictators threatens us"), None, "Landler, “Diplomacy with Dictators.”"),
        (ONE.with_(title="'Wretched, awful, no good' week ends for the Senate"), None,
         "Landler, “‘Wretched, Awful, No Good.’”"),  # the quotation whole, its period inside
    ],
)
def test_chicago_short_note(article, paragraph, expected):
    assert in_text(article, "chicago", paragraph) == expected
    assert in_text(article, "chicago-note", paragraph) == expected


def test_chicago_italicises_the_newspaper():
    assert reference(ONE, "chicago", "markdown") == (
        f"Landler, Mark. “{HEAD}.” *New York Times*, June 13, 2012. {URL}.")
    assert reference(NO_AUTHOR, "chicago", "html") == (
        f"<i>New York Times</i>. “{HEAD}.” June 13, 2012. {URL}.")
    assert reference(ONE, "chicago-note", "html") == (
        f"Mark Landler, “{HEAD},” <i>New York Times</i>, June 13, 2012, {URL}.")


# --- BibTeX -----------------------------------------------------------------------------------


def test_bibtex_article():
    assert reference(TWO, "biblatex", "html") == "\n".join([
        "@article{landler2012heavier,",
        "  author = {Landler, Mark and Macfarquhar, Neil},",
        f"  title = {{{TITLE}}},",
        "  journaltitle = {New York Times},",
        "  date = {2012-06-13},",
        f"  url = {{{URL}}},",
        "  urldate = {2021-12-06},",
        "}",
    ])


def test_bibtex_online_without_a_publication_author_or_date():
    article = NO_SOURCE.with_(author="Associated Press, Tom Howell Jr.", date="2012-06")
    assert reference(article, "biblatex") == "\n".join([
        "@online{associatedpress2012heavier,",
        "  author = {{Associated Press} and Howell, Jr., Tom},",
        f"  title = {{{TITLE}}},",
        "  date = {2012-06},",
        f"  url = {{{LOCAL}}},",
        "  urldate = {2021-12-06},",
        "}",
    ])
    seed = Article(id="seed", title="Assad on the war", body="")
    assert reference(seed, "biblatex", today=date(2021, 12, 6)) == (
        "@online{assadndwar,\n  title = {Assad on the war},\n}")


def test_bibtex_escapes_values_but_not_the_url():
    article = ONE.with_(
        title=r"Profits & Losses: 50% of $5 #1 in_the {news} ~ ^ \ end",
        source="AT&T Wire - News",
        url="http://example.com/a_b?x=1%20&y=2#frag",
    )
    entry = reference(article, "biblatex")
    # \{ would still count as a brace for BibTeX's own parser, so braces become commands
    assert (r"  title = {Profits \& Losses: 50\% of \$5 \#1 in\_the \textbraceleft{}news"
            r"\textbraceright{} \textasciitilde{} \textasciicircum{} \textbackslash{} end},") in entry
    assert "  journaltitle = {AT\\&T Wire}," in entry
    assert "  url = {http://example.com/a_b?x=1%20&y=2#frag}," in entry


@pytest.mark.parametrize(
    ("article", "key"),
    [
        (TWO, "landler2012heavier"),
        (NO_AUTHOR, "heavier2012weapons"),
        (NO_DATE, "landlerndheavier"),
        (GROUP, "associatedpress2012heavier"),
        (ONE.with_(author="José Martí", title="The Syrian War"), "marti2012syrian"),
        (ONE.with_(author="Veronique De Rugy"), "derugy2012heavier"),
    ],
)
def test_bibtex_key(article, key):
    assert bibtex_key(article) == key


def test_bibtex_in_text_is_an_autocite():
    assert in_text(TWO, "biblatex", 3) == r"\autocite[para.~3]{landler2012heavier}"
    assert in_text(TWO, "biblatex") == r"\autocite{landler2012heavier}"


# --- passages ---------------------------------------------------------------------------------


def test_passage_apa_and_mla_put_the_period_after_the_parenthesis():
    quote = "“The fighting has spread to the capital”"
    assert passage(TWO, QUOTE, 3, "apa") == (
        f"{quote} (Landler & Macfarquhar, 2012, para. 3).\n\n{reference(TWO, 'apa')}")
    assert passage(TWO, QUOTE, 3, "mla") == (
        f"{quote} (Landler and Macfarquhar).\n\n{reference(TWO, 'mla')}")


def test_passage_chicago_gives_a_note_then_the_entry():
    quote = "“The fighting has spread to the capital.”"
    assert passage(TWO, QUOTE, 3, "chicago") == (
        f"{quote}¹\n\n1. {SHORT_NOTE}\n\n{reference(TWO, 'chicago')}")
    assert passage(TWO, QUOTE, 3, "chicago-note") == (
        f"{quote}¹\n\n1. Mark Landler and Neil Macfarquhar, “{HEAD},” New York Times, "
        f"June 13, 2012, para. 3, {URL}.")
    assert passage(TWO, QUOTE, 3, "chicago-note", "html").startswith(f"{quote}<sup>1</sup>\n\n1. ")


def test_passage_bibtex_escapes_the_quote():
    assert passage(TWO, "Costs rose 5% & more.", 4, "biblatex") == (
        "“Costs rose 5\\% \\& more” \\autocite[para.~4]{landler2012heavier}.\n\n"
        + reference(TWO, "biblatex"))


def test_passage_keeps_a_question_mark_and_nests_quotation_marks():
    assert passage(ONE, "Who fired first?", 2, "apa").startswith(
        "“Who fired first?” (Landler, 2012, para. 2).\n\n")
    assert passage(ONE, 'He called it "a war" on Tuesday.', 2, "mla").startswith(
        "“He called it ‘a war’ on Tuesday” (Landler).\n\n")


def test_passage_in_html_escapes_and_italicises():
    article = NO_SOURCE.with_(title="Q&A <live>")
    assert passage(article, "x < y", 1, "apa", "html") == (
        "“x &lt; y” (Landler &amp; Macfarquhar, 2012, para. 1).\n\n"
        f"Landler, M., &amp; Macfarquhar, N. (2012, June 13). <i>Q&amp;A &lt;live&gt;</i>. {LOCAL}")


def test_markdown_escapes_asterisks_in_the_text():
    article = NO_SOURCE.with_(title="Five *Stars*")
    assert reference(article, "apa", "markdown").endswith(r"*Five \*Stars\**. " + LOCAL)


# --- names and publications -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("author", "names"),
    [
        ("Mark Landler", [Name("Mark", "Landler")]),
        ("Andrew C. Mccarthy", [Name("Andrew C.", "Mccarthy")]),
        ("Tom Howell Jr.", [Name("Tom", "Howell", suffix="Jr.")]),
        ("Tom Howell, Jr", [Name("Tom", "Howell", suffix="Jr.")]),
        ("Henry Ford III", [Name("Henry", "Ford", suffix="III")]),
        ("Veronique De Rugy", [Name("Veronique", "Rugy", "De")]),
        ("Ludwig van der Rohe", [Name("Ludwig", "Rohe", "van der")]),
        ("Bashar al-Assad", [Name("Bashar", "Assad", "al-")]),
        ("Van Jones", [Name("Van", "Jones")]),
        ("Madonna", [Name("", "Madonna")]),
        ("Sen. Rand Paul", [Name("Rand", "Paul")]),
        ("Mark Landler and Neil Macfarquhar", [Name("Mark", "Landler"), Name("Neil", "Macfarquhar")]),
        # an outlet's name in a group byline is spelled as the outlet spells it
        ("Cnn Staff", [Name("", "CNN Staff", is_group=True)]),
        ("Associated Press, Reuters", [Name("", "Associated Press", is_group=True),
                                       Name("", "Reuters", is_group=True)]),
        ("Editorial Board", [Name("", "Editorial Board", is_group=True)]),
        (None, []),
        ("  ", []),
    ],
)
def test_parse_names(author, names):
    assert parse_names(author) == names


def test_a_byline_naming_the_source_is_a_group():
    assert parse_names("Politico", "Politico") == [Name("", "Politico", is_group=True)]
    assert parse_names("the hill", "The Hill - News")[0].is_group


@pytest.mark.parametrize(
    ("author", "apa", "mla", "note"),
    [
        ("Jean-Pierre Dupont", "Dupont, J.-P.", "Dupont, Jean-Pierre.", "Jean-Pierre Dupont"),
        ("J.-P. Dupont", "Dupont, J.-P.", "Dupont, J.-P.", "J.-P. Dupont"),
        ("S.A. Miller", "Miller, S. A.", "Miller, S. A.", "S. A. Miller"),  # spaced: CMOS 10.12
        ("Andrew C. Mccarthy", "Mccarthy, A. C.", "Mccarthy, Andrew C.", "Andrew C. Mccarthy"),
        ("Veronique De Rugy", "De Rugy, V.", "De Rugy, Veronique.", "Veronique De Rugy"),
        ("Bashar al-Assad", "al-Assad, B.", "al-Assad, Bashar.", "Bashar al-Assad"),
        ("Madonna", "Madonna.", "Madonna.", "Madonna"),
        ("Cnn Staff", "CNN Staff.", "CNN Staff.", "CNN Staff"),
    ],
)
def test_names_in_each_style(author, apa, mla, note):
    # an element's closing period merges with an initial's own: "Miller, S.A." not "S.A.."
    article = ONE.with_(author=author)
    assert reference(article, "apa").startswith(f"{apa} (2012, June 13).")
    assert reference(article, "mla").startswith(f"{mla} “")
    assert reference(article, "chicago-note").startswith(f"{note}, “")


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("New York Times - News", "New York Times"),
        ("New York Times - Opinion", "New York Times"),
        ("New York Times (Online News)", "New York Times"),
        ("CNN (Web News)", "CNN"),
        ("Newsmax (News)", "Newsmax"),
        ("New York Post (Opinion)", "New York Post"),
        ("Fox News", "Fox News"),
        ("The Hill", "The Hill"),
        (None, ""),
        ("", ""),
    ],
)
def test_publication_name(source, name):
    assert publication_name(source) == name


@pytest.mark.parametrize(
    ("source", "url", "author", "name"),
    [
        ("NPR Online News", "https://www.npr.org/2019/a", None, "NPR"),  # the table, by label
        ("Fox Online News", None, None, "Fox News"),
        ("USA TODAY", None, None, "USA Today"),
        ("CNN (Web News)", "https://politicalticker.blogs.cnn.com/a", None, "CNN"),
        # a label naming a kind of writer or a columnist gives way to the address's entry
        ("Guest Writer - Right", "https://www.nationalreview.com/a", "Ann Lee", "National Review"),
        ("Guest Writer - Left", "https://www.nytimes.com/a", None, "New York Times"),
        ("Guest Writer", None, None, ""),
        ("Ann Lee", "https://townhall.com/columnists/a", "Ann B. Lee", "Townhall"),
        ("Ann Lee", None, "Ann B. Lee", "Ann Lee"),  # no address to say better
        # no label: the address's entry; an unknown host names nothing
        (None, "https://www.npr.org/a", None, "NPR"),
        (None, "https://example.org/a", None, ""),
        # a label the table does not know stands, without its section
        ("Tri-County Ledger - Opinion", "https://www.npr.org/a", None, "Tri-County Ledger"),
    ],
)
def test_publication_name_from_the_table_of_outlets(source, url, author, name):
    assert publication_name(source, url, author) == name


@pytest.mark.parametrize(
    ("author", "source", "names"),
    [
        # job titles are not authors (APA 9.8, MLA 5.5: persons or groups are)
        ("John P. Avlon, Cnn Contributor", "CNN", [Name("John P.", "Avlon")]),
        ("Dana Roe, Staff Writer At", "The Atlantic", [Name("Dana", "Roe")]),
        ("Lee Ames, Cnn Editor-At-Large", "CNN", [Name("Lee", "Ames")]),
        ("Ann Lee, Bo Kim, Nro Contributor", "National Review", [Name("Ann", "Lee"), Name("Bo", "Kim")]),
        # the parent company is the publisher, not an author
        ("Condé Nast, T.A. Fern", "Vanity Fair", [Name("T. A.", "Fern")]),
        # stray quotation marks and e-mail addresses cleaned; an apostrophe kept
        ('"Cora OBrine", Guy Penn', "Townhall", [Name("Cora", "OBrine"), Name("Guy", "Penn")]),
        ("Sam Ode sam.ode@example.com", None, [Name("Sam", "Ode")]),
        ("Ciara O'Dowd", None, [Name("Ciara", "O’Dowd")]),  # typeset as in titles
        # outlets and organisations are groups, spelled as the outlet spells itself
        ("Usa Today", "USA TODAY", [Name("", "USA Today", is_group=True)]),
        ("Cnn Staff", "CNN (Web News)", [Name("", "CNN Staff", is_group=True)]),
        ("Npr Staff", "NPR Online News", [Name("", "NPR Staff", is_group=True)]),
        ("Guest Writer", None, []),
        ("Special To Cnn", "CNN", []),
        ("Opinion Lz Granderson", None, [Name("Lz", "Granderson")]),  # the section, not a name
        # surnames that are also words of a job or a group are still persons
        ("Daryl G. Press", None, [Name("Daryl G.", "Press")]),
        ("Jennifer Senior", None, [Name("Jennifer", "Senior")]),
    ],
)
def test_bylines_that_are_not_people(author, source, names):
    assert parse_names(author, source) == names


# --- robustness -------------------------------------------------------------------------------

MISSING = {
    "author": (None, "", "Mark Landler", "Associated Press", "Tom Howell Jr.",
               "Mark Landler, Neil Macfarquhar, Anne Barnard, Tom Howell Jr."),
    "date": (None, "2012", "2012-06", "2012-06-13", "2012-02-30"),
    "source": (None, "", "New York Times - News"),
    "url": (None, URL),
    "imported_at": (None, "2021-12-06T10:00:00+00:00"),
}
DANGLING = ("..", " .", "()", ", .", ",,", ",.", " ,", "  ", "“”", "{}")


# RIS is left out: its fixed "TAG  - value" layout has two spaces by design (tested in test_export_formats.py)
@pytest.mark.parametrize(("style", "fmt"), list(itertools.product([s for s in STYLES if s != "ris"], FORMATS)))
def test_no_dangling_punctuation_whatever_is_missing(style, fmt):
    for values in itertools.product(*MISSING.values()):
        article = Article(id="seed", title="Assad speaks about the war", body="",
                          **dict(zip(MISSING, values)))
        outputs = [reference(article, style, fmt, today=date(2021, 12, 6)),
                   in_text(article, style, None, fmt), in_text(article, style, 2, fmt),
                   passage(article, "a quoted phrase", 2, style, fmt, today=date(2021, 12, 6))]
        for text in outputs:
            assert text == text.strip(), (values, text)
            for line in text.splitlines():  # BibTeX fields are indented by design
                assert not [bad for bad in DANGLING if bad in line.strip()], (values, text)


def test_unknown_style_or_format_is_refused():
    with pytest.raises(ValueError, match="style"):
        reference(TWO, "harvard")
    with pytest.raises(ValueError, match="format"):
        in_text(TWO, "apa", fmt="rtf")


def test_every_style_has_a_name():
    assert set(STYLE_NAMES) == set(STYLES)


@given(author=st.text(), title=st.text(), source=st.text(), url=st.text())
def test_html_is_escaped_and_bibtex_braces_balance(author, title, source, url):
    article = Article(id="x", title=title, body="", author=author, source=source, url=url)
    for style in STYLES[:4]:
        text = reference(article, style, "html", today=date(2021, 12, 6))
        assert "<" not in text.replace("<i>", "").replace("</i>", "")
    depth = 0
    for char in reference(article, "biblatex", today=date(2021, 12, 6)):
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0


def test_the_module_does_not_import_textual():
    code = "import sys, tui_reader.core.citations; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
