from django.apps import AppConfig


class CheckupsConfig(AppConfig):
    name = "jiaogong.checkups"
    verbose_name = "体检与妇检"
    default_auto_field = "django.db.models.BigAutoField"
