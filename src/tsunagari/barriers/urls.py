from __future__ import annotations

app_name = "barriers"
urlpatterns: list[object] = []
