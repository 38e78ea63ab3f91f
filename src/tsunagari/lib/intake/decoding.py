"""Bytes in, text out: size limits and the encodings offices save files in.

Accepted: UTF-8 with or without BOM, and Shift_JIS as Excel saves it on a
Japanese PC (CP932). The rule: decode as UTF-8 strictly; if that fails and
nothing before the bad bytes shows the file to be UTF-8, decode as CP932
strictly; anything else is refused, naming the row and column of the first
bad bytes. A file is never read "as best we can" into mojibake.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tsunagari.lib.intake.problems import Problem, Rejected

__all__ = ["Decoded", "decode", "locate", "read_source", "to_utf8"]

BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Python's cp932 maps the bytes 0x80, 0xA0 and 0xFD–0xFF, which are no
# Shift_JIS character, to these code points instead of failing.
_NOT_SHIFT_JIS = re.compile("[\x80\uf8f0-\uf8f3]")

Source = str | os.PathLike[str] | bytes | IO[bytes]


@dataclass(frozen=True, slots=True)
class Decoded:
    """A file's text and the encoding it was read in ("utf-8", "utf-8-sig" or "cp932")."""

    text: str
    encoding: str


def _mb(size: int) -> str:
    return f"{size / 1_048_576:.1f}" if size < 10 * 1_048_576 else f"{size / 1_048_576:.0f}"


def too_big(file: str, size: int | None, limit: int) -> Problem:
    shown = f"{size / 1_048_576:.1f} MB" if size is not None else "more"
    return Problem(
        file,
        None,
        "",
        "",
        f"The file is {shown}; the limit is {_mb(limit)} MB. "
        "Split it into smaller files and import them one by one.",
        f"ファイルが大きすぎます（上限 {_mb(limit)} MB）。分割して1つずつ読み込んでください。",
    )


def read_source(source: Source, *, name: str | None = None, max_bytes: int) -> tuple[bytes, str]:
    """The bytes of a file given as a path, bytes or a binary file object, within a size limit.

    Args:
        source: a path, the file's bytes, or an open binary file (read from where it is).
        name: the file name shown in problems; by default the path's name, or "upload".
        max_bytes: the largest size accepted.

    Returns:
        ``(data, name)``.

    Raises:
        Rejected: the file cannot be read or is larger than ``max_bytes``.

    Example:
        >>> read_source(b"a,b\\n", name="x.csv", max_bytes=10)
        (b'a,b\\n', 'x.csv')
    """
    if isinstance(source, bytes):
        file = name or "upload"
        data = source
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        file = name or path.name
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise Rejected(too_big(file, size, max_bytes))
            data = path.read_bytes()
        except OSError as exc:
            raise Rejected(
                Problem(
                    file,
                    None,
                    "",
                    "",
                    f"cannot be read ({exc.strerror}); check the name and the folder",
                    f"読み取れません（{exc.strerror}）。ファイル名と場所を確かめてください。",
                )
            ) from None
    else:
        file = name or Path(str(getattr(source, "name", "") or "upload")).name
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise Rejected(too_big(file, len(data) if isinstance(source, bytes) else None, max_bytes))
    return data, file


def locate(prefix: str) -> tuple[int, int, list[str]]:
    """Where the text that follows ``prefix`` lies: (row, 0-based column, header).

    Rows are counted by record as a spreadsheet shows them (a quoted value
    spanning lines stays one row); the header is row 1.
    """
    # A sentinel keeps the last, possibly empty, record in the parse.
    records: list[list[str]] = []
    try:
        records = list(csv.reader(io.StringIO(prefix + "\x01", newline="")))
    except csv.Error:
        records = [line.split(",") for line in (prefix + "\x01").split("\n")]
    if not records:
        return 1, 0, []
    return len(records), len(records[-1]) - 1, records[0] if len(records) > 1 else []


def _problem_at(file: str, prefix: str, bad: bytes, reason: str, reason_ja: str) -> Problem:
    from tsunagari.lib.intake.tables import column_name

    row, index, header = locate(prefix)
    return Problem(file, row, column_name(header, index), repr(bad)[:40], reason, reason_ja)


def _nul(file: str, data: bytes, at: int) -> Problem:
    # Binary data: point at the first byte that is not text, NUL or not.
    # The BOM is cut first: a decode error's position counts from after it.
    body = data[3:at] if data.startswith(BOM) else data[:at]
    try:
        prefix = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = body[: exc.start].decode("utf-8")
    return _problem_at(
        file,
        prefix,
        b"\x00",
        "This is not a text CSV file (it contains binary data). "
        "Open it in Excel and save it as CSV UTF-8 or as an Excel workbook.",
        "バイナリデータ（NUL）が含まれています。CSV テキストではありません。"
        "Excel で開いて CSV（UTF-8）か Excel ブックで保存してください。",
    )


def decode(data: bytes, file: str) -> Decoded:
    """Decode a text file saved as UTF-8 (with or without BOM) or Shift_JIS (CP932).

    Args:
        data: the file's bytes.
        file: the name shown in problems.

    Returns:
        ``Decoded`` with the text (without BOM) and the encoding used.

    Raises:
        Rejected: NUL bytes (a binary file), UTF-16, bytes that are neither
            UTF-8 nor Shift_JIS, or a UTF-8 file with some bytes in another
            encoding; the problem names the row and column of the first bad bytes.

    Example:
        >>> decode("町名\\n豊洲\\n".encode("cp932"), "a.csv")
        Decoded(text='町名\\n豊洲\\n', encoding='cp932')
    """
    nul = data.find(b"\x00")
    if nul >= 0:
        raise Rejected(_nul(file, data, nul))
    if data.startswith(UTF16_BOMS):
        raise Rejected(
            Problem(
                file,
                1,
                "",
                "",
                "the file is UTF-16 text; save it as CSV UTF-8 (or CSV from Excel)",
                "UTF-16 のテキストです。CSV（UTF-8）か、Excel の「CSV（コンマ区切り）」で保存し直してください。",
            )
        )
    bom = data.startswith(BOM)
    body = memoryview(data)[3:] if bom else memoryview(data)
    try:
        return Decoded(str(body, "utf-8"), "utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    raw = bytes(body)
    line_start = raw.rfind(b"\n", 0, bad_at) + 1
    if bom or not raw[:line_start].isascii():
        # Earlier rows are UTF-8 with Japanese in them: the file is UTF-8 with
        # a value pasted in from elsewhere; reading it as Shift_JIS would turn
        # those rows into mojibake.
        raise Rejected(
            _problem_at(
                file,
                raw[:bad_at].decode("utf-8"),
                raw[bad_at : bad_at + 4],
                "bytes that are not UTF-8, in a file that is otherwise UTF-8; "
                "correct this value, or save the whole file again as CSV UTF-8",
                "UTF-8 でない文字があります（ほかの行は UTF-8 です）。"
                "この値を直すか、ファイル全体を CSV（UTF-8）で保存し直してください。",
            )
        )
    try:
        text = raw.decode("cp932")
    except UnicodeDecodeError as exc:
        raise Rejected(_neither(file, raw, exc.start, raw[: exc.start].decode("cp932"))) from None
    odd = _NOT_SHIFT_JIS.search(text)
    if odd is not None:
        prefix = text[: odd.start()]
        at = len(prefix.encode("cp932"))
        raise Rejected(_neither(file, raw, at, prefix))
    return Decoded(text, "cp932")


def _neither(file: str, raw: bytes, at: int, prefix: str) -> Problem:
    return _problem_at(
        file,
        prefix,
        raw[at : at + 2],
        "bytes that are neither UTF-8 nor Shift_JIS; save the file as CSV UTF-8 "
        "(or as CSV from Japanese Excel) and check this value",
        "UTF-8 でも Shift_JIS でもない文字があります。CSV（UTF-8）か Excel の"
        "「CSV（コンマ区切り）」で保存し直し、この値を確かめてください。",
    )


def to_utf8(data: bytes, file: str) -> tuple[bytes, str]:
    """The file's bytes as UTF-8 without BOM, for readers that take bytes (pyarrow).

    UTF-8 input is returned as it is (only a BOM removed); Shift_JIS is
    transcoded once, in memory.

    Returns:
        ``(utf8_bytes, encoding_read)``.

    Raises:
        Rejected: as ``decode``.

    Example:
        >>> to_utf8("豊洲".encode("cp932"), "a.csv")
        (b'\\xe8\\xb1\\x8a\\xe6\\xb4\\xb2', 'cp932')
    """
    decoded = decode(data, file)
    if decoded.encoding == "cp932":
        return decoded.text.encode("utf-8"), "cp932"
    return (data[3:] if decoded.encoding == "utf-8-sig" else data), decoded.encoding
