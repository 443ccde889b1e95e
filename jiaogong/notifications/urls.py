from django.urls import path

from jiaogong.notifications import views

app_name = "notifications"
urlpatterns = [
    path("o/<int:org_id>/notifications/", views.inbox, name="inbox"),
    path("o/<int:org_id>/notifications/read-all/", views.mark_all_read, name="read_all"),
    path("o/<int:org_id>/notifications/preferences/", views.preferences, name="preferences"),
    path("o/<int:org_id>/notifications/<int:notification_id>/read/", views.mark_read, name="read"),
    path("o/<int:org_id>/notifications/<int:notification_id>/open/", views.open_item, name="open"),
]
