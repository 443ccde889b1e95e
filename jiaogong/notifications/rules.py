"""Pure rules of the reminders: dates in, dates out (no database)."""

import datetime

from jiaogong.members import rules as member_rules


def birthday_in(birth_date: datetime.date, year: int) -> datetime.date:
    """The day a birthday is kept in `year`: 29 February falls on 28 February in a non-leap year
    (as members.rules.add_years counts ages)."""
    return member_rules.add_years(birth_date, year - birth_date.year)


def next_birthday(birth_date: datetime.date, today: datetime.date) -> datetime.date:
    """The first birthday kept on or after today."""
    this_year = birthday_in(birth_date, today.year)
    return this_year if this_year >= today else birthday_in(birth_date, today.year + 1)


def birthday_due(birth_date: datetime.date, today: datetime.date, days: int) -> datetime.date | None:
    """The birthday to remind of (welfare.birthday_notice_days = `days`): the next one if it is
    within today … today + days, both ends included; else None."""
    when = next_birthday(birth_date, today)
    return when if when <= today + datetime.timedelta(days=days) else None


def retirement_due(
    birth_date: datetime.date,
    gender: str,
    today: datetime.date,
    months: int,
    age_male: int,
    age_female: int,
) -> datetime.date | None:
    """The retirement date to remind of (members.retirement_notice_months = `months`): after today and
    at most `months` months ahead (members.rules.retires_within), else None."""
    if not member_rules.retires_within(birth_date, gender, today, months, age_male, age_female):
        return None
    return member_rules.retirement_date(birth_date, gender, age_male, age_female)
