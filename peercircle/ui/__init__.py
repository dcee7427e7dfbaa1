"""Qt widgets: the main window shell, one sub-package per screen, models and dialogs."""
