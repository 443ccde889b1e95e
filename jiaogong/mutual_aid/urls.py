from jiaogong.mutual_aid.views import urlpatterns  # noqa: F401

app_name = "mutual_aid"
