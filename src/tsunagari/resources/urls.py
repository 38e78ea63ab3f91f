from __future__ import annotations

from django.urls import path

from tsunagari.resources import views

app_name = "resources"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("stale/", views.stale, name="stale"),
    path("new/", views.new, name="new"),
    path("places/<str:location_id>/accessibility/", views.accessibility, name="accessibility"),
    path("<str:service_id>/", views.detail, name="detail"),
    path("<str:service_id>/edit/", views.edit, name="edit"),
    path("<str:service_id>/verify/", views.verify, name="verify"),
]
