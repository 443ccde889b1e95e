from django.apps import AppConfig


class CongressConfig(AppConfig):
    name = "jiaogong.congress"
    verbose_name = "教代会"
