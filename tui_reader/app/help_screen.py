"""The help screen moved to app/dialogs/help_screen.py; commands.py still imports shown_keys from here.
Delete this module once it imports from the new place."""

from tui_reader.app.dialogs.help_screen import shown_keys

__all__ = ["shown_keys"]
