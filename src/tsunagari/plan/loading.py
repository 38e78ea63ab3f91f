"""Loading the plan's policy system from the package's data, once per plan period.

``load_plans`` reads ``plan/data/plans.yaml`` and, for each plan period not
yet stored, its framework file (the copy of ``policy_framework.yaml``) and
its hand-entered indicators. A period already stored is left as it is:
loading twice changes nothing, and a next plan is a new entry loaded beside
it. ``sync_computed`` mirrors the indicator registry into the period's
indicator definitions (targets and evaluations refer to them); it writes
only what differs. Both run after ``migrate`` and on first use
(``ensure_loaded``).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.plan import registry
from tsunagari.plan.models import (
    BasicPolicy,
    Direction,
    IndicatorDefinition,
    Initiative,
    PlanPeriod,
    PolicyMeasure,
    Programme,
    ProgrammeStage,
    ScheduleYear,
    Source,
)

__all__ = ["DATA", "current_period", "ensure_loaded", "load_plans", "sync_computed"]

DATA = Path(__file__).resolve().parent / "data"

logger = logging.getLogger(__name__)

# The framework's programme codes -> the contract's programme keys (registry.PROGRAMMES).
PROGRAMME_KEYS = {
    "comprehensive_consultation": "consultation",
    "outreach": "outreach",
    "multi_agency": "multi_agency",
    "participation": "participation",
    "community_building": "community",
}


class PlanDataError(ValueError):
    """The package's plan data are inconsistent (a developer's error, named precisely)."""


def _read(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise PlanDataError(f"{path}: expected a mapping at the top")
    return data


def _plans(data_dir: Path) -> list[dict[str, Any]]:
    plans = _read(data_dir / "plans.yaml").get("plans") or []
    if not isinstance(plans, list) or not plans:
        raise PlanDataError(f"{data_dir / 'plans.yaml'}: no plans listed")
    return plans


def load_plans(data_dir: Path = DATA) -> list[PlanPeriod]:
    """Store every plan period of ``plans.yaml`` not stored yet; return all of them."""
    periods = []
    for entry in _plans(data_dir):
        period = PlanPeriod.objects.filter(code=str(entry["code"])).first()
        if period is None:
            period = _load_period(entry, data_dir)
        _ensure_entered(period, data_dir / str(entry.get("entered_indicators") or ""))
        sync_computed(period)
        periods.append(period)
    return periods


@transaction.atomic
def _load_period(entry: dict[str, Any], data_dir: Path) -> PlanPeriod:
    path = data_dir / str(entry["framework"])
    raw = path.read_bytes()
    tree = _read(path)
    period = PlanPeriod.objects.create(
        code=str(entry["code"]),
        name=str(entry["name"]),
        first_year=int(entry["first_year"]),
        last_year=int(entry["last_year"]),
        philosophy=str(tree["philosophy"]["ja"]),
        philosophy_en=str(tree["philosophy"].get("en", "")),
        source_digest=hashlib.sha256(raw).hexdigest(),
    )
    m_order = d_order = 0
    for p_order, policy in enumerate(tree["basic_policies"], start=1):
        bp = BasicPolicy.objects.create(
            period=period, code=str(policy["code"]), name=policy["ja"],
            name_en=policy.get("en", ""), order=p_order,
        )  # fmt: skip
        for measure in policy["measures"]:
            m_order += 1
            pm = PolicyMeasure.objects.create(
                period=period, policy=bp, code=str(measure["code"]), name=measure["ja"],
                name_en=measure.get("en", ""), order=m_order,
            )  # fmt: skip
            for direction in measure["directions"]:
                d_order += 1
                code = str(direction["code"])
                if not code.startswith(f"{pm.code}-"):
                    raise PlanDataError(f"{path}: direction {code} is not under measure {pm.code}")
                Direction.objects.create(
                    period=period, measure=pm, code=code, name=direction["ja"],
                    name_en=direction.get("en", ""), note=direction.get("note", ""),
                    order=d_order,
                )  # fmt: skip
    programmes: list[Programme] = []
    p_order = 0
    for i_order, item in enumerate(tree.get("cross_cutting") or [], start=1):
        initiative = Initiative.objects.create(
            period=period, code=item["code"], name=item["ja"], name_en=item.get("en", ""),
            notes=" ".join(str(item.get("notes", "")).split()), order=i_order,
        )  # fmt: skip
        for support in item.get("supports") or []:
            for prog in support.get("programmes") or []:
                p_order += 1
                key = PROGRAMME_KEYS.get(prog["code"])
                if key is None:
                    raise PlanDataError(f"{path}: programme {prog['code']} has no contract key")
                programmes.append(
                    Programme.objects.create(
                        period=period,
                        initiative=initiative,
                        support_code=support["code"],
                        support_name=support["ja"],
                        code=prog["code"],
                        key=key,
                        name=prog["ja"],
                        description_en=prog.get("en", ""),
                        order=p_order,
                    )
                )
    for step in tree.get("schedule") or []:
        ScheduleYear.objects.create(
            period=period, fiscal_year=int(step["fiscal_year"]), era=step["era"],
            stage=step["stage"], text=step["ja"],
        )  # fmt: skip
        for programme in programmes:
            ProgrammeStage.objects.create(
                programme=programme, fiscal_year=int(step["fiscal_year"]), stage=step["stage"]
            )
    counts: dict[str, Any] = {
        "policies": period.policies.count(),
        "measures": period.measures.count(),
        "directions": period.directions.count(),
    }
    write_event(EventKind.PLAN_LOADED, period, None, code=period.code, **counts)
    record(None, AuditAction.CREATE, obj=period, reason="plan loaded", detail=counts)
    return period


def _ensure_entered(period: PlanPeriod, path: Path) -> None:
    """Add the hand-entered indicators the package lists and the period lacks."""
    if not path.is_file():
        return
    directions = {d.code: d for d in period.directions.all()}
    have = set(period.indicators.values_list("code", flat=True))
    for item in _read(path).get("indicators") or []:
        code = str(item["code"])
        if code in have:
            continue
        direction = directions.get(str(item["direction"]))
        if direction is None:
            raise PlanDataError(f"{path}: {code} names an unknown direction {item['direction']}")
        IndicatorDefinition.objects.create(
            period=period, direction=direction, code=code, name=item["name"],
            unit=str(item["unit"]), definition=" ".join(str(item["definition"]).split()),
            owner=str(item.get("owner", "")), source=Source.ENTERED,
            higher_is_better=bool(item.get("higher_is_better", True)),
            sensitive=bool(item.get("sensitive", False)),
        )  # fmt: skip


def _owner(ind: registry.Indicator) -> str:
    return str(getattr(ind, "owner", "") or "")


def sync_computed(period: PlanPeriod) -> None:
    """Mirror the registry's computed indicators into ``period`` (writes only differences)."""
    directions = {d.code: d for d in period.directions.all()}
    stored = {i.code: i for i in period.indicators.filter(source=Source.COMPUTED)}
    seen = set()
    for ind in registry.indicators():
        direction = directions.get(ind.direction)
        if direction is None:
            logger.warning("indicator %s names direction %s, not in plan %s",
                           ind.code, ind.direction, period.code)  # fmt: skip
            continue
        seen.add(ind.code)
        wanted = {
            "direction": direction,
            "name": ind.name,
            "unit": str(ind.unit),
            "definition": ind.definition,
            "owner": _owner(ind),
            "higher_is_better": ind.higher_is_better,
            "sensitive": ind.sensitive,
            "is_active": True,
        }
        row = stored.get(ind.code)
        if row is None:
            IndicatorDefinition.objects.create(
                period=period, code=ind.code, source=Source.COMPUTED, **wanted
            )
            continue
        changed = [k for k, v in wanted.items() if getattr(row, k) != v]
        if changed:
            for k in changed:
                setattr(row, k, wanted[k])
            row.save(update_fields=changed)
    gone = [code for code, row in stored.items() if code not in seen and row.is_active]
    if gone:
        period.indicators.filter(code__in=gone).update(is_active=False)


_loaded = False


def ensure_loaded() -> None:
    """Load the plans and mirror the registry unless that happened in this process."""
    global _loaded
    if _loaded and PlanPeriod.objects.exists():
        return
    load_plans()
    _loaded = True


def current_period(fiscal_year: int | None = None) -> PlanPeriod:
    """The plan period covering ``fiscal_year`` (else the latest one), loading if need be."""
    ensure_loaded()
    periods = list(PlanPeriod.objects.all())
    if fiscal_year is not None:
        for period in periods:
            if period.covers(fiscal_year):
                return period
    return periods[-1]
