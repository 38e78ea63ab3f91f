from __future__ import annotations

from django.urls import path

from tsunagari.participation import views

app_name = "participation"

urlpatterns = [
    path("", views.home, name="home"),
    path("people/<int:person_id>/", views.profile, name="profile"),
    path("people/<int:person_id>/suggestions/", views.suggestions, name="suggestions"),
    path("placements/<int:placement_id>/", views.placement, name="placement"),
    path("placements/<int:placement_id>/move/", views.placement_move, name="placement_move"),
    path(
        "placements/<int:placement_id>/follow-ups/<int:follow_up_id>/",
        views.follow_up,
        name="follow_up",
    ),
    path("placements/<int:placement_id>/host-support/", views.host_support, name="host_support"),
    path("hosts/", views.hosts, name="hosts"),
]
