"""Case conferences share the meeting record: versioned minutes and assigned actions.

The conference's minutes text moves into a ConferenceMinutes record (version 1,
recorded by whoever recorded the conference, at that time), nothing is lost;
going back puts the current text on the conference again.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def minutes_into_records(apps, schema_editor):
    Conference = apps.get_model("cases", "Conference")
    ConferenceMinutes = apps.get_model("cases", "ConferenceMinutes")
    rows = [
        ConferenceMinutes(meeting_id=c.pk, text=c.minutes, recorded_by_id=c.recorded_by_id,
                          updated=c.recorded_at, version=1)
        for c in Conference.objects.exclude(minutes="").only(
            "pk", "minutes", "recorded_by_id", "recorded_at")
    ]  # fmt: skip
    ConferenceMinutes.objects.bulk_create(rows, batch_size=500)


def minutes_back(apps, schema_editor):
    Conference = apps.get_model("cases", "Conference")
    ConferenceMinutes = apps.get_model("cases", "ConferenceMinutes")
    for record in ConferenceMinutes.objects.all():
        Conference.objects.filter(pk=record.meeting_id).update(minutes=record.text)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_consumer_affairs_designation'),
        ('cases', '0005_team_agency_worker'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ConferenceMinutes',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(verbose_name='議事録')),
                ('updated', models.DateTimeField(default=django.utils.timezone.now)),
                ('version', models.PositiveIntegerField(default=1)),
                ('meeting', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='minutes_record', to='cases.conference')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '事例の会議の議事録',
                'verbose_name_plural': '事例の会議の議事録',
            },
        ),
        migrations.CreateModel(
            name='ConferenceAction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=300, verbose_name='内容')),
                ('due_on', models.DateField(verbose_name='期限')),
                ('status', models.CharField(choices=[('open', '対応中'), ('done', '完了')], default='open', max_length=10, verbose_name='状態')),
                ('done_on', models.DateField(blank=True, null=True, verbose_name='完了日')),
                ('created', models.DateTimeField(default=django.utils.timezone.now)),
                ('added_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.agency', verbose_name='担当機関')),
                ('conference', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='cases.conference')),
            ],
            options={
                'verbose_name': '事例の会議で決めた行動',
                'verbose_name_plural': '事例の会議で決めた行動',
                'ordering': ['status', 'due_on', 'pk'],
                'indexes': [models.Index(fields=['agency', 'status', 'due_on'], name='conf_action_agency_due')],
            },
        ),
        # Keep every conference's minutes: each text becomes version 1 of its record.
        migrations.RunPython(minutes_into_records, minutes_back, elidable=False),
        migrations.RemoveField(
            model_name='conference',
            name='minutes',
        ),
    ]
