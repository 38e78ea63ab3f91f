"""The engines import nothing from Django and nothing from the apps.

The engines (Japanese text, linkage, surveys, the demo population, the
small helpers of ``lib``) are tested fast and reused by commands because
they stand alone. This test reads their source with ``ast`` (it runs
nothing) and fails on any import of ``django`` or of a ``tsunagari`` module
outside the engines: ``import``, ``from … import``, relative imports,
imports inside functions or under ``TYPE_CHECKING``, and
``importlib.import_module`` / ``__import__`` calls. A dynamic import whose
name is not a literal string cannot be checked, so it is refused too.

To put a new engine under the contract, add its folder to ``ENGINES``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.nodb

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "tsunagari"

#: Folders (every module under them) and single modules under the contract,
#: relative to ``src/tsunagari``. A listed path that does not exist yet is
#: skipped, so an engine can be listed before its first module lands.
ENGINES: tuple[str, ...] = (
    "text",
    "linkage/engine",
    "surveys/engine",
    "lib",
    "demo/population.py",
    "demo/extracts.py",
    # The matching engine of participation support (参加支援): under the
    # contract from its first module.
    "participation/engine",
    # The evacuation roster's inclusion rules (避難行動要支援者の掲載基準).
    "disaster/rules.py",
)

#: Modules of ``lib`` that are Django helpers by design, with the reason.
#: They may import Django (never an app at run time: ``TYPE_CHECKING`` is
#: where ``lib.http`` names ``Staff``), and no engine may import them.
DJANGO_HELPERS: dict[str, str] = {
    "tsunagari.lib.env": "typed settings readers raise Django's ImproperlyConfigured",
    "tsunagari.lib.locale": "the language middleware and settings of every request",
    "tsunagari.lib.http": "who is signed in and safe redirects read a Django request",
    "tsunagari.lib.views": "the static asset view is a Django view, checked by the policy",
    "tsunagari.lib.commands": "the base of the file commands is a Django management command",
    "tsunagari.lib.clock": "the actions' clock reads Django's timezone-aware now",
    "tsunagari.lib.logs": "the log filter shortens Django's own permission-denied records",
    "tsunagari.lib.quota": "a member of staff's share of the data folder reads settings, says it in the interface's language",
    "tsunagari.lib.paging": "a section's pager reads the page of Django's paginator",
}

#: What a Django helper may import from the apps, at run time, and why.
HELPER_APP_IMPORTS: dict[str, set[str]] = {
    # The asset view asks the one policy layer whether the viewer may see charts.
    "tsunagari.lib.views": {"tsunagari.accounts.policy"},
    # Type names only, never run.
    "tsunagari.lib.http": {"tsunagari.accounts.models"},
}


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    imported: str
    why: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: imports {self.imported} ({self.why})"


def module_name(path: Path) -> str:
    """``src/tsunagari/linkage/engine/graph.py`` -> ``tsunagari.linkage.engine.graph``."""
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def engine_paths() -> list[Path]:
    paths: list[Path] = []
    for entry in ENGINES:
        target = PACKAGE / entry
        if target.is_dir():
            paths.extend(sorted(target.rglob("*.py")))
        elif target.is_file():
            paths.append(target)
    return paths


def engine_modules() -> set[str]:
    """Every module an engine may import: the engines, without lib's Django helpers."""
    return {module_name(p) for p in engine_paths()} - set(DJANGO_HELPERS)


def _absolute(module: str, is_package: bool, level: int, name: str | None) -> str:
    """Resolve ``from <level dots><name> import …`` inside ``module``."""
    if level == 0:
        return name or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, name] if name else base)


def _literal(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def _is_dynamic_import(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in {"__import__", "import_module"}
    return isinstance(func, ast.Attribute) and func.attr == "import_module"


def imports_of(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """Every module ``source`` imports, by line, resolved to absolute names.

    ``from a.b import c`` yields both ``a.b`` and ``a.b.c`` (``c`` may be a
    module). A dynamic import of a name that is not a literal yields
    ``"<dynamic>"``.

    Raises:
        SyntaxError: the source does not parse (so it cannot be checked).
    """
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, is_package, node.level, node.module)
            found.append((node.lineno, base))
            found.extend(
                (node.lineno, f"{base}.{alias.name}") for alias in node.names if alias.name != "*"
            )
        elif isinstance(node, ast.Call) and _is_dynamic_import(node):
            found.append((node.lineno, _literal(node) or "<dynamic>"))
    return found


def _within(name: str, modules: set[str]) -> bool:
    return name in modules or any(name.startswith(f"{m}.") for m in modules)


def violations(
    source: str,
    module: str,
    path: str,
    *,
    is_package: bool = False,
    allowed: set[str] | None = None,
) -> list[Violation]:
    """What in ``source`` (the module ``module``) breaks the contract."""
    engines = engine_modules() if allowed is None else allowed
    helper = module in DJANGO_HELPERS
    app_imports = HELPER_APP_IMPORTS.get(module, set())
    try:
        imported = imports_of(source, module, is_package)
    except SyntaxError as exc:
        return [Violation(path, exc.lineno or 0, "?", "does not parse, so it cannot be checked")]
    found: list[Violation] = []
    for line, name in imported:
        top = name.split(".")[0]
        if any(v.line == line and name.startswith(f"{v.imported}.") for v in found):
            continue  # ``from django.db import models``: ``django.db`` says it
        if name == "<dynamic>":
            found.append(Violation(path, line, name, "a dynamic import cannot be checked"))
        elif top == "django":
            if not helper:
                found.append(Violation(path, line, name, "an engine imports nothing from Django"))
        elif top == "tsunagari" and name != "tsunagari":
            if not helper and _within(name, set(DJANGO_HELPERS)):
                found.append(Violation(path, line, name, "a Django helper of lib is no engine"))
            elif not _within(name, engines | app_imports):
                found.append(Violation(path, line, name, "an engine imports no app"))
    return found


def contract_violations() -> list[Violation]:
    found: list[Violation] = []
    for path in engine_paths():
        found.extend(
            violations(
                path.read_text(encoding="utf-8"),
                module_name(path),
                str(path.relative_to(SRC)),
                is_package=path.name == "__init__.py",
            )
        )
    return found


# --- the contract ---------------------------------------------------------------------


def test_it_finds_the_engines_it_guards() -> None:
    modules = engine_modules()
    assert "tsunagari.text.names" in modules
    assert "tsunagari.linkage.engine.pipeline" in modules
    assert "tsunagari.surveys.engine.raking" in modules
    assert "tsunagari.demo.population" in modules
    assert "tsunagari.lib.dates" in modules


def test_it_keeps_the_engines_free_of_django_and_of_the_apps() -> None:
    found = contract_violations()
    assert not found, "\n".join(str(v) for v in found)


def test_it_lists_only_django_helpers_that_exist() -> None:
    # A helper removed or renamed must leave the list, or the exception outlives it.
    existing = {module_name(p) for p in engine_paths()}
    assert set(DJANGO_HELPERS) <= existing


# --- the checker itself, on fake modules ----------------------------------------------

ENGINE = "tsunagari.linkage.engine.fake"
ALLOWED = {"tsunagari.linkage.engine", "tsunagari.text"}


def _check(source: str, module: str = ENGINE, *, is_package: bool = False) -> list[str]:
    return [
        v.imported
        for v in violations(source, module, "fake.py", is_package=is_package, allowed=ALLOWED)
    ]


def test_it_fails_a_module_that_imports_django() -> None:
    assert _check("import django\n") == ["django"]


@pytest.mark.parametrize(
    ("source", "imported"),
    [
        ("from django.db import models\n", "django.db"),
        ("def f():\n    from django.conf import settings\n    return settings\n", "django.conf"),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import django.http\n",
            "django.http",
        ),
        ("import importlib\nimportlib.import_module('django.conf')\n", "django.conf"),
        ("from importlib import import_module\nimport_module('django')\n", "django"),
        ("__import__('django.db')\n", "django.db"),
    ],
)
def test_it_fails_every_way_of_importing_django(source: str, imported: str) -> None:
    assert imported in _check(source)


@pytest.mark.parametrize(
    ("source", "imported"),
    [
        ("from tsunagari.people.models import Person\n", "tsunagari.people.models"),
        ("import tsunagari.linkage.services\n", "tsunagari.linkage.services"),
        ("from tsunagari import people\n", "tsunagari.people"),
        ("from ..models import RecordLink\n", "tsunagari.linkage.models"),
        ("from .. import runs\n", "tsunagari.linkage"),
        ("def f():\n    import importlib\n    return importlib.import_module('tsunagari.audit')\n",
         "tsunagari.audit"),
    ],
)  # fmt: skip
def test_it_fails_a_module_that_imports_an_app(source: str, imported: str) -> None:
    assert imported in _check(source)


@pytest.mark.parametrize(
    "source",
    [
        "",
        "from . import graph\nfrom .review import pair_key\n",
        "from tsunagari.text import names\nimport tsunagari.text.kana\n",
        "import pandas as pd\nimport duckdb\nfrom datetime import date\n",
        "x = 'import django'  # a string, not an import\n",
    ],
)
def test_it_passes_a_module_that_imports_only_engines_and_libraries(source: str) -> None:
    assert _check(source) == []


def test_it_resolves_relative_imports_from_a_package() -> None:
    # In tsunagari/linkage/engine/__init__.py, ".backends" is inside the engine
    # and "..models" is the app's models.
    module = "tsunagari.linkage.engine"
    assert _check("from .backends import x\n", module, is_package=True) == []
    assert _check("from ..models import y\n", module, is_package=True) == [
        "tsunagari.linkage.models"
    ]


def test_it_refuses_a_dynamic_import_it_cannot_read() -> None:
    assert _check("import importlib\nname = 'dj' + 'ango'\nimportlib.import_module(name)\n") == [
        "<dynamic>"
    ]


def test_it_refuses_a_module_that_does_not_parse() -> None:
    found = violations("def broken(:\n", ENGINE, "fake.py", allowed=ALLOWED)
    assert len(found) == 1 and "does not parse" in found[0].why


def test_it_checks_a_huge_module_quickly() -> None:
    source = "import pandas\n" * 50_000 + "from django.db import models\n"
    assert _check(source) == ["django.db"]


def test_it_lets_only_a_listed_helper_import_django() -> None:
    listed = violations(
        "from django.conf import settings\n",
        "tsunagari.lib.locale",
        "lib/locale.py",
        allowed=ALLOWED,
    )
    unlisted = violations(
        "from django.conf import settings\n", "tsunagari.lib.newhelper", "lib/x.py", allowed=ALLOWED
    )
    assert listed == [] and [v.imported for v in unlisted] == ["django.conf"]


def test_it_keeps_engines_from_importing_a_django_helper() -> None:
    # lib.clock imports Django, so an engine that imports it does too.
    assert "tsunagari.lib.clock" not in engine_modules()
    assert "tsunagari.lib.clock" in [
        v.imported
        for v in violations("from tsunagari.lib import clock\n", "tsunagari.text.fake", "x.py")
    ]
