from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "jiaogong.members"
    verbose_name = "会员"

    def ready(self):
        from jiaogong.core.rules import VALIDATORS

        VALIDATORS["members.pseudonymise_after_years"] = _check_retention


def _check_retention(value) -> None:
    if not isinstance(value, int) or not 1 <= value <= 30:
        raise ValueError("保留年限应为 1 到 30 年。")
