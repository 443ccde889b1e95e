"""The bulletin and its verifier: a real poll's bulletin verifies, and every kind of tampering is
caught and named — a changed ballot, a dropped one, a false partial decryption, a slipped-in key,
a changed result. The verifier runs as anyone would run it: `python -m jiaogong.congress.verify`."""

import copy
import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jiaogong.congress import appraisals, crypto, verify, voting
from jiaogong.congress.models import Poll
from jiaogong.factories import (
    close_and_count,
    close_and_count_appraisal,
    congress_with_delegates,
    delegate_user,
)

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def counted(school_a, chair_a):
    congress, delegates = congress_with_delegates(school_a, 10, present=8, scrutineers=3)
    poll = voting.create_poll(actor=chair_a, congress=congress, title="审议《奖励性绩效方案》", kind="secret")
    voting.open_poll(actor=chair_a, poll=poll)
    for i, d in enumerate(delegates[:8]):
        voting.cast_ballot(user=delegate_user(d), poll_id=poll.pk, choice=["赞成", "反对", "弃权"][i % 3])
    close_and_count(chair_a, poll)
    poll.refresh_from_db()
    return poll


def run_cli(tmp_path, bulletin: dict, *args) -> subprocess.CompletedProcess:
    path = tmp_path / "bulletin.json"
    path.write_text(json.dumps(bulletin, ensure_ascii=False), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "jiaogong.congress.verify", *args, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def test_a_real_bulletin_verifies_from_the_command_line(counted, tmp_path):
    bulletin = voting.bulletin(counted)
    assert bulletin["result"]["counts"] == [[3, 3, 2]]
    done = run_cli(tmp_path, bulletin)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "验证通过" in done.stdout and "加密选票 8 张" in done.stdout and "[[3, 3, 2]]" in done.stdout


def test_the_bulletin_holds_no_choice_per_ballot(counted):
    bulletin = voting.bulletin(counted)
    text = json.dumps(bulletin["ballots"], ensure_ascii=False)
    assert not any(option in text for option in counted.options)
    assert set(bulletin["ballots"][0]) == {"tracker", "ballot"}
    assert set(bulletin["ballots"][0]["ballot"]) == {"credential", "answers"}


def test_a_changed_ballot_is_caught_and_named(counted, tmp_path):
    bulletin = voting.bulletin(counted)
    bad = copy.deepcopy(bulletin)
    target = bad["ballots"][2]
    other = bad["ballots"][3]["ballot"]["answers"][0]["ciphertexts"][0]
    target["ballot"]["answers"][0]["ciphertexts"][0] = other
    done = run_cli(tmp_path, bad)
    assert done.returncode == 1
    assert crypto.short_tracker(target["tracker"]) in done.stdout and "零知识证明不成立" in done.stdout
    assert "同态汇总不等于" in done.stdout


def test_a_dropped_ballot_is_caught(counted):
    bad = voting.bulletin(counted)
    del bad["ballots"][0]
    problems = verify.verify_bulletin(bad).problems
    assert any("投票人数 8 与票箱中的选票数 7 不一致" in p for p in problems)
    assert any("同态汇总不等于" in p for p in problems)


def test_a_false_partial_decryption_is_caught(counted):
    bad = voting.bulletin(counted)
    bad["partial_decryptions"][1]["partial"][0] = crypto.base(crypto.random_scalar()).hex()
    problems = verify.verify_bulletin(bad).problems
    assert any("监票人 2 的部分解密：部分解密的证明不成立" in p for p in problems)


def test_a_changed_result_is_caught(counted):
    bad = voting.bulletin(counted)
    bad["result"]["counts"] = [[4, 2, 2]]
    problems = verify.verify_bulletin(bad).problems
    assert problems == ["解密得到的票数 [[3, 3, 2]] 与公布的票数 [[4, 2, 2]] 不符。"]


def test_a_key_slipped_in_by_the_server_is_caught(counted):
    """A server that replaced a 监票人's share with one of its own (valid proof and all) would hold
    part of the key: the joint key in the descriptor no longer adds up."""
    bad = voting.bulletin(counted)
    mine = crypto.secret_from_seed(crypto.new_seed())
    context = bad["scrutineers"][0]["context"]
    bad["scrutineers"][0].update(public_share=crypto.base(mine).hex(), proof=crypto.prove_key(mine, context))
    problems = verify.verify_bulletin(bad).problems
    assert "联合公钥不等于全体监票人公钥份额之和。" in problems


def test_a_ballot_replayed_from_another_poll_is_caught(counted, chair_a):
    bad = voting.bulletin(counted)
    bad["descriptor"] = {**bad["descriptor"], "election": f"poll:{counted.org_id}:{counted.pk + 1}"}
    problems = verify.verify_bulletin(bad).problems
    assert any("而不是本次" in p for p in problems)
    assert any("零知识证明不成立" in p for p in problems)  # every proof is bound to the descriptor


def test_verify_poll_and_recount_from_the_database(counted):
    out = StringIO()
    call_command("verify_poll", counted.pk, stdout=out)
    assert "验证通过" in out.getvalue()
    result = dict(counted.result)
    result["counts"] = {**result["counts"], "赞成": 5}
    Poll.objects.filter(pk=counted.pk).update(result=result)
    with pytest.raises(CommandError, match="验证未通过"):
        call_command("verify_poll", counted.pk, stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="没有 id"):
        call_command("verify_poll", 999999, stdout=StringIO())


def test_an_appraisal_bulletin_verifies(school_a, chair_a, tmp_path):
    congress, delegates = congress_with_delegates(school_a, 6, present=6)
    appraisal = appraisals.create_appraisal(
        actor=chair_a, congress=congress, subjects=[{"name": "王建国", "position": "校长"}]
    )
    (subject,) = appraisal.subjects.all()
    for d, level in zip(delegates[:4], ["优秀", "优秀", "称职", "不称职"], strict=True):
        appraisals.cast_appraisal_ballot(
            user=delegate_user(d), appraisal=appraisal, ratings={subject.pk: level}
        )
    result = close_and_count_appraisal(chair_a, appraisal)
    assert result["subjects"][0]["counts"] == {"优秀": 2, "称职": 1, "基本称职": 0, "不称职": 1}
    done = run_cli(tmp_path, appraisals.bulletin(appraisal))
    assert done.returncode == 0 and "[[2, 1, 0, 1]]" in done.stdout
    out = StringIO()
    call_command("verify_poll", appraisal.pk, "--appraisal", stdout=out)
    assert "验证通过" in out.getvalue()


def test_the_cli_says_what_it_cannot_read(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("not json")
    done = subprocess.run(
        [sys.executable, "-m", "jiaogong.congress.verify", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 2 and "无法读取" in done.stdout
    assert not verify.verify_bulletin({"kind": "poll"}).ok
