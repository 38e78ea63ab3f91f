from __future__ import annotations

from django.urls import path

from tsunagari.cases import views, work_views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("dashboard/", views.case_dashboard, name="dashboard"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/stage/", views.case_stage, name="stage"),
    path("<int:case_id>/end/", views.case_end, name="end"),
    path("<int:case_id>/reopen/", views.case_reopen, name="reopen"),
    path("<int:case_id>/agencies/", views.case_add_agency, name="add_agency"),
    path("<int:case_id>/workers/", views.case_assign, name="assign"),
    path("<int:case_id>/regime/", views.case_regime, name="regime"),
    path("<int:case_id>/confidentiality/", views.case_confirm, name="confirm"),
    path("<int:case_id>/assessment/", work_views.assessment, name="assessment"),
    path("<int:case_id>/plan/", work_views.plan, name="plan"),
    path("<int:case_id>/plan/agree/", work_views.plan_agree, name="plan_agree"),
    path("<int:case_id>/plan.pdf", work_views.plan_pdf, name="plan_pdf"),
    path("<int:case_id>/monitoring/", work_views.monitor, name="monitor"),
    path("<int:case_id>/conferences/new/", work_views.conference_new, name="conference_new"),
    path(
        "<int:case_id>/conferences/<int:conference_id>/", work_views.conference, name="conference"
    ),
    path(
        "<int:case_id>/conferences/<int:conference_id>/minutes/",
        work_views.conference_minutes,
        name="conference_minutes",
    ),
    path(
        "<int:case_id>/conferences/<int:conference_id>/actions/",
        work_views.conference_action_new,
        name="conference_action_new",
    ),
    path(
        "<int:case_id>/conference-actions/<int:action_id>/done/",
        work_views.conference_action_done,
        name="conference_action_done",
    ),
    path(
        "<int:case_id>/conferences/<int:conference_id>/record.pdf",
        work_views.conference_pdf,
        name="conference_pdf",
    ),
]
