from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "jiaogong.funds"
    verbose_name = "会费与经费"
    default_auto_field = "django.db.models.BigAutoField"
