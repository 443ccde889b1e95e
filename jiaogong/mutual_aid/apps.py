from django.apps import AppConfig


class MutualAidConfig(AppConfig):
    name = "jiaogong.mutual_aid"
    verbose_name = "互助保障"
    default_auto_field = "django.db.models.BigAutoField"
