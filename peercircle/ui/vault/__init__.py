"""The private notes vault in the window: locking, hiding, unlocking and its dialogs."""
