"""Copying text to the system clipboard without ever hanging the caller, and saying "copied" only when it was.

pyperclip chooses the clipboard mechanism the system has (xclip, xsel, wl-copy, pbcopy, clip.exe, or an
API on Windows and macOS). For the programs it runs, pyperclip ignores the exit status: xclip without an
X display prints "Can't open display" and exits 1, and pyperclip reports success. So the program pyperclip
chose is run here instead, and its exit status and error output decide. Some programs hang (an X server
that never answers, a Wayland compositor gone away), so every copy runs in a daemon thread with a time
limit. Where it fails, the caller falls back to the terminal's own clipboard (OSC 52), which the app
sends through Textual.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass

from tui_reader.core.sanitize import clean_line

INSTALL_HINT = "install xclip, xsel or wl-clipboard for the system clipboard"

# pyperclip's copy function (by name) -> the program it runs and the encoding it feeds it, as pyperclip does.
PROGRAMS: dict[str, tuple[list[str], str]] = {
    "copy_xclip": (["xclip", "-selection", "c"], "utf-8"),
    "copy_xsel": (["xsel", "-b", "-i"], "utf-8"),
    "copy_wl": (["wl-copy"], "utf-8"),
    "copy_osx_pbcopy": (["pbcopy", "w"], "utf-8"),
    "copy_wsl": (["clip.exe"], "utf-16le"),
}


@dataclass(frozen=True)
class SystemCopy:
    """What became of a copy to the system clipboard."""

    ok: bool
    reason: str = ""  # why it failed, for the user
    missing: bool = False  # no clipboard program at all: installing one would help


def copy_to_system(text: str, timeout: float = 2.0) -> SystemCopy:
    """Put text on the system clipboard, giving up after timeout seconds; ok only if the program said so.

    NEWSREADER_CLIPBOARD=terminal skips the system clipboard entirely (tests set it, so that
    no test ever touches the real clipboard of the machine it runs on).
    """
    if os.environ.get("NEWSREADER_CLIPBOARD", "").lower() == "terminal":
        return SystemCopy(False, "the system clipboard is turned off (NEWSREADER_CLIPBOARD=terminal)")
    outcome: list[SystemCopy] = []

    def attempt() -> None:
        try:
            outcome.append(_copy(text, timeout))
        except Exception as error:  # pyperclip raises PyperclipException and, from its programs, OSErrors
            outcome.append(_failure(error))

    worker = threading.Thread(target=attempt, name="clipboard", daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        return SystemCopy(False, f"the clipboard program did not answer within {timeout:g} s")
    return outcome[0]


def _copy(text: str, timeout: float) -> SystemCopy:
    """Copy with the mechanism pyperclip chooses: its program run and checked here, or its own function."""
    import pyperclip

    copy: Callable[[str], None] = pyperclip.determine_clipboard()[0]
    program = PROGRAMS.get(getattr(copy, "__name__", ""))
    if program is None:  # an API (Windows, macOS with pyobjc, Qt) that raises when it fails, or none at all
        copy(text)
        return SystemCopy(True)
    command, encoding = program
    return run_program(command, text.encode(encoding), timeout)


def run_program(command: list[str], data: bytes, timeout: float) -> SystemCopy:
    """Feed data to a clipboard program; ok when it exits 0 within timeout seconds.

    Its error output goes to a file, not a pipe: xclip and wl-copy leave a child behind that owns the
    selection and keeps the inherited descriptors open, so reading a pipe to its end would wait for
    that child (until something else is copied). Only the program itself is waited for."""
    name = command[0]
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors,
                                       close_fds=True)
        except OSError as error:
            return SystemCopy(False, f"{name} could not be started: {error.strerror or error}")
        try:
            process.communicate(input=data, timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            return SystemCopy(False, f"the clipboard program did not answer within {timeout:g} s")
        if process.returncode == 0:
            return SystemCopy(True)
        errors.seek(0)
        said = clean_line(errors.read(4096).decode("utf-8", "replace").split("\n")[0])[:120]
        status = f"exit status {process.returncode}"
        return SystemCopy(False, f"{name} failed ({said}; {status})" if said else f"{name} failed ({status})")


def _failure(error: Exception) -> SystemCopy:
    """A failed copy, with a short reason."""
    text = clean_line(str(error).split("\n")[0])
    if "could not find a copy/paste mechanism" in text.lower() or not text:
        return SystemCopy(False, "no clipboard program found", missing=True)
    return SystemCopy(False, text[:120])
