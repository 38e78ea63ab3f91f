"""Turn the synthetic ward into database rows for the demo and the tests.

Residents go in through the same registry import that a ward uses
(``people.importer``), so the demo exercises the real path; the agencies
that serve each resident get a link, so each demo consultant sees the
people their agency supports and only those.
"""

from __future__ import annotations

import csv
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import transaction
from tqdm import tqdm

from tsunagari.accounts.models import Agency
from tsunagari.accounts.personas import ensure_agencies, ensure_personas
from tsunagari.awareness.demo import load_demo_awareness
from tsunagari.barriers.demo import load_demo_barriers
from tsunagari.cases.demo import load_demo_case_sources, load_demo_cases
from tsunagari.community.demo import load_demo_community
from tsunagari.consultations.demo import load_demo_consultations
from tsunagari.consumer.demo import load_demo_consumer
from tsunagari.council.demo import load_demo_council
from tsunagari.demo.population import Resident, Ward, generate_ward
from tsunagari.disaster.demo import load_demo_disaster
from tsunagari.linkage.demo import load_demo_linkage
from tsunagari.outreach.demo import load_demo_outreach
from tsunagari.participation.demo import load_demo_participation
from tsunagari.people.importer import import_registry
from tsunagari.people.models import AgencyLink, LinkBasis, Person
from tsunagari.plan.demo import load_demo_plan
from tsunagari.resources.demo import load_demo_directory
from tsunagari.safeguarding.demo import load_demo_safeguarding
from tsunagari.surveys.demo import load_demo_surveys
from tsunagari.workforce.demo import load_demo_workforce

SEX_CODE = {"male": "1", "female": "2", "other": "3"}
REGISTRY_COLUMNS = ["record_id", "resident_id", "name_kanji", "name_kana", "birth_date", "sex", "address", "phone", "household_id", "relation", "sealed"]  # fmt: skip


def write_registry(ward: Ward, path: Path) -> int:
    """The ward's clean resident registry, in the linkage contract's format."""
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(REGISTRY_COLUMNS)
        for household in ward.households:
            address = household.address.text()
            for r in household.members:
                n += 1
                writer.writerow([
                    f"R{r.person_id:08d}", r.resident_id, r.full_name, r.full_kana, r.birth_date.isoformat(),
                    SEX_CODE.get(r.sex, ""), address, r.phone or "", household.household_id, r.relation,
                    "1" if r.sealed else "",
                ])  # fmt: skip
    return n


def _agency_for(
    r: Resident, town: str, by_kind_town: dict[tuple[str, str], str], fallback: dict[str, str]
) -> list[str]:
    """Which agencies hold this resident's records (the services they use)."""
    codes = []
    if r.care_level:
        codes.append(
            by_kind_town.get(
                ("longevity_support_centre", town), fallback["longevity_support_centre"]
            )
        )
    if r.disability:
        codes.append(
            by_kind_town.get(("disability_consultation", town), fallback["disability_consultation"])
        )
    if r.child_support:
        codes.append(
            by_kind_town.get(("child_family_centre", town), fallback["child_family_centre"])
        )
    if r.poverty_support:
        codes.append(fallback["self_reliance_support"])
    if r.csw_note:
        codes.append(fallback["social_welfare_council"])
    return codes


def link_services(ward: Ward) -> int:
    """Give each agency a link to the residents whose records it holds."""
    agencies = list(Agency.objects.all())
    code_id = {a.code: a.pk for a in agencies}
    by_kind_town: dict[tuple[str, str], str] = {}
    fallback: dict[str, str] = {}
    for a in sorted(agencies, key=lambda a: a.code):
        by_kind_town.setdefault((a.kind, a.town), a.code)
        fallback.setdefault(a.kind, a.code)
    person_of = dict(Person.objects.values_list("resident_id", "id"))
    existing = set(
        AgencyLink.objects.filter(basis=LinkBasis.SERVICE).values_list("person_id", "agency_id")
    )
    new: list[AgencyLink] = []
    for household in ward.households:
        for r in household.members:
            pid = person_of.get(r.resident_id)
            if pid is None:
                continue
            for code in _agency_for(r, household.address.town, by_kind_town, fallback):
                key = (pid, code_id[code])
                if key not in existing:
                    existing.add(key)
                    new.append(
                        AgencyLink(
                            person_id=pid,
                            agency_id=code_id[code],
                            basis=LinkBasis.SERVICE,
                            note="demo",
                        )
                    )
    AgencyLink.objects.bulk_create(new, batch_size=5000)
    return len(new)


@contextmanager
def _bar(desc: str, total: int | None, enabled: bool) -> Iterator[Callable[[int], object]]:
    bar = tqdm(desc=desc, total=total, unit=" rows", disable=not enabled)
    try:
        yield bar.update
    finally:
        bar.close()


def load_demo(
    *,
    people: int,
    seed: int,
    extracts_dir: Path | None = None,
    truth_dir: Path | None = None,
    progress: bool = True,
) -> str:
    started = time.monotonic()
    with transaction.atomic():
        ensure_agencies(None)
        ensure_personas()
    ward = generate_ward(people, seed=seed)
    imported = "no residents"
    links = 0
    consultations = "no consultations"
    linkage = "no linkage run"
    disaster = "no evacuation roster"
    if people:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "registry.csv"
            rows = write_registry(ward, path)
            with _bar("residents", rows, progress) as update:
                report = import_registry(path, progress=update)
        if not report.written:
            first = report.rejected[0]
            raise RuntimeError(
                f"the demo registry was rejected at row {first.row}: {first.column} {first.problem}"
            )
        imported = f"{report.created} new and {report.unchanged} unchanged residents"
        with transaction.atomic():
            links = link_services(ward)
        with transaction.atomic():
            consultations = load_demo_consultations(seed)
        with transaction.atomic():
            consultations += "; " + load_demo_cases(seed)
        linkage = load_demo_linkage(ward, seed)
        disaster = load_demo_disaster(seed, ward=ward)
    with transaction.atomic():
        services = load_demo_directory(seed)
    with transaction.atomic():
        community = load_demo_community(seed)
    with transaction.atomic():
        barriers = load_demo_barriers(seed)
    safeguarding = outreach = participation = consumer = (
        "no persons for outreach, safeguarding, participation or consumer alerts"
    )
    if people:
        with transaction.atomic():
            outreach = load_demo_outreach(seed)
        with transaction.atomic():
            outreach += "; " + load_demo_case_sources(seed)
        with transaction.atomic():
            safeguarding = load_demo_safeguarding(seed)
        with transaction.atomic():
            participation = load_demo_participation(seed)
        with transaction.atomic():
            consumer = load_demo_consumer(seed)
    with transaction.atomic():
        surveys = load_demo_surveys(seed)
        council = load_demo_council(seed)
    with transaction.atomic():
        workforce = load_demo_workforce(seed)
        awareness = load_demo_awareness(seed)
    # Last: the plan's demo targets are set from the other programmes' figures.
    with transaction.atomic():
        plan = load_demo_plan(seed)
    extracts = ""
    if extracts_dir is not None:
        from tsunagari.demo.extracts import write_extracts

        truth = truth_dir or extracts_dir.parent / "truth"
        summary = write_extracts(ward, extracts_dir, truth_dir=truth)
        extracts = (
            f"; {summary.total_records:,} extract records in {extracts_dir} (truth in {truth})"
        )
    from tsunagari.demo.models import DemoWard

    DemoWard.objects.all().delete()
    DemoWard.objects.create(people=people, seed=seed)
    seconds = time.monotonic() - started
    return (
        f"Demo ward loaded: {Agency.objects.count()} agencies, staff personas, {imported} "
        f"in {ward.household_count:,} households, {links:,} service links, {consultations}, "
        f"{services} directory services, {community}, {barriers}, {outreach}, {participation}, "
        f"{safeguarding}, {consumer}, {workforce}, {awareness}, {surveys}, {council}, {plan}, "
        f"{disaster}, {linkage}{extracts} "
        f"({seconds:.1f} s)."
    )
