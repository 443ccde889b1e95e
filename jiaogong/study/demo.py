"""Demo 学习 and 读书活动, as the seeds have them ("第四周 学习《教师法》", "开展教工读书活动……年末将评出
一批读书活动先进个人"): a 政治学习 on 《教师法》 held a month ago with its material (text and a Word
file), attendance and most members' 心得; a 业务学习 on the new curriculum standard coming up; the
读书月 launch and the books members logged this year with their 心得, waiting for the chair's
selection of the 先进个人."""

import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jiaogong.activities import services as activities
from jiaogong.core import documents
from jiaogong.demo import never_attends
from jiaogong.study import services
from jiaogong.study.models import StudySession

TEACHERS_LAW = (
    "《中华人民共和国教师法》（节选）\n"
    "第七条 教师享有下列权利：（一）进行教育教学活动，开展教育教学改革和实验；（二）从事科学研究、学术交流，"
    "参加专业的学术团体，在学术活动中充分发表意见；……\n"
    "第八条 教师应当履行下列义务：（一）遵守宪法、法律和职业道德，为人师表；（二）贯彻国家的教育方针，"
    "遵守规章制度，执行学校的教学计划，履行教师聘约，完成教育教学工作任务；……\n"
    "学习要求：结合《中小学教师职业道德规范》，每位教职工写一篇不少于 300 字的学习心得。"
)

REFLECTIONS = [
    "通过学习《教师法》，我进一步明确了教师的权利和义务。作为一名教师，要遵守宪法、法律和职业道德，为人师表，"
    "关心、爱护全体学生，尊重学生人格，促进学生在品德、智力、体质等方面全面发展。",
    "学习《教师法》后，我认识到依法执教的重要性。今后在工作中要不断提高思想政治觉悟和教育教学业务水平，"
    "制止有害于学生的行为，做学生的引路人。",
    "《教师法》既保障了教师的合法权益，也对教师提出了明确的要求。我要认真履行教师聘约，完成教育教学任务，"
    "同时也要知法懂法，依法维护自身的合法权益。",
]

BOOKS = [
    ("给教师的建议", "苏霍姆林斯基"),
    ("陶行知教育名篇", "陶行知"),
    ("第56号教室的奇迹", "雷夫·艾斯奎斯"),
    ("教学勇气", "帕克·帕尔默"),
    ("静悄悄的革命", "佐藤学"),
    ("做最好的老师", "李镇西"),
    ("乡土中国", "费孝通"),
    ("平凡的世界", "路遥"),
    ("论语译注", "杨伯峻"),
    ("爱弥儿", "卢梭"),
]

BOOK_NOTES = [
    "书中许多建议朴素而实用，让我重新思考如何在课堂上调动每一个孩子的积极性。",
    "读完这本书，我更加体会到“爱满天下”的教育情怀，教育要从生活出发。",
    "作者几十年如一日地坚守教室，他对学生的耐心和信任值得我学习。",
    "教学不只是技巧，更是教师内心的认同与完整。这本书给了我很多安慰和力量。",
    "合作学习、倾听学生，是课堂改革的关键。读后我尝试在班上开展小组学习。",
]


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _material_docx() -> SimpleUploadedFile:
    doc = documents.new_document("学习《教师法》")
    documents.add_title(doc, "政治学习材料", subtitle="学习《中华人民共和国教师法》")
    documents.add_text(doc, TEACHERS_LAW)
    return SimpleUploadedFile("学习《教师法》材料.docx", documents.to_bytes(doc))


def load_study(*, actor, school, members, today: datetime.date, seed: int = 0) -> list[StudySession]:
    """`actor` organises (activities.manage); members' 心得 and books are written in their names."""
    rng = random.Random(seed * 6151 + 11)
    active = [m for m in members if m.status == "active"]

    held_on = today - datetime.timedelta(days=30)
    law = services.create_session(
        actor=actor,
        org=school,
        kind="political_study",
        topic="学习《中华人民共和国教师法》",
        starts_at=_at(held_on, 16, 20),
        ends_at=_at(held_on, 17, 20),
        location="学校会议室",
        material_text=TEACHERS_LAW,
        material=_material_docx(),
        reflection_due=today + datetime.timedelta(days=7),
    )
    absent = never_attends(active)
    present = [m for m in active if rng.random() < 0.85 and m.pk not in absent]
    services.tick_attendance(actor=actor, session=law, member_ids=[m.pk for m in present])
    for m in present:
        if rng.random() < 0.7:
            services.submit_reflection(actor=actor, session=law, member=m, text=rng.choice(REFLECTIONS))

    coming = today + datetime.timedelta(days=14)
    curriculum = services.create_session(
        actor=actor,
        org=school,
        kind="professional_study",
        topic="业务学习：义务教育课程标准（2022年版）解读",
        starts_at=_at(coming, 16, 20),
        ends_at=_at(coming, 17, 0),
        location="多媒体教室",
        material_text="各教研组结合本学科新课标，交流教学设计中的变化与困惑。",
        reflection_due=coming + datetime.timedelta(days=14),
    )

    # 读书月: launched in April (or this month early in the year); books logged up to today.
    launch = min(datetime.date(today.year, 4, 23), today)
    activities.create_activity(
        actor=actor,
        org=school,
        title="读书月启动暨读书交流活动",
        kind="reading",
        starts_at=_at(launch, 16, 20),
        ends_at=_at(launch, 17, 20),
        location="图书室",
        description="读好书、多读书：每位教职工本年度至少读一本教育类书籍并写读书心得，年末评选读书活动先进个人。",
    )
    year_start = datetime.date(today.year, 1, 1)
    span = max((today - year_start).days, 0)
    for m in rng.sample(active, max(1, len(active) * 2 // 5)):
        for title, author in rng.sample(BOOKS, rng.choice([1, 1, 2, 2, 3, 4])):
            services.log_book(
                actor=actor,
                member=m,
                title=title,
                author=author,
                finished_on=year_start + datetime.timedelta(days=rng.randrange(span + 1)),
                reflection=rng.choice(BOOK_NOTES) * rng.choice([1, 2]),
            )
    return [law, curriculum]
