"""The Textual app: settings, theme and keymap, the library, and the main screen."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode

from tui_reader import locations
from tui_reader import settings as settings_file
from tui_reader.app.article_list import ArticleList
from tui_reader.app.dialogs.style import StylePicker
from tui_reader.app.commands import ReaderCommands
from tui_reader.app.dialogs.add_link import AddLinkDialog
from tui_reader.app.dialogs.feeds_screen import FeedsScreen
from tui_reader.app.dialogs.help_screen import HelpScreen
from tui_reader.app.dialogs.import_dialog import ImportDialog
from tui_reader.app.keymap import Place, check_keymap
from tui_reader.app.main_screen import MainScreen
from tui_reader.app.reading.passages_panel import PassagesPanel
from tui_reader.app.search_bar import QueryInput
from tui_reader.app.dialogs.tag_dialog import TagDialog
from tui_reader.app.dialogs.tags_screen import TagsScreen
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
        source = settings_file.display_name(locations.config_file())
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        else:
            themes = ", ".join(sorted(self.available_themes))
            self.problems.append(f"{source}: theme = {settings_file.shown_value(self.settings.theme)} is not "
                                 f"a theme (choose from {themes}); using {self.theme}")
        keymap, problems = check_keymap(self.settings.keys, binding_places(), source)
        self.problems += problems
        # The keys in force, for the help and the palette; the file keeps what the user wrote (save never
        # removes an entry), so that a clash can be mended there.
        self.settings = replace(self.settings, keys=keymap)
        self.set_keymap(keymap)
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


def binding_places() -> list[Place]:
    """Every set of bindings that is active together, named for messages: what a keymap can change."""
    classes = [("app (everywhere)", NewsReaderApp), ("main screen", MainScreen), ("article list", ArticleList),
               ("search bar", QueryInput), ("passages panel", PassagesPanel), ("citation style list", StylePicker),
               ("help screen", HelpScreen), ("import dialog", ImportDialog), ("tag dialog", TagDialog),
               ("tags list", TagsScreen), ("feeds view", FeedsScreen), ("add-a-link dialog", AddLinkDialog)]
    return [(name, inherited_bindings(cls)) for name, cls in classes]


def inherited_bindings(cls: type[DOMNode]) -> list[BindingType]:
    """A class's BINDINGS with those of the classes it extends, merged as Textual merges them (a key bound
    in a subclass replaces the parent's binding of it): Textual's own DOMNode._merge_bindings does it."""
    return [binding for bindings in cls._merge_bindings().key_to_bindings.values() for binding in bindings]


def run(home: str | None = None) -> int:
    """Run the reader on the library at home (else $NEWSREADER_HOME or the data folder); the exit status."""
    app = NewsReaderApp(home)
    app.run()
    return app.return_code or 0
