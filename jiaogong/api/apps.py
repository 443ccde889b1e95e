from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jiaogong.api"
    verbose_name = "API"
