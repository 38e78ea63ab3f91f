from __future__ import annotations

from django.urls import path

from tsunagari.consultations import views
from tsunagari.lib.views import plotly_js

app_name = "consultations"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("new/", views.new, name="new"),
    path("save/", views.save, name="save"),
    path("autosave/", views.autosave, name="autosave"),
    path("lookup/", views.person_lookup, name="lookup"),
    path("needs/", views.needs, name="needs"),
    path("needs/<int:need_id>/pick-up/", views.need_pick_up, name="need_pick_up"),
    path("loop/", views.loop, name="loop"),
    path("plotly.min.js", plotly_js, name="plotly"),
    path("<int:consultation_id>/", views.detail, name="detail"),
    path("<int:consultation_id>/edit/", views.edit, name="edit"),
    path("<int:consultation_id>/refer/", views.refer, name="refer"),
    path("referrals/<int:referral_id>/", views.referral, name="referral"),
    path(
        "referrals/<int:referral_id>/<slug:action>/", views.referral_action, name="referral_action"
    ),
]
