from django.apps import AppConfig


class ClubsConfig(AppConfig):
    name = "jiaogong.clubs"
    label = "clubs"
    verbose_name = "兴趣小组"
    default_auto_field = "django.db.models.BigAutoField"
