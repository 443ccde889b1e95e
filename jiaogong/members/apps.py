from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "jiaogong.members"
    verbose_name = "会员"
