"""Complex-need detection: planted patterns are found, with evidence; rules are data."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tsunagari.linkage.engine import LinkOptions, detect_directory, link_directory, load_rules
from tsunagari.linkage.engine.detect import RulesError

from .helpers import HARD, person_of

AS_OF = date(2026, 10, 1)


@pytest.fixture(scope="module")
def hard_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("detect-hard")
    link_directory(HARD, out, LinkOptions(as_of=AS_OF))
    return out


def test_it_flags_8050_with_its_evidence(hard_out: Path) -> None:
    candidates = detect_directory(hard_out, as_of=AS_OF)
    person = person_of(hard_out)
    hit = candidates.loc[candidates["pattern"] == "8050"]
    assert len(hit) == 1
    evidence = json.loads(hit["evidence"].iloc[0])
    # 鈴木 博 (78, in care) and his son 鈴木 浩 (48, poverty support, CSW note).
    assert evidence["parent"]["person_id"] == person["registry", "R05"]
    assert evidence["child"]["person_id"] == person["registry", "R06"]
    assert "care" in evidence["parent"]["sources"]
    assert {"poverty", "csw"} <= set(evidence["child"]["sources"])
    assert (hard_out / "candidates.csv").exists()


def test_it_flags_a_young_carer_living_with_a_disabled_parent(hard_out: Path) -> None:
    candidates = detect_directory(hard_out, as_of=AS_OF)
    person = person_of(hard_out)
    hit = candidates.loc[candidates["pattern"] == "young_carer"]
    assert len(hit) == 1
    members = set(hit["members"].iloc[0].split(";"))
    assert members == {person["registry", "R14"], person["disability", "D01"]}


def test_it_follows_rules_given_as_data(hard_out: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "patterns:\n"
        "  - code: care_alone\n"
        "    name_ja: 独居の要介護者\n"
        "    size: [1, 1]\n"
        "    roles:\n"
        "      person: {any_source: [care], attributes: {care_level: [要介護3]}}\n",
        encoding="utf-8",
    )
    candidates = detect_directory(hard_out, rules=rules, as_of=AS_OF)
    person = person_of(hard_out)
    assert candidates["pattern"].tolist() == ["care_alone"]
    assert candidates["members"].tolist() == [person["registry", "R08"]]


def test_it_rejects_an_unknown_rule_key_by_name(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "patterns:\n  - code: x\n    roles:\n      a: {agee: [1, 2]}\n", encoding="utf-8"
    )
    with pytest.raises(RulesError, match=r"x\.roles\.a: unknown key"):
        load_rules(rules)


def test_it_ships_the_five_domain_patterns() -> None:
    codes = [p.code for p in load_rules()]
    assert codes == ["8050", "double_care", "young_carer", "isolation", "poverty_with_children"]


def test_it_runs_as_a_command_and_refuses_a_directory_without_a_link_run(
    hard_out: Path, tmp_path: Path
) -> None:
    call_command("detect", str(hard_out), "--as-of", "2026-10-01")
    assert len(pd.read_csv(hard_out / "candidates.csv")) >= 2
    with pytest.raises(CommandError, match=r"records\.parquet is missing"):
        call_command("detect", str(tmp_path))


def test_it_finds_the_patterns_planted_in_a_generated_ward(tmp_path: Path) -> None:
    from tsunagari.demo.extracts import write_extracts
    from tsunagari.demo.population import REFERENCE_DATE, generate_ward

    ward = generate_ward(9000, seed=5)
    write_extracts(ward, tmp_path / "in", seed=5, truth_dir=tmp_path / "truth")
    link_directory(tmp_path / "in", tmp_path / "out", LinkOptions(as_of=REFERENCE_DATE))
    candidates = detect_directory(tmp_path / "out", as_of=REFERENCE_DATE)

    truth = pd.read_csv(tmp_path / "truth" / "persons.csv", dtype=str)
    clusters = pd.read_csv(tmp_path / "out" / "clusters.csv", dtype=str)
    households = pd.read_csv(tmp_path / "out" / "households.csv", dtype=str)
    found = truth.merge(clusters, on=["source", "record_id"], suffixes=("", "_found"))
    our_person = found.drop_duplicates("person_id").set_index("person_id")["person_id_found"]
    our_household = households.set_index("person_id")["household_id"]
    flagged = set(zip(candidates["pattern"], candidates["household_id"], strict=True))

    planted = pd.read_csv(tmp_path / "truth" / "planted.csv", dtype=str)
    planted = planted.loc[planted["deliberate"] == "1"]
    hits = []
    for row in planted.itertuples():
        first = str(row.person_ids).split()[0]
        hits.append((row.pattern, our_household[our_person[first]]) in flagged)
    assert set(planted["pattern"]) == {
        "8050", "double_care", "young_carer", "isolation", "poverty_with_children"
    }  # fmt: skip
    assert sum(hits) / len(hits) >= 0.8, list(zip(planted["pattern"], hits, strict=True))
