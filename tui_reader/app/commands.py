"""The command palette: every action of the main screen by name, read from its bindings."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui_reader.app.help_screen import shown_keys
from tui_reader.app.main_screen import MainScreen


class ReaderCommands(Provider):
    """Offers the main screen's actions (search, sort, open, hits, help, quit...) by name."""

    def _commands(self) -> list[tuple[str, str, str]]:
        """(name, key, action) for each of the main screen's bindings; nothing on other screens."""
        if not isinstance(self.screen, MainScreen):
            return []
        found: dict[str, tuple[str, str, str]] = {}
        for binding in Binding.make_bindings(MainScreen.BINDINGS):
            name = binding.tooltip or binding.description
            if binding.action not in found:
                keys = ", ".join(shown_keys(self.app, binding, self.screen.settings.keys))
                found[binding.action] = (name, keys, binding.action)
        return list(found.values())

    async def discover(self) -> Hits:
        """All commands, before anything is typed."""
        for name, key, action in self._commands():
            yield DiscoveryHit(name, partial(self.screen.run_action, action), help=f"key: {key}")

    async def search(self, query: str) -> Hits:
        """Commands whose names match what is typed."""
        matcher = self.matcher(query)
        for name, key, action in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self.screen.run_action, action), help=f"key: {key}")
