from __future__ import annotations

from django.urls import path

from tsunagari.community import views

app_name = "community"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_new, name="new"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/sessions/", views.sessions_add, name="sessions_add"),
    path("sessions/<int:pk>/", views.session_attendance, name="attendance"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("gaps/", views.gaps, name="gaps"),
    path("counts/", views.counts, name="counts"),
]
