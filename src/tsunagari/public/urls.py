from __future__ import annotations

from django.urls import path

from tsunagari.public import activities, views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("soudan/", views.navigator, name="navigator"),
    path("kinkyu/", views.lines, name="lines"),
    path("basho/", views.places, name="places"),
    path("katsudo/", activities.activities, name="activities"),
    path("basho/<str:service_id>/", views.place, name="place"),
    path("hsds-profile/", views.hsds_profile, name="hsds_profile"),
]
