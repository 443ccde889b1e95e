from jiaogong.checkups.views import urlpatterns  # noqa: F401

app_name = "checkups"
