from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from jiaogong.accounts.models import User


class UsernameOrPhoneBackend(ModelBackend):
    """Log in with the username or the phone number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        ident = username.strip()
        user = User.objects.filter(Q(username=ident) | (Q(phone=ident) & ~Q(phone=""))).first()
        if user is None:
            User().set_password(password)  # same work as a real check: no timing hint
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
