"""The Notes screen: a group's private notes, shown only while the vault is unlocked."""
