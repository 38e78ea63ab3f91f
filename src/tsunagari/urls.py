from django.urls import include, path
from django.views.i18n import set_language

from tsunagari.api import api
from tsunagari.lib.views import plotly_digest, plotly_js

urlpatterns = [
    path("", include("tsunagari.accounts.urls")),
    path("audit/", include("tsunagari.audit.urls")),
    path("people/", include("tsunagari.people.urls")),
    path("consultations/", include("tsunagari.consultations.urls")),
    path("consent/", include("tsunagari.consent.urls")),
    path("cases/", include("tsunagari.cases.urls")),
    path("surveys/", include("tsunagari.surveys.urls")),
    path("council/", include("tsunagari.council.urls")),
    path("linkage/", include("tsunagari.linkage.urls")),
    path("resources/", include("tsunagari.resources.urls")),
    path("public/", include("tsunagari.public.urls")),
    path("outreach/", include("tsunagari.outreach.urls")),
    path("participation/", include("tsunagari.participation.urls")),
    path("community/", include("tsunagari.community.urls")),
    path("plan/", include("tsunagari.plan.urls")),
    path("disaster/", include("tsunagari.disaster.urls")),
    path("safeguarding/", include("tsunagari.safeguarding.urls")),
    path("consumer/", include("tsunagari.consumer.urls")),
    path("barriers/", include("tsunagari.barriers.urls")),
    path("workforce/", include("tsunagari.workforce.urls")),
    path("awareness/", include("tsunagari.awareness.urls")),
    # The chart library under its content hash: cached by browsers for a year.
    path(
        f"charts/plotly.{plotly_digest()}.min.js",
        plotly_js,
        {"hashed": True},
        name="chart_library",
    ),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", api.urls),
]
