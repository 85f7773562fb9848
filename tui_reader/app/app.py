"""The Textual app: settings, theme and keymap, the library, and the main screen."""

from __future__ import annotations

from rich.text import Text
from textual.app import App
from textual.binding import Binding

from tui_reader import settings as settings_file
from tui_reader.app.commands import ReaderCommands
from tui_reader.app.main_screen import MainScreen
from tui_reader.core.library import Library
from tui_reader.settings import Settings


class NewsReaderApp(App[None]):
    """newsreader's terminal front end."""

    CSS_PATH = "newsreader.tcss"
    TITLE = "newsreader"
    COMMANDS = App.COMMANDS | {ReaderCommands}
    # Textual's own ctrl+q, given an id (so a keymap can move it) and the plain name the help lists.
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit_app")]

    def __init__(self, home: str | None = None, settings: Settings | None = None) -> None:
        super().__init__()
        self.home = home
        self.problems: list[str] = []
        if settings is None:
            settings, self.problems = settings_file.load()
        self.settings = settings
        self.library: Library | None = None

    def on_mount(self) -> None:
        """Apply the settings, open the library and show the main screen."""
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        else:
            self.problems.append(f"unknown theme {self.settings.theme!r}; using {self.theme}")
        self.set_keymap(self.settings.keys)
        try:
            self.library = Library.open(self.home)
        except Exception as error:  # a library that cannot be opened ends the app with the reason
            self.exit(return_code=1, message=Text(f"newsreader: cannot open the library: {error}"))
            return
        for problem in self.problems:
            self.notify(problem, title="Settings", severity="warning", markup=False)
        self.push_screen(MainScreen(self.library, self.settings))

    def on_unmount(self) -> None:
        """Close the library's files."""
        if self.library is not None:
            self.library.close()


def run(home: str | None = None) -> int:
    """Run the reader on the library at home (else $NEWSREADER_HOME or the data folder); the exit status."""
    app = NewsReaderApp(home)
    app.run()
    return app.return_code or 0
