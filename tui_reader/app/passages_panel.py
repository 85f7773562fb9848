"""The passages panel moved to app/reading/passages_panel.py; commands.py still imports it from here.
Delete this module once it imports from the new place."""

from tui_reader.app.reading.passages_panel import PassagesPanel

__all__ = ["PassagesPanel"]
