from __future__ import annotations

from django.urls import path

from tsunagari.consent import views

app_name = "consent"

urlpatterns = [
    path("new/", views.new, name="new"),
    path("<int:consent_id>/withdraw/", views.withdraw, name="withdraw"),
    path("support-meeting/new/", views.meeting_new, name="meeting_new"),
    path("support-meeting/<int:meeting_id>/end/", views.meeting_end, name="meeting_end"),
]
