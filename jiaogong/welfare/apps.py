from django.apps import AppConfig


class WelfareConfig(AppConfig):
    name = "jiaogong.welfare"
    verbose_name = "送温暖"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from jiaogong.core.rules import VALIDATORS
        from jiaogong.notifications import sources
        from jiaogong.welfare import reminders, rules

        # The 五必访 table the chair types on the rules page is checked like the code reads it.
        VALIDATORS["welfare.triggers"] = rules.validate_triggers
        sources.register(reminders.visits_due)
