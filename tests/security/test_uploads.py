"""A malicious file (ASVS V12): a workbook that unpacks to gigabytes is
refused before it is unpacked; a script disguised as a text paper is stored
under a random name inside the data folder and only ever downloaded, never
rendered as a page."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tsunagari.accounts.models import Staff
from tsunagari.council import services as council
from tsunagari.lib.intake import Rejected, read_table
from tsunagari.lib.intake.excel import MAX_UNZIPPED


def _bomb(unpacked: int) -> bytes:
    """A small .xlsx-looking zip whose one sheet unpacks to ``unpacked`` bytes of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            left = unpacked
            while left > 0:
                member.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
    return out.getvalue()


def test_a_workbook_that_unpacks_past_the_limit_is_refused_before_unpacking() -> None:
    data = _bomb(MAX_UNZIPPED + (1 << 20))
    assert len(data) < 2 * 1024 * 1024  # a couple of megabytes on the wire
    with pytest.raises(Rejected) as refused:
        read_table(data, name="responses.xlsx")
    assert "unpacks to more than" in str(refused.value.problem.reason)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


SCRIPT = (
    b"<html><body><script>fetch('/api/me').then(r=>r.text()).then(alert)</script></body></html>"
)


def test_a_script_disguised_as_a_text_paper_is_only_ever_a_download(
    personas: dict[str, Staff], media: Path
) -> None:
    # given a council paper named to climb out of the upload folder, holding a page with a script
    doc = council.upload_document(
        personas["planner"], SimpleUploadedFile("../../../settings.py/../x.txt", SCRIPT)
    )
    # then it is stored under a random name inside the data folder's media
    stored = Path(doc.file.path).resolve()
    assert stored.is_relative_to(media.resolve())
    assert stored.parent == (media / "council" / "documents").resolve()
    assert "settings" not in stored.name and ".." not in doc.file.name
    # and served as an attachment of our own type, not sniffable, in a sandbox without scripts
    client = Client()
    client.force_login(personas["planner"])
    response = client.get(f"/council/documents/{doc.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"].startswith("text/plain")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", SCRIPT),  # a page calling itself a PDF
        ("report.html", SCRIPT),  # a page as itself
        ("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
        ("tool.exe", b"MZ\x90\x00"),
        ("notes.txt", b"MZ\x90\x00\x03\x00\x00\x00"),  # binary under a text name
    ],
)
def test_a_file_whose_content_is_not_an_accepted_paper_is_refused(
    personas: dict[str, Staff], media: Path, name: str, data: bytes
) -> None:
    with pytest.raises(council.CouncilError):
        council.upload_document(personas["planner"], SimpleUploadedFile(name, data))
    assert not any(media.rglob("*.*"))
