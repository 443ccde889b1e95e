"""教代会 pages: the 监票人 (named by the chair; each one's key share made on their own phone and
their partial decryptions), and the public bulletin of a secret poll or 民主评议.

The cryptography happens in the browser (static/congress/ballot.js and scrutineer.js): these views
hand the phone what it needs and take back what it computed — public shares with proofs, partial
decryptions with proofs — which the services verify before writing anything.
"""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header

from jiaogong.congress import appraisals, crypto, scrutiny, sessions, voting
from jiaogong.congress.models import Appraisal, Poll
from jiaogong.congress.views import congress_in, poll_in
from jiaogong.core.errors import DomainError, InvalidInput
from jiaogong.core.permissions import can
from jiaogong.core.rules import value_for
from jiaogong.core.views_support import org_view


class ScrutineersForm(forms.Form):
    members = forms.TypedMultipleChoiceField(
        label="监票人", coerce=int, error_messages={"required": "请选择监票人。"}
    )

    def __init__(self, *args, voters=(), **kwargs):
        super().__init__(*args, **kwargs)
        names = [d.member.name for d in voters]
        self.fields["members"].choices = [
            # Two 刘洋 on the roll: the group tells them apart (and the number, if that does not).
            (d.member_id, d.member.name if names.count(d.member.name) == 1 else _distinct(d.member))
            for d in voters
        ]


def _distinct(member) -> str:
    group = getattr(member.union_group, "name", "") if member.union_group_id else ""
    return f"{member.name}（{group + '，' if group else ''}编号 {member.pk}）"


@login_required
@org_view("congress.view", "congress")
def scrutineers(request, org, congress_id):
    """The chair names the 监票人 (2–5 formal delegates); everyone sees who they are and whether each
    has made their key share."""
    congress = congress_in(org, congress_id)
    can_manage = can(request.user, org, "congress.manage")
    voters = list(
        sessions.voters(congress).select_related("member__union_group").order_by("member__name", "member_id")
    )
    rows = scrutiny.scrutineers_of(congress)
    form = ScrutineersForm(
        request.POST if request.method == "POST" else None,
        voters=voters,
        initial={"members": [s.member_id for s in rows]},
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("您的角色无权推选监票人。")
        if form.is_valid():
            try:
                scrutiny.name_scrutineers(
                    actor=request.user, congress=congress, members=form.cleaned_data["members"]
                )
            except DomainError as e:
                form.add_error("members", "；".join(e.fields.values()) or e.message)
            else:
                messages.success(request, "已确定监票人。请每位监票人在自己的手机上生成密钥。")
                return redirect("congress:scrutineers", org.pk, congress.pk)
    low, high = value_for(org, "congress.scrutineers")
    return render(
        request,
        "congress/scrutiny/scrutineers.html",
        {
            "org": org,
            "page_title": "监票人",
            "congress": congress,
            "rows": rows,
            "form": form,
            "can_manage": can_manage,
            "locked": scrutiny.key_in_use(congress),
            "low": max(low, 2),
            "high": high,
            "me": scrutiny.scrutineer_for(congress, request.user),
        },
    )


def _counting(congress) -> list[dict]:
    """The tallies of the session waiting for the 监票人, with what the phone needs to decrypt."""
    items = []
    for poll in congress.polls.filter(state=Poll.State.COUNTING, kind=Poll.Kind.SECRET):
        items.append({"kind": "poll", "target": poll, "title": poll.title})
    for appraisal in congress.appraisals.filter(state=Appraisal.State.COUNTING):
        items.append({"kind": "appraisal", "target": appraisal, "title": "民主评议"})
    for item in items:
        target = item["target"]
        item["key"] = f"{item['kind']}-{target.pk}"
        item["data"] = {
            "kind": item["kind"],
            "id": target.pk,
            "context": crypto.descriptor_hash(target.descriptor),
            "tally": target.encrypted_tally,
        }
        item["cast"] = target.sealed_ballots.count()
        item["pending"] = scrutiny.pending_scrutineers(target)
    return items


@login_required
@org_view("congress.view", "congress")
def my_scrutiny(request, org, congress_id):
    """A 监票人's own page on their phone: make the key share (the secret stays on the phone and on
    the printed backup code), then 解密计票 for each tally waiting."""
    congress = congress_in(org, congress_id)
    me = scrutiny.scrutineer_for(congress, request.user)
    if me is None:
        raise PermissionDenied("您不是本次会议的监票人。")
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "key":
                proof = {"c": request.POST.get("proof_c", ""), "s": request.POST.get("proof_s", "")}
                scrutiny.register_key_share(
                    user=request.user,
                    congress=congress,
                    public_share=request.POST.get("public_share", ""),
                    proof=proof,
                )
                messages.success(request, "您的公钥份额已登记。请妥善保管备份码。")
            elif request.POST.get("action") == "decrypt":
                target = _counting_target(congress, request.POST.get("target", ""))
                partial, proof = _json_field(request, "partial"), _json_field(request, "proof")
                if isinstance(target, Poll):
                    done = voting.submit_partial_decryption(
                        user=request.user, poll=target, partial=partial, proof=proof
                    )
                else:
                    done = appraisals.submit_partial_decryption(
                        user=request.user, appraisal=target, partial=partial, proof=proof
                    )
                messages.success(
                    request,
                    "解密完成，结果已公布。"
                    if done.state == "closed"
                    else "您的部分解密已提交，等待其他监票人。",
                )
            else:
                raise Http404("没有这个操作。")
            return redirect("congress:my_scrutiny", org.pk, congress.pk)
        except DomainError as e:
            messages.error(request, "；".join(e.fields.values()) or e.message)
            status = e.status
    me.refresh_from_db()
    items = _counting(congress)
    for item in items:
        item["mine_done"] = me not in item["pending"]
    return render(
        request,
        "congress/scrutiny/mine.html",
        {
            "org": org,
            "page_title": "监票人",
            "congress": congress,
            "me": me,
            "context": scrutiny.key_context(congress, me.position),
            "storage_key": f"jiaogong:scrutineer:{org.pk}:{congress.pk}:{me.member_id}",
            "items": items,
            "others": [s for s in scrutiny.scrutineers_of(congress) if s.pk != me.pk],
        },
        status=status,
    )


def _counting_target(congress, key: str):
    kind, _, pk = key.partition("-")
    model = {"poll": Poll, "appraisal": Appraisal}.get(kind)
    target = (
        model.objects.select_related("congress", "org").filter(congress=congress, pk=pk).first()
        if model and pk.isdigit()
        else None
    )
    if target is None:
        raise Http404("没有找到该表决。")
    return target


def _json_field(request, name: str):
    try:
        return json.loads(request.POST.get(name, ""))
    except (ValueError, RecursionError):
        raise InvalidInput({name: "提交的解密数据格式不正确，请刷新页面后重试。"}) from None


# ---- the bulletin ------------------------------------------------------------------------------------------


def _bulletin_page(request, org, target, record: dict, back_url: str, title: str, labels: list[str]):
    if request.GET.get("format") == "json":
        response = JsonResponse(record, json_dumps_params={"ensure_ascii": False, "indent": 1})
        response["Content-Disposition"] = content_disposition_header(
            True, f"bulletin-{record['kind']}-{record['id']}.json"
        )
        return response
    query = "".join(ch for ch in request.GET.get("t", "").upper() if ch.isalnum())
    found = None
    if query:
        matches = [b["tracker"] for b in record["ballots"] if b["tracker"].startswith(query)]
        found = matches[0] if len(matches) == 1 and len(query) >= 8 else False
    result_rows = []
    if record["result"]:
        for qi, question in enumerate(record["descriptor"]["questions"]):
            for oi, option in enumerate(question["options"]):
                label = f"{labels[qi]} · {option}" if labels[qi] else option
                result_rows.append({"label": label, "n": record["result"]["counts"][qi][oi]})
    return render(
        request,
        "congress/scrutiny/bulletin.html",
        {
            "org": org,
            "page_title": f"公告板 · {title}",
            "title": title,
            "target": target,
            "congress": target.congress,
            "record": record,
            "trackers": [crypto.short_tracker(b["tracker"]) for b in record["ballots"]],
            "query": request.GET.get("t", ""),
            "found": found,
            "found_short": crypto.short_tracker(found) if found else "",
            "back_url": back_url,
            "result_rows": result_rows,
            "decrypted_positions": {p["position"] for p in record["partial_decryptions"]},
        },
    )


@login_required
@org_view("congress.view", "congress")
def poll_bulletin(request, org, poll_id):
    poll = poll_in(org, poll_id)
    if poll.kind != Poll.Kind.SECRET or poll.descriptor is None:
        raise Http404("该表决没有加密公告板。")
    return _bulletin_page(
        request,
        org,
        poll,
        voting.bulletin(poll),
        reverse("congress:poll", args=[org.pk, poll.pk]),
        poll.title,
        [""],
    )


@login_required
@org_view("congress.view", "congress")
def appraisal_bulletin(request, org, appraisal_id):
    appraisal = appraisals.appraisal_in(org, appraisal_id)
    if appraisal.descriptor is None:
        raise Http404("该民主评议没有加密公告板。")
    return _bulletin_page(
        request,
        org,
        appraisal,
        appraisals.bulletin(appraisal),
        reverse("congress:appraisal", args=[org.pk, appraisal.pk]),
        "民主评议",
        [s.name for s in appraisal.subjects.all()],
    )


urlpatterns = [
    path("o/<int:org_id>/congress/<int:congress_id>/scrutineers/", scrutineers, name="scrutineers"),
    path("o/<int:org_id>/congress/<int:congress_id>/scrutineer/", my_scrutiny, name="my_scrutiny"),
    path("o/<int:org_id>/polls/<int:poll_id>/bulletin/", poll_bulletin, name="poll_bulletin"),
    path(
        "o/<int:org_id>/appraisals/<int:appraisal_id>/bulletin/",
        appraisal_bulletin,
        name="appraisal_bulletin",
    ),
]
