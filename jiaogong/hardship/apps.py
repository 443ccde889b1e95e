from django.apps import AppConfig


class HardshipConfig(AppConfig):
    name = "jiaogong.hardship"
    verbose_name = "困难职工档案"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from jiaogong.hardship import reminders
        from jiaogong.notifications import sources

        sources.register(reminders.hardship_reviews)
