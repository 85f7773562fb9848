"""The command palette: every action of the main screen by name, read from its bindings, and a filter
for every tag in the library."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.dom import DOMNode
from textual.fuzzy import Matcher

from tui_reader.app.dialogs.help_screen import shown_keys
from tui_reader.app.main_screen import MainScreen
from tui_reader.app.reading.passages_panel import PassagesPanel

Command = tuple[str, str, Callable[[], object]]  # name, help, what it does


class ReaderCommands(Provider):
    """Offers the main screen's actions (search, sort, tag, cite, import, help, quit...), the passages
    panel's while it is shown, and "Filter by tag: NAME" for each tag."""

    def _commands(self) -> list[Command]:
        """The commands for the screen the palette was opened on; nothing on other screens."""
        screen = self.screen
        if not isinstance(screen, MainScreen):
            return []
        found = self._from_bindings(screen, MainScreen.BINDINGS)
        panel = screen.query_one(PassagesPanel)
        if panel.display:
            found += self._from_bindings(panel, PassagesPanel.BINDINGS)
        for tag, count in screen.tag_counts:
            found.append((f"Filter by tag: {tag}", f"{count:,} {'passage' if count == 1 else 'passages'}",
                          partial(screen.filter_by_tag, tag)))
        return found

    def _from_bindings(self, node: DOMNode, bindings: Sequence[BindingType]) -> list[Command]:
        """(name, keys, action) for each action bound on a node."""
        found: dict[str, Command] = {}
        for binding in Binding.make_bindings(bindings):
            if binding.action not in found:
                keys = ", ".join(shown_keys(self.app, binding, self.screen.settings.keys))
                found[binding.action] = (binding.tooltip or binding.description, f"key: {keys}",
                                         partial(node.run_action, binding.action))
        return list(found.values())

    async def discover(self) -> Hits:
        """All commands, before anything is typed."""
        for name, help_text, callback in self._commands():
            # Content, not str: the palette reads strings as markup, and tag names are the user's text.
            yield DiscoveryHit(Content(name), callback, text=name, help=Content(help_text))

    async def search(self, query: str) -> Hits:
        """Commands whose names match what is typed."""
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, _highlight(matcher, name), callback, text=name, help=Content(help_text))


def _highlight(matcher: Matcher, name: str) -> Content:
    """The name as literal text, the letters that matched marked (Matcher.highlight would read markup)."""
    content = Content(name)
    _, offsets = matcher.fuzzy_search.match(matcher.query, name)
    for offset in offsets:
        if not name[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
