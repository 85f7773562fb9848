"""The fixed query set: every kind of the query syntax, each written once for newsreader and once as
a small tree from which the SQLite FTS5 and the substring-scan translations are made."""

from __future__ import annotations

from dataclasses import dataclass

TAG = "bench-syria"  # the tag the benchmark puts on a few passages so that tag: queries have hits
TAG_SEARCH = "Syria chemical weapons"  # which articles get tagged: the best hits of this search
TEXT_COLUMNS = ("title", "body")  # where a word without a field is looked for (as in newsreader)


@dataclass(frozen=True)
class Term:
    """A word, a phrase (several words) or a prefix, looked for in some columns."""

    text: str
    columns: tuple[str, ...] = TEXT_COLUMNS
    prefix: bool = False

    def fts(self) -> str:
        """FTS5: a column filter and a quoted phrase, or a prefix token."""
        target = self.columns[0] if len(self.columns) == 1 else "{" + " ".join(self.columns) + "}"
        phrase = self.text + "*" if self.prefix else '"' + self.text.replace('"', '""') + '"'
        return f"{target} : {phrase}"

    def scan(self) -> tuple[str, list[str]]:
        """The substring scan: column LIKE '%text%' in any of the columns (LIKE ignores ASCII case)."""
        sql = " OR ".join(f"{column} LIKE ?" for column in self.columns)
        return f"({sql})", [f"%{self.text}%"] * len(self.columns)

    def words(self) -> list[str]:
        """The plain words looked for (for the scan's excerpts)."""
        return [self.text]


@dataclass(frozen=True)
class Dates:
    """Articles dated from low to high, both inclusive, each a prefix of YYYY-MM-DD; a WHERE in SQLite."""

    low: str
    high: str

    def where(self) -> tuple[str, list[str]]:
        """date >= low and date <= high, where high covers every day it is a prefix of."""
        return "(date >= ? AND date <= ?)", [self.low, self.high + "\uffff"]


@dataclass(frozen=True)
class Not:
    """Articles without a match for the inner node (only inside All, as FTS5 needs)."""

    inner: Term


@dataclass(frozen=True)
class Any:
    """Articles matching at least one of the parts."""

    parts: tuple

    def fts(self) -> str:
        """FTS5 OR of the parts."""
        return "(" + " OR ".join(part.fts() for part in self.parts) + ")"

    def scan(self) -> tuple[str, list[str]]:
        """SQL OR of the parts."""
        sqls, params = zip(*(part.scan() for part in self.parts))
        return "(" + " OR ".join(sqls) + ")", [p for group in params for p in group]

    def words(self) -> list[str]:
        """The words of every part."""
        return [word for part in self.parts for word in part.words()]


@dataclass(frozen=True)
class All:
    """Articles matching every part; Not parts exclude, Dates parts filter."""

    parts: tuple


def fts_query(node) -> tuple[str | None, str, list[str]]:
    """A node as an FTS5 MATCH expression (None when only dates are asked for) and a date WHERE."""
    parts = node.parts if isinstance(node, All) else (node,)
    positive = [part.fts() for part in parts if isinstance(part, (Term, Any))]
    negative = [part.inner.fts() for part in parts if isinstance(part, Not)]
    match = " AND ".join(positive) if positive else None
    for expression in negative:  # FTS5's NOT is binary: "a NOT b"
        match = f"({match}) NOT ({expression})"
    return match, *_date_where(parts)


def scan_query(node) -> tuple[str, list[str]]:
    """A node as a WHERE clause of LIKE tests (and the date filter)."""
    parts = node.parts if isinstance(node, All) else (node,)
    sqls: list[str] = []
    params: list[str] = []
    for part in parts:
        if isinstance(part, Dates):
            sql, values = part.where()
        elif isinstance(part, Not):
            sql, values = part.inner.scan()
            sql = f"NOT {sql}"
        else:
            sql, values = part.scan()
        sqls.append(sql)
        params.extend(values)
    return " AND ".join(sqls), params


def scan_words(node) -> list[str]:
    """The words the scan's excerpts are cut around: those of the positive parts."""
    parts = node.parts if isinstance(node, All) else (node,)
    return [word for part in parts if isinstance(part, (Term, Any)) for word in part.words()]


def _date_where(parts: tuple) -> tuple[str, list[str]]:
    """The Dates parts as one WHERE clause ("" when there are none)."""
    wheres = [part.where() for part in parts if isinstance(part, Dates)]
    return " AND ".join(sql for sql, _ in wheres), [p for _, values in wheres for p in values]


@dataclass(frozen=True)
class BenchQuery:
    """One query of the set: its kind, what a user types in newsreader, and the tree for SQLite."""

    kind: str
    text: str
    tree: object


def _t(text: str, *columns: str, prefix: bool = False) -> Term:
    return Term(text, columns or TEXT_COLUMNS, prefix)


QUERIES = [
    BenchQuery("word", "immigration", _t("immigration")),
    BenchQuery("word", "Benghazi", _t("Benghazi")),
    BenchQuery("words", "health care costs", All((_t("health"), _t("care"), _t("costs")))),
    BenchQuery("words", "supreme court nominee", All((_t("supreme"), _t("court"), _t("nominee")))),
    BenchQuery("OR", "Syria OR Iraq", Any((_t("Syria"), _t("Iraq")))),
    BenchQuery("OR", "impeachment OR indictment", Any((_t("impeachment"), _t("indictment")))),
    BenchQuery("NOT", "Russia NOT Putin", All((_t("Russia"), Not(_t("Putin"))))),
    BenchQuery("-word", "tax -Trump", All((_t("tax"), Not(_t("Trump"))))),
    BenchQuery("phrase", '"climate change"', _t("climate change")),
    BenchQuery("phrase (3 words)", '"Affordable Care Act"', _t("Affordable Care Act")),
    BenchQuery("phrase (3 words)", '"national security adviser"', _t("national security adviser")),
    BenchQuery("prefix*", "immigr*", _t("immigr", prefix=True)),
    BenchQuery("prefix*", "econom*", _t("econom", prefix=True)),
    BenchQuery("title:", "title:shutdown", _t("shutdown", "title")),
    BenchQuery("author:", 'author:"Matt Vespa"', _t("Matt Vespa", "author")),
    BenchQuery("source:", "source:Reuters", _t("Reuters", "source")),
    BenchQuery("date:", "date:2015", All((Dates("2015", "2015"),))),
    BenchQuery("date:", "Obama date:2015", All((_t("Obama"), Dates("2015", "2015")))),
    BenchQuery("date:[range]", "Syria date:[2013-01 to 2014-06]", All((_t("Syria"), Dates("2013-01", "2014-06")))),
    BenchQuery("date:[range]", "debate date:[2016-09 to 2016-11]", All((_t("debate"), Dates("2016-09", "2016-11")))),
    BenchQuery("combination", 'title:Trump "border wall" -Mexico',
               All((_t("Trump", "title"), _t("border wall"), Not(_t("Mexico"))))),
    BenchQuery("combination", "source:CNN election date:[2016-01 to 2016-12]",
               All((_t("CNN", "source"), _t("election"), Dates("2016-01", "2016-12")))),
    BenchQuery("(parentheses)", "(Clinton OR Sanders) debate",
               All((Any((_t("Clinton"), _t("Sanders"))), _t("debate")))),
    BenchQuery("(parentheses)", "Iran (nuclear OR sanctions) NOT Israel",
               All((_t("Iran"), Any((_t("nuclear"), _t("sanctions"))), Not(_t("Israel"))))),
    BenchQuery("tag:", f"tag:{TAG}", _t(TAG, "tags")),
    BenchQuery("tag:", f"tag:{TAG} Assad", All((_t(TAG, "tags"), _t("Assad")))),
]

# Search as you type: typed a character at a time; the first ones whose top hit differs from the
# top hit of every shorter prefix are used, so that the screen tells which list is painted.
TYPED = [
    "benghazi attack", "tax reform", "obamacare repeal", "gun control", "border wall", "impeachment inquiry",
    "ebola", "iran deal", "paris agreement", "opioid crisis", "flint water", "mueller report", "brexit vote",
    "student loan debt", "minimum wage", "trade war", "ferguson protests", "fiscal cliff", "debt ceiling",
    "government shutdown", "fracking", "cuba embargo", "marijuana legalization", "north korea", "supreme court",
    "net neutrality", "federal reserve", "drone strikes",
]
