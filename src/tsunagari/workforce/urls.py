from __future__ import annotations

app_name = "workforce"
urlpatterns: list[object] = []
