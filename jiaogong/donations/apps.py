from django.apps import AppConfig


class DonationsConfig(AppConfig):
    name = "jiaogong.donations"
    verbose_name = "慈善捐款"
    default_auto_field = "django.db.models.BigAutoField"
