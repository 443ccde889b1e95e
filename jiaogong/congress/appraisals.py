"""民主评议: delegates grade the school's leaders in secret; the 监票人 decrypt the sums at close.

As with a secret vote, who took part (AppraisalTurnout, unique per delegate) and the sealed
ballot (per subject a 0/1 ciphertext per grade, exactly one grade marked, with the proofs) are
written in one transaction, and the database refuses a second ballot. The ballots are summed at
close; only the sums are decrypted. Results are never shown before that.
"""

import io

import openpyxl
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from openpyxl.styles import Alignment, Font, PatternFill

from jiaogong.congress import crypto, rules, scrutiny
from jiaogong.congress.models import (
    Appraisal,
    AppraisalSubject,
    AppraisalTurnout,
    Attendance,
    Congress,
    SealedAppraisalBallot,
)
from jiaogong.congress.sessions import delegate_for_user, voters
from jiaogong.core import audit
from jiaogong.core.errors import Conflict, InvalidInput
from jiaogong.core.permissions import org_for
from jiaogong.core.rules import value_for
from jiaogong.core.xlsx import new_workbook


def appraisal_for(user, appraisal_id, capability: str = "congress.view") -> Appraisal:
    """The appraisal if the caller may see its org: another org's is a 404."""
    appraisal = Appraisal.objects.select_related("org", "congress__term").filter(pk=appraisal_id).first()
    if appraisal is None:
        raise Http404("没有找到该民主评议。")
    org_for(user, appraisal.org_id, capability)
    return appraisal


def appraisal_in(org, appraisal_id) -> Appraisal:
    appraisal = (
        Appraisal.objects.select_related("congress__term", "org").filter(org=org, pk=appraisal_id).first()
    )
    if appraisal is None:
        raise Http404("没有找到该民主评议。")
    return appraisal


def parse_subjects(text: str) -> list[dict]:
    """One subject per line, "姓名 职务" (a space, a comma or a tab between)."""
    subjects = []
    for line in (text or "").splitlines():
        line = line.strip().replace("，", " ").replace(",", " ").replace("\t", " ")
        if not line:
            continue
        name, _, position = line.partition(" ")
        subjects.append({"name": name.strip(), "position": position.strip()})
    return subjects


def descriptor_for(appraisal: Appraisal, key: str) -> dict:
    """One question per subject: a 0/1 per grade, exactly one grade marked."""
    return crypto.make_descriptor(
        election=f"appraisal:{appraisal.org_id}:{appraisal.pk}",
        questions=[{"options": list(appraisal.scale), "min": 1, "max": 1} for _ in appraisal.subjects.all()],
        public_key=key,
    )


@transaction.atomic
def create_appraisal(*, actor, congress: Congress, subjects: list[dict]) -> Appraisal:
    """The leaders to appraise, on the scale in force (stored with the appraisal). It starts at
    once, sealed under the 监票人's joint key."""
    errors = {}
    if not subjects:
        errors["subjects"] = "请列出被评议的领导（姓名和职务）。"
    for i, subject in enumerate(subjects):
        if not (subject.get("name") or "").strip():
            errors[f"subjects.{i}.name"] = f"第 {i + 1} 位被评议人缺少姓名。"
        elif len(subject["name"].strip()) > 50:
            errors[f"subjects.{i}.name"] = f"第 {i + 1} 位被评议人的姓名过长。"
        if not (subject.get("position") or "").strip():
            errors[f"subjects.{i}.position"] = (
                f"请填写{(subject.get('name') or '').strip() or '被评议人'}的职务。"
            )
    names = [(s.get("name") or "").strip() for s in subjects]
    if len(set(names)) != len(names):
        errors["subjects"] = "被评议人有重复。"
    if errors:
        raise InvalidInput(errors)
    locked = Congress.objects.select_for_update().get(pk=congress.pk)
    key = scrutiny.require_joint_key(locked)
    appraisal = Appraisal.objects.create(
        org=congress.org, congress=congress, scale=list(value_for(congress.org, "appraisal.scale"))
    )
    AppraisalSubject.objects.bulk_create(
        AppraisalSubject(appraisal=appraisal, name=s["name"].strip(), position=s["position"].strip()[:100])
        for s in subjects
    )
    appraisal.descriptor = descriptor_for(appraisal, key)
    appraisal.save(update_fields=["descriptor"])
    audit.record(
        actor=actor,
        org=congress.org,
        action="congress.appraisal.create",
        obj=appraisal,
        changes={"subjects": names, "scale": appraisal.scale},
    )
    return appraisal


def _selections(appraisal: Appraisal, ratings) -> list[list[int]]:
    """An API client's plaintext ratings {subject id: level} as 0/1 marks, every subject rated once."""
    subjects = {str(s.pk): s for s in appraisal.subjects.all()}
    if not isinstance(ratings, dict):
        raise InvalidInput({"ratings": "评议票应为“被评议人 → 等次”。"})
    given = {str(k): v for k, v in ratings.items()}
    errors = {}
    for key, subject in subjects.items():
        if given.get(key) not in appraisal.scale:
            errors[f"ratings.{key}"] = f"请为{subject.name}选择：{'、'.join(appraisal.scale)}。"
    if set(given) - set(subjects):
        errors["ratings"] = "评议票中有不属于本次评议的对象。"
    if errors:
        raise InvalidInput(errors, "评议票未填完整，请为每一位被评议人选择等次。")
    return [[int(level == given[key]) for level in appraisal.scale] for key in subjects]


def cast_appraisal_ballot(*, user, appraisal: Appraisal, ratings=None, encrypted=None) -> str:
    """A present formal delegate grades every subject once: encrypted on their phone, or (an API
    client) as plaintext ratings encrypted here at once. Returns the ballot's tracker."""
    congress = appraisal.congress
    delegate = delegate_for_user(congress, user)
    if delegate is None or not delegate.votes:
        raise PermissionDenied("您不是本次会议有表决权的正式代表，不能参加评议。")
    if not Attendance.objects.filter(congress=congress, delegate=delegate).exists():
        raise PermissionDenied("您尚未签到，签到后才能参加评议。")
    if (ratings is None) == (encrypted is None):
        raise InvalidInput({"ratings": "请提交一张评议票：ratings（等次）或 encrypted（加密选票）之一。"})
    if appraisal.state != Appraisal.State.OPEN:
        raise Conflict("appraisal_closed", "民主评议已结束，不能再投票。")
    descriptor = appraisal.descriptor
    if encrypted is not None:
        body, tracker = scrutiny.check_sealed(descriptor, encrypted)
    else:
        body = scrutiny.seal(descriptor, _selections(appraisal, ratings))
        tracker = crypto.tracker(descriptor, body)
    with transaction.atomic():
        locked = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
        if locked.state != Appraisal.State.OPEN:
            raise Conflict("appraisal_closed", "民主评议已结束，不能再投票。")
        try:
            with transaction.atomic():
                AppraisalTurnout.objects.create(appraisal=appraisal, delegate=delegate)
        except IntegrityError:
            raise Conflict("already_voted", "您已经提交过评议票，每位代表只能投一次。") from None
        try:
            with transaction.atomic():
                SealedAppraisalBallot.objects.create(tracker=tracker, appraisal=appraisal, body=body)
        except IntegrityError:
            raise scrutiny.BallotRefused("这张加密评议票已经投入过（重复提交的密文）。") from None
        # The turnout is audited (who took part); the ratings never are.
        audit.record(
            actor=user,
            org=appraisal.org,
            action="congress.appraisal.vote",
            obj=appraisal,
            changes={"delegate": delegate.pk},
        )
    return tracker


def count(appraisal: Appraisal, eligible: int, counts: list[list[int]], valid: int) -> dict:
    """The result in the shape the report and the API use, from the decrypted counts (per subject,
    per grade)."""
    org = appraisal.org
    scale = appraisal.scale
    minimum = value_for(org, "appraisal.participation_min")
    subjects = []
    for subject, row in zip(appraisal.subjects.all(), counts, strict=True):
        levels = [level for level, n in zip(scale, row, strict=True) for _ in range(n)]
        outcome = rules.appraise_subject(
            levels,
            scale,
            good_rate_min=value_for(org, "appraisal.good_rate_min"),
            unfit_rate_max=value_for(org, "appraisal.unfit_rate_max"),
        )
        good = outcome.good_rate
        subjects.append(
            {
                "id": subject.pk,
                "name": subject.name,
                "position": subject.position,
                "counts": outcome.counts,
                "percentages": outcome.percentages,
                "good_rate": rules.percent(good.numerator, good.denominator) if good is not None else None,
                "flags": outcome.flags,
                "strengths": subject.strengths,
                "weaknesses": subject.weaknesses,
            }
        )
    return {
        "eligible": eligible,
        "valid": valid,
        "participation_pct": rules.percent(valid, eligible),
        "participation_ok": rules.appraisal_participation_ok(valid, eligible, minimum),
        "scale": scale,
        "subjects": subjects,
    }


def kept_result(appraisal: Appraisal) -> dict | None:
    """The result kept at close with each subject's levels in the order of the scale (jsonb reorders keys)."""
    if appraisal.state != Appraisal.State.CLOSED or not appraisal.result:
        return None
    kept = dict(appraisal.result)
    scale = kept.get("scale") or appraisal.scale
    subjects = []
    for row in kept.get("subjects", []):
        row = dict(row)
        for key in ("counts", "percentages"):
            values = row.get(key) or {}
            row[key] = {level: values[level] for level in scale if level in values} | values
        subjects.append(row)
    kept["subjects"] = subjects
    return kept


@transaction.atomic
def close_appraisal(*, actor, appraisal: Appraisal) -> dict:
    """Stop taking ballots and sum them; the 监票人 decrypt the sums (submit_partial_decryption)."""
    appraisal = Appraisal.objects.select_for_update().select_related("org").get(pk=appraisal.pk)
    if appraisal.state != Appraisal.State.OPEN:
        raise Conflict("appraisal_closed", "民主评议已经结束。")
    appraisal.eligible = voters(appraisal.congress).count()
    bodies = appraisal.sealed_ballots.values_list("body", flat=True).iterator()
    appraisal.encrypted_tally = scrutiny.encrypted_sum(appraisal.descriptor, bodies)
    appraisal.state = Appraisal.State.COUNTING
    appraisal.closed_at = timezone.now()
    appraisal.save(update_fields=["eligible", "encrypted_tally", "state", "closed_at"])
    valid = appraisal.sealed_ballots.count()
    audit.record(
        actor=actor,
        org=appraisal.org,
        action="congress.appraisal.close",
        obj=appraisal,
        changes={"state": ["open", "counting"], "eligible": appraisal.eligible, "valid": valid},
    )
    return {"state": appraisal.state, "eligible": appraisal.eligible, "valid": valid}


def _finish(appraisal: Appraisal, counts: list[list[int]], actor) -> None:
    appraisal.result = count(appraisal, appraisal.eligible, counts, appraisal.sealed_ballots.count())
    appraisal.result["receipts"] = list(
        appraisal.sealed_ballots.order_by("tracker").values_list("tracker", flat=True)
    )
    appraisal.state = Appraisal.State.CLOSED
    appraisal.save(update_fields=["result", "state"])
    audit.record(
        actor=actor,
        org=appraisal.org,
        action="congress.appraisal.decrypt",
        obj=appraisal,
        changes={"state": ["counting", "closed"], "valid": appraisal.result["valid"]},
    )


def submit_partial_decryption(*, user, appraisal: Appraisal, partial=None, proof=None, backup_code=None):
    scrutiny.submit_partial(
        user=user,
        target=appraisal,
        partial=partial,
        proof=proof,
        backup_code=backup_code,
        finish=lambda target, counts: _finish(target, counts, user),
    )
    appraisal.refresh_from_db()
    return appraisal


def bulletin(appraisal: Appraisal) -> dict:
    decrypted = None
    kept = kept_result(appraisal)
    if kept:
        decrypted = {
            "cast": kept["valid"],
            "counts": [[s["counts"][level] for level in kept["scale"]] for s in kept["subjects"]],
            "outcome": {"participation_ok": kept["participation_ok"]},
        }
    return scrutiny.bulletin(
        appraisal, kind="appraisal", title=f"{appraisal.congress} 民主评议", result=decrypted
    )


@transaction.atomic
def set_notes(*, actor, subject: AppraisalSubject, strengths: str, weaknesses: str) -> AppraisalSubject:
    """主要优点 and 主要不足 from the delegates' comments, written in after the close."""
    appraisal = Appraisal.objects.select_for_update().get(pk=subject.appraisal_id)  # fresh state
    if appraisal.state != Appraisal.State.CLOSED:
        raise Conflict("appraisal_open", "评议结束后才能填写优点和不足。")
    before = {"strengths": subject.strengths, "weaknesses": subject.weaknesses}
    subject.strengths = (strengths or "").strip()
    subject.weaknesses = (weaknesses or "").strip()
    subject.save(update_fields=["strengths", "weaknesses"])
    for row in appraisal.result["subjects"]:
        if row["id"] == subject.pk:
            row["strengths"], row["weaknesses"] = subject.strengths, subject.weaknesses
    appraisal.save(update_fields=["result"])
    audit.record(
        actor=actor,
        org=appraisal.org,
        action="congress.appraisal.notes",
        obj=subject,
        changes=audit.diff(before, {"strengths": subject.strengths, "weaknesses": subject.weaknesses}),
    )
    return subject


def report_xlsx(appraisal: Appraisal) -> bytes:
    """The result as a workbook: the figures, a table of subjects × levels, flags and notes."""
    result = appraisal.result
    scale = result["scale"]
    wb = new_workbook()
    ws = wb.active
    ws.title = "民主评议结果"
    ws.append([f"{appraisal.congress.title} 民主评议结果"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(
        [
            f"在册代表 {result['eligible']} 人，参评 {result['valid']} 人，参评率 {result['participation_pct']}%"
            + ("" if result["participation_ok"] else "（不足三分之二，评议无效）")
        ]
    )
    header = ["姓名", "职务"]
    for level in scale:
        header += [f"{level}（票）", f"{level}（%）"]
    header += ["好评率（%）", "提示", "主要优点", "主要不足"]
    ws.append(header)
    fill = PatternFill("solid", fgColor="F2F2F2")
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for s in result["subjects"]:
        row = [s["name"], s["position"]]
        for level in scale:
            row += [s["counts"][level], float(s["percentages"][level])]
        row += [
            float(s["good_rate"]) if s["good_rate"] is not None else None,
            "、".join(s["flags"]),
            s["strengths"],
            s["weaknesses"],
        ]
        ws.append(row)
    ws.append([])
    ws.append(
        [
            "提示仅供党组织参考：好评率（优秀+称职）低于三分之二提示诫勉谈话，不称职票超过三分之一提示可能不称职。"
        ]
    )
    widths = [10, 16] + [9] * (2 * len(scale)) + [11, 16, 30, 30]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width = width
    ws.freeze_panes = "C4"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
