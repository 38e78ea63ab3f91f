from __future__ import annotations

from django.urls import URLPattern, path

from tsunagari.plan import views

app_name = "plan"

urlpatterns: list[URLPattern] = [
    path("", views.tree, name="tree"),
    path("indicators/<int:pk>/", views.indicator, name="indicator"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("directions/<int:pk>/", views.direction, name="direction"),
    path("schedule/", views.schedule, name="schedule"),
    path("reports/<str:kind>.<str:fmt_>", views.report, name="report"),
]
