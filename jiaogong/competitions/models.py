"""文体比赛: a competition is an activity (kind 文体比赛) with entries, divisions, rounds, results and
prizes — 教职工羽毛球比赛分四组, 拔河 by 年级组, 趣味运动会, 气排球.

Entries are individual (one member) or teams (a name and its members); a member is in at most one
entry of a competition (a database constraint). Divisions (分组) come from a fair seeded draw or
from the members' 工会小组/年级组. A round is a round robin (matches, points), a knock-out round
(matches with a winner), a scored round (成绩, higher or lower better) or a round of placings
(名次 typed by the judges). The ranking is computed (competitions.ranking), never stored; the
prizes given from it are stored, within the prize rule (funds.prize_max_share).
"""

from django.conf import settings
from django.db import models

from jiaogong.activities.models import Activity
from jiaogong.core.models import Org
from jiaogong.members.models import Member, UnionGroup


class Competition(models.Model):
    class EntryKind(models.TextChoices):
        INDIVIDUAL = "individual", "个人赛"
        TEAM = "team", "团体赛"

    class DivisionMode(models.TextChoices):
        NONE = "", "不分组"
        DRAW = "draw", "抽签分组"
        GROUP = "group", "按工会小组/年级组"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    activity = models.OneToOneField(Activity, on_delete=models.PROTECT, related_name="competition")
    sport = models.CharField("比赛项目", max_length=30)
    entry_kind = models.CharField("参赛方式", max_length=10, choices=EntryKind.choices)
    higher_is_better = models.BooleanField("成绩越高越好", default=True)
    unit = models.CharField("成绩单位", max_length=10, blank=True)
    points_win = models.PositiveSmallIntegerField("胜一场积分", default=2)
    points_draw = models.PositiveSmallIntegerField("平一场积分", default=1)
    points_loss = models.PositiveSmallIntegerField("负一场积分", default=0)
    division_mode = models.CharField(
        "分组方式", max_length=10, choices=DivisionMode.choices, default=DivisionMode.NONE, blank=True
    )
    # The random seed of the last draw: the draw can be shown and repeated from it.
    draw_seed = models.BigIntegerField("抽签种子", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-activity__starts_at", "-id"]

    def __str__(self):
        return self.activity.title

    @property
    def title(self) -> str:
        return self.activity.title

    @property
    def is_team(self) -> bool:
        return self.entry_kind == self.EntryKind.TEAM


class Division(models.Model):
    """分组: 第一组…第四组 of a draw, or a 工会小组/年级组."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="divisions")
    name = models.CharField("组名", max_length=50)
    union_group = models.ForeignKey(
        UnionGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "name"], name="division_unique_name"),
        ]

    def __str__(self):
        return self.name


class Entry(models.Model):
    """参赛: a member (individual) or a team with its members."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="entries")
    name = models.CharField("名称", max_length=50)
    division = models.ForeignKey(
        Division, on_delete=models.SET_NULL, null=True, blank=True, related_name="entries"
    )
    # 种子号: 1 is the strongest; seeded entries are kept apart in the draw.
    seed = models.PositiveSmallIntegerField("种子号", null=True, blank=True)
    # The sign-up it was imported from (activities.Registration), if any.
    registration = models.ForeignKey(
        "activities.Registration", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["division__position", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "name"], name="entry_unique_name"),
        ]

    def __str__(self):
        return self.name


class EntryMember(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="people")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="competition_entries")

    class Meta:
        ordering = ["member__name_pinyin", "id"]
        constraints = [
            # A member plays in one entry of a competition.
            models.UniqueConstraint(fields=["competition", "member"], name="entry_member_once"),
        ]

    def __str__(self):
        return f"{self.member} @ {self.entry}"


class Round(models.Model):
    class Kind(models.TextChoices):
        ROUND_ROBIN = "round_robin", "循环赛（积分）"
        KNOCKOUT = "knockout", "淘汰赛（须分胜负）"
        SCORES = "scores", "计成绩"
        PLACINGS = "placings", "录名次"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField("轮次名称", max_length=30)
    kind = models.CharField("赛制", max_length=12, choices=Kind.choices)
    # Ranked within each division (小组赛) or over all entries.
    by_division = models.BooleanField("分组排名", default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "name"], name="round_unique_name"),
        ]

    def __str__(self):
        return self.name

    @property
    def has_matches(self) -> bool:
        return self.kind in {self.Kind.ROUND_ROBIN, self.Kind.KNOCKOUT}


class Match(models.Model):
    """对阵: two entries of a round; the score is recorded after it is played."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="matches")
    division = models.ForeignKey(Division, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    home = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="+")
    away = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="+")
    home_score = models.DecimalField("比分（甲）", max_digits=8, decimal_places=2, null=True, blank=True)
    away_score = models.DecimalField("比分（乙）", max_digits=8, decimal_places=2, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["division__position", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(home=models.F("away")), name="match_two_entries"),
            models.CheckConstraint(
                condition=models.Q(home_score__isnull=True, away_score__isnull=True)
                | models.Q(home_score__isnull=False, away_score__isnull=False),
                name="match_both_scores",
            ),
        ]

    def __str__(self):
        return f"{self.home} vs {self.away}"

    @property
    def played(self) -> bool:
        return self.home_score is not None

    @property
    def winner_id(self):
        if not self.played or self.home_score == self.away_score:
            return None
        return self.home_id if self.home_score > self.away_score else self.away_id


class Score(models.Model):
    """成绩 or 名次 of an entry in a scored round."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="scores")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField("成绩", max_digits=12, decimal_places=3)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "entry"]
        constraints = [models.UniqueConstraint(fields=["round", "entry"], name="score_once_per_round")]

    def __str__(self):
        return f"{self.entry} {self.value}"


class PrizeTier(models.Model):
    """一等奖 2 名, 二等奖 4 名 …: what the organiser means to give, in order."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="tiers")
    name = models.CharField("奖项", max_length=20)
    count = models.PositiveSmallIntegerField("名额")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["competition", "name"], name="prize_tier_unique_name")]

    def __str__(self):
        return f"{self.name} {self.count}"


class Award(models.Model):
    """A prize given to an entry, from the ranking (its place then)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="awards")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="awards")
    tier = models.ForeignKey(PrizeTier, on_delete=models.PROTECT, related_name="awards")
    place = models.PositiveSmallIntegerField("名次")
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    awarded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["place", "tier__position", "entry__name"]
        constraints = [models.UniqueConstraint(fields=["competition", "entry"], name="award_once_per_entry")]

    def __str__(self):
        return f"{self.entry} {self.tier.name}"
