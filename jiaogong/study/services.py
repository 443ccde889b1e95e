"""学习 writes: a study session (an activity of kind political_study / professional_study) with
its topic and material, its attendance ticked by the organiser, 心得 submitted and edited until the
deadline; the 读书活动's book logs and the year's 先进个人. Checked first, written whole or not at
all, audited."""

import datetime
import io
import zipfile
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from jiaogong.activities import services as activities
from jiaogong.core import audit
from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.parsing import clean_text
from jiaogong.core.permissions import can
from jiaogong.core.rules import value_for
from jiaogong.core.uploads import KINDS as UPLOAD_KINDS
from jiaogong.members.models import Member
from jiaogong.study import rules
from jiaogong.study.models import ReadingAward, ReadingLog, Reflection, StudySession

KINDS = ("political_study", "professional_study")
MAX_MATERIAL = UPLOAD_KINDS["study_material"].max_bytes  # core/uploads.py: one table of upload points
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_REFLECTION = 5000


def sniff_material(upload) -> str | None:
    """PDF or Word (.docx) from the bytes, not the name: "%PDF-", or a zip holding word/document.xml."""
    head = upload.read(5)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(upload.read())) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return DOCX
    return None


def _check_material(upload, errors: dict) -> str | None:
    if upload is None:
        return None
    if upload.size > MAX_MATERIAL:
        errors["material"] = "材料文件不能超过 20 MB。"
        return None
    if upload.size == 0:
        errors["material"] = "材料文件是空的。"
        return None
    content_type = sniff_material(upload)
    if content_type is None:
        errors["material"] = "学习材料只能是 PDF 或 Word（.docx）文件。"
    return content_type


def _save_material(session: StudySession, upload, content_type: str) -> None:
    name = (getattr(upload, "name", "") or "学习材料").rsplit("/", 1)[-1][:200]
    session.material.save(name, upload, save=False)
    session.material_name = name
    session.material_type = content_type


@transaction.atomic
def create_session(
    *,
    actor,
    org,
    kind: str,
    topic: str,
    starts_at,
    ends_at,
    location: str = "",
    material_text: str = "",
    material=None,
    reflection_due: datetime.date | None = None,
) -> StudySession:
    """A study session: the activity, its topic and material; 心得 may be submitted until
    `reflection_due` (on or after the session's day)."""
    errors: dict[str, str] = {}
    topic = clean_text(topic, label="学习主题", max_length=100, required=True, errors=errors, field="topic")
    material_text = clean_text(
        material_text,
        label="学习材料",
        max_length=50000,
        required=False,
        errors=errors,
        field="material_text",
    )
    if kind not in KINDS:
        errors["kind"] = "请选择政治学习或业务学习。"
    content_type = _check_material(material, errors)
    if not isinstance(reflection_due, datetime.date):
        errors["reflection_due"] = "请填写心得提交截止日期。"
    elif isinstance(starts_at, datetime.datetime) and reflection_due < timezone.localtime(starts_at).date():
        errors["reflection_due"] = "心得提交截止不能早于学习日期。"
    if errors:
        # The activity's own checks too, so every message comes back at once.
        try:
            activities.create_activity(
                actor=actor,
                org=org,
                title=topic or "—",
                kind=kind if kind in KINDS else "political_study",
                starts_at=starts_at,
                ends_at=ends_at,
                location=location,
            )
        except InvalidInput as e:
            errors = {**{k: v for k, v in e.fields.items() if k != "title"}, **errors}
        raise InvalidInput(errors, "学习安排有误，未创建。")
    activity = activities.create_activity(
        actor=actor,
        org=org,
        title=topic,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        description=material_text[:2000],
    )
    session = StudySession(
        org=org,
        activity=activity,
        topic=topic,
        material_text=material_text,
        reflection_due=reflection_due,
        created_by=actor,
    )
    if material is not None:
        _save_material(session, material, content_type)
    session.save()
    audit.record(
        actor=actor,
        org=org,
        action="study.session.create",
        obj=session,
        changes={
            "activity": activity.pk,
            "topic": topic,
            "kind": kind,
            "material": session.material_name,
            "reflection_due": str(reflection_due),
        },
    )
    return session


@transaction.atomic
def replace_material(*, actor, session: StudySession, material) -> StudySession:
    errors: dict[str, str] = {}
    if material is None:
        errors["material"] = "请选择 PDF 或 Word（.docx）文件。"
    content_type = _check_material(material, errors)
    if errors:
        raise InvalidInput(errors, "材料未上传。")
    before = session.material_name
    _save_material(session, material, content_type)
    session.save(update_fields=["material", "material_name", "material_type"])
    audit.record(
        actor=actor,
        org=session.org_id,
        action="study.material.replace",
        obj=session,
        changes={"material": [before, session.material_name]},
    )
    return session


def tick_attendance(*, actor, session: StudySession, member_ids) -> dict:
    """The organiser's roster of the session's day (helper B's activities.set_attendance)."""
    day = timezone.localtime(session.activity.starts_at).date()
    return activities.set_attendance(
        actor=actor, org=session.org, activity=session.activity, day=day, member_ids=member_ids
    )


# ---- 心得 ------------------------------------------------------------------------------------------


def may_edit_reflection(session: StudySession, today: datetime.date) -> bool:
    return today <= session.reflection_due


@transaction.atomic
def submit_reflection(
    *, actor, session: StudySession, member: Member | None, text: str
) -> tuple[Reflection, bool]:
    """Submit or edit one's 心得 until the deadline (inclusive). Returns (reflection, created)."""
    if member is None or member.org_id != session.org_id:
        raise DomainError("not_a_member", "只有本单位会员可以提交心得（您的账号未关联会员档案）。")
    today = timezone.localdate()
    if not may_edit_reflection(session, today):
        raise Conflict(
            "past_deadline", f"心得提交已于 {session.reflection_due:%Y-%m-%d} 截止，不能再提交或修改。"
        )
    errors: dict[str, str] = {}
    text = clean_text(
        text, label="心得体会", max_length=MAX_REFLECTION, required=True, errors=errors, field="text"
    )
    if errors:
        raise InvalidInput(errors, "心得未提交。")
    existing = Reflection.objects.select_for_update().filter(session=session, member=member).first()
    if existing is not None:
        before = existing.text
        existing.text = text
        existing.save(update_fields=["text", "updated_at"])
        audit.record(
            actor=actor,
            org=session.org_id,
            action="study.reflection.edit",
            obj=existing,
            changes={"chars": [len(before), len(text)]},
        )
        return existing, False
    try:
        with transaction.atomic():
            reflection = Reflection.objects.create(
                org_id=session.org_id, session=session, member=member, text=text
            )
    except IntegrityError:
        raise Conflict("already_submitted", "您已提交过心得，请刷新后修改。") from None
    audit.record(
        actor=actor,
        org=session.org_id,
        action="study.reflection.submit",
        obj=reflection,
        changes={"session": session.pk, "chars": len(text)},
    )
    return reflection, True


# ---- 读书活动 ---------------------------------------------------------------------------------------


@transaction.atomic
def log_book(
    *, actor, member: Member | None, title: str, author: str = "", finished_on, reflection: str
) -> ReadingLog:
    if member is None:
        raise DomainError("not_a_member", "只有会员可以登记读书（您的账号未关联会员档案）。")
    errors: dict[str, str] = {}
    title = clean_text(title, label="书名", max_length=100, required=True, errors=errors, field="title")
    title = title.strip("《》 ")
    author = clean_text(author, label="作者", max_length=100, required=False, errors=errors, field="author")
    reflection = clean_text(
        reflection,
        label="读书心得",
        max_length=MAX_REFLECTION,
        required=True,
        errors=errors,
        field="reflection",
    )
    if not isinstance(finished_on, datetime.date):
        errors["finished_on"] = "请填写读完的日期。"
    elif finished_on > timezone.localdate():
        errors["finished_on"] = "读完日期不能晚于今天。"
    elif ReadingAward.objects.filter(org_id=member.org_id, year=finished_on.year).exists():
        errors["finished_on"] = f"{finished_on.year} 年读书活动先进个人已评定，不能再登记该年度的读书。"
    if (
        title
        and "title" not in errors
        and isinstance(finished_on, datetime.date)
        and ReadingLog.objects.filter(member=member, year=finished_on.year, title=title).exists()
    ):
        errors["title"] = f"您 {finished_on.year} 年已登记过《{title}》。"
    if errors:
        raise InvalidInput(errors, "读书记录未登记。")
    try:
        with transaction.atomic():
            log = ReadingLog.objects.create(
                org_id=member.org_id,
                member=member,
                year=finished_on.year,
                title=title,
                author=author,
                finished_on=finished_on,
                reflection=reflection,
            )
    except IntegrityError:
        raise InvalidInput(
            {"title": f"您 {finished_on.year} 年已登记过《{title}》。"}, "读书记录未登记。"
        ) from None
    audit.record(
        actor=actor,
        org=member.org_id,
        action="study.reading.log",
        obj=log,
        changes={"title": title, "finished_on": str(finished_on), "chars": len(reflection)},
    )
    return log


def ranking(org, year: int) -> list[rules.Candidate]:
    books = [
        rules.Book(member_id=m, finished_on=d, reflection_chars=len(text))
        for m, d, text in ReadingLog.objects.filter(org=org, year=year).values_list(
            "member_id", "finished_on", "reflection"
        )
    ]
    return rules.rank_readers(books)


def award_share(org) -> Decimal:
    """The share of readers who may be 先进个人: the parameter study.reading_award_share."""
    return Decimal(str(value_for(org, "study.reading_award_share")))


@transaction.atomic
def select_awardees(*, actor, org, year, member_ids) -> list[ReadingAward]:
    """The chair selects the year's 读书活动先进个人 among its readers, within the cap; the selection
    replaces the previous one whole."""
    if not can(actor, org, "clubs.approve"):
        raise PermissionDenied("只有工会主席或副主席可以评定读书活动先进个人。")
    try:
        year = int(year)
        wanted = sorted({int(i) for i in member_ids})
    except (TypeError, ValueError):
        raise InvalidInput({"members": "名单有误，请刷新后重试。"}, "先进个人未评定。") from None
    readers = {c.member_id for c in ranking(org, year)}
    share = award_share(org)
    cap = rules.award_cap(len(readers), share)
    errors: dict[str, str] = {}
    if not wanted:
        errors["members"] = "请至少选择一人。"
    elif not set(wanted) <= readers:
        errors["members"] = f"只能从 {year} 年登记了读书的会员中评选。"
    elif len(wanted) > cap:
        errors["members"] = (
            f"最多评选 {cap} 人（{year} 年参加读书活动 {len(readers)} 人的 {share * 100:.0f}%），"
            f"您选了 {len(wanted)} 人。"
        )
    if errors:
        raise InvalidInput(errors, "先进个人未评定。")
    before = sorted(ReadingAward.objects.filter(org=org, year=year).values_list("member_id", flat=True))
    ReadingAward.objects.filter(org=org, year=year).delete()
    awards = [ReadingAward.objects.create(org=org, year=year, member_id=m, selected_by=actor) for m in wanted]
    audit.record(
        actor=actor,
        org=org,
        action="study.reading.awards",
        obj=None,
        object_repr=f"{year}年读书活动先进个人",
        changes={"year": year, "members": [before, wanted], "cap": cap},
    )
    return awards
