from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jiaogong.accounts"
    verbose_name = "账号"
