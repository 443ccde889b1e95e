from django.urls import path

from jiaogong.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("o/<int:org_id>/", views.dashboard, name="dashboard"),
    path("o/<int:org_id>/schools/", views.federation, name="federation"),
    path("o/<int:org_id>/rules/", views.rules, name="rules"),
    path("o/<int:org_id>/audit/", views.audit_log, name="audit"),
]
