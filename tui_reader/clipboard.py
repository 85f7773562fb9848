"""Copying text to the system clipboard without ever hanging the caller.

pyperclip drives whatever clipboard program the system has (xclip, xsel, wl-copy, pbcopy…).
Some of those hang (an X server that never answers, a Wayland compositor gone away), so the
copy runs in a daemon thread with a time limit. Where it fails, the caller falls back to the
terminal's own clipboard (OSC 52), which the app sends through Textual.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass

INSTALL_HINT = "install xclip, xsel or wl-clipboard for the system clipboard"


@dataclass(frozen=True)
class SystemCopy:
    """What became of a copy to the system clipboard."""

    ok: bool
    reason: str = ""  # why it failed, for the user


def copy_to_system(text: str, timeout: float = 2.0) -> SystemCopy:
    """Put text on the system clipboard with pyperclip, giving up after timeout seconds.

    NEWSREADER_CLIPBOARD=terminal skips the system clipboard entirely (tests set it, so that
    no test ever touches the real clipboard of the machine it runs on).
    """
    if os.environ.get("NEWSREADER_CLIPBOARD", "").lower() == "terminal":
        return SystemCopy(False, "the system clipboard is turned off (NEWSREADER_CLIPBOARD=terminal)")
    outcome: list[SystemCopy] = []

    def attempt() -> None:
        try:
            import pyperclip

            pyperclip.copy(text)
            outcome.append(SystemCopy(True))
        except Exception as error:  # pyperclip raises PyperclipException and, from its programs, OSErrors
            outcome.append(SystemCopy(False, _reason(error)))

    worker = threading.Thread(target=attempt, name="clipboard", daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        return SystemCopy(False, f"the clipboard program did not answer within {timeout:g} s")
    return outcome[0]


def _reason(error: Exception) -> str:
    """A short reason for a failed copy."""
    text = str(error).split("\n")[0].strip()
    if "could not find a copy/paste mechanism" in text.lower() or not text:
        return "no clipboard program found"
    return text[:120]
