"""Funds reports and downloads (the 报表 page). Filled in by the reports work."""

urlpatterns: list = []
