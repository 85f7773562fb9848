"""The golden set: real-world kinds of news metadata, each cited seven ways (APA reference and
in-text, MLA works-cited entry and in-text, Chicago bibliography, full note and short note), every
expected string written by hand from the manuals: APA 7 (Publication Manual, 7th ed.), MLA 9 (MLA
Handbook, 9th ed.), CMOS 17 (Chicago Manual of Style, 17th ed.). The metadata (names, headlines,
outlets at example addresses) is invented for these tests.

Rules used throughout, named once here and again where a case turns on them:
- APA 9.8 authors (initials, "&", up to 20, then 19 . . . last); 9.14 dates; 10.1 ex. 16 newspaper
  article (title plain, newspaper italic); 10.16 webpage (no newspaper: title italic; author and
  site the same: site left out); 8.17 in-text authors (1-2 named, 3+ et al.); 8.14 no author: short
  title in quotation marks in title case (6.17); references keep the headline as published.
- MLA 9 5.6 authors (one inverted; two "and"; three or more et al.); 1.2 title case; 5.75 a
  container's URL without scheme; 5.111 access date when there is no date; 6.4-6.6 in-text.
- CMOS 14.76 authors (bibliography: up to ten, else seven et al.; notes: four or more, first et al.);
  14.191 newspaper; 14.207 unsigned (bibliography begins with the newspaper, notes with the title);
  14.12 access date when undated; 14.29-14.30 short notes (short title of up to four key words);
  8.159 headline style; 6.9 period and comma inside quotation marks, nested quotes alternate;
  6.119 a question mark replaces the comma; 10.12 initials spaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from tui_reader.core.articles import Article
from tui_reader.core.citations import in_text, reference

TODAY = date(2021, 12, 6)
LEDGER = "Tri-County Ledger - News"  # a label the table of outlets does not know: cited without " - News"
U = "https://ledger.example.com/a1"
B = "ledger.example.com/a1"  # MLA 9 5.75: the URL without http(s)://
T = "Council Approves New Budget for Schools"
TH = "Council Approves New Budget for Schools"  # headline style (8.159): "for" a preposition, lowercase


@dataclass(frozen=True)
class Case:
    """One article and its seven citations, written by hand."""

    id: str
    article: Article
    apa: str
    apa_in: str
    mla: str
    mla_in: str
    chicago: str
    note: str
    short: str


def art(author=None, title=T, source=LEDGER, when="2016-03-04", url=U) -> Article:
    """An invented article; unset fields are the common ones above."""
    return Article(id="golden", title=title, body="", author=author, source=source, date=when, url=url)


ELEVEN = "Ida Abbott, Ben Baird, Cal Croft, Dee Dunmore, Eli Eames, Fay Fenn, Gus Gale, Hal Hurst, Ivy Irons, Jo Jex, Kit Kerr"
TWENTY_ONE = ELEVEN + (", Lu Lamb, Mo Marsh, Ned Noon, Oz Orr, Pia Pike, Quin Quail, Rex Rook, Sal Sage, Tam Tull, "
                       "Uma Vail")

CASES = [
    # --- numbers of authors -------------------------------------------------------------------
    Case("one-author", art("Maria Lindqvist"),
         f"Lindqvist, M. (2016, March 4). {T}. Tri-County Ledger. {U}",  # APA 10.1 ex. 16
         "(Lindqvist, 2016)",  # APA 8.17
         f"Lindqvist, Maria. “{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",  # MLA 5.6, 1.2
         "(Lindqvist)",  # MLA 6.4: no page or paragraph on a news site
         f"Lindqvist, Maria. “{TH}.” Tri-County Ledger, March 4, 2016. {U}.",  # CMOS 14.191
         f"Maria Lindqvist, “{TH},” Tri-County Ledger, March 4, 2016, {U}.",  # CMOS 14.191, 6.9
         "Lindqvist, “Council Approves.”"),  # CMOS 14.30: short title, key words, not ending on a verb's helper
    Case("two-authors", art("Maria Lindqvist, Omar Haddad"),
         f"Lindqvist, M., & Haddad, O. (2016, March 4). {T}. Tri-County Ledger. {U}",  # APA 9.8: "&"
         "(Lindqvist & Haddad, 2016)",  # APA 8.17
         f"Lindqvist, Maria, and Omar Haddad. “{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",  # MLA 5.6
         "(Lindqvist and Haddad)",
         f"Lindqvist, Maria, and Omar Haddad. “{TH}.” Tri-County Ledger, March 4, 2016. {U}.",  # CMOS 14.76
         f"Maria Lindqvist and Omar Haddad, “{TH},” Tri-County Ledger, March 4, 2016, {U}.",
         "Lindqvist and Haddad, “Council Approves.”"),
    Case("three-authors", art("Maria Lindqvist, Omar Haddad, Yuki Tanaka"),
         f"Lindqvist, M., Haddad, O., & Tanaka, Y. (2016, March 4). {T}. Tri-County Ledger. {U}",
         "(Lindqvist et al., 2016)",  # APA 8.17: three or more, first et al.
         f"Lindqvist, Maria, et al. “{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",  # MLA 5.6: three or more
         "(Lindqvist et al.)",
         f"Lindqvist, Maria, Omar Haddad, and Yuki Tanaka. “{TH}.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Maria Lindqvist, Omar Haddad, and Yuki Tanaka, “{TH},” Tri-County Ledger, March 4, 2016, {U}.",
         "Lindqvist, Haddad, and Tanaka, “Council Approves.”"),  # CMOS 14.29: up to three named
    Case("four-authors", art("Maria Lindqvist, Omar Haddad, Yuki Tanaka, Ruth Okonkwo"),
         f"Lindqvist, M., Haddad, O., Tanaka, Y., & Okonkwo, R. (2016, March 4). {T}. Tri-County Ledger. {U}",
         "(Lindqvist et al., 2016)",
         f"Lindqvist, Maria, et al. “{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Lindqvist et al.)",
         f"Lindqvist, Maria, Omar Haddad, Yuki Tanaka, and Ruth Okonkwo. “{TH}.” Tri-County Ledger, "
         f"March 4, 2016. {U}.",  # CMOS 14.76: up to ten in the bibliography
         f"Maria Lindqvist et al., “{TH},” Tri-County Ledger, March 4, 2016, {U}.",  # CMOS 14.76: four+ in a note
         "Lindqvist et al., “Council Approves.”"),
    Case("eleven-authors", art(ELEVEN),
         "Abbott, I., Baird, B., Croft, C., Dunmore, D., Eames, E., Fenn, F., Gale, G., Hurst, H., Irons, I., "
         f"Jex, J., & Kerr, K. (2016, March 4). {T}. Tri-County Ledger. {U}",  # APA 9.8: up to 20 in full
         "(Abbott et al., 2016)",
         f"Abbott, Ida, et al. “{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Abbott et al.)",
         "Abbott, Ida, Ben Baird, Cal Croft, Dee Dunmore, Eli Eames, Fay Fenn, Gus Gale, et al. "
         f"“{TH}.” Tri-County Ledger, March 4, 2016. {U}.",  # CMOS 14.76: more than ten, seven et al.
         f"Ida Abbott et al., “{TH},” Tri-County Ledger, March 4, 2016, {U}.",
         "Abbott et al., “Council Approves.”"),
    Case("twenty-one-authors", art(TWENTY_ONE),
         "Abbott, I., Baird, B., Croft, C., Dunmore, D., Eames, E., Fenn, F., Gale, G., Hurst, H., Irons, I., "
         "Jex, J., Kerr, K., Lamb, L., Marsh, M., Noon, N., Orr, O., Pike, P., Quail, Q., Rook, R., Sage, S., "
         f". . . Vail, U. (2016, March 4). {T}. Tri-County Ledger. {U}",  # APA 9.8: 19, ellipsis, last
         "(Abbott et al., 2016)",
         f"Abbott, Ida, et al. “{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Abbott et al.)",
         "Abbott, Ida, Ben Baird, Cal Croft, Dee Dunmore, Eli Eames, Fay Fenn, Gus Gale, et al. "
         f"“{TH}.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Ida Abbott et al., “{TH},” Tri-County Ledger, March 4, 2016, {U}.",
         "Abbott et al., “Council Approves.”"),
    # --- no author, no date -------------------------------------------------------------------
    Case("authorless", art(None),
         f"{T}. (2016, March 4). Tri-County Ledger. {U}",  # APA 9.12: the title moves to the author's place
         "(“Council Approves,” 2016)",  # APA 8.14: short title, title case (6.17), in quotes
         f"“{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",  # MLA 5.13: begin with the title
         "(“Council Approves”)",  # MLA 6.6
         f"Tri-County Ledger. “{TH}.” March 4, 2016. {U}.",  # CMOS 14.207: newspaper in the author's place
         f"“{TH},” Tri-County Ledger, March 4, 2016, {U}.",  # CMOS 14.207: a note begins with the title
         "“Council Approves.”"),
    Case("dateless", art("Maria Lindqvist", when=None),
         f"Lindqvist, M. (n.d.). {T}. Tri-County Ledger. {U}",  # APA 9.17: n.d.
         "(Lindqvist, n.d.)",
         f"Lindqvist, Maria. “{TH}.” Tri-County Ledger, {B}. Accessed 6 Dec. 2021.",  # MLA 5.111
         "(Lindqvist)",
         f"Lindqvist, Maria. “{TH}.” Tri-County Ledger. Accessed December 6, 2021. {U}.",  # CMOS 14.12
         f"Maria Lindqvist, “{TH},” Tri-County Ledger, accessed December 6, 2021, {U}.",
         "Lindqvist, “Council Approves.”"),
    Case("authorless-dateless", art(None, when=None),
         f"{T}. (n.d.). Tri-County Ledger. {U}",
         "(“Council Approves,” n.d.)",
         f"“{TH}.” Tri-County Ledger, {B}. Accessed 6 Dec. 2021.",
         "(“Council Approves”)",
         f"Tri-County Ledger. “{TH}.” Accessed December 6, 2021. {U}.",
         f"“{TH},” Tri-County Ledger, accessed December 6, 2021, {U}.",
         "“Council Approves.”"),
    Case("year-month", art("Maria Lindqvist", when="2016-09"),
         f"Lindqvist, M. (2016, September). {T}. Tri-County Ledger. {U}",  # APA 9.14
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “{TH}.” Tri-County Ledger, Sept. 2016, {B}.",  # MLA 9: Sept. abbreviated
         "(Lindqvist)",
         f"Lindqvist, Maria. “{TH}.” Tri-County Ledger, September 2016. {U}.",
         f"Maria Lindqvist, “{TH},” Tri-County Ledger, September 2016, {U}.",
         "Lindqvist, “Council Approves.”"),
    Case("year-only", art("Maria Lindqvist", when="2016"),
         f"Lindqvist, M. (2016). {T}. Tri-County Ledger. {U}",
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “{TH}.” Tri-County Ledger, 2016, {B}.",
         "(Lindqvist)",
         f"Lindqvist, Maria. “{TH}.” Tri-County Ledger, 2016. {U}.",
         f"Maria Lindqvist, “{TH},” Tri-County Ledger, 2016, {U}.",
         "Lindqvist, “Council Approves.”"),
    Case("june-not-abbreviated", art("Maria Lindqvist", when="2016-06-30"),
         f"Lindqvist, M. (2016, June 30). {T}. Tri-County Ledger. {U}",
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “{TH}.” Tri-County Ledger, 30 June 2016, {B}.",  # MLA: June, July in full
         "(Lindqvist)",
         f"Lindqvist, Maria. “{TH}.” Tri-County Ledger, June 30, 2016. {U}.",
         f"Maria Lindqvist, “{TH},” Tri-County Ledger, June 30, 2016, {U}.",
         "Lindqvist, “Council Approves.”"),
    # --- group authors, outlets in bylines ------------------------------------------------------
    Case("agency-author", art("Associated Press"),
         f"Associated Press. (2016, March 4). {T}. Tri-County Ledger. {U}",  # APA 9.11: group author
         "(Associated Press, 2016)",
         f"Associated Press. “{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Associated Press)",
         f"Associated Press. “{TH}.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Associated Press, “{TH},” Tri-County Ledger, March 4, 2016, {U}.",
         "Associated Press, “Council Approves.”"),
    Case("byline-is-the-outlet", art("Reuters", source="Reuters", url="https://www.reuters.com/a1"),
         f"Reuters. (2016, March 4). {T}. https://www.reuters.com/a1",  # APA 10.16: site = author, left out; title italic
         "(Reuters, 2016)",
         f"“{TH}.” Reuters, 4 Mar. 2016, www.reuters.com/a1.",  # MLA 5.6: organisation that publishes it: title first
         "(“Council Approves”)",
         f"Reuters. “{TH}.” March 4, 2016. https://www.reuters.com/a1.",  # CMOS 14.207: unsigned
         f"“{TH},” Reuters, March 4, 2016, https://www.reuters.com/a1.",  # CMOS 14.207
         "“Council Approves.”"),
    Case("outlet-read-as-person", art("Usa Today", source="USA TODAY", url="https://www.usatoday.com/a1"),
         f"USA Today. (2016, March 4). {T}. https://www.usatoday.com/a1",  # not "Today, U."
         "(USA Today, 2016)",
         f"“{TH}.” USA Today, 4 Mar. 2016, www.usatoday.com/a1.",
         "(“Council Approves”)",
         f"USA Today. “{TH}.” March 4, 2016. https://www.usatoday.com/a1.",
         f"“{TH},” USA Today, March 4, 2016, https://www.usatoday.com/a1.",
         "“Council Approves.”"),
    Case("staff-byline-spelled-as-outlet", art("Cnn Staff", source="CNN (Web News)", url="https://www.cnn.com/a1"),
         f"CNN Staff. (2016, March 4). {T}. CNN. https://www.cnn.com/a1",  # the outlet's spelling, not "Cnn"
         "(CNN Staff, 2016)",
         f"CNN Staff. “{TH}.” CNN, 4 Mar. 2016, www.cnn.com/a1.",
         "(CNN Staff)",
         f"CNN Staff. “{TH}.” CNN, March 4, 2016. https://www.cnn.com/a1.",
         f"CNN Staff, “{TH},” CNN, March 4, 2016, https://www.cnn.com/a1.",
         "CNN Staff, “Council Approves.”"),
    Case("editorial-board", art("Editorial Board"),
         f"Editorial Board. (2016, March 4). {T}. Tri-County Ledger. {U}",
         "(Editorial Board, 2016)",
         f"Editorial Board. “{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Editorial Board)",
         f"Editorial Board. “{TH}.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Editorial Board, “{TH},” Tri-County Ledger, March 4, 2016, {U}.",
         "Editorial Board, “Council Approves.”"),
    Case("person-and-agency", art("Maria Lindqvist, Associated Press"),
         f"Lindqvist, M., & Associated Press. (2016, March 4). {T}. Tri-County Ledger. {U}",
         "(Lindqvist & Associated Press, 2016)",
         f"Lindqvist, Maria, and Associated Press. “{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Lindqvist and Associated Press)",
         f"Lindqvist, Maria, and Associated Press. “{TH}.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Maria Lindqvist and Associated Press, “{TH},” Tri-County Ledger, March 4, 2016, {U}.",
         "Lindqvist and Associated Press, “Council Approves.”"),
    # --- roles, publishers, stray marks in bylines (not persons: left out) ---------------------
    Case("role-after-name", art("John Q. Avery, Cnn Contributor", source="CNN (Web News)", url="https://www.cnn.com/a1"),
         f"Avery, J. Q. (2016, March 4). {T}. CNN. https://www.cnn.com/a1",  # not "& Contributor, C."
         "(Avery, 2016)",
         f"Avery, John Q. “{TH}.” CNN, 4 Mar. 2016, www.cnn.com/a1.",
         "(Avery)",
         f"Avery, John Q. “{TH}.” CNN, March 4, 2016. https://www.cnn.com/a1.",
         f"John Q. Avery, “{TH},” CNN, March 4, 2016, https://www.cnn.com/a1.",
         "Avery, “Council Approves.”"),
    Case("role-with-at", art("Dana Roe, Contributing Writer At"),
         f"Roe, D. (2016, March 4). {T}. Tri-County Ledger. {U}",
         "(Roe, 2016)",
         f"Roe, Dana. “{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Roe)",
         f"Roe, Dana. “{TH}.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Dana Roe, “{TH},” Tri-County Ledger, March 4, 2016, {U}.",
         "Roe, “Council Approves.”"),
    Case("role-only", art("Political Reporter"),  # no person named: unsigned (CMOS 14.207)
         f"{T}. (2016, March 4). Tri-County Ledger. {U}",
         "(“Council Approves,” 2016)",
         f"“{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(“Council Approves”)",
         f"Tri-County Ledger. “{TH}.” March 4, 2016. {U}.",
         f"“{TH},” Tri-County Ledger, March 4, 2016, {U}.",
         "“Council Approves.”"),
    Case("publisher-in-byline", art("Condé Nast, Lena Fischer", source="Vanity Fair", url="https://www.vanityfair.com/a1"),
         f"Fischer, L. (2016, March 4). {T}. Vanity Fair. https://www.vanityfair.com/a1",  # not "Nast, C."
         "(Fischer, 2016)",
         f"Fischer, Lena. “{TH}.” Vanity Fair, 4 Mar. 2016, www.vanityfair.com/a1.",
         "(Fischer)",
         f"Fischer, Lena. “{TH}.” Vanity Fair, March 4, 2016. https://www.vanityfair.com/a1.",
         f"Lena Fischer, “{TH},” Vanity Fair, March 4, 2016, https://www.vanityfair.com/a1.",
         "Fischer, “Council Approves.”"),
    Case("stray-quote-marks", art('"Cora OBrine", Guy Penn'),
         f"OBrine, C., & Penn, G. (2016, March 4). {T}. Tri-County Ledger. {U}",  # not 'OBrine", C.'
         "(OBrine & Penn, 2016)",
         f"OBrine, Cora, and Guy Penn. “{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(OBrine and Penn)",
         f"OBrine, Cora, and Guy Penn. “{TH}.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Cora OBrine and Guy Penn, “{TH},” Tri-County Ledger, March 4, 2016, {U}.",
         "OBrine and Penn, “Council Approves.”"),
    Case("email-in-byline", art("Sam Ode sam.ode@example.com"),
         f"Ode, S. (2016, March 4). {T}. Tri-County Ledger. {U}",
         "(Ode, 2016)",
         f"Ode, Sam. “{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Ode)",
         f"Ode, Sam. “{TH}.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Sam Ode, “{TH},” Tri-County Ledger, March 4, 2016, {U}.",
         "Ode, “Council Approves.”"),
    Case("by-prefix-and-honorific", art("By Dr. Maria Lindqvist"),  # all three manuals omit "Dr."
         f"Lindqvist, M. (2016, March 4). {T}. Tri-County Ledger. {U}",
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Lindqvist)",
         f"Lindqvist, Maria. “{TH}.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Maria Lindqvist, “{TH},” Tri-County Ledger, March 4, 2016, {U}.",
         "Lindqvist, “Council Approves.”"),
    # --- names: initials, suffixes, non-ASCII -------------------------------------------------
    Case("initials-unspaced", art("R.J. Okafor"),
         f"Okafor, R. J. (2016, March 4). {T}. Tri-County Ledger. {U}",  # APA 9.8: spaced
         "(Okafor, 2016)",
         f"Okafor, R. J. “{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",  # MLA: spaced; one period closes
         "(Okafor)",
         f"Okafor, R. J. “{TH}.” Tri-County Ledger, March 4, 2016. {U}.",  # CMOS 10.12: spaced
         f"R. J. Okafor, “{TH},” Tri-County Ledger, March 4, 2016, {U}.",
         "Okafor, “Council Approves.”"),
    Case("initial-without-period", art("Dana K Whitfield"),
         f"Whitfield, D. K. (2016, March 4). {T}. Tri-County Ledger. {U}",
         "(Whitfield, 2016)",
         f"Whitfield, Dana K. “{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Whitfield)",
         f"Whitfield, Dana K. “{TH}.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Dana K. Whitfield, “{TH},” Tri-County Ledger, March 4, 2016, {U}.",
         "Whitfield, “Council Approves.”"),
    Case("hyphenated-given-name", art("Jean-Luc Moreau"),
         f"Moreau, J.-L. (2016, March 4). {T}. Tri-County Ledger. {U}",  # APA 9.8: hyphen kept
         "(Moreau, 2016)",
         f"Moreau, Jean-Luc. “{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Moreau)",
         f"Moreau, Jean-Luc. “{TH}.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Jean-Luc Moreau, “{TH},” Tri-County Ledger, March 4, 2016, {U}.",
         "Moreau, “Council Approves.”"),
    Case("suffix", art("Robert Hale Jr."),
         f"Hale, R., Jr. (2016, March 4). {T}. Tri-County Ledger. {U}",  # APA 9.8: suffix after initials
         "(Hale, 2016)",
         f"Hale, Robert, Jr. “{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",  # MLA: name, Jr.
         "(Hale)",
         f"Hale, Robert, Jr. “{TH}.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Robert Hale Jr., “{TH},” Tri-County Ledger, March 4, 2016, {U}.",  # CMOS 6.43: no comma before Jr.
         "Hale, “Council Approves.”"),
    Case("non-ascii-names", art("Łukasz Wójcik, Søren Ågård"),
         f"Wójcik, Ł., & Ågård, S. (2016, March 4). {T}. Tri-County Ledger. {U}",
         "(Wójcik & Ågård, 2016)",
         f"Wójcik, Łukasz, and Søren Ågård. “{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Wójcik and Ågård)",
         f"Wójcik, Łukasz, and Søren Ågård. “{TH}.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Łukasz Wójcik and Søren Ågård, “{TH},” Tri-County Ledger, March 4, 2016, {U}.",
         "Wójcik and Ågård, “Council Approves.”"),
    Case("apostrophe-in-name", art("Ciara O'Dowd"),
         f"O’Dowd, C. (2016, March 4). {T}. Tri-County Ledger. {U}",
         "(O’Dowd, 2016)",
         f"O’Dowd, Ciara. “{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(O’Dowd)",
         f"O’Dowd, Ciara. “{TH}.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Ciara O’Dowd, “{TH},” Tri-County Ledger, March 4, 2016, {U}.",
         "O’Dowd, “Council Approves.”"),
    Case("single-name", art("Banksy"),
         f"Banksy. (2016, March 4). {T}. Tri-County Ledger. {U}",
         "(Banksy, 2016)",
         f"Banksy. “{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Banksy)",
         f"Banksy. “{TH}.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Banksy, “{TH},” Tri-County Ledger, March 4, 2016, {U}.",
         "Banksy, “Council Approves.”"),
]

TITLE_CASES = [
    # --- quotation marks in titles (APA 6.7, CMOS 6.9, MLA 6.4: double outside, single inside) ----
    Case("headline-quote-single", art("Maria Lindqvist", title="Mayor: Budget Is 'Dead on Arrival'"),
         f"Lindqvist, M. (2016, March 4). Mayor: Budget Is “Dead on Arrival.” Tri-County Ledger. {U}",
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “Mayor: Budget Is ‘Dead on Arrival.’” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Lindqvist)",
         f"Lindqvist, Maria. “Mayor: Budget Is ‘Dead on Arrival.’” Tri-County Ledger, March 4, 2016. {U}.",
         f"Maria Lindqvist, “Mayor: Budget Is ‘Dead on Arrival,’” Tri-County Ledger, March 4, 2016, {U}.",
         "Lindqvist, “Mayor.”"),  # CMOS 14.30: the main title, without the subtitle
    Case("headline-begins-with-quote", art(None, title='"We will not back down": Strikers hold the line'),
         f"“We will not back down”: Strikers hold the line. (2016, March 4). Tri-County Ledger. {U}",
         "(“‘We Will Not Back Down,’” 2016)",  # APA 6.17 title case; comma inside both marks
         f"“‘We Will Not Back Down’: Strikers Hold the Line.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(“‘We Will Not Back Down’”)",
         f"Tri-County Ledger. “‘We Will Not Back Down’: Strikers Hold the Line.” March 4, 2016. {U}.",
         f"“‘We Will Not Back Down’: Strikers Hold the Line,” Tri-County Ledger, March 4, 2016, {U}.",
         "“‘We Will Not Back Down.’”"),  # never cut a quotation open
    Case("curly-quotes-inside", art("Maria Lindqvist", title="Why the “quiet” vote matters"),
         f"Lindqvist, M. (2016, March 4). Why the “quiet” vote matters. Tri-County Ledger. {U}",
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “Why the ‘Quiet’ Vote Matters.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Lindqvist)",
         f"Lindqvist, Maria. “Why the ‘Quiet’ Vote Matters.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Maria Lindqvist, “Why the ‘Quiet’ Vote Matters,” Tri-County Ledger, March 4, 2016, {U}.",
         "Lindqvist, “Why the ‘Quiet.’”"),  # not "Why the"; period inside both marks (CMOS 6.9)
    Case("quote-then-question", art(None, title='Is the mayor "out of touch"?'),
         f"Is the mayor “out of touch”? (2016, March 4). Tri-County Ledger. {U}",
         "(“Is the Mayor,” 2016)",  # short title: two words, extended past "the"
         f"“Is the Mayor ‘Out of Touch’?” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(“Is the Mayor”)",
         f"Tri-County Ledger. “Is the Mayor ‘Out of Touch’?” March 4, 2016. {U}.",
         f"“Is the Mayor ‘Out of Touch’?” Tri-County Ledger, March 4, 2016, {U}.",  # CMOS 6.119
         "“Is the Mayor.”"),
    Case("apostrophes-not-quotes", art("Maria Lindqvist", title="Voters' anger: 'We won't wait' for the council"),
         f"Lindqvist, M. (2016, March 4). Voters’ anger: “We won’t wait” for the council. Tri-County Ledger. {U}",
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “Voters’ Anger: ‘We Won’t Wait’ for the Council.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Lindqvist)",
         f"Lindqvist, Maria. “Voters’ Anger: ‘We Won’t Wait’ for the Council.” Tri-County Ledger, March 4, "
         f"2016. {U}.",
         f"Maria Lindqvist, “Voters’ Anger: ‘We Won’t Wait’ for the Council,” Tri-County Ledger, March 4, 2016, {U}.",
         "Lindqvist, “Voters’ Anger.”"),
    Case("question-title", art("Maria Lindqvist", title="Is the bridge safe?"),
         f"Lindqvist, M. (2016, March 4). Is the bridge safe? Tri-County Ledger. {U}",  # no period after "?"
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “Is the Bridge Safe?” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Lindqvist)",
         f"Lindqvist, Maria. “Is the Bridge Safe?” Tri-County Ledger, March 4, 2016. {U}.",
         f"Maria Lindqvist, “Is the Bridge Safe?” Tri-County Ledger, March 4, 2016, {U}.",  # CMOS 6.119
         "Lindqvist, “Is the Bridge Safe?”"),
    Case("question-authorless", art(None, title="Is the bridge safe?"),
         f"Is the bridge safe? (2016, March 4). Tri-County Ledger. {U}",
         "(“Is the Bridge Safe?” 2016)",
         f"“Is the Bridge Safe?” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(“Is the Bridge Safe?”)",
         f"Tri-County Ledger. “Is the Bridge Safe?” March 4, 2016. {U}.",
         f"“Is the Bridge Safe?” Tri-County Ledger, March 4, 2016, {U}.",
         "“Is the Bridge Safe?”"),
    Case("exclamation", art("Maria Lindqvist", title="Snow at last!"),
         f"Lindqvist, M. (2016, March 4). Snow at last! Tri-County Ledger. {U}",
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “Snow at Last!” Tri-County Ledger, 4 Mar. 2016, {B}.",  # last word up
         "(Lindqvist)",
         f"Lindqvist, Maria. “Snow at Last!” Tri-County Ledger, March 4, 2016. {U}.",
         f"Maria Lindqvist, “Snow at Last!” Tri-County Ledger, March 4, 2016, {U}.",
         "Lindqvist, “Snow at Last!”"),
    # --- capitals (CMOS 8.159, MLA 1.2; APA 6.17 for in-text titles) ---------------------------
    Case("sentence-case-headline", art(None, title="Why does the council keep missing deadlines?"),
         f"Why does the council keep missing deadlines? (2016, March 4). Tri-County Ledger. {U}",  # as published
         "(“Why Does the Council,” 2016)",  # not "Why does": never ends on an auxiliary or article
         f"“Why Does the Council Keep Missing Deadlines?” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(“Why Does the Council”)",
         f"Tri-County Ledger. “Why Does the Council Keep Missing Deadlines?” March 4, 2016. {U}.",
         f"“Why Does the Council Keep Missing Deadlines?” Tri-County Ledger, March 4, 2016, {U}.",
         "“Why Does the Council.”"),
    Case("all-caps-headline", art("Maria Lindqvist", title="CITY HALL CLOSES FOR REPAIRS"),
         f"Lindqvist, M. (2016, March 4). City Hall Closes for Repairs. Tri-County Ledger. {U}",
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “City Hall Closes for Repairs.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Lindqvist)",
         f"Lindqvist, Maria. “City Hall Closes for Repairs.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Maria Lindqvist, “City Hall Closes for Repairs,” Tri-County Ledger, March 4, 2016, {U}.",
         "Lindqvist, “City Hall.”"),
    Case("all-caps-with-acronyms", art(None, title="FBI AND U.N. TRADE BLAME OVER ISIS LEAK"),
         f"FBI and U.N. Trade Blame Over ISIS Leak. (2016, March 4). Tri-County Ledger. {U}",  # APA: "Over" 4 letters
         "(“FBI and U.N.,” 2016)",  # extended past "and", a conjunction
         f"“FBI and U.N. Trade Blame Over ISIS Leak.” Tri-County Ledger, 4 Mar. 2016, {B}.",  # "over": adverb-or-prep, kept up
         "(“FBI and U.N.”)",
         f"Tri-County Ledger. “FBI and U.N. Trade Blame Over ISIS Leak.” March 4, 2016. {U}.",
         f"“FBI and U.N. Trade Blame Over ISIS Leak,” Tri-County Ledger, March 4, 2016, {U}.",
         "“FBI and U.N.”"),  # the period of U.N. ends the note too
    Case("capitals-kept", art("Maria Lindqvist", title="U.N. envoy meets ISIS defectors in Iraq"),
         f"Lindqvist, M. (2016, March 4). U.N. envoy meets ISIS defectors in Iraq. Tri-County Ledger. {U}",
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “U.N. Envoy Meets ISIS Defectors in Iraq.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Lindqvist)",
         f"Lindqvist, Maria. “U.N. Envoy Meets ISIS Defectors in Iraq.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Maria Lindqvist, “U.N. Envoy Meets ISIS Defectors in Iraq,” Tri-County Ledger, March 4, 2016, {U}.",
         "Lindqvist, “U.N. Envoy.”"),
    Case("inner-capitals-kept", art("Maria Lindqvist", title="iPhone sales slump as McConnell weighs tariff"),
         f"Lindqvist, M. (2016, March 4). iPhone sales slump as McConnell weighs tariff. Tri-County Ledger. {U}",
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “iPhone Sales Slump as McConnell Weighs Tariff.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Lindqvist)",
         f"Lindqvist, Maria. “iPhone Sales Slump as McConnell Weighs Tariff.” Tri-County Ledger, March 4, "
         f"2016. {U}.",
         f"Maria Lindqvist, “iPhone Sales Slump as McConnell Weighs Tariff,” Tri-County Ledger, March 4, 2016, {U}.",
         "Lindqvist, “iPhone Sales.”"),
    Case("hyphenated-compounds", art(None, title="Self-driving buses and anti-inflation plans"),
         f"Self-driving buses and anti-inflation plans. (2016, March 4). Tri-County Ledger. {U}",
         "(“Self-Driving Buses,” 2016)",  # APA 6.17: both parts of a compound up
         f"“Self-Driving Buses and Anti-inflation Plans.” Tri-County Ledger, 4 Mar. 2016, {B}.",  # CMOS 8.161: prefix
         "(“Self-Driving Buses”)",
         f"Tri-County Ledger. “Self-Driving Buses and Anti-inflation Plans.” March 4, 2016. {U}.",
         f"“Self-Driving Buses and Anti-inflation Plans,” Tri-County Ledger, March 4, 2016, {U}.",
         "“Self-Driving Buses.”"),
    Case("long-preposition-lowercase", art(None, title="Talks Stall Between Unions"),
         f"Talks Stall Between Unions. (2016, March 4). Tri-County Ledger. {U}",
         "(“Talks Stall Between Unions,” 2016)",  # APA 6.17: words of four letters or more up
         f"“Talks Stall between Unions.” Tri-County Ledger, 4 Mar. 2016, {B}.",  # CMOS 8.159 rule 3, MLA 1.2
         "(“Talks Stall between Unions”)",
         f"Tri-County Ledger. “Talks Stall between Unions.” March 4, 2016. {U}.",
         f"“Talks Stall between Unions,” Tri-County Ledger, March 4, 2016, {U}.",
         "“Talks Stall between Unions.”"),
    Case("word-after-colon", art("Maria Lindqvist", title="Budget vote: a look at the numbers"),
         f"Lindqvist, M. (2016, March 4). Budget vote: a look at the numbers. Tri-County Ledger. {U}",
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “Budget Vote: A Look at the Numbers.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Lindqvist)",
         f"Lindqvist, Maria. “Budget Vote: A Look at the Numbers.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Maria Lindqvist, “Budget Vote: A Look at the Numbers,” Tri-County Ledger, March 4, 2016, {U}.",
         "Lindqvist, “Budget Vote.”"),
    Case("last-word-preposition", art(None, title="What the mayor is fighting for"),
         f"What the mayor is fighting for. (2016, March 4). Tri-County Ledger. {U}",
         "(“What the Mayor,” 2016)",
         f"“What the Mayor Is Fighting For.” Tri-County Ledger, 4 Mar. 2016, {B}.",  # last word up; "Is" a verb
         "(“What the Mayor”)",
         f"Tri-County Ledger. “What the Mayor Is Fighting For.” March 4, 2016. {U}.",
         f"“What the Mayor Is Fighting For,” Tri-County Ledger, March 4, 2016, {U}.",
         "“What the Mayor.”"),
    Case("leading-article-dropped", art("Maria Lindqvist", title="The State of the County Address"),
         f"Lindqvist, M. (2016, March 4). The State of the County Address. Tri-County Ledger. {U}",
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “The State of the County Address.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Lindqvist)",
         f"Lindqvist, Maria. “The State of the County Address.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Maria Lindqvist, “The State of the County Address,” Tri-County Ledger, March 4, 2016, {U}.",
         "Lindqvist, “State of the County.”"),  # CMOS 14.30: initial "The" omitted, no dangling "the"
    Case("must-not-end-on-auxiliary", art(None, title="U.N. must act now on water"),
         f"U.N. must act now on water. (2016, March 4). Tri-County Ledger. {U}",
         "(“U.N. Must Act,” 2016)",  # not "U.N. Must"
         f"“U.N. Must Act Now on Water.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(“U.N. Must Act”)",
         f"Tri-County Ledger. “U.N. Must Act Now on Water.” March 4, 2016. {U}.",
         f"“U.N. Must Act Now on Water,” Tri-County Ledger, March 4, 2016, {U}.",
         "“U.N. Must Act.”"),
    Case("dash-subtitle", art("Maria Lindqvist", title="Rivers rise — and so do fears downstream"),
         f"Lindqvist, M. (2016, March 4). Rivers rise — and so do fears downstream. Tri-County Ledger. {U}",
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “Rivers Rise — And So Do Fears Downstream.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Lindqvist)",
         f"Lindqvist, Maria. “Rivers Rise — And So Do Fears Downstream.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Maria Lindqvist, “Rivers Rise — And So Do Fears Downstream,” Tri-County Ledger, March 4, 2016, {U}.",
         "Lindqvist, “Rivers Rise.”"),
    Case("possessive", art("Maria Lindqvist", title="The mayor's last stand"),
         f"Lindqvist, M. (2016, March 4). The mayor’s last stand. Tri-County Ledger. {U}",
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “The Mayor’s Last Stand.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Lindqvist)",
         f"Lindqvist, Maria. “The Mayor’s Last Stand.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Maria Lindqvist, “The Mayor’s Last Stand,” Tri-County Ledger, March 4, 2016, {U}.",
         "Lindqvist, “Mayor’s Last Stand.”"),
]

SOURCE_CASES = [
    # --- publications: the table of outlets, labels, missing source or address ------------------
    Case("label-online-news", art("Maria Lindqvist", source="NPR Online News", url="https://www.npr.org/a1"),
         f"Lindqvist, M. (2016, March 4). {T}. NPR. https://www.npr.org/a1",
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “{TH}.” NPR, 4 Mar. 2016, www.npr.org/a1.",
         "(Lindqvist)",
         f"Lindqvist, Maria. “{TH}.” NPR, March 4, 2016. https://www.npr.org/a1.",
         f"Maria Lindqvist, “{TH},” NPR, March 4, 2016, https://www.npr.org/a1.",
         "Lindqvist, “Council Approves.”"),
    Case("label-fox-online", art("Maria Lindqvist", source="Fox Online News", url="https://www.foxnews.com/a1"),
         f"Lindqvist, M. (2016, March 4). {T}. Fox News. https://www.foxnews.com/a1",
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “{TH}.” Fox News, 4 Mar. 2016, www.foxnews.com/a1.",
         "(Lindqvist)",
         f"Lindqvist, Maria. “{TH}.” Fox News, March 4, 2016. https://www.foxnews.com/a1.",
         f"Maria Lindqvist, “{TH},” Fox News, March 4, 2016, https://www.foxnews.com/a1.",
         "Lindqvist, “Council Approves.”"),
    Case("label-guest-writer", art("Maria Lindqvist", source="Guest Writer - Right",
                                   url="https://www.nationalreview.com/a1"),
         f"Lindqvist, M. (2016, March 4). {T}. National Review. https://www.nationalreview.com/a1",
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “{TH}.” National Review, 4 Mar. 2016, www.nationalreview.com/a1.",
         "(Lindqvist)",
         f"Lindqvist, Maria. “{TH}.” National Review, March 4, 2016. https://www.nationalreview.com/a1.",
         f"Maria Lindqvist, “{TH},” National Review, March 4, 2016, https://www.nationalreview.com/a1.",
         "Lindqvist, “Council Approves.”"),
    Case("label-is-the-columnist", art("Harriet M. Vance", source="Harriet Vance", url="https://townhall.com/a1"),
         f"Vance, H. M. (2016, March 4). {T}. Townhall. https://townhall.com/a1",
         "(Vance, 2016)",
         f"Vance, Harriet M. “{TH}.” Townhall, 4 Mar. 2016, townhall.com/a1.",
         "(Vance)",
         f"Vance, Harriet M. “{TH}.” Townhall, March 4, 2016. https://townhall.com/a1.",
         f"Harriet M. Vance, “{TH},” Townhall, March 4, 2016, https://townhall.com/a1.",
         "Vance, “Council Approves.”"),
    Case("label-section-suffix", art("Maria Lindqvist", source="Tri-County Ledger - Opinion"),
         f"Lindqvist, M. (2016, March 4). {T}. Tri-County Ledger. {U}",
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “{TH}.” Tri-County Ledger, 4 Mar. 2016, {B}.",
         "(Lindqvist)",
         f"Lindqvist, Maria. “{TH}.” Tri-County Ledger, March 4, 2016. {U}.",
         f"Maria Lindqvist, “{TH},” Tri-County Ledger, March 4, 2016, {U}.",
         "Lindqvist, “Council Approves.”"),
    Case("no-source-known-host", art("Maria Lindqvist", source=None, url="https://www.npr.org/a1"),
         f"Lindqvist, M. (2016, March 4). {T}. NPR. https://www.npr.org/a1",
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “{TH}.” NPR, 4 Mar. 2016, www.npr.org/a1.",
         "(Lindqvist)",
         f"Lindqvist, Maria. “{TH}.” NPR, March 4, 2016. https://www.npr.org/a1.",
         f"Maria Lindqvist, “{TH},” NPR, March 4, 2016, https://www.npr.org/a1.",
         "Lindqvist, “Council Approves.”"),
    Case("no-source-unknown-host", art("Maria Lindqvist", source=None, url="https://blog.example.net/p"),
         f"Lindqvist, M. (2016, March 4). {T}. https://blog.example.net/p",  # APA 10.16: italic title (plain here)
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “{TH}.” 4 Mar. 2016, blog.example.net/p.",
         "(Lindqvist)",
         f"Lindqvist, Maria. “{TH}.” March 4, 2016. https://blog.example.net/p.",
         f"Maria Lindqvist, “{TH},” March 4, 2016, https://blog.example.net/p.",
         "Lindqvist, “Council Approves.”"),
    Case("no-address", art("Maria Lindqvist", url=None),
         f"Lindqvist, M. (2016, March 4). {T}. Tri-County Ledger.",
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “{TH}.” Tri-County Ledger, 4 Mar. 2016.",
         "(Lindqvist)",
         f"Lindqvist, Maria. “{TH}.” Tri-County Ledger, March 4, 2016.",
         f"Maria Lindqvist, “{TH},” Tri-County Ledger, March 4, 2016.",
         "Lindqvist, “Council Approves.”"),
    Case("no-source-no-address", art("Maria Lindqvist", source=None, url=None),
         f"Lindqvist, M. (2016, March 4). {T}.",
         "(Lindqvist, 2016)",
         f"Lindqvist, Maria. “{TH}.” 4 Mar. 2016.",
         "(Lindqvist)",
         f"Lindqvist, Maria. “{TH}.” March 4, 2016.",
         f"Maria Lindqvist, “{TH},” March 4, 2016.",
         "Lindqvist, “Council Approves.”"),
    Case("authorless-no-source", art(None, source=None, url="https://blog.example.net/p"),
         f"{T}. (2016, March 4). https://blog.example.net/p",  # APA 10.16: the (italic) title first
         "(Council Approves, 2016)",  # APA 8.14: an italic title stays italic (plain here)
         f"“{TH}.” 4 Mar. 2016, blog.example.net/p.",
         "(“Council Approves”)",
         f"“{TH}.” March 4, 2016. https://blog.example.net/p.",
         f"“{TH},” March 4, 2016, https://blog.example.net/p.",
         "“Council Approves.”"),
    Case("nothing-but-a-title", art(None, source=None, when=None, url=None),
         f"{T}. (n.d.).",
         "(Council Approves, n.d.)",
         f"“{TH}.” Accessed 6 Dec. 2021.",
         "(“Council Approves”)",
         f"“{TH}.” Accessed December 6, 2021.",
         f"“{TH},” accessed December 6, 2021.",
         "“Council Approves.”"),
]

ALL = CASES + TITLE_CASES + SOURCE_CASES


def test_the_set_is_large_enough_and_its_names_unique():
    assert len(ALL) >= 60 and len({case.id for case in ALL}) == len(ALL)


@pytest.mark.parametrize("case", ALL, ids=[case.id for case in ALL])
def test_golden(case: Case):
    got = {
        "apa": reference(case.article, "apa", today=TODAY),
        "apa_in": in_text(case.article, "apa"),
        "mla": reference(case.article, "mla", today=TODAY),
        "mla_in": in_text(case.article, "mla"),
        "chicago": reference(case.article, "chicago", today=TODAY),
        "note": reference(case.article, "chicago-note", today=TODAY),
        "short": in_text(case.article, "chicago"),
    }
    expected = {key: getattr(case, key) for key in got}
    assert got == expected
