from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiaogong.core"
    verbose_name = "基础"

    def ready(self):
        from django.db.models.signals import post_migrate

        from jiaogong.core.rules import sync_catalogue_after_migrate

        post_migrate.connect(sync_catalogue_after_migrate, sender=self)
