"""Groups: the sidebar list model and the group editor dialog."""
