"""The draft text of a 工作总结, area by area, written from the year's figures (pure: no I/O).

The voice is the seeds' (../shared/seeds/004: a school union's year-end summary): "今年我校工会……",
numbered points, the figures inside the sentences. Each function gets `f`, the figures of the year
as {key: Value} (reports.figures.year_figures), and returns the area's text: paragraphs separated
by a blank line. An area with nothing recorded says so plainly, for the chair to complete.
"""

from decimal import Decimal

from jiaogong.funds.charts import money, percent


def _n(f, key) -> int:
    return f[key].count if key in f else 0


def _amount(f, key) -> Decimal:
    return f[key].value if key in f else Decimal("0.00")


def _groups(f, key, *, amounts: bool = False, limit: int = 6) -> str:
    """ "生病住院 5 人次、生育 2 人次" (or with amounts)."""
    value = f.get(key)
    if value is None or not value.groups:
        return ""
    parts = []
    for group, total, rows in value.groups[:limit]:
        if amounts:
            parts.append(f"{group} {money(total)} 元")
        else:
            parts.append(f"{group} {rows} {value.figure.unit}")
    if len(value.groups) > limit:
        parts.append("等")
    return "、".join(parts)


def intro(f, *, org_name: str, year: int) -> str:
    return (
        f"{year}年，我校工会在上级工会和学校党组织的领导下，认真履行“参与、维护、教育、建设”职能，"
        "主动配合党政，紧紧围绕学校中心工作，依靠广大教职工的积极参与，加强工会自身建设，"
        "推进学校民主管理，关心教职工的工作和生活，开展丰富多彩的文体活动，较好地完成了全年各项工作任务。"
        "现将一年来的工作总结如下。"
    )


def organization(f, *, year: int) -> str:
    members, women = _n(f, "members"), _n(f, "members_women")
    lines = [
        f"1、加强工会组织建设。目前我校工会共有在册会员 {members} 人，其中女会员 {women} 人，"
        f"设工会小组 {_n(f, 'groups')} 个，工会委员会委员 {_n(f, 'committee')} 人。"
    ]
    joined, left = _n(f, "joined"), _n(f, "left")
    change = f"2、做好会员发展和会籍管理工作。{year}年新发展会员 {joined} 人"
    if left:
        change += f"，调出、退休、去世共 {left} 人（{_groups(f, 'left')}）"
    change += "，及时办理会员会籍变动手续，会员名册做到实名制管理、动态更新。"
    lines.append(change)
    return "\n\n".join(lines)


def democracy(f, *, year: int) -> str:
    sessions = _n(f, "congress_sessions")
    if not sessions and not _n(f, "proposals"):
        return (
            f"1、坚持教职工代表大会制度。{year}年未召开教职工代表大会，"
            "（请补充本年度民主管理、校务公开方面的工作。）"
        )
    received, accepted = _n(f, "proposals"), _n(f, "proposals_accepted")
    replied, rated, satisfied = (
        _n(f, "proposals_replied"),
        _n(f, "proposals_rated"),
        _n(f, "proposals_satisfied"),
    )
    lines = [
        f"1、坚持教职工代表大会制度，推进学校民主管理、民主参与、民主监督。{year}年召开教职工代表大会 "
        f"{sessions} 次，审议学校工作报告和涉及教职工切身利益的重要事项，充分保障教职工的知情权、参与权、"
        "决策权和监督权。"
    ]
    proposal = f"2、认真做好提案工作。本年度共收到提案和意见建议 {received} 件，其中立案提案 {accepted} 件"
    if replied:
        proposal += f"；已答复 {replied} 件，答复率 {percent(replied, received)}"
    if rated:
        proposal += (
            f"；提案人评价 {rated} 件，满意或基本满意 {satisfied} 件，满意率 {percent(satisfied, rated)}"
        )
    lines.append(proposal + "。")
    return "\n\n".join(lines)


def welfare(f, *, year: int) -> str:
    visits, greetings, people = _n(f, "visits"), _n(f, "greetings"), _n(f, "greeting_people")
    if not visits and not greetings:
        return "1、进一步推进送温暖活动。（本年度尚未登记走访慰问和节日、生日慰问，请补充。）"
    lines = []
    if visits:
        text = (
            f"1、进一步推进送温暖活动，千方百计为教职工排忧解难。全年走访慰问教职工 {visits} 人次"
            f"（{_groups(f, 'visits')}），发放慰问金、慰问品 {money(_amount(f, 'visits_amount'))} 元，"
            "把党的关怀和组织的温暖送到教职工之中。"
        )
    else:
        text = "1、进一步推进送温暖活动，及时了解教职工的困难和需求。"
    lines.append(text)
    if greetings:
        lines.append(
            f"2、做好节日和生日慰问。全年发放节日、生日慰问 {greetings} 批、{people} 人次，"
            f"金额 {money(_amount(f, 'greetings_amount'))} 元，让教职工感受到工会大家庭的温暖。"
        )
    if _n(f, "benefits"):
        lines.append(
            f"{len(lines) + 1}、全年各类慰问支出合计 {money(_amount(f, 'benefits'))} 元"
            f"（{_groups(f, 'benefits', amounts=True)}），均按上级工会规定的标准发放。"
        )
    return "\n\n".join(lines)


def culture(f, *, year: int) -> str:
    held, times, people, members = (
        _n(f, "activities"),
        _n(f, "attendance"),
        _n(f, "participants"),
        _n(f, "members"),
    )
    if not held and not times:
        return "1、关心教职工的精神文化生活。（本年度尚未登记已举行的活动和签到，请补充本年度的文体活动。）"
    text = (
        f"1、关心教职工的精神文化生活，开展教职工喜闻乐见的各类文体活动。全年共举办活动 {held} 项"
        f"（{_groups(f, 'activities')}），参加活动 {times} 人次，"
        f"参与活动的会员 {people} 人，占在册会员的 {percent(people, members)}。"
    )
    lines = [text]
    extra = []
    if _n(f, "competitions"):
        extra.append(f"举办教职工比赛 {_n(f, 'competitions')} 项")
    if _n(f, "clubs"):
        extra.append(f"成立兴趣小组 {_n(f, 'clubs')} 个")
    if _n(f, "study_sessions"):
        study = f"组织政治、业务学习 {_n(f, 'study_sessions')} 次"
        if _n(f, "reflections"):
            study += f"，教职工提交学习心得 {_n(f, 'reflections')} 篇"
        extra.append(study)
    if extra:
        lines.append(f"{len(lines) + 1}、" + "；".join(extra) + "。")
    lines.append(f"{len(lines) + 1}、通过活动促进教职工的身心健康，增强工会组织的活力和凝聚力。")
    return "\n\n".join(lines)


def funds(f, *, year: int) -> str:
    dues, income, expense = _amount(f, "dues"), _amount(f, "income"), _amount(f, "expense")
    if not _n(f, "income") and not _n(f, "expense"):
        return "1、加强工会经费管理。（本年度尚未登记经费收支，请补充。）"
    collected = f"{year}年收缴会费 {money(dues)} 元（{_n(f, 'dues')} 笔），" if _n(f, "dues") else f"{year}年"
    lines = [
        f"1、依法收缴会费，管好用好工会经费。{collected}全年经费收入 {money(income)} 元，支出 {money(expense)} 元。"
    ]
    if _n(f, "expense"):
        lines.append(
            f"2、坚持经费用于教职工，支出按科目：{_groups(f, 'expense', amounts=True)}。"
            "经费收支接受经费审查委员会审查，做到账目清楚、公开透明。"
        )
    return "\n\n".join(lines)


def plan(f, *, year: int) -> str:
    planned, done = _n(f, "plan_items"), _n(f, "plan_done")
    if not planned:
        return f"（{year}年度工作计划尚未录入，无法统计计划完成情况。）"
    return (
        f"年初工作计划共安排 {planned} 项工作，已完成 {done} 项，完成率 {percent(done, planned)}"
        f"（{_groups(f, 'plan_items')}）。"
    )


def draft(area: str, f, *, org_name: str, year: int) -> str:
    if area == "intro":
        return intro(f, org_name=org_name, year=year)
    return {
        "organization": organization,
        "democracy": democracy,
        "welfare": welfare,
        "culture": culture,
        "funds": funds,
        "plan": plan,
    }[area](f, year=year)
