from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "jiaogong.activities"
    label = "activities"
    verbose_name = "活动与行事历"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from jiaogong.activities import reminders
        from jiaogong.notifications import sources

        sources.register(reminders.deadlines_due)
