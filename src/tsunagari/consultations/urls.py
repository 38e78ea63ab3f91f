from django.urls import URLPattern

app_name = "consultations"

urlpatterns: list[URLPattern] = []
