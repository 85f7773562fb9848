"""The add-a-link dialog: a web page's address typed or pasted, to be saved as an article."""

from __future__ import annotations

from urllib.parse import urlsplit

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui_reader.core.sanitize import clean_line


class AddLinkDialog(ModalScreen[list[str] | None]):
    """Asks for the address of a web page (or several, separated by spaces); enter saves them in the
    background, escape cancels. An address that is not http(s) is named here, and the dialog stays."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="add_link_cancel")]
    AUTO_FOCUS = "#link-address"

    def compose(self) -> ComposeResult:
        """Title, the address field, a line for what is wrong, the keys."""
        with Vertical(id="add-link-dialog"):
            yield Static(Content.styled("Add a link", "bold"))
            # A Static, not a Label: it wraps on a narrow terminal rather than lose its end.
            yield Static(Content("The address of a web page: its article is saved with its title, author and date"),
                         id="link-hint")
            yield Input(placeholder="https://example.com/news/story", id="link-address")
            yield Static(Content(""), id="link-problem")
            yield Static(Content("enter: save in the background   escape: cancel"), classes="dialog-keys")

    @on(Input.Submitted)
    def save(self, event: Input.Submitted) -> None:
        """Close with the addresses, unless one is missing or is not a web address."""
        urls, problem = check_links(event.value)
        if problem:
            self.query_one("#link-problem", Static).update(Content(problem))
            return
        self.dismiss(urls)

    @on(Input.Changed)
    def forget_problem(self) -> None:
        """The address is being mended: the old complaint no longer applies."""
        self.query_one("#link-problem", Static).update(Content(""))


def check_links(text: str) -> tuple[list[str], str]:
    """The addresses in what was typed or pasted (separated by white space), or what is wrong with them."""
    urls = list(dict.fromkeys(clean_line(text).split()))
    if not urls:
        return [], "Type or paste the address of a web page (http:// or https://)"
    for url in urls:
        if not is_web_address(url):
            shown = url if len(url) <= 60 else url[:59] + "…"
            return [], f"Not a web address: {shown} (it must start with http:// or https://)"
    return urls, ""


def is_web_address(url: str) -> bool:
    """Whether url is an http(s) address with a host: the only kind that can be fetched."""
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # a malformed port or IPv6 literal
        return False
