"""读书活动先进个人: the list and the certificates, one .docx (through core/documents.py)."""

from django.utils import timezone

from jiaogong.core import documents as d
from jiaogong.study import selectors, services


def awards_docx(org, year: int) -> bytes:
    awards = list(selectors.awardees(org, year))
    ranking = {c.member_id: c for c in services.ranking(org, year)}
    doc = d.new_document(f"{year}年读书活动先进个人")
    d.add_title(doc, f"{year}年教职工读书活动先进个人名单", subtitle=org.name)
    d.add_text(
        doc,
        f"{year}年，{org.name}开展教职工读书活动，共 {len(ranking)} 名会员登记读书 "
        f"{sum(c.books for c in ranking.values())} 本并撰写读书心得。经工会委员会评定，"
        f"以下 {len(awards)} 名同志被评为读书活动先进个人：",
    )
    d.add_table(
        doc,
        ["序号", "姓名", "工会小组", "读书（本）", "心得（字）"],
        [
            [
                str(i),
                a.member.name,
                a.member.union_group.name if a.member.union_group_id else "",
                str(ranking[a.member_id].books) if a.member_id in ranking else "0",
                str(ranking[a.member_id].reflection_chars) if a.member_id in ranking else "0",
            ]
            for i, a in enumerate(awards, start=1)
        ],
        widths=[1.5, 3.5, 4, 3, 3],
        align=["center", "center", "center", "right", "right"],
    )
    issued = timezone.localdate()
    d.add_paragraph(doc, f"{org.name}　{d.cn_date(issued)}", indent=False, align="right")
    for award in awards:
        d.add_page_break(doc)
        d.add_title(doc, "荣 誉 证 书", size=36)
        doc.add_paragraph()
        d.add_text(doc, f"{award.member.name} 同志：", indent=False)
        d.add_text(
            doc,
            f"在{year}年度教职工读书活动中，您勤于读书、善于思考，积极撰写读书心得，"
            f"被评为“{year}年读书活动先进个人”。",
        )
        d.add_text(doc, "特发此证，以资鼓励。")
        doc.add_paragraph()
        d.add_paragraph(doc, org.name, indent=False, align="right")
        d.add_paragraph(doc, d.cn_date(issued), indent=False, align="right")
    return d.to_bytes(doc)
