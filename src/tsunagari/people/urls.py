from django.urls import path

from tsunagari.people import views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("<int:person_id>/", views.detail, name="detail"),
    path("<int:person_id>/edit/", views.edit, name="edit"),
    path("<int:person_id>/export.csv", views.export, name="export"),
    path("openings/", views.openings, name="openings"),
    path("openings/<int:opening_id>/review/", views.review_opening, name="review_opening"),
]
