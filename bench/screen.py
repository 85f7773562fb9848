"""Reading newsreader's screen as tmux prints it: the list's first row, the status line, the reader's text.

The list is the box whose top-left corner starts a line; the reader is everything right of that box.
"""

from __future__ import annotations

import re

from tui_reader.app.search_bar import PLACEHOLDER

TITLE_CHARS = 30  # titles are cut to the list's width: compare their starts
_BOX = str.maketrans("", "", "│╭╮╰╯─")


def _list_box(lines: list[str]) -> tuple[int, int] | None:
    """(line, column) of the list box's top-right corner, or None before the list is drawn."""
    for number, line in enumerate(lines):
        if line.startswith("╭") and "╮" in line:
            return number, line.index("╮")
    return None


def first_row(lines: list[str]) -> str:
    """The text of the list's first line: the first row's title ("" when not drawn)."""
    box = _list_box(lines)
    if box is None or box[0] + 1 >= len(lines):
        return ""
    top, right = box
    return lines[top + 1][1:right].strip()


def shows_first(lines: list[str], title: str | None) -> bool:
    """Whether the list's first row is this title (None: the list says there are no matches)."""
    if title is None:
        return no_matches(lines)
    start = title[:TITLE_CHARS].strip()
    return bool(start) and first_row(lines).startswith(start)


def no_matches(lines: list[str]) -> bool:
    """Whether the list says that nothing matched."""
    box = _list_box(lines)
    return box is not None and any("No matches" in line[: box[1]] for line in lines[box[0] : box[0] + 4])


def field_empty(lines: list[str]) -> bool:
    """Whether the search field shows its placeholder (the field is the first box on screen)."""
    return len(lines) > 1 and PLACEHOLDER[:20] in lines[1]


def footer(lines: list[str]) -> str:
    """The footer: the keys of the focused widget, which tells where the focus is."""
    filled = [line for line in lines if line.strip()]
    return filled[-1] if filled else ""


def field_focused(lines: list[str]) -> bool:
    """Whether the search field has the focus (its enter key is "To the list")."""
    return "To the list" in footer(lines)


def list_focused(lines: list[str]) -> bool:
    """Whether the article list has the focus (its enter key is "Read")."""
    return "Read" in footer(lines)


def status(lines: list[str]) -> str:
    """The status line under the search field (just above the list)."""
    box = _list_box(lines)
    return lines[box[0] - 1].strip() if box and box[0] else ""


def reader_text(lines: list[str]) -> str:
    """Everything right of the list, borders removed, white space collapsed to single spaces."""
    box = _list_box(lines)
    if box is None:
        return ""
    right = box[1] + 1
    return " ".join(" ".join(line[right:].translate(_BOX) for line in lines[box[0] :]).split())


def opening(body: str, words: int = 6) -> str:
    """The first words of a text, as reader_text would show them."""
    return " ".join(body.split()[:words])


def title_words(title: str, count: int = 4) -> list[str]:
    """Some plain words of a title (4+ letters, so no stop word or operator) to find it by."""
    return [word.lower() for word in re.findall(r"[A-Za-z]{4,}", title)][:count]
