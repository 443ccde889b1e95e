from django import forms


class LoginForm(forms.Form):
    identifier = forms.CharField(
        label="用户名或手机号",
        max_length=150,
        error_messages={"required": "请填写用户名或手机号。"},
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "autofocus": True}
        ),
    )
    password = forms.CharField(
        label="密码",
        max_length=128,
        strip=False,
        error_messages={"required": "请填写密码。"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _password_field(label: str, autocomplete: str, required: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=128,
        strip=False,
        error_messages={"required": required},
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class PasswordChangeForm(forms.Form):
    old_password = _password_field("原密码", "current-password", "请填写原密码。")
    new_password = _password_field("新密码", "new-password", "请填写新密码。")
    new_password_again = _password_field("再次输入新密码", "new-password", "请再次输入新密码。")


class TokenForm(forms.Form):
    name = forms.CharField(
        label="名称（用途）",
        max_length=60,
        required=False,
        error_messages={"max_length": "名称不能超过 60 个字。"},
        help_text="如“财务对账脚本”，方便以后辨认和作废。",
    )
