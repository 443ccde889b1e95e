"""The year's 工作总结: its text by area, drafted from the records and edited by the chair.

The figures are not stored: they are counted from the records every time (reports.figures), so a
summary never shows a number its records do not give. What is stored is the text: the draft
written from the figures and, once the chair edits an area, the chair's words (`edited`), which a
redraft keeps unless asked to overwrite them.
"""

from django.conf import settings
from django.db import models

from jiaogong.core.models import Org

# The areas of a summary, in the order it reads.
AREAS = {
    "intro": "总体情况",
    "organization": "组织建设",
    "democracy": "民主管理",
    "welfare": "送温暖",
    "culture": "文体活动",
    "funds": "经费",
    "plan": "计划完成情况",
}


class Summary(models.Model):
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    drafted_at = models.DateTimeField("起草时间")
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "工作总结"
        verbose_name_plural = "工作总结"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="summary_one_per_year")]

    def __str__(self):
        return f"{self.year}年工作总结"


class SummarySection(models.Model):
    summary = models.ForeignKey(Summary, on_delete=models.CASCADE, related_name="sections")
    area = models.CharField("部分", max_length=20, choices=list(AREAS.items()))
    text = models.TextField("正文", max_length=20000, blank=True)
    draft = models.TextField("草稿原文", blank=True)  # what the last draft wrote (for "恢复草稿")
    edited = models.BooleanField("已修改", default=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "总结段落"
        verbose_name_plural = "总结段落"
        constraints = [models.UniqueConstraint(fields=["summary", "area"], name="summary_section_unique")]

    def __str__(self):
        return f"{self.summary} · {self.get_area_display()}"
