"""The roster screen: table model, filter proxy, view and member dialog."""
