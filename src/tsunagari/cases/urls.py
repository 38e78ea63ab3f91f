from __future__ import annotations

from django.urls import path

from tsunagari.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/stage/", views.case_stage, name="stage"),
    path("<int:case_id>/end/", views.case_end, name="end"),
    path("<int:case_id>/reopen/", views.case_reopen, name="reopen"),
    path("<int:case_id>/agencies/", views.case_add_agency, name="add_agency"),
    path("<int:case_id>/regime/", views.case_regime, name="regime"),
    path("<int:case_id>/confidentiality/", views.case_confirm, name="confirm"),
]
