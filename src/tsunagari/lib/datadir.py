"""Where Tsunagari keeps its files when ``TSUNAGARI_DATA_DIR`` is not set.

No Django here: the ``tsunagari`` help page names the folder without loading
the settings (which would create it).
"""

from __future__ import annotations

import os
from pathlib import Path


def default_data_dir() -> Path:
    """The per-user data folder: ``$XDG_DATA_HOME/tsunagari``, else
    ``~/.local/share/tsunagari`` (the XDG base-directory rule; a relative
    ``XDG_DATA_HOME`` is ignored, as the rule says).

    Not the working directory: a command run in an analyst's folder must not
    leave a ``data/`` folder with a secret key behind.
    """
    xdg = os.environ.get("XDG_DATA_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / "tsunagari"


def data_dir() -> Path:
    """``TSUNAGARI_DATA_DIR`` when set (and not empty), else :func:`default_data_dir`."""
    configured = os.environ.get("TSUNAGARI_DATA_DIR", "")
    return Path(configured or default_data_dir()).expanduser().resolve()
