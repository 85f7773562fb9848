"""The system clipboard never hangs or crashes a copy; failures say why."""

import threading

import pyperclip
import pytest

from tui_reader.clipboard import copy_to_system


@pytest.fixture(autouse=True)
def system_clipboard_allowed(monkeypatch):
    monkeypatch.delenv("NEWSREADER_CLIPBOARD", raising=False)


def test_a_working_clipboard_receives_the_text(monkeypatch):
    received = []
    monkeypatch.setattr(pyperclip, "copy", received.append)
    assert copy_to_system("“quoted” text").ok and received == ["“quoted” text"]


def test_a_missing_clipboard_program_is_reported(monkeypatch):
    def missing(text):
        raise pyperclip.PyperclipException("Pyperclip could not find a copy/paste mechanism for your system.")
    monkeypatch.setattr(pyperclip, "copy", missing)
    result = copy_to_system("x")
    assert not result.ok and result.reason == "no clipboard program found"


def test_a_hanging_clipboard_program_is_abandoned_after_the_time_limit(monkeypatch):
    release, finished = threading.Event(), []

    def hang(text):
        release.wait(30)
        finished.append(text)

    monkeypatch.setattr(pyperclip, "copy", hang)
    result = copy_to_system("x", timeout=0.2)
    assert finished == []  # the copy came back while the program was still hanging
    release.set()
    assert not result.ok and "did not answer within 0.2 s" in result.reason


def test_the_environment_can_turn_the_system_clipboard_off(monkeypatch):
    monkeypatch.setenv("NEWSREADER_CLIPBOARD", "terminal")
    monkeypatch.setattr(pyperclip, "copy", lambda text: pytest.fail("the system clipboard was used"))
    assert not copy_to_system("x").ok
