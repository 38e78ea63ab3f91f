"""Tsunagari (つながり): a ward's comprehensive, multi-layered welfare support platform."""

import os

__version__ = "0.1.0"

# openpyxl parses workbooks with lxml whenever lxml is installed, and only
# otherwise with defusedxml, which refuses entity declarations with a clear
# reason (lib.intake.excel). Workbooks are read the same way whatever else is
# on the server, unless OPENPYXL_LXML is set on purpose (and then they are
# not read at all: see lib.intake.excel._require_defused_xml).
os.environ.setdefault("OPENPYXL_LXML", "False")
