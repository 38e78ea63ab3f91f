from __future__ import annotations

app_name = "awareness"
urlpatterns: list[object] = []
