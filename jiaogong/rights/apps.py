from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "jiaogong.rights"
    verbose_name = "维权"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from jiaogong.notifications import sources
        from jiaogong.rights import reminders

        sources.register(reminders.rights_due)
