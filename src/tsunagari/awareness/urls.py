from __future__ import annotations

from django.urls import path

from tsunagari.awareness import views

app_name = "awareness"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
]
