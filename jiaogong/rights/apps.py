from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "jiaogong.rights"
    verbose_name = "维权"
    default_auto_field = "django.db.models.BigAutoField"
