"""The 台帐 archive: every record of the year filed under the 建家 categories.

Each app that keeps records says what it files in its own `archive.py`: a function
`archive_entries(org, year)` yielding ArchiveEntry. The archive page lists them, searches them and
exports a year as a .zip (see reports.services).
"""

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


@dataclass
class ArchiveEntry:
    category: str  # a key of CATEGORIES
    date: "object"  # datetime.date
    title: str
    kind: str  # what it is, in Chinese: "活动", "教代会", "走访"…
    url: str = ""  # the record's page
    detail: str = ""  # one line shown under the title and searched
    files: list[ArchiveFile] = field(default_factory=list)
