"""Tsunagari (つながり): a ward's comprehensive, multi-layered welfare support platform."""

__version__ = "0.1.0"
