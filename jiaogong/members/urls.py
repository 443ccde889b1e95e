from django.urls import path

from jiaogong.members import views

app_name = "members"
urlpatterns = [
    path("o/<int:org_id>/members/", views.member_list, name="list"),
    path("o/<int:org_id>/members/new/", views.member_create, name="create"),
    path("o/<int:org_id>/members/import/", views.member_import, name="import"),
    path("o/<int:org_id>/members/import/template.xlsx", views.import_template, name="import_template"),
    path("o/<int:org_id>/members/export.xlsx", views.member_export, name="export"),
    path("o/<int:org_id>/members/<int:member_id>/", views.member_detail, name="detail"),
    path("o/<int:org_id>/members/<int:member_id>/edit/", views.member_edit, name="edit"),
    path("o/<int:org_id>/members/<int:member_id>/status/", views.member_status, name="status"),
    path("o/<int:org_id>/members/<int:member_id>/approve/", views.member_approve, name="approve"),
    path("o/<int:org_id>/groups/", views.group_list, name="groups"),
    path("o/<int:org_id>/groups/<int:group_id>/", views.group_detail, name="group"),
    path("o/<int:org_id>/committee/", views.committee, name="committee"),
    path("o/<int:org_id>/committee/seats/<int:seat_id>/end/", views.seat_end, name="seat_end"),
]
