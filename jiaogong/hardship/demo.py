"""Demo 困难职工档案, like a school's 特困教师摸底: a teacher whose husband has cancer (deep, reviewed
this year, 医疗救助 and 生活救助 given), a single mother with a child at school (relative, opened
last year and NOT yet reviewed this year: flagged and due), a family hit by a traffic accident
(accident, opened this year, 意外保障 and 法律援助 given, 就业服务 without money), and a family
whose hardship is over (adjusted at this year's review, then closed). Every amount is posted to the ledger."""

import datetime
import random

from jiaogong.hardship import services


def _day(today: datetime.date, days_ago: int) -> datetime.date:
    """`days_ago` before today, but not before 1 January (the year's 摸底 and help)."""
    return max(datetime.date(today.year, 1, 1), today - datetime.timedelta(days=days_ago))


def load_hardship(*, actor, school, members, today: datetime.date, seed: int = 1) -> list:
    rng = random.Random(seed * 4099)
    active = [m for m in members if m.status == "active" and not hasattr(m, "user")]
    women = [m for m in active if m.gender == "F"]
    rng.shuffle(active)
    rng.shuffle(women)
    single_mother = women[0] if women else active[0]
    others = [m for m in active if m.pk != single_mother.pk][:3]
    if len(others) < 3:
        return []
    ill, accident, recovered = others
    last_year = datetime.date(today.year - 1, 11, 20)
    dibao = "800"
    made = []

    # 1. 因病: the husband has cancer; two children. Deep.
    f = services.create_file(
        actor=actor,
        org=school,
        member=ill,
        household_size=4,
        annual_income="",
        rigid_expenses="",
        hardship_costs="26000",
        dibao_monthly=dibao,
        causes=["illness", "schooling"],
        health="本人健康；爱人患肺癌，化疗中",
        locality="龙胜县",
        housing="own",
        housing_note="老旧砖房，约 60 平方米",
        opened_on=last_year,
        household=[
            {
                "name": "覃建国",
                "relation": "配偶",
                "birth_year": 1980,
                "occupation": "病休",
                "health": "肺癌化疗",
            },
            {
                "name": "覃小雨",
                "relation": "女儿",
                "birth_year": 2008,
                "occupation": "大学生",
                "health": "健康",
            },
            {
                "name": "覃小林",
                "relation": "儿子",
                "birth_year": 2014,
                "occupation": "初中生",
                "health": "健康",
            },
        ],
        income_items=[{"kind": "工资收入", "amount": "54000"}, {"kind": "补贴救助", "amount": "3600"}],
        expense_items=[{"kind": "医疗", "amount": "18000"}, {"kind": "教育", "amount": "9600"}],
        note="五必访：爱人住院时已走访慰问。",
    )
    services.review_file(
        actor=actor,
        file=f,
        reviewed_on=_day(today, 12),
        conclusion="keep",
        note="入户走访，情况属实，维持深度困难",
    )
    services.record_help(
        actor=actor,
        file=f,
        kind="medical",
        given_on=_day(today, 40),
        form="cash",
        amount="3000",
        note="爱人化疗医疗救助",
    )
    services.record_help(
        actor=actor,
        file=f,
        kind="living",
        given_on=_day(today, 10),
        form="cash",
        amount="1000",
        note="元旦春节送温暖",
    )
    made.append(f)

    # 2. 单亲: a single mother and her son at school. Relative; not reviewed this year yet.
    f = services.create_file(
        actor=actor,
        org=school,
        member=single_mother,
        household_size=2,
        annual_income="42000",
        rigid_expenses="6000",
        hardship_costs="0",
        dibao_monthly=dibao,
        causes=["single_parent", "schooling"],
        health="颈椎病",
        locality="龙胜县",
        housing="rent",
        housing_note="租住县城，月租 800 元",
        opened_on=last_year,
        household=[
            {
                "name": f"{single_mother.name[0]}子轩",
                "relation": "儿子",
                "birth_year": 2012,
                "occupation": "初中生",
                "health": "健康",
            }
        ],
    )
    services.record_help(
        actor=actor,
        file=f,
        kind="education",
        given_on=_day(today, 60),
        form="transfer",
        amount="1500",
        note="秋季学期助学",
    )
    made.append(f)

    # 3. 意外: the husband was injured in a road accident this year. Accident.
    f = services.create_file(
        actor=actor,
        org=school,
        member=accident,
        household_size=3,
        annual_income="96000",
        rigid_expenses="4000",
        hardship_costs="82000",
        dibao_monthly=dibao,
        major_incident=True,
        causes=["accident"],
        health="健康",
        locality="龙胜县",
        housing="own",
        opened_on=_day(today, 30),
        household=[
            {
                "name": "潘志强",
                "relation": "配偶",
                "birth_year": 1982,
                "occupation": "待业（伤后）",
                "health": "交通事故致腿部骨折",
            },
            {
                "name": "潘小敏",
                "relation": "女儿",
                "birth_year": 2016,
                "occupation": "小学生",
                "health": "健康",
            },
        ],
        note="第一知情人：年级组长报告；已启动互助保障理赔。",
    )
    services.record_help(
        actor=actor, file=f, kind="accident", given_on=_day(today, 25), form="cash", amount="2000"
    )
    services.record_help(
        actor=actor,
        file=f,
        kind="legal",
        given_on=_day(today, 20),
        form="transfer",
        amount="800",
        note="委托律师代理交通事故赔偿",
    )
    services.record_help(
        actor=actor,
        file=f,
        kind="employment",
        given_on=_day(today, 5),
        form="service",
        note="联系县人社局，推荐爱人康复后就业岗位",
    )
    made.append(f)

    # 4. 失业/收入低, now over: the husband found work; adjusted at this year's review, then closed.
    f = services.create_file(
        actor=actor,
        org=school,
        member=recovered,
        household_size=3,
        annual_income="36000",
        rigid_expenses="3000",
        hardship_costs="0",
        dibao_monthly=dibao,
        causes=["low_income"],
        locality="龙胜县",
        housing="own",
        opened_on=datetime.date(today.year - 1, 3, 10),
    )
    services.review_file(
        actor=actor,
        file=f,
        reviewed_on=_day(today, 15),
        conclusion="adjust",
        annual_income="78000",
        note="爱人已在县城稳定就业，家庭收入明显提高",
    )
    f = services.close_file(actor=actor, file=f, closed_on=_day(today, 15), reason="家庭收入已高于困难标准")
    made.append(f)
    return made
