from django.urls import path

app_name = "resources"

urlpatterns: list[path] = []  # type: ignore[valid-type]
