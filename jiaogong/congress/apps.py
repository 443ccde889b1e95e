from django.apps import AppConfig


class CongressConfig(AppConfig):
    name = "jiaogong.congress"
    verbose_name = "教代会"

    def ready(self):
        from jiaogong.congress import rules
        from jiaogong.core.rules import VALIDATORS

        # The number of 监票人 a school may set: never one person holding the whole key.
        VALIDATORS["congress.scrutineers"] = rules.validate_scrutineer_bounds
