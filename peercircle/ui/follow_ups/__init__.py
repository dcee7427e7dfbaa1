"""The Follow-ups home screen: who to check in with and when, and suggestions for more."""
