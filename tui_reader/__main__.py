"""`python -m tui_reader` runs the same command as `newsreader`."""

from tui_reader.cli import main

raise SystemExit(main())
