"""教代会 pages. Each area keeps its own views module and URL list."""

from jiaogong.congress import views, views_appraisals, views_papers, views_proposals, views_structure

app_name = "congress"
urlpatterns = [
    *views.urlpatterns,
    *views_proposals.urlpatterns,
    *views_appraisals.urlpatterns,
    *views_papers.urlpatterns,
    *views_structure.urlpatterns,
]
