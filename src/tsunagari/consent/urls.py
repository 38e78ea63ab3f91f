from __future__ import annotations

from django.urls import path

from tsunagari.consent import views

app_name = "consent"

urlpatterns = [
    path("new/", views.new, name="new"),
    path("<int:consent_id>/withdraw/", views.withdraw, name="withdraw"),
    path(
        "<int:consent_id>/member/<int:person_id>/withdraw/",
        views.withdraw_member,
        name="withdraw_member",
    ),
    path("<int:consent_id>/withdrawal/seen/", views.withdrawal_seen, name="withdrawal_seen"),
    path("support-meeting/", views.meetings, name="meetings"),
    path("support-meeting/new/", views.meeting_new, name="meeting_new"),
    path(
        "support-meeting/<int:meeting_id>/confirm/", views.meeting_confirm, name="meeting_confirm"
    ),
    path("support-meeting/<int:meeting_id>/reject/", views.meeting_reject, name="meeting_reject"),
    path("support-meeting/<int:meeting_id>/end/", views.meeting_end, name="meeting_end"),
]
