from __future__ import annotations

from django.urls import URLPattern, path

from tsunagari.outreach import views

app_name = "outreach"

urlpatterns: list[URLPattern] = [
    path("", views.worker_list, name="list"),
    path("visits/", views.visits, name="visits"),
    path("team/", views.team, name="team"),
    path("new/", views.new_target, name="new"),
    path("tip/", views.tip, name="tip"),
    path("<int:target_id>/", views.detail, name="detail"),
    path("<int:target_id>/contact/", views.contact, name="contact"),
    path("<int:target_id>/state/", views.state, name="state"),
    path("<int:target_id>/take/", views.take, name="take"),
    path("<int:target_id>/connect/", views.connect, name="connect"),
    path("<int:target_id>/close/", views.close, name="close"),
    path("<int:target_id>/pause/", views.pause, name="pause"),
    path("<int:target_id>/identify/", views.identify, name="identify"),
]
