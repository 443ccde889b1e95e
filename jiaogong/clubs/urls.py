from jiaogong.clubs.views import urlpatterns  # noqa: F401

app_name = "clubs"
