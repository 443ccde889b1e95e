"""Upgrading a database whose secret ballots were stored in plaintext (before migration 0005):
the results stay, the plaintext ballots go, and nothing left links a choice to anyone."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("congress", "0003_evidence_is_append_only")]


@pytest.mark.django_db(transaction=True)
def test_old_plaintext_secret_ballots_are_removed_and_their_results_kept():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Org = old.get_model("core", "Org")
    Member = old.get_model("members", "Member")
    Term = old.get_model("congress", "CongressTerm")
    Congress = old.get_model("congress", "Congress")
    Delegate = old.get_model("congress", "Delegate")
    Attendance = old.get_model("congress", "Attendance")
    Poll = old.get_model("congress", "Poll")
    Ballot = old.get_model("congress", "Ballot")
    Turnout = old.get_model("congress", "Turnout")
    Appraisal = old.get_model("congress", "Appraisal")
    Subject = old.get_model("congress", "AppraisalSubject")
    AppraisalBallot = old.get_model("congress", "AppraisalBallot")

    day = datetime.date(2025, 12, 10)
    org = Org.objects.create(name="旧版学校工会", kind="school")
    term = Term.objects.create(org=org, number=7, started_on=day, years=5)
    congress = Congress.objects.create(org=org, term=term, number=1, title="第七届第一次", opens_on=day)
    delegates = []
    for i in range(9):
        member = Member.objects.create(
            org=org, name=f"代表{i}", gender="F", birth_date=datetime.date(1980, 1, 1), is_teacher=True
        )
        delegates.append(Delegate.objects.create(org=org, term=term, member=member, elected_on=day))
    for d in delegates:
        Attendance.objects.create(congress=congress, delegate=d, method="desk")
    choices = ["赞成"] * 6 + ["反对"] * 2 + ["弃权"]
    kept_result = {
        "state": "closed",
        "counts": {"赞成": 6, "反对": 2, "弃权": 1},
        "cast": 9,
        "passed": True,
        "receipts": [{"receipt": f"R{i:09d}", "choice": c, "choices": [c]} for i, c in enumerate(choices)],
    }
    closed = Poll.objects.create(
        org=org,
        congress=congress,
        title="已结束的无记名表决",
        kind="secret",
        options=["赞成", "反对", "弃权"],
        state="closed",
        result=kept_result,
        total_delegates=9,
        present=9,
        majority_base="total",
    )
    still_open = Poll.objects.create(
        org=org,
        congress=congress,
        title="升级时仍在进行",
        kind="secret",
        options=["赞成", "反对", "弃权"],
        state="open",
    )
    named = Poll.objects.create(
        org=org,
        congress=congress,
        title="记名表决",
        kind="named",
        options=["赞成", "反对", "弃权"],
        state="open",
    )
    named_closed = Poll.objects.create(
        org=org,
        congress=congress,
        title="已结束的记名表决",
        kind="named",
        options=["赞成", "反对", "弃权"],
        state="closed",
        result={
            **kept_result,
            "receipts": [{"receipt": "N000000009", "choice": "赞成", "choices": ["赞成"]}],
        },
    )
    for i, (d, c) in enumerate(zip(delegates, choices, strict=True)):
        Ballot.objects.create(receipt=f"R{i:09d}", poll=closed, choices=[c])
        Turnout.objects.create(poll=closed, delegate=d)
        if i < 7:
            Ballot.objects.create(receipt=f"O{i:09d}", poll=still_open, choices=["赞成" if i < 4 else "反对"])
            Turnout.objects.create(poll=still_open, delegate=d)
    Ballot.objects.create(receipt="N000000001", poll=named, choices=["赞成"], delegate=delegates[0])
    appraisal = Appraisal.objects.create(
        org=org, congress=congress, scale=["优秀", "称职", "基本称职", "不称职"]
    )
    subject = Subject.objects.create(appraisal=appraisal, name="王校长", position="校长")
    for level in ["优秀"] * 4 + ["称职"]:
        AppraisalBallot.objects.create(appraisal=appraisal, ratings={str(subject.pk): level})

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from jiaogong.congress.models import Appraisal as NewAppraisal
    from jiaogong.congress.models import Ballot as NewBallot
    from jiaogong.congress.models import Poll as NewPoll

    assert list(NewBallot.objects.values_list("receipt", flat=True)) == ["N000000001"]  # named stays
    was_closed = NewPoll.objects.get(pk=closed.pk)
    assert (
        was_closed.result["counts"] == {"赞成": 6, "反对": 2, "弃权": 1}
        and was_closed.result["passed"] is True
    )
    assert was_closed.result["receipts"] == [] and "明文选票已删除" in was_closed.result["legacy"]
    was_open = NewPoll.objects.get(pk=still_open.pk)
    assert was_open.state == "closed" and was_open.result["legacy_open"] is True
    assert was_open.result["counts"] == {"赞成": 4, "反对": 3, "弃权": 0} and was_open.result["cast"] == 7
    assert was_open.result["passed"] is False  # 4 × 2 = 8: not more than the 9 delegates
    assert NewPoll.objects.get(pk=named.pk).state == "open"
    assert NewPoll.objects.get(pk=named_closed.pk).result["receipts"] == ["N000000009"]
    appraised = NewAppraisal.objects.get(pk=appraisal.pk)
    assert appraised.state == "closed" and appraised.result["subjects"][0]["counts"]["优秀"] == 4
    assert appraised.result["valid"] == 5 and appraised.result["participation_ok"] is False  # 5 < 2/3 × 9
    assert "congress_appraisalballot" not in connection.introspection.table_names()
    # The ballots that remain are still guarded: evidence is append-only again after the purge.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        NewBallot.objects.all().delete()
