"""Fill a migrated database and its data folder with a little of everything a
backup must keep: staff, persons registered through the service (events and
audit rows), audit views of lists, an uploaded file and a linkage run's output.

Run as ``python -m tests.backup.populate`` with DATABASE_URL / TSUNAGARI_DATA_DIR
set (the backup tests do, in a subprocess).
"""

from __future__ import annotations

import os

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tsunagari.settings")
    django.setup()
    from django.conf import settings

    from tsunagari.accounts.personas import ensure_personas
    from tsunagari.audit.models import AuditAction
    from tsunagari.audit.services import record
    from tsunagari.people.services import PersonInput, create_person

    staff = ensure_personas(password="backup-test-password")
    actor = staff["consultant.elderly"]
    ids = []
    for n in range(12):
        result = create_person(
            actor,
            PersonInput(
                name=f"江東　花子{n}",
                kana=f"コウトウ　ハナコ{'アイウエオカキクケコサシ'[n]}",
                birth_date=f"19{40 + n}-04-0{1 + n % 9}",
                sex="2",
                address=f"東京都江東区北砂三丁目{n + 1}番5号",
            ),
            confirm_new=True,
        )
        assert result.person is not None
        ids.append(str(result.person.pk))
    record(actor, AuditAction.VIEW, object_type="people.list", detail={"persons": ids[:5]})
    data = settings.DATA_DIR
    (data / "media" / "council" / "documents").mkdir(parents=True, exist_ok=True)
    (data / "media" / "council" / "documents" / "議事録.pdf").write_bytes(
        b"%PDF-1.4\n" + bytes(range(256)) * 40
    )
    run = data / "linkage" / "runs" / "1"
    run.mkdir(parents=True, exist_ok=True)
    (run / "clusters.csv").write_text("person_id,cluster\n1,1\n2,1\n", encoding="utf-8")
    print(",".join(ids))


if __name__ == "__main__":
    main()
