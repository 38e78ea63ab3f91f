"""Awareness (direction 10-1): awareness activities and their reach, without names."""
