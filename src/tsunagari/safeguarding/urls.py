from __future__ import annotations

from django.urls import path

from tsunagari.safeguarding import views

app_name = "safeguarding"

urlpatterns = [
    path("", views.team_list, name="list"),
    path("new/", views.report_new, name="new"),
    path("<int:report_id>/", views.report_detail, name="report"),
    path("<int:report_id>/safety/", views.report_safety, name="safety"),
    path("<int:report_id>/facts/", views.report_facts, name="facts"),
    path("<int:report_id>/decide/", views.report_decide, name="decide"),
    path("<int:report_id>/monitor/", views.report_monitor, name="monitor"),
    path("<int:report_id>/close/", views.report_close, name="close"),
    path("<int:report_id>/identify/", views.report_identify, name="identify"),
    path("<int:report_id>/seal/", views.report_seal, name="seal"),
    path("<int:report_id>/plan/", views.report_plan, name="plan"),
    path("advocacy/", views.advocacy_list, name="advocacy_list"),
    path("advocacy/<int:advocacy_id>/", views.advocacy_detail, name="advocacy"),
    path("advocacy/<int:advocacy_id>/petition/", views.advocacy_petition, name="petition"),
    path("advocacy/<int:advocacy_id>/support/", views.advocacy_support, name="support"),
    path("advocacy/<int:advocacy_id>/close/", views.advocacy_close, name="advocacy_close"),
    path("petitions/<int:petition_id>/step/", views.petition_step, name="petition_step"),
    path("counts/", views.counts, name="counts"),
    path("counts.csv", views.counts_csv, name="counts_csv"),
]
