"""Load the demo district once and print its logins (make run calls this every time)."""

import datetime
import secrets
import string

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from jiaogong.accounts.models import RoleGrant, User
from jiaogong.activities.demo import load_activities
from jiaogong.checkups.demo import load_checkups
from jiaogong.clubs.demo import load_clubs
from jiaogong.competitions.demo import load_competitions
from jiaogong.congress.demo import load_congress
from jiaogong.core.models import Org
from jiaogong.demo import generate_school
from jiaogong.donations.demo import load_donations
from jiaogong.funds.demo import load_funds
from jiaogong.hardship.demo import load_hardship
from jiaogong.members import services
from jiaogong.members.models import GroupLeader, Member, UnionGroup
from jiaogong.mutual_aid.demo import load_mutual_aid
from jiaogong.notifications.demo import load_notifications
from jiaogong.plans.demo import load_plans
from jiaogong.recuperation.demo import load_recuperation
from jiaogong.reports.demo import load_reports
from jiaogong.rights.demo import load_rights
from jiaogong.study.demo import load_study
from jiaogong.welfare.demo import load_welfare

FEDERATION = "梁平县教育工会"
SCHOOLS = [("龙胜乡中心小学工会", "longsheng", 60, 1), ("冷水溪小学工会", "lengshuixi", 40, 2)]


class Command(BaseCommand):
    help = "载入演示数据（一个县教育工会和两所学校工会），并打印登录账号。"

    def handle(self, *args, **options):
        logins_file = settings.VAR_DIR / "demo-logins.txt"
        if Org.objects.filter(name=FEDERATION, kind="federation").exists() and logins_file.exists():
            self.stdout.write("演示数据已存在，未重复载入。")
        else:
            lines = self._load()
            logins_file.parent.mkdir(parents=True, exist_ok=True)
            logins_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
            logins_file.chmod(0o600)
            self.stdout.write(self.style.SUCCESS("演示数据已载入。"))
        self.stdout.write("\n登录账号（用户名 / 密码 / 角色）：")
        self.stdout.write(logins_file.read_text(encoding="utf-8"))

    @transaction.atomic
    def _load(self) -> list[str]:
        today = timezone.localdate()
        lines = []

        def account(username, role_label, *, org=None, role=None, member=None, superuser=False, phone=""):
            password = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(12))
            # A delegate of the demo congress already has a login without a password: it becomes this one.
            user = User.objects.filter(member=member).first() if member else None
            if user is None:
                user = User(member=member)
            user.username, user.is_superuser, user.is_staff, user.phone = (
                username,
                superuser,
                superuser,
                phone,
            )
            user.first_name = member.name if member else ""
            user.set_password(password)
            user.save()
            if org and role:
                RoleGrant.objects.create(user=user, org=org, role=role)
            where = f"{org.name}" if org else "全部"
            also = f"  也可用手机号 {phone} 登录" if phone else ""
            lines.append(f"  {username:<20} {password:<14} {role_label}（{where}）{also}")
            return user

        admin = account("admin", "系统管理员", superuser=True)
        federation = Org.objects.create(name=FEDERATION, kind="federation", province="重庆")
        account("district_officer", "上级工会干部", org=federation, role="federation_officer")
        for name, slug, count, seed in SCHOOLS:
            school = Org.objects.create(name=name, kind="school", parent=federation, province="重庆")
            members = generate_school(school, count, seed=seed, today=today, actor=admin)
            active = [m for m in members if m.status == "active"]
            women = [m for m in active if m.gender == "F"]
            self._committee(admin, school, active, women, today)
            self._leaders(admin, school, today)
            chair_member = active[0]
            chair = account(
                f"{slug}_chair",
                "工会主席",
                org=school,
                role="chair",
                member=chair_member,
                phone=chair_member.phone,
            )
            plain = next(m for m in active[10:] if not hasattr(m, "user"))
            account(f"{slug}_member", "会员", org=school, role="member", member=plain)
            office = account(f"{slug}_zongwu", "职能部门（总务处，答复提案）", org=school, role="department")
            congress = load_congress(
                actor=admin, school=school, members=members, today=today, seed=seed, office_user=office
            )
            if seed == 1:
                # The upcoming session's three 监票人: each makes a key share on their own phone.
                for i, member in enumerate(congress["scrutineers"], start=1):
                    account(
                        f"{slug}_jianpiao{i}",
                        "监票人（第四次教代会）",
                        org=school,
                        role="member",
                        member=member,
                    )
            treasurer = next(m for m in active[20:] if not hasattr(m, "user"))
            finance = account(
                f"{slug}_caiwu", "财务委员（会费、记账）", org=school, role="finance", member=treasurer
            )
            auditor = next(m for m in active[30:] if not hasattr(m, "user"))
            account(f"{slug}_jingshen", "经审委员（审查、签字）", org=school, role="auditor", member=auditor)
            # 生活（福利）委员: the committee seat with the welfare portfolio (_committee gives it to active[4]).
            welfare = account(
                f"{slug}_shenghuo",
                "生活委员（送温暖、困难职工档案）",
                org=school,
                role="welfare",
                member=active[4],
            )
            leader = (
                GroupLeader.objects.filter(org=school, ended_on__isnull=True, member__user__isnull=True)
                .select_related("member", "group")
                .order_by("group__name")
                .first()
            )
            if leader is not None:
                account(
                    f"{slug}_zuzhang",
                    f"工会小组长（{leader.group.name}，走访慰问）",
                    org=school,
                    role="group_leader",
                    member=leader.member,
                )
            load_funds(actor=finance, school=school, members=members, today=today, seed=seed)
            load_donations(actor=finance, school=school, members=members, today=today, seed=seed)
            load_welfare(actor=welfare, school=school, members=members, today=today, seed=seed)
            load_recuperation(actor=welfare, school=school, members=members, today=today, seed=seed)
            load_hardship(actor=welfare, school=school, members=members, today=today, seed=seed)
            load_rights(actor=chair, school=school, members=members, today=today, seed=seed)
            load_checkups(actor=welfare, school=school, members=members, today=today, seed=seed)
            load_mutual_aid(actor=welfare, school=school, members=members, today=today, seed=seed)
            load_notifications(actor=welfare, school=school, members=members, today=today, seed=seed)
            # 文体委员 (the committee seat with the sports_culture portfolio: active[3]) runs the activities.
            organiser = account(
                f"{slug}_wenti",
                "文体委员（活动、比赛、签到）",
                org=school,
                role="sports_culture",
                member=active[3],
            )
            load_activities(actor=organiser, school=school, members=members, today=today, seed=seed)
            load_competitions(actor=organiser, school=school, members=members, today=today, seed=seed)
            load_clubs(actor=chair, school=school, members=members, today=today, seed=seed)
            load_study(actor=chair, school=school, members=members, today=today, seed=seed)
            # The plan links its items to the records above; the summary counts everything, so it comes last.
            load_plans(actor=chair, school=school, members=members, today=today, seed=seed)
            load_reports(actor=chair, school=school, members=members, today=today, seed=seed)
        return lines

    def _committee(self, admin, school, active, women, today):
        elected = (
            today.replace(month=9, day=10)
            if today.month >= 9
            else today.replace(year=today.year - 1, month=9, day=10)
        )
        union = services.create_term(
            actor=admin,
            org=school,
            body="union",
            number=3,
            elected_on=elected - datetime.timedelta(days=365),
            years=5,
        )
        seats = [
            ("chair", ""),
            ("vice_chair", "organization"),
            ("member", "publicity"),
            ("member", "sports_culture"),
            ("member", "welfare"),
            ("member", "finance"),
        ]
        for member, (position, portfolio) in zip(active, seats, strict=False):
            services.add_seat(actor=admin, term=union, member=member, position=position, portfolio=portfolio)
        womens = services.create_term(
            actor=admin, org=school, body="women", number=3, elected_on=union.elected_on, years=5
        )
        for i, member in enumerate(women[6:9]):
            services.add_seat(
                actor=admin, term=womens, member=member, position="chair" if i == 0 else "member"
            )
        audit = services.create_term(
            actor=admin, org=school, body="audit", number=3, elected_on=union.elected_on, years=5
        )
        for i, member in enumerate(active[10:13]):
            services.add_seat(
                actor=admin, term=audit, member=member, position="chair" if i == 0 else "member"
            )

    def _leaders(self, admin, school, today):
        for group in UnionGroup.objects.filter(org=school).exclude(kind="retirees"):
            leader = (
                Member.objects.filter(org=school, union_group=group, status="active")
                .order_by("hire_date")
                .first()
            )
            if leader:
                services.set_group_leader(
                    actor=admin,
                    group=group,
                    member=leader,
                    elected_on=today.replace(month=9, day=1)
                    if today.month >= 9
                    else today.replace(year=today.year - 1, month=9, day=1),
                )
