from jiaogong.funds import views_reports
from jiaogong.funds.views import app_name, urlpatterns

urlpatterns = urlpatterns + views_reports.urlpatterns

__all__ = ["app_name", "urlpatterns"]
