from django.urls import path

from tsunagari.lib.views import plotly_js
from tsunagari.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("plotly.min.js", plotly_js, name="plotly"),
    path("<int:pk>/", views.results, name="results"),
    path("<int:pk>/questions/", views.questions, name="questions"),
    path("<int:pk>/import/", views.upload, name="import"),
    path("<int:pk>/weighting/", views.weighting, name="weighting"),
    path("<int:pk>/responses/", views.responses, name="responses"),
    path("<int:pk>/report.html", views.report_html, name="report_html"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("imports/<int:job>/", views.mapping, name="mapping"),
    path("imports/<int:job>/run/", views.run, name="run"),
    path("imports/<int:job>/discard/", views.discard, name="discard"),
]
