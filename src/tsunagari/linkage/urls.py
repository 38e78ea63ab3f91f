from django.urls import path

from tsunagari.linkage import views

app_name = "linkage"

urlpatterns = [
    path("runs/", views.runs, name="runs"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("sources/", views.sources, name="sources"),
    path("sources/<slug:name>/", views.source_edit, name="source_edit"),
    path("review/", views.review_list, name="review"),
    path("review/<int:pk>/", views.review_pair, name="review_pair"),
    path("candidates/", views.candidates, name="candidates"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate"),
    path("people/<int:person_id>/departments/", views.departments, name="departments"),
]
