"""The system clipboard never hangs or crashes a copy, and a copy counts only when the program says it worked.

The programs here are fakes on PATH (a DISPLAY is set so that pyperclip picks "xclip"): no test touches
the machine's real clipboard."""

import sys
import threading
from pathlib import Path

import pyperclip
import pytest

from tui_reader.clipboard import copy_to_system

CANT_OPEN_DISPLAY = "echo \"Error: Can't open display: \" >&2\nexit 1\n"


def _on_wsl() -> bool:
    try:
        return "microsoft" in Path("/proc/version").read_text().lower()
    except OSError:
        return False


# pyperclip picks xclip from PATH and DISPLAY on Linux only; elsewhere (and on WSL) it would pick the real one.
needs_linux = pytest.mark.skipif(sys.platform != "linux" or _on_wsl(), reason="pyperclip picks xclip only on Linux")


def fake_xclip(folder: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> Path:
    """A shell script named xclip, first on PATH, with an X display set and Wayland's unset, so that pyperclip
    chooses it; the system clipboard turned on for this test only."""
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / "xclip"
    program.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}:/usr/bin:/bin")
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("NEWSREADER_CLIPBOARD", raising=False)
    return program


@pytest.fixture(autouse=True)
def system_clipboard_allowed(monkeypatch):
    monkeypatch.delenv("NEWSREADER_CLIPBOARD", raising=False)


@needs_linux
def test_a_working_clipboard_program_receives_the_text(tmp_path, monkeypatch):
    received = tmp_path / "received"
    fake_xclip(tmp_path / "bin", monkeypatch, f'[ "$1 $2" = "-selection c" ] || exit 3\ncat > "{received}"\n')
    assert copy_to_system("“quoted” text").ok
    assert received.read_text(encoding="utf-8") == "“quoted” text"


@needs_linux
def test_a_clipboard_program_that_fails_is_not_a_copy(tmp_path, monkeypatch):
    fake_xclip(tmp_path / "bin", monkeypatch, CANT_OPEN_DISPLAY)
    result = copy_to_system("x")
    assert not result.ok and not result.missing
    assert result.reason == "xclip failed (Error: Can't open display:; exit status 1)"


@needs_linux
def test_a_failing_program_is_named_by_its_status_when_it_says_nothing(tmp_path, monkeypatch):
    fake_xclip(tmp_path / "bin", monkeypatch, "exit 4\n")
    assert copy_to_system("x").reason == "xclip failed (exit status 4)"


@needs_linux
def test_a_hanging_clipboard_program_is_abandoned_after_the_time_limit(tmp_path, monkeypatch):
    fake_xclip(tmp_path / "bin", monkeypatch, "exec sleep 30\n")
    result = copy_to_system("x", timeout=0.2)
    assert not result.ok and "did not answer within 0.2 s" in result.reason


@needs_linux
def test_a_missing_clipboard_program_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no program at all
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    result = copy_to_system("x")
    assert not result.ok and result.missing and result.reason == "no clipboard program found"


def test_a_hanging_clipboard_api_is_abandoned_after_the_time_limit(monkeypatch):
    release, finished = threading.Event(), []

    def copy_qt(text):  # an API pyperclip calls in-process, such as Qt's: only the thread's limit stops it
        release.wait(30)
        finished.append(text)

    monkeypatch.setattr(pyperclip, "determine_clipboard", lambda: (copy_qt, None))
    result = copy_to_system("x", timeout=0.2)
    assert finished == []  # the copy came back while the API was still hanging
    release.set()
    assert not result.ok and "did not answer within 0.2 s" in result.reason


def test_an_api_that_returns_is_a_copy(monkeypatch):
    received = []

    def copy_windows(text):
        received.append(text)

    monkeypatch.setattr(pyperclip, "determine_clipboard", lambda: (copy_windows, None))
    assert copy_to_system("x").ok and received == ["x"]


def test_the_environment_can_turn_the_system_clipboard_off(monkeypatch):
    monkeypatch.setenv("NEWSREADER_CLIPBOARD", "terminal")
    monkeypatch.setattr(pyperclip, "determine_clipboard", lambda: pytest.fail("the system clipboard was used"))
    assert not copy_to_system("x").ok
