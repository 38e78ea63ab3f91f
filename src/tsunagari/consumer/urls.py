from __future__ import annotations

app_name = "consumer"
urlpatterns: list[object] = []
