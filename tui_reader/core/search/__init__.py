"""Full-text search over Whoosh: every use of Whoosh, its internals included, lives in this package.

analysis (terms, positions, schema), query (what a user types -> a query), matchers (phrases, day
ranges, newest first), codec (posting blocks), fixes (Whoosh's own matchers corrected), index (the
index of one library) and highlight (where the words are in a text).
"""

from tui_reader.core.search.highlight import Highlighter
from tui_reader.core.search.index import Hit, IndexBusy, IndexUnreadable, Results, SearchIndex
from tui_reader.core.search.query import FIELDS, QueryError, feed_query, parse, ranks, tag_query

__all__ = ["FIELDS", "Highlighter", "Hit", "IndexBusy", "IndexUnreadable", "QueryError", "Results", "SearchIndex", "feed_query", "parse", "ranks", "tag_query"]
