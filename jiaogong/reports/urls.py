from django.urls import path

from jiaogong.reports import views

app_name = "reports"

urlpatterns = [
    path("o/<int:org_id>/records/summary/", views.summary_home, name="summary_home"),
    path("o/<int:org_id>/records/summary/<int:year>/", views.summary, name="summary"),
    path("o/<int:org_id>/records/summary/<int:year>/draft/", views.summary_draft, name="summary_draft"),
    path("o/<int:org_id>/records/summary/<int:year>/sections/<slug:area>/", views.section, name="section"),
    path("o/<int:org_id>/records/summary/<int:year>/summary.docx", views.summary_docx, name="summary_docx"),
    path(
        "o/<int:org_id>/records/summary/<int:year>/charts/<slug:key>.png", views.summary_chart, name="chart"
    ),
    path("o/<int:org_id>/records/summary/<int:year>/figures/<slug:key>/", views.figure, name="figure"),
    path("o/<int:org_id>/records/archive/", views.archive_page, name="archive"),
    path("o/<int:org_id>/records/archive/<int:year>.zip", views.archive_zip, name="archive_zip"),
]
