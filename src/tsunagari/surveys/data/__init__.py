"""Data files shipped with the survey module (national results for comparison)."""
