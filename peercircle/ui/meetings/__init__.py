"""Meetings: the list, check-in and attendance history."""
