from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "jiaogong.reports"
    label = "reports"
    verbose_name = "总结与台帐"
    default_auto_field = "django.db.models.BigAutoField"
