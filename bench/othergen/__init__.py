"""A second, independent generator of department extracts for the linkage benchmark.

Written from the linkage contract alone (no code or name lists shared with the
project's own generator or with the linker); see README.md in this folder.
"""
