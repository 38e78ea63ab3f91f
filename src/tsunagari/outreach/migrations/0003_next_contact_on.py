"""Each target keeps the next contact its latest contact planned, so that the
worker's list orders a whole caseload without reading every target's
contacts. Filled here from the contacts already recorded."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    target = apps.get_model("outreach", "OutreachTarget")
    contact = apps.get_model("outreach", "Contact")
    latest = (
        contact.objects.filter(target=OuterRef("pk")).order_by("-on", "-pk").values("next_on")[:1]
    )
    target.objects.update(next_contact_on=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0002_alert_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="outreachtarget",
            name="next_contact_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="次回の予定"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
