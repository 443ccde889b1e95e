from django.apps import AppConfig


class StudyConfig(AppConfig):
    name = "jiaogong.study"
    label = "study"
    verbose_name = "学习"
    default_auto_field = "django.db.models.BigAutoField"
