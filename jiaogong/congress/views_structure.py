"""The congress's organisation: 名额 per electing unit, 代表团 with their leaders, the 主席团.

Everyone who may see the congress sees the page; only the congress managers change it.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path

from jiaogong.congress import sessions
from jiaogong.congress.models import Delegate, Delegation
from jiaogong.congress.views import _manage, congress_in
from jiaogong.core.errors import DomainError
from jiaogong.core.permissions import can
from jiaogong.core.views_support import add_domain_errors, org_view
from jiaogong.members.forms import text_field
from jiaogong.members.models import UnionGroup


class QuotaForm(forms.Form):
    """One number per electing unit; an empty box means the unit has no quota."""

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        for unit in units:
            self.fields[f"quota_{unit.pk}"] = forms.IntegerField(
                label=unit.name,
                required=False,
                min_value=1,
                max_value=999,
                error_messages={
                    "invalid": f"{unit.name} 的名额应为正整数。",
                    "min_value": f"{unit.name} 的名额应为正整数。",
                    "max_value": f"{unit.name} 的名额不能超过 999。",
                },
            )


class DelegationForm(forms.Form):
    name = text_field("代表团名称", 50)
    leader = forms.ChoiceField(label="团长", required=False)
    members = forms.MultipleChoiceField(
        label="成员", widget=forms.CheckboxSelectMultiple, error_messages={"required": "请选择代表团的成员。"}
    )

    def __init__(self, *args, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].choices = [
            ("", "暂不指定"),
            *((str(d.member_id), d.member.name) for d in seats),
        ]
        self.fields["members"].choices = [(str(d.pk), d.member.name) for d in seats]


class PresidiumForm(forms.Form):
    members = forms.MultipleChoiceField(
        label="主席团成员", widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(str(d.member_id), d.member.name) for d in seats]


@login_required
@org_view("congress.view", "congress")
def structure(request, org, congress_id):
    congress = congress_in(org, congress_id)
    term = congress.term
    can_manage = can(request.user, org, "congress.manage")
    units = list(UnionGroup.objects.filter(org=org).order_by("name"))
    seats = list(
        sessions.seats_on(term, congress.opens_on)
        .filter(kind=Delegate.Kind.FORMAL)
        .select_related("member", "unit", "delegation")
        .order_by("unit__name", "member__name_pinyin")
    )
    which = request.POST.get("form") if request.method == "POST" else None
    quotas = dict(term.quotas.values_list("unit_id", "quota"))
    quota_form = QuotaForm(
        request.POST if which == "quota" else None,
        units=units,
        initial={f"quota_{u}": q for u, q in quotas.items()},
    )
    delegation_form = DelegationForm(request.POST if which == "delegation" else None, seats=seats)
    presidium_form = PresidiumForm(
        request.POST if which == "presidium" else None,
        seats=seats,
        initial={"members": [str(m) for m in congress.presidium.values_list("member_id", flat=True)]},
    )
    if which:
        _manage(request, org)
        by_member = {d.member_id: d.member for d in seats}
        form = {"quota": quota_form, "delegation": delegation_form, "presidium": presidium_form}.get(which)
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                if form is quota_form:
                    sessions.set_quotas(
                        actor=request.user, term=term, quotas={u: data[f"quota_{u.pk}"] for u in units}
                    )
                    messages.success(request, "已保存各单位代表名额。")
                elif form is delegation_form:
                    chosen = [d for d in seats if str(d.pk) in data["members"]]
                    leader = by_member.get(int(data["leader"])) if data["leader"] else None
                    team = sessions.set_delegation(
                        actor=request.user, term=term, name=data["name"], leader=leader, members=chosen
                    )
                    messages.success(request, f"已保存代表团“{team.name}”（{len(chosen)} 人）。")
                else:
                    chosen = [by_member[int(m)] for m in data["members"]]
                    for warning in sessions.set_presidium(
                        actor=request.user, congress=congress, members=chosen
                    ):
                        messages.warning(request, warning)
                    messages.success(request, f"已保存主席团（{len(chosen)} 人）。")
            except DomainError as e:
                add_domain_errors(form, e)
            else:
                return redirect("congress:structure", org.pk, congress.pk)
    seated_by_unit = dict(
        sessions.seats_on(term, congress.opens_on)
        .filter(kind=Delegate.Kind.FORMAL, unit__isnull=False)
        .values_list("unit")
        .annotate(n=Count("id"))
    )
    delegations = Delegation.objects.filter(term=term).select_related("leader")
    members_of = {}
    for d in seats:
        if d.delegation_id:
            members_of.setdefault(d.delegation_id, []).append(d.member.name)
    return render(
        request,
        "congress/structure.html",
        {
            "org": org,
            "page_title": "名额·代表团·主席团",
            "congress": congress,
            "can_manage": can_manage,
            "unit_rows": [
                {
                    "unit": u,
                    "quota": quotas.get(u.pk),
                    "seated": seated_by_unit.get(u.pk, 0),
                    "gap": quotas[u.pk] - seated_by_unit.get(u.pk, 0) if u.pk in quotas else 0,
                    "field": quota_form[f"quota_{u.pk}"],
                }
                for u in units
            ],
            "quota_form": quota_form,
            "quota_warnings": sessions.quota_warnings(term, congress.opens_on),
            "delegations": [(t, members_of.get(t.pk, [])) for t in delegations],
            "delegation_form": delegation_form,
            "presidium": congress.presidium.select_related("member").order_by("member__name_pinyin"),
            "presidium_form": presidium_form,
            "presidium_advice": sessions.presidium_advice(congress),
        },
    )


@login_required
@org_view("congress.manage", "congress")
def delegation_remove(request, org, congress_id, delegation_id):
    congress = congress_in(org, congress_id)
    delegation = get_object_or_404(Delegation, term=congress.term, pk=delegation_id)
    if request.method == "POST":
        sessions.remove_delegation(actor=request.user, delegation=delegation)
        messages.success(request, f"已撤销代表团“{delegation.name}”。")
    return redirect("congress:structure", org.pk, congress.pk)


urlpatterns = [
    path("o/<int:org_id>/congress/<int:congress_id>/structure/", structure, name="structure"),
    path(
        "o/<int:org_id>/congress/<int:congress_id>/delegations/<int:delegation_id>/remove/",
        delegation_remove,
        name="delegation_remove",
    ),
]
