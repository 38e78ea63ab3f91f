from django.urls import path

from tsunagari.council import views

app_name = "council"

urlpatterns = [
    path("", views.home, name="home"),
    path("members/", views.members, name="members"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("meetings/<int:pk>/actions/", views.action_new, name="action_new"),
    path("actions/", views.actions, name="actions"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("documents/", views.documents, name="documents"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("documents/<int:pk>/delete/", views.document_delete, name="document_delete"),
]
