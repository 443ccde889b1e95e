from django.apps import AppConfig


class RecuperationConfig(AppConfig):
    name = "jiaogong.recuperation"
    verbose_name = "疗休养"
    default_auto_field = "django.db.models.BigAutoField"
