"""The worker's list reads a caseload, and the targets nobody has taken, from
indexes in the order shown, however many there are."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0007_initial_password_must_change'),
        ('cases', '0006_conference_minutes_and_actions'),
        ('consultations', '0004_problem_area_consumer_damage'),
        ('linkage', '0003_review_pair_persons'),
        ('outreach', '0003_next_contact_on'),
        ('people', '0002_at_desk_openings'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='outreachtarget',
            index=models.Index(fields=['worker', 'created_at', 'id'], name='outreach_worker_created'),
        ),
        migrations.AddIndex(
            model_name='outreachtarget',
            index=models.Index(fields=['worker', 'state', 'next_contact_on'], name='outreach_worker_next'),
        ),
    ]
