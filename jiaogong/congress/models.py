"""教代会: terms (届), sessions (次, the "congress" of API.md), delegates, attendance, votes,
民主评议 and proposals.

Evidence rules that live in the schema, not in Python:
- one turnout row per delegate and poll (a unique constraint): the second vote fails in the database;
- a secret ballot is stored only as ciphertexts under the joint key of the session's 监票人
  (crypto.py): whatever is written in the voter's transaction can be joined to the voter (xmin,
  WAL order), so what is written there must be unreadable alone; only sums are ever decrypted;
- ballots, turnout, partial decryptions and proposal events are append-only (services never update
  or delete them; database triggers refuse it).
"""

import secrets

from django.conf import settings
from django.db import models

from jiaogong.core.models import Org
from jiaogong.members.models import Member, UnionGroup


def new_token() -> str:
    return secrets.token_urlsafe(16)


def new_receipt() -> str:
    """A ballot receipt a voter can read out: 10 characters, no 0/O/1/I confusion."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class Department(models.Model):
    """学校职能部门 (总务处, 教务处…): the users who handle proposals assigned to it."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField("部门名称", max_length=50)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="departments")

    class Meta:
        verbose_name = "职能部门"
        verbose_name_plural = "职能部门"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="department_unique_name")]

    def __str__(self):
        return self.name


class CongressTerm(models.Model):
    """届: a term of the congress and of its delegates (3 or 5 years)."""

    class Mode(models.TextChoices):
        DELEGATES = "delegates", "教职工代表大会"
        ALL_STAFF = "all_staff", "教职工大会"

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="congress_terms")
    number = models.PositiveSmallIntegerField("届次")
    started_on = models.DateField("本届开始")
    years = models.PositiveSmallIntegerField("任期（年）", default=5)
    mode = models.CharField("形式", max_length=20, choices=Mode.choices, default=Mode.DELEGATES)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "教代会届次"
        verbose_name_plural = "教代会届次"
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["org", "number"], name="congress_term_unique_number")]

    def __str__(self):
        return f"第{self.number}届"


class Congress(models.Model):
    """次: one session of a term (第八届第一次教代会). API.md calls it a congress."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="congresses")
    term = models.ForeignKey(CongressTerm, on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField("次")
    title = models.CharField("会议名称", max_length=100)
    opens_on = models.DateField("开会日期")
    # The 监票人's joint public key (hex), set once every 监票人 has registered a share: the key
    # every secret poll and 民主评议 of the session is encrypted under.
    joint_key = models.CharField("联合公钥", max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "教代会会议"
        verbose_name_plural = "教代会会议"
        ordering = ["-opens_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["term", "number"], name="congress_unique_session")]

    def __str__(self):
        return self.title


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        HEAR = "hear", "听取"
        REVIEW = "review", "审议"
        ADOPT = "adopt", "讨论通过"
        APPRAISE = "appraise", "评议"
        ELECT = "elect", "选举"

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField("顺序")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    title = models.CharField("议题", max_length=200)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"


class Delegation(models.Model):
    """代表团 (or 代表组) with its leader."""

    term = models.ForeignKey(CongressTerm, on_delete=models.CASCADE, related_name="delegations")
    name = models.CharField("代表团", max_length=50)
    leader = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["term", "name"], name="delegation_unique_name")]

    def __str__(self):
        return self.name


class UnitQuota(models.Model):
    """How many delegates an electing unit (工会小组/年级组) elects for the term."""

    term = models.ForeignKey(CongressTerm, on_delete=models.CASCADE, related_name="quotas")
    unit = models.ForeignKey(UnionGroup, on_delete=models.PROTECT, related_name="+")
    quota = models.PositiveSmallIntegerField("名额")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["term", "unit"], name="unit_quota_unique")]

    def __str__(self):
        return f"{self.unit} {self.quota} 名"


class Delegate(models.Model):
    """A member's seat in a term: a formal delegate votes; 列席 and 特邀 attend without a vote."""

    class Kind(models.TextChoices):
        FORMAL = "formal", "正式代表"
        ATTENDING = "attending", "列席代表"
        INVITED = "invited", "特邀代表"

    class EndReason(models.TextChoices):
        REPLACED = "replaced", "补选替换"
        RECALLED = "recalled", "罢免"
        LEFT = "left", "调离/退休"

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    term = models.ForeignKey(CongressTerm, on_delete=models.CASCADE, related_name="delegates")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="delegate_seats")
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.FORMAL)
    unit = models.ForeignKey(UnionGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    delegation = models.ForeignKey(
        Delegation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    elected_on = models.DateField("当选日期")
    until = models.DateField("终止日期", null=True, blank=True)
    end_reason = models.CharField("终止原因", max_length=20, choices=EndReason.choices, blank=True)
    replaces = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The per-delegate check-in code (shown as a QR code); a new one can be issued.
    checkin_token = models.CharField(max_length=40, unique=True, default=new_token)

    class Meta:
        verbose_name = "代表"
        verbose_name_plural = "代表"
        constraints = [
            models.UniqueConstraint(
                fields=["term", "member"], condition=models.Q(until__isnull=True), name="delegate_one_seat"
            )
        ]

    def __str__(self):
        return f"{self.member.name}（{self.get_kind_display()}）"

    @property
    def votes(self) -> bool:
        return self.kind == self.Kind.FORMAL


class PresidiumMember(models.Model):
    """主席团."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="presidium")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["congress", "member"], name="presidium_unique")]

    def __str__(self):
        return self.member.name


class SessionPaper(models.Model):
    """A paper sent to the delegates before the session (warned when later than the parameter)."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField("材料名称", max_length=200)
    file = models.FileField("文件", upload_to="congress/papers/", blank=True)
    sent_on = models.DateField("送达代表日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_on", "id"]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    """A delegate present at the session (append-only: one row per delegate and session)."""

    class Method(models.TextChoices):
        QR = "qr", "扫码签到"
        DESK = "desk", "现场登记"
        API = "api", "批量登记"

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="attendance")
    delegate = models.ForeignKey(Delegate, on_delete=models.PROTECT, related_name="attendance")
    method = models.CharField(max_length=10, choices=Method.choices)
    checked_in_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["congress", "delegate"], name="attendance_once")]

    def __str__(self):
        return f"{self.delegate.member.name} 签到"


class Scrutineer(models.Model):
    """监票人: a formal delegate who holds a share of the session's ballot key. The share's secret
    stays on their phone (and on the backup code they printed); the server keeps the public part
    with its proof of knowledge. Decrypting a tally takes every 监票人 of the session."""

    class Source(models.TextChoices):
        PHONE = "phone", "手机生成"
        SERVER = "server", "接口客户端（服务器生成，仅返回一次备份码）"

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="scrutineers")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField("序号")
    public_share = models.CharField("公钥份额", max_length=64, blank=True)
    proof = models.JSONField("份额证明", null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "监票人"
        verbose_name_plural = "监票人"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "member"], name="scrutineer_once"),
            models.UniqueConstraint(fields=["congress", "position"], name="scrutineer_position"),
        ]

    def __str__(self):
        return f"监票人 {self.member.name}"

    @property
    def has_share(self) -> bool:
        return bool(self.public_share)


class Poll(models.Model):
    """A vote of the session: named or secret, a motion (赞成/反对/弃权) or an election."""

    class Kind(models.TextChoices):
        SECRET = "secret", "无记名投票"
        NAMED = "named", "记名表决"

    class State(models.TextChoices):
        DRAFT = "draft", "未开始"
        OPEN = "open", "投票中"
        COUNTING = "counting", "待监票人解密"
        CLOSED = "closed", "已结束"

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="polls")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField("表决事项", max_length=200)
    kind = models.CharField("方式", max_length=10, choices=Kind.choices)
    options = models.JSONField("选项", default=list)
    # An election: `options` are the candidates and a ballot marks up to `seats` of them.
    seats = models.PositiveSmallIntegerField("应选人数", null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Kept at close: who was entitled, who was present, on which base the majority was counted.
    total_delegates = models.PositiveIntegerField(null=True, blank=True)
    present = models.PositiveIntegerField(null=True, blank=True)
    majority_base = models.CharField(max_length=10, blank=True)
    # A secret poll: its public descriptor (options, allowed marks, joint key) fixed when it opens,
    # and the homomorphic sum of its ballots fixed when it closes — what the 监票人 decrypt.
    descriptor = models.JSONField(null=True, blank=True)
    encrypted_tally = models.JSONField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "表决"
        verbose_name_plural = "表决"
        ordering = ["id"]

    def __str__(self):
        return self.title

    @property
    def is_election(self) -> bool:
        return self.seats is not None


class Turnout(models.Model):
    """Who has voted in a poll. The unique constraint, not Python, refuses a second ballot."""

    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="turnout")
    delegate = models.ForeignKey(Delegate, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "delegate"], name="turnout_one_ballot")]

    def __str__(self):
        return f"{self.poll} 已投票"


class Ballot(models.Model):
    """A named poll's ballot: public evidence of how each delegate voted. (A secret poll's
    ballots are SealedBallots: ciphertexts only.)"""

    receipt = models.CharField(primary_key=True, max_length=12, default=new_receipt)
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="ballots")
    choices = models.JSONField(default=list)  # one option for a motion; up to `seats` for an election
    delegate = models.ForeignKey(Delegate, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "delegate"],
                condition=models.Q(delegate__isnull=False),
                name="named_ballot_once",
            )
        ]

    def __str__(self):
        return f"选票 {self.receipt}"


class SealedBallot(models.Model):
    """A secret ballot: per option a ciphertext with its proofs (crypto.encrypt_ballot), keyed by
    its tracker — the hash of the encrypted ballot. No voter, no time; on SQLite a WITHOUT ROWID
    table (migration 0002's reason). Readable by nobody alone: only the sum of all ballots is
    ever decrypted, by every 监票人 together."""

    tracker = models.CharField(primary_key=True, max_length=52)
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="sealed_ballots")
    body = models.JSONField()

    def __str__(self):
        return f"密封选票 {self.tracker[:12]}"


class Appraisal(models.Model):
    """民主评议 of school leaders at a session: secret graded ballots."""

    class State(models.TextChoices):
        OPEN = "open", "评议中"
        COUNTING = "counting", "待监票人解密"
        CLOSED = "closed", "已结束"

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="appraisals")
    scale = models.JSONField("等次", default=list)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    eligible = models.PositiveIntegerField(null=True, blank=True)  # kept at close
    descriptor = models.JSONField(null=True, blank=True)  # subjects × grades under the joint key
    encrypted_tally = models.JSONField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.congress} 民主评议"


class AppraisalSubject(models.Model):
    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="subjects")
    name = models.CharField("姓名", max_length=50)
    position = models.CharField("职务", max_length=100)
    strengths = models.TextField("主要优点", blank=True)
    weaknesses = models.TextField("主要不足", blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.name}（{self.position}）"


class AppraisalTurnout(models.Model):
    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="turnout")
    delegate = models.ForeignKey(Delegate, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["appraisal", "delegate"], name="appraisal_one_ballot")]

    def __str__(self):
        return f"{self.appraisal} 已投票"


class SealedAppraisalBallot(models.Model):
    """A secret graded ballot: per subject a 0/1 ciphertext per grade, exactly one grade marked,
    with the proofs; keyed by its tracker, with no voter and no time."""

    tracker = models.CharField(primary_key=True, max_length=52)
    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="sealed_ballots")
    body = models.JSONField()

    def __str__(self):
        return f"密封评议票 {self.tracker[:12]}"


class PartialDecryption(models.Model):
    """A 监票人's share of the decryption of one tally (a poll's or a 民主评议's): x_i·A for every
    summed ciphertext, each with a proof. Public on the bulletin; append-only."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    scrutineer = models.ForeignKey(Scrutineer, on_delete=models.PROTECT, related_name="partials")
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, null=True, blank=True, related_name="partials")
    appraisal = models.ForeignKey(
        Appraisal, on_delete=models.PROTECT, null=True, blank=True, related_name="partials"
    )
    factors = models.JSONField()
    proofs = models.JSONField()
    source = models.CharField(max_length=10, choices=Scrutineer.Source.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scrutineer__position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(poll__isnull=False, appraisal__isnull=True)
                | models.Q(poll__isnull=True, appraisal__isnull=False),
                name="partial_of_one_tally",
            ),
            models.UniqueConstraint(
                fields=["poll", "scrutineer"],
                condition=models.Q(poll__isnull=False),
                name="partial_once_poll",
            ),
            models.UniqueConstraint(
                fields=["appraisal", "scrutineer"],
                condition=models.Q(appraisal__isnull=False),
                name="partial_once_appraisal",
            ),
        ]

    def __str__(self):
        return f"{self.scrutineer} 部分解密"


class ProposalCommitteeMember(models.Model):
    """提案工作委员会, named per term."""

    term = models.ForeignKey(CongressTerm, on_delete=models.CASCADE, related_name="proposal_committee")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["term", "member"], name="proposal_committee_unique")]

    def __str__(self):
        return self.member.name


class Proposal(models.Model):
    """提案 (or 意见建议 once past the deadline or forwarded after rejection)."""

    class Kind(models.TextChoices):
        PROPOSAL = "proposal", "提案"
        SUGGESTION = "suggestion", "意见建议"

    class State(models.TextChoices):
        AWAITING_SECONDS = "awaiting_seconds", "待附议"
        SUBMITTED = "submitted", "已提交"
        ACCEPTED = "accepted", "已立案"
        REJECTED = "rejected", "不予立案"
        MERGED = "merged", "已并案"
        ASSIGNED = "assigned", "已交办"
        REPLIED = "replied", "已答复"
        RATED = "rated", "已评价"
        REOPENED = "reopened", "再办理"
        CLOSED = "closed", "已办结"

    class Code(models.TextChoices):
        A = "A", "已解决或基本解决"
        B = "B", "正在解决或列入计划"
        C = "C", "因条件限制暂缓"
        D = "D", "留作参考"

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASICALLY = "basically_satisfied", "基本满意"
        UNSATISFIED = "unsatisfied", "不满意"

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PROPOSAL)
    number = models.PositiveIntegerField("立案号", null=True, blank=True)
    title = models.CharField("案由", max_length=200)
    reasons = models.TextField("理由")
    measures = models.TextField("建议措施")
    proposer = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="proposals")
    co_proposers = models.ManyToManyField(Member, blank=True, related_name="co_proposals")
    state = models.CharField(max_length=20, choices=State.choices, default=State.AWAITING_SECONDS)
    decision_reason = models.TextField("审查意见", blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged"
    )
    lead_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="lead_proposals"
    )
    supporting_departments = models.ManyToManyField(
        Department, blank=True, related_name="supporting_proposals"
    )
    assigned_on = models.DateField(null=True, blank=True)
    reply_due_on = models.DateField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField("办理进度（%）", default=0)
    reply_code = models.CharField(max_length=1, choices=Code.choices, blank=True)
    reply_text = models.TextField("答复", blank=True)
    replied_on = models.DateField(null=True, blank=True)
    rating = models.CharField(max_length=20, choices=Rating.choices, blank=True)
    reopened_once = models.BooleanField(default=False)
    excellent = models.BooleanField("优秀提案", default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "提案"
        verbose_name_plural = "提案"
        ordering = ["number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "number"],
                condition=models.Q(number__isnull=False),
                name="proposal_unique_number",
            )
        ]

    def __str__(self):
        return self.title


class ProposalSecond(models.Model):
    """附议: each seconding delegate confirms personally (one row each)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="seconds")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "member"], name="proposal_second_once")]

    def __str__(self):
        return f"{self.member.name} 附议"


class ProposalEvent(models.Model):
    """The proposal's timeline (append-only): every transition, progress note and reply."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    kind = models.CharField(max_length=30)  # the new state, or "progress" / "remind" / "excellent"
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    percent = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.proposal} {self.kind}"
