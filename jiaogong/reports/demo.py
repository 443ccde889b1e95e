"""Demo 工作总结: the year's summary drafted from the demo records (after every other loader has
run), with the opening paragraph rewritten by the chair in the seeds' words — so the page shows
both a draft and an edit. In January and February it is last year's summary."""

import datetime

from jiaogong.reports import selectors, services

OPENING = (
    "{year}年，我校工会继续坚持全心全意依靠教职工办学的方针，主动配合党政，以教育改革与发展为动力，"
    "大力推进学校民主建设，依靠广大教职工的积极参与，调动和发挥教职工的积极性，"
    "加强师资队伍建设和工会自身建设，为推进学校教育事业的发展做了一定的工作。现总结如下。"
)


def load_reports(*, actor, school, members, today: datetime.date, seed: int = 1) -> None:
    year = selectors.default_year(today)
    summary = services.draft_summary(actor=actor, org=school, year=year)
    services.save_section(
        actor=actor, org=school, summary=summary, area="intro", text=OPENING.format(year=year)
    )
