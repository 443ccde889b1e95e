"""The permission matrix's machinery: every route of the URLconf and every operation of the API's
OpenAPI document, with its URL built from objects of a given org.

A URL parameter is mapped to an object by its name, never by a list of routes: `<int:poll_id>` is a
poll, `<int:round_id>` under the checkups namespace a checkup round, `{id}` after `/care-events/`
a care event, `<int:pk>` after `competitions/` a competition. A later parameter is an object that
belongs to the earlier ones (a round of *that* competition). A parameter the rules cannot map raises
Unmapped, whose message tells the developer where to add it: a new route is covered, or fails.
"""

import datetime
import io
import re

from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from jiaogong.core.models import Org


class World:
    """The demo district: school_a (ours), school_b (theirs), their federation; a login for every
    role in school_a (users[role]), the chair of school_b (users["outsider"]), anonymous (None),
    the superuser, and an API token for each (tokens[name])."""


def build_world(var_dir) -> World:
    """Every module's demo loader, as `make run` loads the demo district; then the cast. Call it
    inside a transaction that the caller rolls back."""
    from jiaogong.accounts.models import RoleGrant, User
    from jiaogong.accounts.services import create_api_token
    from jiaogong.core.permissions import ROLES
    from jiaogong.factories import grant
    from jiaogong.members.models import Member

    with override_settings(
        VAR_DIR=var_dir, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ):
        call_command("load_demo", stdout=io.StringIO())
    w = World()
    w.today = timezone.localdate()
    w.school_a, w.school_b = Org.objects.filter(kind="school").order_by("pk")[:2]
    for school in (w.school_a, w.school_b):
        _fill_gaps(school)
    w.federation = w.school_a.parent
    w.users = {}
    for role in ROLES:
        if role == "federation_officer":
            w.users[role] = RoleGrant.objects.get(org=w.federation, role=role).user
            continue
        # A demo login holding this one role, else a new one for a member without a login.
        single = [
            g.user
            for g in RoleGrant.objects.filter(org=w.school_a, role=role).select_related("user").order_by("pk")
            if set(RoleGrant.objects.filter(user=g.user).values_list("role", flat=True)) == {role}
        ]
        if single:
            w.users[role] = single[0]
            continue
        member = (
            Member.objects.filter(org=w.school_a, status="active", user__isnull=True).order_by("pk").first()
        )
        w.users[role] = grant(User.objects.create(username=f"matrix_{role}", member=member), w.school_a, role)
    w.users["outsider"] = RoleGrant.objects.filter(org=w.school_b, role="chair").order_by("pk").first().user
    w.users["anonymous"] = None
    w.superuser = User.objects.filter(is_superuser=True).first()
    w.tokens = {name: create_api_token(u) for name, u in w.users.items() if u is not None}
    w.tokens["superuser"] = create_api_token(w.superuser)
    return w


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _fill_gaps(school) -> None:
    """What the demo loaders do not make but some routes need: a 民主评议, a 代表团, a voucher's
    attachment, a visit's photo, a registration of the first activity."""
    from django.core.files.base import ContentFile

    from jiaogong.accounts.models import RoleGrant
    from jiaogong.activities.models import Activity, Photo, Registration
    from jiaogong.congress import appraisals
    from jiaogong.congress.models import Congress, Delegation
    from jiaogong.factories import congress_with_delegates
    from jiaogong.funds.models import Attachment, LedgerEntry
    from jiaogong.members.models import Member
    from jiaogong.welfare.models import Visit, VisitPhoto

    chair = RoleGrant.objects.filter(org=school, role="chair").order_by("pk").first().user
    congress, _ = congress_with_delegates(
        school, 5, number=9, present=5, opens_on=datetime.date(2026, 12, 10)
    )
    appraisals.create_appraisal(
        actor=chair, congress=congress, subjects=[{"name": "王校长", "position": "校长"}]
    )
    first = Congress.objects.filter(org=school).order_by("pk").first()
    Delegation.objects.get_or_create(term=first.term, name="矩阵代表团")
    entry = LedgerEntry.objects.filter(org=school).order_by("pk").first()
    if not Attachment.objects.filter(entry=entry).exists():
        Attachment.objects.create(
            entry=entry,
            file=ContentFile(PNG, name="v.png"),
            name="v.png",
            content_type="image/png",
            size=len(PNG),
            uploaded_by=chair,
        )
    visit = Visit.objects.filter(org=school).order_by("pk").first()
    if visit and not VisitPhoto.objects.filter(visit=visit).exists():
        VisitPhoto.objects.create(
            visit=visit,
            file=ContentFile(PNG, name="p.png"),
            name="p.png",
            content_type="image/png",
            size=len(PNG),
            uploaded_by=chair,
        )
    activity = Activity.objects.filter(org=school).order_by("pk").first()
    if not Photo.objects.filter(org=school).exists():
        Photo.objects.create(
            org=school,
            activity=activity,
            image=ContentFile(PNG, name="a.png"),
            content_type="image/png",
            uploaded_by=chair,
        )
    if not Registration.objects.filter(activity=activity).exists():
        member = Member.objects.filter(org=school, status="active").order_by("pk").first()
        Registration.objects.create(org=school, activity=activity, member=member, status="confirmed")


class Unmapped(Exception):
    """A URL parameter the matrix cannot fill: add it to OBJECT_PARAMS or VALUE_PARAMS below."""


# Parameter names whose object the name alone does not tell (model label), by "namespace:name" or
# by name. Everything else is found by the name (and the URL namespace / the API path segment).
OBJECT_PARAMS = {
    "school_id": "core.org",
    "funds:member_id": "members.member",
}


def _values(org, found: dict, today: datetime.date) -> dict:
    """Parameters that are not objects, by "url name:param" or by param: each a function, called
    only for the parameter at hand."""
    from jiaogong.congress.papers import PAPERS
    from jiaogong.reports import charts, figures
    from jiaogong.reports.models import AREAS

    return {
        "year": lambda: today.year,
        "month": lambda: f"{today.year}-{today.month:02d}",
        "period": lambda: str(today.year),
        "fmt": lambda: "xlsx",
        "action": lambda: "open",
        "kind": lambda: PAPERS[0].slug,
        "area": lambda: next(iter(AREAS)),
        "key": lambda: next(iter(figures.FIGURES)),
        "reports:chart:key": lambda: (
            charts.summary_charts(figures.year_figures(org, today.year), today.year)[0].key
        ),
        "congress:checkin_code:token": lambda: _delegate_token(found["congress_id"]),
        "activities:checkin:token": lambda: _activity_token(org),
        "activities:member_feed:token": lambda: _feed_token(org),
    }


def _delegate_token(congress) -> str:
    from jiaogong.congress.models import Delegate

    d = Delegate.objects.filter(term=congress.term).order_by("pk").first()
    return d.checkin_token if d else "none"


def _activity_token(org) -> str:
    from jiaogong.activities.models import Activity

    a = Activity.objects.filter(org=org).order_by("pk").first()
    return a.checkin_token if a else "none"


def _feed_token(org) -> str:
    from jiaogong.activities.models import CalendarFeed

    f = CalendarFeed.objects.filter(org=org).order_by("pk").first()
    return f.token if f else "none"


# ---- the routes -------------------------------------------------------------------------------------


class Route:
    """A web route: its pattern text, name ("ns:name"), view and the parameters it takes."""

    def __init__(self, pattern: str, name: str, callback):
        self.pattern, self.name, self.callback = pattern, name, callback
        self.namespace = name.split(":")[0] if ":" in name else ""
        self.params = re.findall(r"<(?:(\w+):)?(\w+)>", pattern)  # [(converter, name)]

    @property
    def objects(self) -> list[str]:
        """The parameters that name objects (not the org, not a year, a month or a format)."""
        return [p for _, p in self.params if p != "org_id" and (p == "pk" or p.endswith("_id"))]

    @property
    def capability(self) -> str | None:
        """The capability the view declares (core.views_support.org_view), if any."""
        return getattr(self.callback, "capability", None)

    def __repr__(self):
        return self.name or self.pattern


def web_routes() -> list[Route]:
    """Every named pattern of the URLconf, recursively (the admin and the API are checked apart)."""

    def walk(resolver, prefix, namespace):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                ns = ":".join(x for x in (namespace, p.namespace) if x)
                yield from walk(p, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                name = ":".join(x for x in (namespace, p.name or "") if x)
                yield Route(prefix + str(p.pattern), name, p.callback)

    return [
        r for r in walk(get_resolver(), "", "") if not r.pattern.startswith(("admin/", "api/")) and r.name
    ]


def _singular(word: str) -> str:
    word = word.lower()
    for plural, single in (("ies", "y"), ("sses", "ss"), ("ses", "s"), ("s", "")):
        if word.endswith(plural) and len(word) > len(plural) + 1:
            return word[: -len(plural)] + single
    return word


def _model_named(name: str, app_hint: str = "") -> type[models.Model]:
    """The model a parameter names: in the hinted app first (exact name, then a name ending with it:
    "round" in checkups is checkups.Round, "photo" in welfare is VisitPhoto), then across apps when
    exactly one model has that name."""
    name = name.replace("_", "").replace("-", "").lower()
    ours = [m for m in apps.get_models() if m.__module__.startswith("jiaogong.")]
    if app_hint:
        in_app = [m for m in ours if m._meta.app_label == app_hint]
        for test in (lambda m: m._meta.model_name == name, lambda m: m._meta.model_name.endswith(name)):
            hits = [m for m in in_app if test(m)]
            if len(hits) == 1:
                return hits[0]
    hits = [m for m in ours if m._meta.model_name == name]
    if len(hits) == 1:
        return hits[0]
    raise Unmapped(name)


def _org_path(model, seen=()) -> str | None:
    """The ORM path from `model` to its org ("org", or "plan__org" for a section of a plan)."""
    if model is Org:
        return "pk"
    fields = {f.name: f for f in model._meta.fields}
    if "org" in fields:
        return "org"
    for f in model._meta.fields:
        if f.many_to_one and f.related_model not in seen and f.related_model is not model:
            sub = _org_path(f.related_model, (*seen, model))
            if sub:
                return f"{f.name}__{sub}"
    return None


def pick(model, org, found_objects: list) -> models.Model | None:
    """An object of `model` in `org` that belongs to the objects already found for the URL."""
    path = _org_path(model)
    if path is None and "user" in {f.name for f in model._meta.fields}:
        # A person's own object (an API token): one of a user holding a role in `org` — its owner
        # may act on it, anyone else gets the 404 another org's object gets.
        path = "user__role_grants__org"
    if path is None:
        raise Unmapped(f"{model._meta.label} has no path to an org")
    qs = model._default_manager.all()
    if model is Org:
        qs = (
            qs.filter(parent=org)
            if org.kind == "federation"
            else qs.filter(parent=org.parent).exclude(pk=org.pk)
        )
        return qs.order_by("pk").first()
    qs = qs.filter(**{path: org}).distinct()
    for obj in found_objects:
        for f in model._meta.fields:
            if f.many_to_one and f.related_model is type(obj):
                qs = qs.filter(**{f.name: obj})
    return qs.order_by("pk").first()


def web_url(route: Route, org, today: datetime.date) -> str | None:
    """The route's URL for `org` and its objects; None when the org holds no such object.
    Raises Unmapped for a parameter no rule maps."""
    found: dict = {}
    objects: list = []
    parts = re.split(r"(<[^>]+>)", route.pattern)
    out = []
    for i, part in enumerate(parts):
        m = re.fullmatch(r"<(?:(\w+):)?(\w+)>", part)
        if not m:
            out.append(part)
            continue
        converter, param = m.groups()
        if param == "org_id":
            found[param] = org
            out.append(str(org.pk))
            continue
        values = _values(org, found, today)
        key = f"{route.name}:{param}"
        if key in values or param in values:
            out.append(str(values.get(key, values.get(param))()))
            continue
        label = OBJECT_PARAMS.get(f"{route.namespace}:{param}") or OBJECT_PARAMS.get(param)
        try:
            if label:
                model = apps.get_model(label)
            elif param == "pk":
                before = [s for s in "".join(parts[:i]).split("/") if s]
                model = _model_named(_singular(before[-1]), route.namespace)
            elif param.endswith("_id"):
                model = _model_named(param[: -len("_id")], route.namespace)
            else:
                raise Unmapped(param)
        except Unmapped:
            raise Unmapped(
                f"route {route.name} ({route.pattern}): the permission matrix cannot map the URL "
                f"parameter <{param}> — add it to OBJECT_PARAMS (an object's model) or to _values "
                "(a plain value) in jiaogong/core/tests/matrix.py"
            ) from None
        obj = pick(model, org, objects)
        if obj is None:
            return None
        found[param] = obj
        objects.append(obj)
        out.append(str(obj.pk))
    return "/" + "".join(out)


# ---- the API --------------------------------------------------------------------------------------

# API path parameters named after a collection: `{id}` takes its model from the segment before it.
API_APP_HINTS = {
    "auth": "accounts",
    "club-budgets": "clubs",
    "plan-items": "plans",
    "ledger": "funds",
    "study-sessions": "study",
}


def api_operations(schema: dict) -> list[tuple[str, str]]:
    """Every (method, path) of the OpenAPI document."""
    return [
        (method.upper(), path)
        for path, ops in schema["paths"].items()
        for method in ops
        if method in ("get", "post", "put", "patch", "delete")
    ]


MISSING = 999_999_999


def api_params(path: str, org, today: datetime.date) -> dict:
    """{parameter: value} of the API path for `org` and its objects ({} when it has none)."""
    url = api_url(path, org, today)
    if url is None:
        return {}
    return {t[1:-1]: v for t, v in zip(path.split("/"), url.split("/"), strict=True) if t.startswith("{")}


def api_url(path: str, org, today: datetime.date, *, missing: bool = False) -> str | None:
    """The API path for `org` and its objects (None when the org holds no such object); with
    `missing`, every object's id is one that does not exist."""
    segments = path.split("/")
    prefix = 3 if path.startswith("/api/v1/") else 0  # "", "api", "v1" name no app
    objects: list = []
    out = []
    app_hint = ""
    for i, seg in enumerate(segments):
        m = re.fullmatch(r"{(\w+)}", seg)
        if not m:
            out.append(seg)
            if seg in API_APP_HINTS:
                app_hint = API_APP_HINTS[seg]
            elif seg and not app_hint and i >= prefix:
                hinted = [
                    a.label for a in apps.get_app_configs() if a.label == seg or a.label == _singular(seg)
                ]
                app_hint = hinted[0] if hinted else ""
            continue
        param = m.group(1)
        if param == "org":
            objects.append(org)
            out.append(str(MISSING if missing else org.pk))
            continue
        if param == "year":
            out.append(str(today.year))
            continue
        if param == "month":
            out.append(f"{today.year}-{today.month:02d}")
            continue
        try:
            if param == "id":
                before = segments[i - 1]
                name = _singular(before.split("-")[-1]) if before in API_APP_HINTS else _singular(before)
                if before == "entries" and segments[i - 2] == "ledger":
                    name = "ledgerentry"
                model = _model_named(name, app_hint)
            else:
                model = _model_named(param.removesuffix("_id"), app_hint)
        except Unmapped:
            raise Unmapped(
                f"API path {path}: the permission matrix cannot map {{{param}}} — add a rule in "
                "api_url (jiaogong/core/tests/matrix.py)"
            ) from None
        obj = pick(model, org, [o for o in objects if o is not org])
        if obj is None:
            return None
        objects.append(obj)
        out.append(str(MISSING if missing else obj.pk))
    return "/".join(out)
