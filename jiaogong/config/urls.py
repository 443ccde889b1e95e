from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("jiaogong.api.urls")),
    path("accounts/", include("jiaogong.accounts.urls")),
    path("", include("jiaogong.core.urls")),
    path("", include("jiaogong.members.urls")),
    path("", include("jiaogong.congress.urls")),
    path("", include("jiaogong.funds.urls")),
    path("", include("jiaogong.donations.urls")),
]
