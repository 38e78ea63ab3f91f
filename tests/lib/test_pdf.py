"""The one HTML-to-PDF helper: a PDF, or a clear refusal when WeasyPrint is missing."""

from __future__ import annotations

import builtins
from typing import Any

import pytest

from tsunagari.lib import pdf

pytestmark = pytest.mark.nodb


def test_without_weasyprint_it_refuses_with_the_message_the_pages_translate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_import = builtins.__import__

    def no_weasyprint(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    with pytest.raises(pdf.PdfUnavailable) as refused:
        pdf.pdf_from_html("<p>x</p>")
    assert str(refused.value) == pdf.MISSING and "WeasyPrint" in pdf.MISSING
