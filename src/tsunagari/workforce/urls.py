from __future__ import annotations

from django.urls import path

from tsunagari.workforce import views

app_name = "workforce"

urlpatterns = [
    path("", views.index, name="index"),
    path("agencies/<slug:code>/", views.register, name="register"),
    path("agencies/<slug:code>/trainings/new/", views.training_new, name="training_new"),
    path("agencies/<slug:code>/supervision/new/", views.supervision_new, name="supervision_new"),
    path("workers/<int:pk>/", views.worker, name="worker"),
    path("workers/<int:pk>/status/", views.worker_status, name="worker_status"),
    path("trainings/<int:pk>/", views.training, name="training"),
    path("cross-agency/", views.cross_list, name="cross"),
    path("cross-agency/new/", views.cross_new, name="cross_new"),
]
