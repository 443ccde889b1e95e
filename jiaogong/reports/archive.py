"""The 台帐 archive: every record of the year filed under the 建家 categories.

Each app that keeps records says what it files in its own `archive.py`: a function
`archive_entries(org, year)` yielding ArchiveEntry. The archive page lists them, searches them and
exports a year as a .zip (see reports.services).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

# The 建家 (职工之家建设) categories, in the order the inspection reads them.
CATEGORIES = {
    "organization": "组织建设",
    "democracy": "民主管理",
    "rights": "维权",
    "welfare": "送温暖",
    "culture": "文体",
    "women": "女工",
    "funds": "经费",
    "study": "学习",
    "other": "其他",
}


@dataclass
class ArchiveFile:
    """A document of the record: its file name in the .zip and a function returning its bytes."""

    name: str
    content: Callable[[], bytes]
    # The capability that opens the records in the file (a sign-off sheet of 慰问, a checkup list):
    # the .zip leaves it out for a reader without it. "" for a file any records reader may have.
    capability: str = ""


@dataclass
class ArchiveEntry:
    category: str  # a key of CATEGORIES
    date: "object"  # datetime.date
    title: str
    kind: str  # what it is, in Chinese: "活动", "教代会", "走访"…
    url: str = ""  # the record's page
    detail: str = ""  # one line shown under the title and searched
    files: list[ArchiveFile] = field(default_factory=list)


# ---- collecting them -------------------------------------------------------------------------------

# The apps of issue 6 file their own records in `jiaogong/<app>/archive.py`; an app without one
# (yet) files nothing. The apps before them are filed by reports.sources.
APP_MODULES = [
    "jiaogong.activities.archive",
    "jiaogong.plans.archive",
    "jiaogong.competitions.archive",
    "jiaogong.clubs.archive",
    "jiaogong.study.archive",
]


def _app_sources() -> list[Callable]:
    import importlib

    found = []
    for path in APP_MODULES:
        try:
            module = importlib.import_module(path)
        except ModuleNotFoundError as e:
            if e.name != path:  # the module exists but something it imports does not: a real error
                raise
            continue
        fn = getattr(module, "archive_entries", None)
        if fn is not None:
            found.append(fn)
    return found


def sources() -> list[Callable]:
    from jiaogong.reports import sources as own

    return [*own.SOURCES, *_app_sources()]


def readable_by(user, org, entries: list[ArchiveEntry]) -> list[ArchiveEntry]:
    """The entries with only the files `user` may read (ArchiveFile.capability)."""
    from dataclasses import replace

    from jiaogong.core.permissions import can

    allowed: dict[str, bool] = {}

    def ok(f: ArchiveFile) -> bool:
        if not f.capability:
            return True
        if f.capability not in allowed:
            allowed[f.capability] = can(user, org, f.capability)
        return allowed[f.capability]

    return [replace(e, files=[f for f in e.files if ok(f)]) for e in entries]


def collect(org, year: int, *, category: str = "", q: str = "") -> list[ArchiveEntry]:
    """The year's entries (of one category, matching `q` in the title or detail), by category in
    the order of CATEGORIES, then by date."""
    entries = []
    for source in sources():
        for entry in source(org, year):
            if entry.category not in CATEGORIES:
                entry.category = "other"
            entries.append(entry)
    if category:
        entries = [e for e in entries if e.category == category]
    if q:
        entries = [e for e in entries if q in e.title or q in e.detail or q in e.kind]
    order = {key: i for i, key in enumerate(CATEGORIES)}
    entries.sort(key=lambda e: (order[e.category], e.date or datetime.date.min, e.title))
    return entries
