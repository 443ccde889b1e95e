"""Password rules, in Chinese (settings.AUTH_PASSWORD_VALIDATORS).

`password_problems` is the rule as a pure function: a password must not be, contain or be part
of the account's username or phone number, and must not be blank-like (only spaces, one
character repeated, a short pattern repeated, or a run such as 12345678, abcdefgh, 87654321).
Django's own length, common-password and all-digits validators are kept, with Chinese messages.
"""

from django.contrib.auth import password_validation as django_validation
from django.core.exceptions import ValidationError

MIN_IDENTIFIER = 3  # shorter usernames would forbid too much ("li" in any password)
MIN_RUN = 4  # a password that is one run of this many or more consecutive characters


def _is_run(text: str) -> bool:
    """12345678, abcdefgh, 87654321, zyxw: each character one above (or below) the one before."""
    if len(text) < MIN_RUN or not (text.isdigit() or (text.isascii() and text.isalpha())):
        return False
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return steps in ({1}, {-1})


def _is_repeated_pattern(text: str) -> bool:
    """One to three characters repeated: aaaaaaaa, abababab, 123123123."""
    return any(
        len(text) >= 2 * size and len(text) % size == 0 and text == text[:size] * (len(text) // size)
        for size in range(1, 4)
    )


def blank_like_problem(password: str) -> str | None:
    if not password.strip():
        return "密码不能全是空格。"
    folded = password.casefold()
    if len(set(folded)) == 1:
        return "密码不能由同一个字符重复组成。"
    if _is_run(folded):
        return "密码不能是连续的数字或字母（如 12345678、abcdefgh）。"
    if _is_repeated_pattern(folded):
        return "密码不能是简单重复的字符组合（如 abababab、123123123）。"
    return None


def account_problem(password: str, identifiers: list[str]) -> str | None:
    folded = "".join(password.split()).casefold()
    for identifier in identifiers:
        ident = "".join((identifier or "").split()).casefold()
        if len(ident) < MIN_IDENTIFIER or not folded:
            continue
        if ident in folded or folded in ident:
            return "密码不能与用户名或手机号相同，不能包含它们，也不能是它们的一部分。"
    return None


def password_problems(password: str, *, identifiers: list[str]) -> list[str]:
    """The rule: every reason (Chinese) this password may not be used by an account with these
    identifiers (username, phone). Length and common passwords are Django's validators below."""
    return [p for p in (blank_like_problem(password), account_problem(password, identifiers)) if p]


def _identifiers(user) -> list[str]:
    if user is None:
        return []
    return [getattr(user, "username", "") or "", getattr(user, "phone", "") or ""]


class NotLikeAccountValidator:
    def validate(self, password, user=None):
        if problem := account_problem(password, _identifiers(user)):
            raise ValidationError(problem, code="password_too_similar")

    def get_help_text(self):
        return "密码不能包含用户名或手机号。"


class NotBlankLikeValidator:
    def validate(self, password, user=None):
        if problem := blank_like_problem(password):
            raise ValidationError(problem, code="password_blank_like")

    def get_help_text(self):
        return "密码不能全是空格、同一个字符重复或连续的数字、字母。"


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    def get_error_message(self):
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self):
        return f"密码至少需要 {self.min_length} 个字符。"


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    def get_error_message(self):
        return "这个密码太常见，容易被猜到，请换一个。"

    def get_help_text(self):
        return "不能使用常见密码。"


class NumericPasswordValidator(django_validation.NumericPasswordValidator):
    def get_error_message(self):
        return "密码不能全是数字。"

    def get_help_text(self):
        return "密码不能全是数字。"
