from django.apps import AppConfig


class CompetitionsConfig(AppConfig):
    name = "jiaogong.competitions"
    label = "competitions"
    verbose_name = "比赛"
    default_auto_field = "django.db.models.BigAutoField"
