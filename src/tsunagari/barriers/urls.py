from __future__ import annotations

from django.urls import path

from tsunagari.barriers import views

app_name = "barriers"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("<int:report_id>/", views.detail, name="detail"),
    path("<int:report_id>/assign/", views.assign, name="assign"),
    path("<int:report_id>/move/", views.move, name="move"),
]
