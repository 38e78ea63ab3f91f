from __future__ import annotations

from django.urls import path

from tsunagari.public import activities, barriers, views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("soudan/", views.navigator, name="navigator"),
    path("kinkyu/", views.lines, name="lines"),
    path("basho/", views.places, name="places"),
    path("katsudo/", activities.activities, name="activities"),
    path("basho/<str:service_id>/", views.place, name="place"),
    path("baria/", barriers.report, name="barrier_report"),
    path("baria/jokyo/", barriers.status, name="barrier_status"),
    path("hsds-profile/", views.hsds_profile, name="hsds_profile"),
]
