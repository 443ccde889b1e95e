from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from jiaogong.accounts.models import User


def user_for_identifier(identifier: str) -> User | None:
    """The account a typed identifier names: its username, or its phone number."""
    ident = (identifier or "").strip()
    if not ident:
        return None
    return User.objects.filter(Q(username=ident) | (Q(phone=ident) & ~Q(phone=""))).first()


class UsernameOrPhoneBackend(ModelBackend):
    """Log in with the username or the phone number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = user_for_identifier(username)
        if user is None:
            User().set_password(password)  # same work as a real check: no timing hint
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
