from jiaogong.core.permissions import SCHOOL_ROLES, home_org, roles_in
from jiaogong.notifications.models import Notification


def unread(request):
    """The top bar's link to the inbox of the school in view, with its unread count (one query;
    the roles are cached on the user by the view's permission check)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    org = getattr(request, "org", None) or home_org(user)
    if org is None or org.is_federation or not (user.is_superuser or roles_in(user, org) & SCHOOL_ROLES):
        return {}
    count = Notification.objects.filter(user=user, org=org, in_app=True, read_at__isnull=True).count()
    return {"inbox_org": org, "unread_count": count}
