"""教代会 pages. Each area keeps its own views module and URL list."""

from jiaogong.congress import (
    views,
    views_appraisals,
    views_papers,
    views_proposals,
    views_scrutiny,
    views_structure,
)

app_name = "congress"
urlpatterns = [
    # before views: its polls/<id>/<action>/ would take polls/<id>/bulletin/
    *views_scrutiny.urlpatterns,
    *views.urlpatterns,
    *views_proposals.urlpatterns,
    *views_appraisals.urlpatterns,
    *views_papers.urlpatterns,
    *views_structure.urlpatterns,
]
