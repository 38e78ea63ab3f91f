"""HTML to PDF for every printed document (reports, letters, rosters). No Django import.

WeasyPrint and its system libraries are optional: without them the pages say
so (503) and everything else works.
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    """Mark ``message`` as a msgid for the catalogue; the page translates it."""
    return message


#: The refusal's text, a msgid: pages show ``gettext(str(exc))``.
MISSING = gettext_noop("PDF を作るには WeasyPrint が必要です（pip install weasyprint）。")


class PdfUnavailable(RuntimeError):
    """WeasyPrint (and its system libraries) are not installed."""


def pdf_from_html(html: str) -> bytes:
    """The PDF of a rendered page (fonts: Debian's fonts-noto-cjk for Japanese).

    Raises:
        PdfUnavailable: WeasyPrint cannot be imported; ``str()`` is ``MISSING``.
    """
    try:
        from weasyprint import HTML  # type: ignore[import-untyped, unused-ignore]
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(MISSING) from exc
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
