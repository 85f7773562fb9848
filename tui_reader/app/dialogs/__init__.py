"""The modal screens: tagging a passage, the tags, the help, and the path of an import."""
