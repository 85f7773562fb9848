"""Dates as articles give them (ISO, US, RFC 2822, "June 13, 2012"...) -> ISO dates, or a reason."""

from __future__ import annotations

import calendar
import datetime
import re

from tui_reader.core.sanitize import clean_line

_SHOWN_CHARS = 60  # how much of a bad value a message quotes

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name[:3]: number for name, number in _MONTHS.items()} | {"sept": 9}
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)  # as in RFC 2822
_TIME = r"(?:[\sT]+\d{1,2}:\d{2}.*)?"  # a time after the date: allowed, then ignored
_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})" + _TIME + r")?)?")
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})" + _TIME)
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})" + _TIME, re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + _TIME, re.IGNORECASE)
_MONTH_YEAR = re.compile(r"([a-z]+)\.?,?\s+(\d{4})", re.IGNORECASE)
_STORED = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")  # what normalize_date returns


def iso_parts(text: str | None) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of a stored ISO date (YYYY, YYYY-MM or YYYY-MM-DD), month and day None
    where absent; None for anything else or an impossible date. The index, the query parser and
    the citations all read dates through this one function."""
    match = _STORED.fullmatch(text.strip()) if text else None
    if not match:
        return None
    year, month, day = int(match[1]), _int(match[2]), _int(match[3])
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        return None
    return year, month, day


def normalize_date(text: str | None) -> str | None:
    """ISO YYYY-MM-DD (or YYYY-MM, YYYY if that is all) from common date forms; ValueError if impossible or unknown."""
    if text is None or not text.strip():
        return None
    parts = _date_parts(_WEEKDAY.sub("", text.strip(), count=1))
    if parts is None:
        raise ValueError(f"{_quoted(text)} is not in a date format newsreader reads (such as 2019-02-28)")
    year, month, day = parts
    try:
        datetime.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        raise ValueError(f"{_quoted(text)} is not a real date") from None
    return f"{year:04d}" + ("" if month is None else f"-{month:02d}") + ("" if day is None else f"-{day:02d}")


def _date_parts(text: str) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) read from one of the known forms, month and day None if absent; None if none fits."""
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
        return int(year), _int(month), _int(day)
    if match := _US.fullmatch(text):
        month, day, year = match.groups()
        return int(year), int(month), int(day)
    for pattern, day_group, month_group in ((_DAY_MONTH_YEAR, 1, 2), (_MONTH_DAY_YEAR, 2, 1)):
        match = pattern.fullmatch(text)
        if match and match.group(month_group).lower() in _MONTHS:
            return int(match.group(3)), _MONTHS[match.group(month_group).lower()], int(match.group(day_group))
    match = _MONTH_YEAR.fullmatch(text)
    if match and match.group(1).lower() in _MONTHS:
        return int(match.group(2)), _MONTHS[match.group(1).lower()], None
    return None


def _int(digits: str | None) -> int | None:
    """An int from optional digits."""
    return int(digits) if digits is not None else None


def _quoted(value: str) -> str:
    """A value quoted for a message, shortened if long."""
    value = clean_line(value.encode("utf-8", "replace").decode("utf-8"))
    return f"'{value}'" if len(value) <= _SHOWN_CHARS else f"'{value[: _SHOWN_CHARS - 1]}…'"
