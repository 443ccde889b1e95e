from django import forms

from jiaogong.notifications.sources import KINDS


class PreferencesForm(forms.Form):
    """Two check boxes a kind: 站内提醒, 邮件提醒."""

    def __init__(self, *args, choices: dict, has_email: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_email = has_email
        for kind, label in KINDS.items():
            current = choices[kind]
            self.fields[f"{kind}__in_app"] = forms.BooleanField(
                label=f"{label}：站内提醒", required=False, initial=current.in_app
            )
            self.fields[f"{kind}__email"] = forms.BooleanField(
                label=f"{label}：邮件提醒",
                required=False,
                initial=current.email,
            )

    def rows(self):
        return [
            (kind, label, self[f"{kind}__in_app"], self[f"{kind}__email"]) for kind, label in KINDS.items()
        ]

    def choices(self) -> dict[str, dict[str, bool]]:
        data = self.cleaned_data
        return {kind: {"in_app": data[f"{kind}__in_app"], "email": data[f"{kind}__email"]} for kind in KINDS}
