"""Who may do what, in one place.

A user holds roles per org (accounts.RoleGrant). A federation officer's role on a federation
also gives read access to every school below it. Selectors call `org_for` to fetch an org
for a capability: an org the user has nothing to do with is a 404 (never reveal it exists);
an org the user belongs to but whose capability their roles lack is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

ROLES = {
    "chair": "工会主席",
    "vice_chair": "工会副主席",
    "organization": "组织委员",
    "publicity": "宣传委员",
    "sports_culture": "文体委员",
    "welfare": "生活（福利）委员",
    "women": "女工委员",
    "finance": "财务委员",
    "auditor": "经审委员",
    "group_leader": "工会小组长",
    "member": "会员",
    "department": "学校职能部门",
    "federation_officer": "上级工会干部",
}

SCHOOL_ROLES = set(ROLES) - {"federation_officer"}
MANAGERS = {"chair", "vice_chair", "organization"}

CAPABILITIES: dict[str, set[str]] = {
    "org.view": set(ROLES),
    "members.view": set(ROLES) - {"department"},
    "members.edit": MANAGERS,
    # ID numbers and phones in clear (the rest see them masked).
    "members.sensitive": MANAGERS,
    "members.import": MANAGERS,
    "members.export": MANAGERS | {"federation_officer"},
    "groups.edit": MANAGERS,
    "committee.edit": MANAGERS,
    "rules.edit": {"chair"},
    "audit.view": {"chair", "vice_chair", "auditor"},
    "users.manage": {"chair"},
    # 教代会: every member reads the congress pages; voting, seconding and rating are checked
    # against the delegate roll and the proposer, not against roles.
    "congress.view": set(ROLES),
    "congress.manage": MANAGERS,
    # Departments see the proposals assigned to them (their inbox); who replies is checked
    # against Department.users.
    "congress.department": {"department"} | MANAGERS,
    # 会费与经费: the finance member writes; the chair, vice-chairs and the auditor read.
    "funds.view": {"chair", "vice_chair", "finance", "auditor"},
    "funds.write": {"finance"},
    # 经审: comments on entries and signs off a year.
    "funds.audit": {"auditor"},
    # 慰问 given to members: their kinds (illness, a death in the family) are private, so only
    # those who decide, pay or audit them see the list; only the chair goes over a cap.
    "funds.benefits.view": {"chair", "welfare", "finance", "auditor"},
    "funds.benefits.write": {"chair", "welfare", "finance"},
    "funds.benefits.override": {"chair"},
    # The federation's view of its schools' 拨缴经费 and 上解.
    "funds.federation": {"federation_officer"},
    # 慈善捐款 (代收代转, a separate account): the finance member records and hands over; the chair,
    # vice-chairs and the auditor read. Every member sees their own contributions.
    "donations.view": {"chair", "vice_chair", "finance", "auditor"},
    "donations.write": {"finance"},
    # 送温暖: any member reports a care event (a colleague in hospital, a wedding, a bereavement…);
    # its details are health and family matters, so only the chair and the welfare member see the
    # queue and assign visits. The visitor they assign sees that one visit (checked against the
    # assignment, not a role) and records it.
    "welfare.report": SCHOOL_ROLES - {"department"},
    "welfare.view": {"chair", "welfare"},
    "welfare.manage": {"chair", "welfare"},
    # 困难职工档案: the chair and the welfare member only; every read is logged; export by the chair.
    "hardship.view": {"chair", "welfare"},
    "hardship.write": {"chair", "welfare"},
    "hardship.export": {"chair"},
    # 维权: the collective contract is read by every member (it is theirs); the chair and vice-chairs
    # keep it and its compliance checks. Mediation cases are confidential: the chair opens them;
    # the mediation committee's members see the cases they sit on (checked against the committee).
    "rights.view": SCHOOL_ROLES - {"department"},
    "rights.manage": {"chair", "vice_chair"},
    "rights.mediation": {"chair"},
    # 体检/妇检 rounds and 互助保障 enrolment: the chair and the welfare member run them (the women's
    # committee member runs 妇检); results stay with them. Every member sees their own.
    "checkups.manage": {"chair", "welfare", "women"},
    "mutual_aid.manage": {"chair", "welfare", "finance"},
    # 疗休养: every member applies; the chair and the welfare member keep the queue and approve.
    "recuperation.apply": SCHOOL_ROLES - {"department"},
    "recuperation.manage": {"chair", "welfare"},
    # 活动: every member sees the union's activities and calendar, signs up and checks in; the committee
    # members who organise them (文体, 宣传, 女工, 组织) and the chair's office create and run them.
    "activities.view": SCHOOL_ROLES - {"department"},
    "activities.manage": {"chair", "vice_chair", "organization", "publicity", "sports_culture", "women"},
    # 兴趣小组: members join and choose a leader; the chair (or a vice-chair) approves a club's budget.
    "clubs.approve": {"chair", "vice_chair"},
    # 工作计划: published to members; the chair's office writes it.
    "plans.view": SCHOOL_ROLES - {"department"} | {"federation_officer"},
    "plans.manage": MANAGERS,
    # 工作总结 and the 台帐 archive: the chair's office drafts and exports them; the auditor and the
    # federation read them (the 建家 inspection).
    "records.view": MANAGERS | {"auditor", "federation_officer"},
    "records.manage": MANAGERS,
}


def roles_in(user, org) -> set[str]:
    """The user's roles in `org`, including read access inherited from a federation above."""
    if not user.is_authenticated:
        return set()
    cache = user.__dict__.setdefault("_roles_cache", {})
    if org.pk in cache:
        return cache[org.pk]
    from jiaogong.accounts.models import RoleGrant

    roles = set(RoleGrant.objects.filter(user=user, org=org).values_list("role", flat=True))
    ancestor_ids = []
    parent_id = org.parent_id
    while parent_id is not None and len(ancestor_ids) < 10:
        ancestor_ids.append(parent_id)
        from jiaogong.core.models import Org

        parent_id = Org.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    if (
        ancestor_ids
        and RoleGrant.objects.filter(user=user, org_id__in=ancestor_ids, role="federation_officer").exists()
    ):
        roles.add("federation_officer")
    cache[org.pk] = roles
    return roles


def can(user, org, capability: str) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True
    return bool(roles_in(user, org) & CAPABILITIES[capability])


def org_for(user, org_id, capability: str = "org.view"):
    """The org, if the user may act on it with `capability`: else 404 (outsider) or 403."""
    from jiaogong.core.models import Org

    try:
        org = Org.objects.get(pk=int(org_id))
    except (Org.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该组织。") from None
    if not (user.is_authenticated and user.is_superuser) and not roles_in(user, org):
        raise Http404("没有找到该组织。")
    if not can(user, org, capability):
        raise PermissionDenied("您的角色无权进行此操作。")
    return org


def orgs_visible_to(user):
    """Orgs the user can open: granted orgs and, for federation officers, their schools."""
    from jiaogong.accounts.models import RoleGrant
    from jiaogong.core.models import Org

    if user.is_superuser:
        return Org.objects.all()
    grants = RoleGrant.objects.filter(user=user)
    direct = set(grants.values_list("org_id", flat=True))
    fed_ids = set(grants.filter(role="federation_officer").values_list("org_id", flat=True))
    ids = set(direct)
    frontier = fed_ids
    while frontier:
        children = set(Org.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - ids
        ids |= children
        frontier = children
    return Org.objects.filter(pk__in=ids)


def home_org(user):
    """The org a user lands on after login: their first granted org."""
    from jiaogong.accounts.models import RoleGrant
    from jiaogong.core.models import Org

    grant = RoleGrant.objects.filter(user=user).select_related("org").order_by("org__kind", "id").first()
    if grant:
        return grant.org
    if user.is_superuser:
        return Org.objects.order_by("kind", "id").first()
    return None
