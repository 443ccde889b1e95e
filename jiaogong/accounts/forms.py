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


class NewPasswordForm(forms.Form):
    """The current (one-time) password and a new one typed twice, checked by the password validators."""

    old_password = forms.CharField(
        label="当前密码",
        strip=False,
        error_messages={"required": "请填写当前密码。"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1 = forms.CharField(
        label="新密码",
        strip=False,
        help_text="至少 8 位，不能全是数字，不能是常见密码。",
        error_messages={"required": "请填写新密码。"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label="再输入一次新密码",
        strip=False,
        error_messages={"required": "请再输入一次新密码。"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError("当前密码不正确。")
        return value

    def clean(self):
        from django.contrib.auth import password_validation

        data = super().clean()
        new1, new2 = data.get("new_password1"), data.get("new_password2")
        if new1 and new2 and new1 != new2:
            self.add_error("new_password2", "两次输入的新密码不一致。")
        elif new1:
            if data.get("old_password") == new1:
                self.add_error("new_password1", "新密码不能与当前密码相同。")
            try:
                password_validation.validate_password(new1, self.user)
            except forms.ValidationError as e:
                # Django's Chinese catalogue lacks the (plural) "too short" message: say it ourselves.
                self.add_error(
                    "new_password1",
                    [
                        f"密码太短，至少要 {(error.params or {}).get('min_length', 8)} 位。"
                        if error.code == "password_too_short"
                        else error
                        for error in e.error_list
                    ],
                )
        return data
