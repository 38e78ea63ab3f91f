"""The survey import, from upload to stored responses, with arbitrary answers.

Upload, check and import either store every row or refuse with
``SurveyError`` and leave the survey's responses as they were.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import event, given, settings
from hypothesis import strategies as st

from tests.fuzz.strategies import CELL, EXAMPLES, FUZZ, QUOTING, csv_bytes
from tests.surveys.test_web_fixtures import media, planner, ward_survey  # noqa: F401 (fixtures)
from tsunagari.accounts.models import Staff
from tsunagari.surveys import services
from tsunagari.surveys.models import Response, ResponseImport, Survey
from tsunagari.surveys.services import SurveyError

HEADER = ["respondent_id", "age", "sex", "town", "direct", "ucla1", "ucla2", "ucla3"]
ANSWER = (
    st.sampled_from(["", "1", "2", "3", "4", "9", "67", "80", "北砂", "豊洲", "男", "女", "１"])
    | CELL
)
ROWS = st.lists(
    st.tuples(st.text(alphabet="R0123456789", min_size=1, max_size=4), *[ANSWER] * 7).map(list),
    min_size=1,
    max_size=8,
)


def _counts(survey: Survey) -> tuple[int, int]:
    return (
        Response.objects.filter(survey=survey).count(),
        ResponseImport.objects.filter(survey=survey).count(),
    )


@settings(parent=FUZZ, max_examples=max(10, EXAMPLES // 3))  # each run is a whole import
@given(ROWS, QUOTING, st.booleans())
def test_it_imports_all_or_nothing_of_any_survey_answers(
    planner: Staff,  # noqa: F811
    ward_survey: Survey,  # noqa: F811
    rows: list[list[str]],
    quoting: int,
    accept_no_answer: bool,
) -> None:
    # given a responses file with arbitrary answers
    data = csv_bytes(HEADER, rows, quoting=quoting, encoding="utf-8")
    before = _counts(ward_survey)
    # when it is uploaded, checked and imported
    try:
        job = services.upload_responses(
            planner, ward_survey, SimpleUploadedFile("responses.csv", data, "text/csv")
        )
    except SurveyError:
        # then a refused upload stores nothing
        event("refused on upload")
        assert _counts(ward_survey) == before
        return
    result = services.check_import(planner, job, job.mapping, accept_no_answer=accept_no_answer)
    responses_before = Response.objects.filter(survey=ward_survey).count()
    try:
        services.run_import(planner, ResponseImport.objects.get(pk=job.pk))
    except SurveyError:
        # then a refused import leaves the responses as they were
        event("refused on import")
        assert not result.can_import(accept_no_answer) or result.clean is None
        assert Response.objects.filter(survey=ward_survey).count() == responses_before
        return
    # then every row is stored
    event("imported")
    assert Response.objects.filter(survey=ward_survey).count() == len(rows)
