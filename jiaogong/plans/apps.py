from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "jiaogong.plans"
    label = "plans"
    verbose_name = "工作计划"
    default_auto_field = "django.db.models.BigAutoField"
