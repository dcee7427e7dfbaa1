"""The resource library screen, its editor, and the chooser for a group's handout."""
