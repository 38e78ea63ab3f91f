"""The software bill of materials (``scripts/sbom``, run by ``scripts/test``)
names every package the application runs on, at the version installed, as
valid CycloneDX, with tsunagari at its root and each direct dependency
under it: what the ward's advisory scanner reads (ASVS 14.2.5)."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~;\s]", requirement, maxsplit=1)[0].lower().replace("_", "-")


@pytest.fixture(scope="module")
def sbom(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out = tmp_path_factory.mktemp("sbom") / "sbom.cdx.json"
    done = subprocess.run(["bash", str(ROOT / "scripts" / "sbom"), str(out)],
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    # validated again here, by the tool's own schema validator (in its own
    # environment: scripts/sbom keeps it out of the one it describes)
    check = (
        "import sys; from cyclonedx.schema import SchemaVersion; "
        "from cyclonedx.validation.json import JsonStrictValidator; "
        "print(JsonStrictValidator(SchemaVersion.V1_6).validate_str(open(sys.argv[1]).read()))"
    )
    tool = ROOT / "build" / "sbom-tool" / "bin" / "python"
    valid = subprocess.run([str(tool), "-c", check, str(out)],
                           capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert valid.stdout.strip() == "None", valid.stdout + valid.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def test_it_names_every_runtime_dependency_at_its_installed_version(sbom: dict) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = {c["name"].lower().replace("_", "-"): c for c in sbom["components"]}
    for requirement in project["dependencies"]:
        name = _name(requirement)
        assert name in listed, f"{name} is not in the SBOM"
        assert listed[name]["version"] == metadata.version(name), name
        assert listed[name]["purl"].startswith(f"pkg:pypi/{name}@"), listed[name]["purl"]


def test_tsunagari_is_the_root_and_depends_on_them(sbom: dict) -> None:
    root = sbom["metadata"]["component"]
    assert (root["name"], root["version"]) == ("tsunagari", metadata.version("tsunagari"))
    edges = {d["ref"]: set(d.get("dependsOn", [])) for d in sbom["dependencies"]}
    refs = {c["bom-ref"]: c["name"].lower() for c in sbom["components"]}
    under_root = {refs[r].replace("_", "-") for r in edges[root["bom-ref"]] if r in refs}
    assert {"django", "psycopg", "django-otp", "splink"} <= under_root
    # reproducible: no timestamp or serial that would differ between builds
    assert "timestamp" not in sbom["metadata"] and "serialNumber" not in sbom


def test_the_tool_stays_out_of_the_environment_it_describes(sbom: dict) -> None:
    # (lxml, which the tool pulls in, would make openpyxl parse workbooks without defusedxml)
    names = {c["name"].lower() for c in sbom["components"]}
    assert not {"cyclonedx-bom", "cyclonedx-python-lib"} & names
