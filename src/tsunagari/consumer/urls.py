from __future__ import annotations

from django.urls import path

from tsunagari.consumer import views

app_name = "consumer"
urlpatterns = [
    path("", views.alert_list, name="list"),
    path("new/", views.alert_new, name="new"),
    path("<int:alert_id>/", views.alert_detail, name="detail"),
    path("<int:alert_id>/edit/", views.alert_edit, name="edit"),
    path("<int:alert_id>/issue/", views.alert_issue, name="issue"),
    path("<int:alert_id>/send/", views.alert_send, name="send"),
    path("<int:alert_id>/close/", views.alert_close, name="close"),
    path("inbox/", views.inbox_list, name="inbox"),
    path("inbox/<int:delivery_id>/", views.received, name="received"),
]
