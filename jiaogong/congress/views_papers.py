"""教代会 pages: 会议文件 — the six Word papers built from the session's records.

Every delegate may download what is read out at the session; the handling report and the
appraisal result are for the union office (the appraisal goes to the Party organisation).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.http import content_disposition_header

from jiaogong.congress.models import Congress
from jiaogong.congress.papers import PAPERS, PAPERS_BY_SLUG, contents
from jiaogong.core import audit
from jiaogong.core.permissions import can
from jiaogong.core.views_support import org_view

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _congress(org, congress_id) -> Congress:
    congress = Congress.objects.select_related("term", "org").filter(org=org, pk=congress_id).first()
    if congress is None:
        raise Http404("没有找到该会议。")
    return congress


@login_required
@org_view("congress.view", "congress")
def paper_list(request, org, congress_id):
    congress = _congress(org, congress_id)
    notes = contents(congress)
    rows = [
        {"paper": p, "note": notes[p.slug], "allowed": can(request.user, org, p.capability)} for p in PAPERS
    ]
    return render(request, "congress/papers/list.html", {"org": org, "congress": congress, "rows": rows})


@login_required
@org_view("congress.view", "congress")
def paper_download(request, org, congress_id, kind):
    congress = _congress(org, congress_id)
    paper = PAPERS_BY_SLUG.get(kind)
    if paper is None:
        raise Http404("没有这种会议文件。")
    if not can(request.user, org, paper.capability):
        raise PermissionDenied(f"{paper.title}仅限工会主席、副主席和组织人员下载。")
    content = paper.build(congress)
    audit.record(
        actor=request.user,
        org=org,
        action="congress.paper.download",
        obj=congress,
        changes={"paper": kind, "bytes": len(content)},
    )
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, f"{congress.title}-{paper.title}.docx")
    return response


urlpatterns = [
    path("o/<int:org_id>/congress/<int:congress_id>/papers/", paper_list, name="papers"),
    path("o/<int:org_id>/congress/<int:congress_id>/papers/<slug:kind>.docx", paper_download, name="paper"),
]
