"""The English catalogues are complete, keep every placeholder, and the
compiled .mo files say the same as the .po files they come from.

The .po is parsed here and the .mo read with the standard library's
``gettext``, so the check needs nothing beyond what the tests install.
"""

from __future__ import annotations

import gettext
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "tsunagari"
CATALOGUES = sorted(PACKAGE.glob("**/locale/*/LC_MESSAGES/django.po"))

# %(name)s, %s, %d …; {0}, {name}; HTML tags. "%%" is a literal percent sign.
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdifr]|%[sdifr]|\{[^{}\s]*\}|</?[a-zA-Z][^<>]*>")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"

    def __str__(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def unquote(text: str) -> str:
    body = text.strip()
    assert body.startswith('"') and body.endswith('"'), body
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), body[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """Every live entry of a .po file (obsolete ``#~`` entries left out).

    Entries are separated by blank lines, as makemessages writes them.
    """
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None
    flags: set[str] = set()

    def start(number: int) -> Entry:
        nonlocal entry, flags
        if entry is None:
            entry = Entry(line=number, flags=flags)
            entries.append(entry)
            flags = set()
        return entry

    def append(text: str) -> None:
        assert entry is not None and target is not None
        name, index = target
        if name == "msgstr":
            entry.msgstr[index] = entry.msgstr.get(index, "") + text
        else:
            setattr(entry, name, (getattr(entry, name) or "") + text)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            entry, target = None, None
        elif line.startswith("#,"):
            flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            append(unquote(line))
        else:
            keyword, _, rest = line.partition(" ")
            current = start(number)
            plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if plural:
                target = ("msgstr", int(plural.group(1)))
            elif keyword == "msgstr":
                target = ("msgstr", 0)
            else:
                target = (keyword, 0)
                setattr(current, keyword, "")
            append(unquote(rest))
    return [e for e in entries if e.msgid or e.msgctxt]


def placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text.replace("%%", "")))


def catalogue_id(path: Path) -> str:
    app = path.relative_to(PACKAGE).parents[3].as_posix()
    return "project" if app == "." else app


@pytest.fixture(params=CATALOGUES, ids=catalogue_id)
def po(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path


def test_it_finds_the_project_and_app_catalogues() -> None:
    found = {catalogue_id(p) for p in CATALOGUES}
    assert {"project", "resources"} <= found, found


def test_it_translates_every_entry(po: Path) -> None:
    missing = [
        str(e)
        for e in parse_po(po)
        if not e.msgstr or any(not s.strip() for s in e.msgstr.values())
    ]
    assert missing == [], f"untranslated in {po}:\n" + "\n".join(missing)


def test_it_gives_every_plural_form(po: Path) -> None:
    incomplete = [
        str(e) for e in parse_po(po) if e.msgid_plural is not None and sorted(e.msgstr) != [0, 1]
    ]
    assert incomplete == [], f"plural forms missing in {po}:\n" + "\n".join(incomplete)


def test_it_leaves_no_fuzzy_entry(po: Path) -> None:
    fuzzy = [str(e) for e in parse_po(po) if "fuzzy" in e.flags]
    assert fuzzy == [], f"fuzzy in {po}:\n" + "\n".join(fuzzy)


def test_it_keeps_the_same_placeholders_in_the_translation(po: Path) -> None:
    wrong = []
    for e in parse_po(po):
        expected = placeholders(e.msgid)
        if e.msgid_plural is not None:
            expected = expected | placeholders(e.msgid_plural)
        for index, text in sorted(e.msgstr.items()):
            got = placeholders(text)
            if set(got) != set(expected):
                wrong.append(f"{e} [{index}] {sorted(expected)} != {sorted(got)}")
    assert wrong == [], f"placeholders differ in {po}:\n" + "\n".join(wrong)


def test_it_compiles_the_mo_from_the_current_po(po: Path) -> None:
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run tsunagari compilemessages"
    with mo.open("rb") as fp:
        compiled = dict(gettext.GNUTranslations(fp)._catalog)  # type: ignore[attr-defined]
    compiled.pop("", None)
    expected: dict[object, str] = {}
    for e in parse_po(po):
        if "fuzzy" in e.flags:
            continue
        if e.msgid_plural is None:
            expected[e.key] = e.msgstr.get(0, "")
        else:
            for index, text in e.msgstr.items():
                expected[(e.key, index)] = text
    stale = sorted(
        str(k) for k in expected.keys() | compiled.keys() if expected.get(k) != compiled.get(k)
    )
    assert stale == [], f"{mo} differs from {po.name}; run tsunagari compilemessages:\n" + (
        "\n".join(stale[:20])
    )
