"""The one shape of an action's refusal of input. No Django import."""

from __future__ import annotations


class FieldErrors(Exception):
    """Input that cannot be saved; ``errors`` maps field -> what to fix. Nothing was written.

    Each app's action raises its own subclass (``PersonError``,
    ``ConsentError``, ``IntakeError``, ``CaseError``), so callers catch the
    app's error while pages and API read ``errors`` the same way.

    Example:
        >>> FieldErrors({"name": "氏名を入力してください。"}).errors["name"]
        '氏名を入力してください。'
    """

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
