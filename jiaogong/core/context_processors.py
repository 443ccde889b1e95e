from jiaogong.core.permissions import can, home_org

# The capabilities the navigation needs to know about; a link a role cannot use is not shown.
NAV_CAPABILITIES = ("members.view", "audit.view", "rules.edit")


def navigation(request):
    """The org whose pages the user is on (set by views on request.org), else their home org."""
    if not request.user.is_authenticated:
        return {}
    org = getattr(request, "org", None) or home_org(request.user)
    nav_can = {cap.replace(".", "_"): can(request.user, org, cap) for cap in NAV_CAPABILITIES} if org else {}
    return {"nav_org": org, "nav_section": getattr(request, "nav_section", ""), "nav_can": nav_can}
