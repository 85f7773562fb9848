"""Citations to the clipboard: a copy that can never freeze the app (the style picker is in dialogs/style.py)."""

from __future__ import annotations

from textual.dom import DOMNode

from tui_reader.clipboard import INSTALL_HINT, SystemCopy, copy_to_system

SHOWN_LENGTH = 200  # characters of the copied text repeated in the notification


def copy_text(node: DOMNode, text: str, timeout: float, title: str = "Copied") -> None:
    """Copy text through the terminal at once (OSC 52) and to the system clipboard off the UI thread,
    then say which way it went; a clipboard program that hangs costs a worker thread, never the app."""
    app = node.app
    # Always OSC 52 as well: it reaches the user's own machine over SSH, where the system clipboard
    # of this one is of no use, and it fills app.clipboard for whoever reads it (tests, ctrl+v).
    app.copy_to_clipboard(text)

    def attempt() -> None:
        outcome = copy_to_system(text, timeout)
        app.call_from_thread(app.notify, copy_message(text, outcome), title=title, markup=False,
                             severity="information" if outcome.ok else "warning")

    node.run_worker(attempt, thread=True, group="clipboard", exit_on_error=False)


def copy_message(text: str, outcome: SystemCopy) -> str:
    """What the notification says: where the text went, and the text itself (shortened)."""
    if outcome.ok:
        where = "Copied to the system clipboard"
    else:  # the terminal's copy (OSC 52) was sent in any case: say that is where the text went, and why
        hint = f"; {INSTALL_HINT}" if outcome.missing else ""
        where = f"Copied through the terminal (OSC 52), not to the system clipboard — {outcome.reason}{hint}"
    shown = " ".join(text.split())
    if len(shown) > SHOWN_LENGTH:
        shown = shown[: SHOWN_LENGTH - 1] + "…"
    return f"{where}:\n{shown}"
