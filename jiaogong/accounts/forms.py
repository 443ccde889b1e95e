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
