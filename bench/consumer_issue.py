"""Issuing a consumer alert on a crowded area: time and queries per visit task.

Builds, in a fresh SQLite file under bench/out/ (or ``DATABASE_URL``), the
personas, ``--people`` older residents living alone spread over ``--towns``
towns of the ward (a tenth of them sealed) and ``--others`` younger residents,
then issues one alert for the first half of those towns and reports the time
of the issue (deliveries, the at-risk rule, one outreach target, event and
audit record per person) and of a second send (which must add nothing).

    .venv/bin/python bench/consumer_issue.py --people 2000
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import date
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def setup_django(people: int) -> None:
    OUT.mkdir(exist_ok=True)
    os.environ.setdefault("TSUNAGARI_DATA_DIR", str(OUT))
    if not os.environ.get("DATABASE_URL"):
        path = OUT / f"consumer-{people}.sqlite3"
        path.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagari.settings")
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--others", type=int, default=4000)
    parser.add_argument("--towns", type=int, default=8)
    args = parser.parse_args()
    setup_django(args.people)
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tsunagari.accounts.personas import ensure_agencies, ensure_personas
    from tsunagari.consumer.models import Delivery, VisitTask
    from tsunagari.consumer.services import (
        WARD_TOWNS,
        AlertInput,
        create_alert,
        issue_alert,
        send_alert,
    )
    from tsunagari.people.models import Household, Membership, Person

    call_command("migrate", verbosity=0)
    ensure_agencies(None)
    staff = ensure_personas()["consumer"]
    towns = list(WARD_TOWNS[: args.towns])
    people = [
        Person(
            surname=f"高齢{i}",
            given_name="太郎",
            birth_date=date(1940, 1, 1 + i % 28),
            town=towns[i % len(towns)],
            sealed=i % 10 == 0,
        )
        for i in range(args.people)
    ] + [
        Person(
            surname=f"若年{i}",
            given_name="花子",
            birth_date=date(1990, 1, 1),
            town=towns[i % len(towns)],
        )
        for i in range(args.others)
    ]
    Person.objects.bulk_create(people, batch_size=1000)
    homes = Household.objects.bulk_create([Household(number=f"H{i}") for i in range(len(people))])
    members = [Person.objects.order_by("pk").values_list("pk", flat=True)]
    Membership.objects.bulk_create(
        [Membership(household=h, person_id=pk) for h, pk in zip(homes, members[0], strict=True)],
        batch_size=1000,
    )
    areas = towns[: max(1, len(towns) // 2)]
    alert = create_alert(staff, AlertInput(
        kind="special_fraud", title="還付金詐欺", description="手口", advice="切る",
        source="centre", areas=areas))  # fmt: skip
    print(f"database: {connection.vendor}; {len(people):,} residents, alert on {len(areas)} towns")
    with CaptureQueriesContext(connection) as queries:
        t = time.perf_counter()
        issue_alert(staff, alert.pk)
        issued = time.perf_counter() - t
    tasks = VisitTask.objects.filter(alert=alert).count()
    alert.refresh_from_db()
    print(f"issue: {issued:.2f} s, {len(queries)} queries; {Delivery.objects.count()} deliveries, "
          f"{tasks} visit tasks ({issued / max(tasks, 1) * 1000:.1f} ms and "
          f"{len(queries) / max(tasks, 1):.1f} queries per task), "
          f"{alert.sealed_withheld} sealed left to designated staff")  # fmt: skip
    t = time.perf_counter()
    send_alert(staff, alert.pk)
    again = time.perf_counter() - t
    added = VisitTask.objects.filter(alert=alert).count() - tasks
    print(f"send again: {again:.2f} s, {added} tasks added")


if __name__ == "__main__":
    main()
