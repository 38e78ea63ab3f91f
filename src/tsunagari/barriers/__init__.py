"""Accessible places (direction 7-1): barrier reports from residents and their handling."""
