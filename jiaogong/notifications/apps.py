from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "jiaogong.notifications"
    verbose_name = "提醒与通知"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from jiaogong.notifications import member_sources, sources

        sources.register(member_sources.birthdays)
        sources.register(member_sources.retirements)
