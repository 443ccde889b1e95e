from jiaogong.funds import views_allocation, views_benefits, views_books, views_reports
from jiaogong.funds.views import app_name, urlpatterns

urlpatterns = [
    *urlpatterns,
    *views_books.urlpatterns,
    *views_allocation.urlpatterns,
    *views_benefits.urlpatterns,
    *views_reports.urlpatterns,
]

__all__ = ["app_name", "urlpatterns"]
