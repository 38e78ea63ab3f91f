"""The contract's two CSV files (../shared/contracts/indicators.md): directions
and the programmes' yearly counts, UTF-8 with BOM so that Excel opens them."""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from pathlib import Path

from tsunagari.plan.figures import direction_figures, fmt, programme_rows

__all__ = [
    "DIRECTIONS_HEADER",
    "PROGRAMMES_HEADER",
    "ExportError",
    "directions_csv",
    "parse_fiscal_year",
    "programmes_csv",
    "write_indicators",
]

DIRECTIONS_HEADER = [
    "code", "direction", "indicator", "unit", "value", "target", "status", "source", "suppressed",
]  # fmt: skip
PROGRAMMES_HEADER = ["programme", "item", "label", "value", "suppressed"]
YEAR = re.compile(r"[0-9]{4}")


class ExportError(ValueError):
    """A one-line reason the files were not written."""


def parse_fiscal_year(text: str) -> int:
    if not YEAR.fullmatch(text or "") or not 2000 <= int(text) <= 2100:
        raise ExportError(
            f"fiscal year must be four digits between 2000 and 2100 (e.g. 2026), not {text!r}"
        )
    return int(text)


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def directions_rows(fiscal_year: int) -> list[list[object]]:
    rows: list[list[object]] = []
    for figures in direction_figures(fiscal_year):
        for r in figures.rows:
            rows.append([
                r.direction, r.direction_name, r.name, r.unit, fmt(r.value), fmt(r.target),
                r.status, r.source, int(r.suppressed),
            ])  # fmt: skip
    return rows


def programmes_rows(fiscal_year: int) -> list[list[object]]:
    return [
        [r.programme, r.item, r.label, "" if r.value is None else r.value, int(r.suppressed)]
        for r in programme_rows(fiscal_year)
    ]


def directions_csv(fiscal_year: int) -> bytes:
    return _csv(DIRECTIONS_HEADER, directions_rows(fiscal_year))


def programmes_csv(fiscal_year: int) -> bytes:
    return _csv(PROGRAMMES_HEADER, programmes_rows(fiscal_year))


def _write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_indicators(fiscal_year: int, out: Path) -> tuple[Path, Path]:
    """Write ``directions.csv`` and ``programmes.csv`` into ``out`` (created if missing)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        if not out.is_dir() or not os.access(out, os.W_OK | os.X_OK):
            raise PermissionError(f"{out} is not a writable folder")
    except OSError as exc:
        raise ExportError(f"cannot write to {out}: {exc.strerror or exc}") from exc
    directions = directions_csv(fiscal_year)
    programmes = programmes_csv(fiscal_year)
    paths = (out / "directions.csv", out / "programmes.csv")
    try:
        _write(paths[0], directions)
        _write(paths[1], programmes)
    except OSError as exc:
        raise ExportError(f"cannot write to {out}: {exc.strerror or exc}") from exc
    return paths
