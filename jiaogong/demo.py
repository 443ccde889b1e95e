"""Realistic generated schools for the demo (make run) and the benchmarks (make bench).

Names, ages, genders and years of service look like a rural primary school's staff; groups
follow the 教研组 of the seeds (语文组, 数学组, 艺体组, …).
"""

import datetime
import random

from django.db import transaction
from stdnum.cn import ric

from jiaogong.core.models import AuditEvent
from jiaogong.members import rules
from jiaogong.members.models import Member, MemberStatusChange, UnionGroup

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
MALE_CHARS = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
FEMALE_CHARS = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"
GROUPS = [
    ("语文组", "subject"),
    ("数学组", "subject"),
    ("英语组", "subject"),
    ("艺体组", "subject"),
    ("综合组", "subject"),
    ("后勤组", "office"),
    ("退休教师组", "retirees"),
]
POSTS_TEACHER = ["语文教师", "数学教师", "英语教师", "音乐教师", "体育教师", "美术教师", "科学教师", "班主任"]
POSTS_STAFF = ["会计", "出纳", "保管员", "门卫", "食堂", "校医", "教务员"]


# Region codes valid for every birth year from the 1950s to the 2000s in python-stdnum's table.
REGIONS = ["110101", "110102", "450300", "510122"]


def make_id_number(birth_date: datetime.date, gender: str = "M", seq: int = 1, region: str = "110101") -> str:
    """A valid 18-digit resident ID number (real region code, real checksum)."""
    order = seq % 500 * 2 + (1 if gender == "M" else 0)  # 17th digit odd for men
    body = f"{region}{birth_date:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


def random_birth(rng: random.Random, min_age: int, max_age: int, today: datetime.date) -> datetime.date:
    start = rules.add_years(today, -max_age)
    end = rules.add_years(today, -min_age)
    return start + datetime.timedelta(days=rng.randrange((end - start).days))


def chinese_name(rng: random.Random, gender: str) -> str:
    chars = MALE_CHARS if gender == "M" else FEMALE_CHARS
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def generate_members(
    org, count: int, *, rng: random.Random, today: datetime.date, groups=None, seq_start: int = 0
) -> list[Member]:
    """Generate `count` staff for one school (bulk: pinyin computed here, save() is not called)."""
    if groups is None:
        groups = [UnionGroup(org=org, name=name, kind=kind) for name, kind in GROUPS]
        UnionGroup.objects.bulk_create(groups)
        groups = list(UnionGroup.objects.filter(org=org))
    by_kind = {g.kind: g for g in groups}
    working_groups = [g for g in groups if g.kind != "retirees"]
    members = []
    for i in range(count):
        gender = "F" if rng.random() < 0.62 else "M"
        retired = rng.random() < 0.12
        if retired:
            birth = random_birth(rng, 61, 75, today)
        else:
            birth = random_birth(rng, 23, 59 if gender == "M" else 54, today)
        age = rules.age_on(birth, today)
        hire = rules.add_years(birth, rng.randint(20, 24)) + datetime.timedelta(days=rng.randrange(200))
        hire = min(hire, today - datetime.timedelta(days=30))
        teacher = rng.random() < 0.88
        status = "retired" if retired else ("applicant" if age < 26 and rng.random() < 0.3 else "active")
        name = chinese_name(rng, gender)
        pinyin, initials = rules.pinyin_of(name)
        group = by_kind.get("retirees") if retired else rng.choice(working_groups)
        joined = None if status == "applicant" else hire + datetime.timedelta(days=rng.randint(30, 400))
        if retired:
            since = rules.retirement_date(birth, gender, 60, 55)
        elif joined:
            since = joined
        else:
            since = today - datetime.timedelta(days=rng.randint(1, 60))
        members.append(
            Member(
                org=org,
                name=name,
                name_pinyin=pinyin,
                name_initials=initials,
                gender=gender,
                birth_date=birth,
                id_number=make_id_number(birth, gender, seq_start + i, rng.choice(REGIONS)),
                phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
                hire_date=hire,
                is_teacher=teacher,
                is_cadre=teacher and age > 40 and rng.random() < 0.15,
                post=rng.choice(POSTS_TEACHER if teacher else POSTS_STAFF),
                union_group=group,
                joined_on=joined,
                status=status,
                status_since=since,
            )
        )
    Member.objects.bulk_create(members, batch_size=1000)
    created = list(Member.objects.filter(org=org).order_by("id"))
    MemberStatusChange.objects.bulk_create(
        [
            MemberStatusChange(
                org=org,
                member=m,
                from_status="",
                to_status=m.status,
                effective_on=m.status_since or today,
                note="初始登记",
            )
            for m in created
        ],
        batch_size=1000,
    )
    return created


@transaction.atomic
def generate_school(org, count: int, *, seed: int, today: datetime.date, actor=None) -> list[Member]:
    rng = random.Random(seed)
    members = generate_members(org, count, rng=rng, today=today, seq_start=seed * 1000)
    AuditEvent.objects.create(
        org=org,
        actor=actor,
        action="core.demo.generate",
        object_repr=org.name,
        changes={"members": [None, len(members)]},
    )
    return members


def never_attends(members) -> set[int]:
    """The few active members the demo's activities never see (one in twelve, at least two): every
    demo that records attendance leaves them out, so the list of those who took part in nothing this
    year is not empty, as in a real school."""
    active = sorted((m for m in members if m.status == Member.Status.ACTIVE), key=lambda m: m.pk)
    return {m.pk for m in active[-max(2, len(active) // 12) :]}
