"""Screens for testing discovery: one that works, one whose layout fails, one that cannot import."""
