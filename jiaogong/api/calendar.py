"""API v1, 行事历: Chinese working days for 公示 periods (RULES.md §5 "公示")."""

import datetime

from ninja import Field, Query, Router, Schema

from jiaogong.api.schemas import ErrorOut
from jiaogong.core import selectors
from jiaogong.core.errors import InvalidInput

router = Router(tags=["行事历"])


class WorkingDaysIn(Schema):
    start: datetime.date
    days: int = Field(ge=1, le=366)


class WorkingDaysOut(Schema):
    start: datetime.date
    days: int
    end: datetime.date


@router.get(
    "/calendar/working-days",
    response={200: WorkingDaysOut, 400: ErrorOut, 401: ErrorOut},
    summary="公示期的最后一天（按工作日计）",
)
def working_days(request, query: Query[WorkingDaysIn]):
    """`start` 为公示第一天，是工作日时计入；跳过周末和法定节假日，调休上班日计入。
    节假日以 chinese-calendar 内置表为准，管理员在“节假日与调休（覆盖内置表）”中录入的日期优先。"""
    try:
        end = selectors.last_working_day(query.start, query.days)
    except OverflowError:
        raise InvalidInput({"start": "日期过晚，无法计算公示期。"}) from None
    return {"start": query.start, "days": query.days, "end": end}
