"""A third, independent generator of department extracts with ground truth.

Run `python bench/thirdgen/generate.py --help`; see README.md.
"""
