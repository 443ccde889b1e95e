from jiaogong.funds.views import app_name, urlpatterns  # noqa: F401
