from django.contrib import admin
from django.urls import include, path

from jiaogong.core.views_ops import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("jiaogong.api.urls")),
    path("accounts/", include("jiaogong.accounts.urls")),
    path("", include("jiaogong.core.urls")),
    path("", include("jiaogong.members.urls")),
    path("", include("jiaogong.congress.urls")),
    path("", include("jiaogong.funds.urls")),
    path("", include("jiaogong.donations.urls")),
    path("", include("jiaogong.welfare.urls")),
    path("", include("jiaogong.hardship.urls")),
    path("", include("jiaogong.notifications.urls")),
    path("", include("jiaogong.rights.urls")),
    path("", include("jiaogong.checkups.urls")),
    path("", include("jiaogong.mutual_aid.urls")),
    path("", include("jiaogong.recuperation.urls")),
    path("", include("jiaogong.activities.urls")),
    path("", include("jiaogong.plans.urls")),
    path("", include("jiaogong.competitions.urls")),
    path("", include("jiaogong.clubs.urls")),
    path("", include("jiaogong.study.urls")),
    path("", include("jiaogong.reports.urls")),
]
