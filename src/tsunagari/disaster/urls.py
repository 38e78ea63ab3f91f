from __future__ import annotations

from django.urls import URLPattern, path

from tsunagari.disaster import views

app_name = "disaster"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("roster/", views.roster, name="roster"),
    path("roster/rebuild/", views.rebuild, name="rebuild_now"),
    path("roster/add/", views.add, name="add"),
    path("roster/letters.pdf", views.letters, name="letters"),
    path("rebuilds/<int:pk>/", views.rebuild_detail, name="rebuild"),
    path("people/<int:person_id>/", views.entry, name="entry"),
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.rule_edit, name="rule_new"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("rules/data/", views.load_data, name="load_data"),
    path("recipients/", views.recipients, name="recipients"),
    path("recipients/<int:pk>/", views.recipient, name="recipient"),
    path("declare/", views.declare, name="declare"),
    path("declarations/<int:pk>/", views.declaration, name="declaration"),
    path("safety/", views.safety, name="safety"),
    path("safety/<int:person_id>/", views.safety_record, name="safety_record"),
    path("safety/board/", views.board, name="board"),
]
