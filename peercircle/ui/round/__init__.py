"""The sharing round on screen: the talking-stick view, the presenter view and the dialogs."""
