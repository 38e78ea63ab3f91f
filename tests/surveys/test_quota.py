"""Response files waiting to be imported count against the uploader's share
of the data folder (lib.quota); an imported or discarded file frees it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.surveys import test_web_fixtures as fixtures
from tsunagari.accounts.models import Staff
from tsunagari.surveys import services
from tsunagari.surveys.models import ResponseImport, Survey

media = fixtures.media
planner = fixtures.planner
ward_survey = fixtures.ward_survey


def test_a_file_over_the_share_is_refused_until_a_waiting_one_is_imported(
    ward_survey: Survey, planner: Staff, media: Path, settings: Any
) -> None:
    settings.UPLOAD_QUOTA_FILES = 1
    frame, _ = fixtures.synthetic_frame(sample=200)
    job = services.upload_responses(planner, ward_survey, fixtures.csv_upload(frame))
    with pytest.raises(services.SurveyError, match="上限は 1 件"):
        services.upload_responses(planner, ward_survey, fixtures.csv_upload(frame))
    assert ResponseImport.objects.count() == 1
    services.check_import(planner, job, job.mapping, accept_no_answer=True)
    services.run_import(planner, job)
    assert services.stored_imports(planner.pk).files == 0
    services.upload_responses(planner, ward_survey, fixtures.csv_upload(frame))
