"""Events are now written unsealed and chained by a sealer.

Every existing event was written sealed (seq, prev_hash and hash set, the
head at the last one), so the chain itself needs no change: the columns
only become optional. The data step makes sure the head row exists, so
that sealers never race to create it on a live system.
"""

from typing import Any

from django.db import migrations, models


def ensure_head(apps: Any, schema_editor: Any) -> None:
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditHead = apps.get_model("audit", "AuditHead")
    if AuditHead.objects.filter(id=1).exists():
        return
    last = AuditEvent.objects.exclude(seq=None).order_by("-seq").first()
    AuditHead.objects.create(
        id=1, seq=last.seq if last else 0, hash=last.hash if last else "0" * 64
    )


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_audit_subjects'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='auditevent',
            options={'ordering': [models.OrderBy(models.F('seq'), nulls_last=True), 'pk'], 'verbose_name': '監査イベント', 'verbose_name_plural': '監査イベント'},
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='prev_hash',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='seq',
            field=models.BigIntegerField(blank=True, null=True, unique=True, verbose_name='通番'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(condition=models.Q(('seq__isnull', True)), fields=['id'], name='audit_event_unsealed'),
        ),
        migrations.RunPython(ensure_head, migrations.RunPython.noop),
    ]
