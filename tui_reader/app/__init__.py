"""The Textual front end: the app, its main screen, widgets and dialogs."""
