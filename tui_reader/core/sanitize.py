"""Untrusted text in, safe text out: no terminal control sequence survives.

Article text comes from files a user did not write. Anything that a terminal would act on
(escape sequences, C0/C1 controls, bell, backspace, carriage return) is removed here, once,
at the door, so that every later consumer (the store, the index, the app, the CLI) handles
plain text only.
"""

from __future__ import annotations

import re
import unicodedata

# ESC-initiated sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC strings (ESC ] ... BEL or ST),
# and two-character escapes (ESC followed by one byte). 8-bit C1 forms are handled the same way.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?                      # CSI
  | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)  # OSC, DCS, SOS, PM, APC
  | \x1b[ -~]?                                              # other ESC sequences, lone ESC
    """,
    re.VERBOSE | re.DOTALL,
)
# Every remaining C0 and C1 control except newline and tab; DEL too.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ESCAPE_START = re.compile(r"[\x1b\x90-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SPACES = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")


def strip_controls(text: str) -> str:
    """Remove terminal escape sequences and control characters, keeping newlines and tabs."""
    # Line and paragraph separators break lines in a terminal as a newline does: make them one.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    if _ESCAPE_START.search(text):  # most text has none: skip the costly pattern then
        text = _ESCAPE_SEQUENCE.sub("", text)
    return replace_surrogates(_CONTROL.sub("", text))


def replace_surrogates(text: str) -> str:
    """Text with each lone surrogate (from JSON escapes such as "\\ud800") as U+FFFD: they cannot be
    stored as UTF-8 or printed."""
    try:
        text.encode("utf-8")  # in C, many times faster than the search it saves on clean text
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def has_controls(text: str) -> bool:
    """True when text holds a control character other than newline and tab (or an escape)."""
    return _CONTROL.search(text) is not None or "\x1b" in text


def clean_line(text: str | None) -> str:
    """Safe single-line text (titles, names, tags): controls out, runs of white space as one space."""
    if not text:
        return ""
    return _SPACES.sub(" ", strip_controls(unicodedata.normalize("NFC", text))).strip()


def clean_body(text: str | None) -> str:
    """Safe multi-line text: controls out, lines stripped on the right, paragraphs kept apart by one blank line."""
    if not text:
        return ""
    text = strip_controls(unicodedata.normalize("NFC", text)).replace("\t", "    ")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip("\n")


def is_safe(text: str) -> bool:
    """True when text holds no control character but newline and tab."""
    return not has_controls(text) and "\r" not in text
