"""The demo ward's linkage: the six department extracts, their legal basis,
and one finished run, so that candidates, uncertain pairs and "departments
that know this person" show on realistic data."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from tsunagari.accounts.models import Staff
from tsunagari.demo.extracts import write_extracts
from tsunagari.demo.population import Ward
from tsunagari.linkage.models import BasisKind, DataSource, LinkageRun, RunStatus
from tsunagari.linkage.runs import create_run_from_directory, execute_run
from tsunagari.linkage.sources import ensure_default_sources, record_basis

#: The demo ward's recorded bases (illustrative wording, not legal advice).
DEMO_BASIS: dict[str, tuple[str, str, str]] = {
    "registry": (
        BasisKind.ORDINANCE,
        "重層的支援体制整備事業における支援が必要な世帯の早期把握のため、住民記録を目的外利用する。",
        "江東区個人情報の保護に関する法律施行条例 第○条（審議会答申 令和○年度第○号）",
    ),
    "care": (
        BasisKind.STATUTE,
        "地域包括支援センター業務と連携した複合課題世帯の把握のため。",
        "社会福祉法第106条の4、介護保険法第115条の45",
    ),
    "disability": (
        BasisKind.STATUTE,
        "障害福祉サービス利用者を含む世帯の複合的な課題の把握のため。",
        "社会福祉法第106条の4、障害者総合支援法第77条",
    ),
    "child": (
        BasisKind.STATUTE,
        "ヤングケアラー・子育て世帯の早期把握のため。",
        "社会福祉法第106条の4、児童福祉法第10条",
    ),
    "poverty": (
        BasisKind.STATUTE,
        "生活困窮世帯の早期把握と支援への接続のため。",
        "生活困窮者自立支援法第3条、社会福祉法第106条の4",
    ),
    "csw": (
        BasisKind.CONSENT,
        "地域福祉コーディネーターの相談記録。記録時に本人から区との情報共有の同意を得ている。",
        "社会福祉協議会 相談受付票の同意欄（様式第1号）",
    ),
}


def load_demo_linkage(ward: Ward, seed: int, as_of: date | None = None) -> str:
    """Record the demo sources' basis and run one linkage of the ward's extracts.

    Skipped when a finished run exists already (loading the demo twice keeps
    one run). Runs in this process, not through the task worker.
    """
    ensure_default_sources()
    for name, (kind, text, reference) in DEMO_BASIS.items():
        source = DataSource.objects.get(name=name)
        if not source.has_basis:
            record_basis(None, source, kind, text, reference)
    if LinkageRun.objects.filter(status=RunStatus.DONE).exists():
        return "linkage run already loaded"
    admin = Staff.objects.filter(username="admin").first()
    with tempfile.TemporaryDirectory() as tmp:
        extracts = Path(tmp) / "extracts"
        write_extracts(ward, extracts, seed=seed)
        run = create_run_from_directory(extracts, staff=admin, as_of=as_of)
    run = execute_run(run)
    if run.status != RunStatus.DONE:
        raise RuntimeError(f"the demo linkage run failed: {run.error}")
    return (
        f"a linkage run of {run.records:,} extract records ({run.people:,} people, "
        f"{run.candidates:,} outreach candidates, {run.review_pairs.count():,} pairs to review)"
    )
