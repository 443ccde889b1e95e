from jiaogong.study.views import urlpatterns  # noqa: F401

app_name = "study"
