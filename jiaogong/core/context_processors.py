from jiaogong.core.navigation import nav_items
from jiaogong.core.permissions import home_org


def navigation(request):
    """The org whose pages the user is on (set by views on request.org), else their home org."""
    if not request.user.is_authenticated:
        return {}
    org = getattr(request, "org", None) or home_org(request.user)
    section = getattr(request, "nav_section", "")
    return {
        "nav_org": org,
        "nav_section": section,
        "nav_items": nav_items(request.user, org, section) if org else [],
    }
