"""The 监票人 and the session's key through the services and the pages: who may be named, one
share each with a proof, the key fixed once used, decryption only by 监票人 and only of a closed
tally; outsiders get 404 and other roles 403 on every new page."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from jiaogong.congress import appraisals, crypto, scrutiny, voting
from jiaogong.congress.models import Delegate, PartialDecryption, Scrutineer, SealedBallot
from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.rules import set_org_value
from jiaogong.factories import SCRUTINEER_CODES, MemberFactory, congress_with_delegates, delegate_user


@pytest.fixture
def hall(school_a):
    return congress_with_delegates(school_a, 8, present=8, scrutineers=0)


def name(congress, delegates, chair, **kwargs):
    return scrutiny.name_scrutineers(
        actor=chair, congress=congress, members=[d.member_id for d in delegates], **kwargs
    )


def url(name_, *args):
    return reverse(f"congress:{name_}", args=args)


def test_two_to_five_formal_delegates_of_the_session(hall, chair_a, school_a):
    congress, delegates = hall
    for chosen, message in (
        (delegates[:1], "2–5 名"),
        (delegates[:6], "2–5 名"),
        ([delegates[0], delegates[0]], "不能重复"),
    ):
        with pytest.raises(InvalidInput) as e:
            name(congress, chosen, chair_a)
        assert message in str(e.value.fields)
    stranger = MemberFactory(org=school_a)
    with pytest.raises(InvalidInput, match="提交的内容有误") as e:
        scrutiny.name_scrutineers(
            actor=chair_a, congress=congress, members=[stranger.pk, delegates[0].member_id]
        )
    Delegate.objects.filter(pk=delegates[1].pk).update(kind="attending")
    with pytest.raises(InvalidInput):
        name(congress, delegates[:2], chair_a)
    with pytest.raises(DomainError) as e:
        name(congress, delegates[2:5], chair_a, threshold=2)
    assert e.value.code == "threshold_all" and "全体监票人共同解密" in e.value.message
    assert not Scrutineer.objects.exists()
    assert [s.position for s in name(congress, delegates[2:5], chair_a, threshold=3)] == [1, 2, 3]


def test_a_school_cannot_let_one_person_hold_the_whole_key(hall, chair_a, school_a):
    congress, delegates = hall
    with pytest.raises(InvalidInput) as e:
        set_org_value(actor=chair_a, org=school_a, key="congress.scrutineers", text="1, 1", source="校规")
    assert "一人不能掌握全部密钥" in str(e.value.fields)
    with pytest.raises(InvalidInput):
        name(congress, delegates[:1], chair_a)
    set_org_value(actor=chair_a, org=school_a, key="congress.scrutineers", text="3, 4", source="校规")
    with pytest.raises(InvalidInput):
        name(congress, delegates[:2], chair_a)
    assert len(name(congress, delegates[:3], chair_a)) == 3


def test_each_scrutineer_registers_one_share_with_a_proof_and_the_joint_key_is_their_sum(hall, chair_a):
    congress, delegates = hall
    name(congress, delegates[:3], chair_a)
    with pytest.raises(PermissionDenied):
        scrutiny.register_key_share(user=delegate_user(delegates[5]), congress=congress)
    secrets = []
    for i, d in enumerate(delegates[:3], start=1):
        seed = crypto.new_seed()
        x = crypto.secret_from_seed(seed)
        context = scrutiny.key_context(congress, i)
        with pytest.raises(DomainError) as e:
            scrutiny.register_key_share(
                user=delegate_user(d),
                congress=congress,
                public_share=crypto.base(x).hex(),
                proof=crypto.prove_key(x, scrutiny.key_context(congress, i % 3 + 1)),
            )
        assert e.value.code == "invalid_key_share"
        assert (
            scrutiny.register_key_share(
                user=delegate_user(d),
                congress=congress,
                public_share=crypto.base(x).hex(),
                proof=crypto.prove_key(x, context),
            )
            is None
        )
        secrets.append(x)
        congress.refresh_from_db()
        assert bool(congress.joint_key) == (i == 3)
    with pytest.raises(Conflict):
        scrutiny.register_key_share(user=delegate_user(delegates[0]), congress=congress)
    assert congress.joint_key == crypto.joint_key(crypto.base(x) for x in secrets).hex()


def test_the_scrutineers_are_fixed_once_their_key_is_used(hall, chair_a):
    congress, delegates = hall
    from jiaogong.factories import appoint_scrutineers

    appoint_scrutineers(congress, delegates[:2])
    first_key = congress.joint_key
    name(congress, delegates[2:4], chair_a)  # named again before any use: the shares are gone
    congress.refresh_from_db()
    assert congress.joint_key == "" and not Scrutineer.objects.filter(public_share__gt="").exists()
    appoint_scrutineers(congress, delegates[:2])
    assert congress.joint_key != first_key
    poll = voting.create_poll(actor=chair_a, congress=congress, title="表决", kind="secret")
    voting.open_poll(actor=chair_a, poll=poll)
    with pytest.raises(Conflict) as e:
        name(congress, delegates[2:4], chair_a)
    assert e.value.code == "key_in_use"


def test_only_a_scrutineer_decrypts_and_only_a_closed_tally(hall, chair_a):
    congress, delegates = hall
    from jiaogong.factories import appoint_scrutineers

    codes = appoint_scrutineers(congress, delegates[:2])
    poll = voting.create_poll(actor=chair_a, congress=congress, title="表决", kind="secret")
    voting.open_poll(actor=chair_a, poll=poll)
    voting.cast_ballot(user=delegate_user(delegates[4]), poll_id=poll.pk, choice="赞成")
    first = delegate_user(delegates[0])
    with pytest.raises(Conflict) as e:  # still open: there is no sum to decrypt
        voting.submit_partial_decryption(user=first, poll=poll, backup_code=codes[delegates[0].member_id])
    assert e.value.code == "not_counting"
    voting.close_poll(actor=chair_a, poll=poll)
    with pytest.raises(PermissionDenied):
        voting.submit_partial_decryption(
            user=delegate_user(delegates[4]), poll=poll, backup_code=codes[delegates[0].member_id]
        )
    with pytest.raises(DomainError) as e:
        voting.submit_partial_decryption(user=first, poll=poll, partial=["00"], proof=[["00", "00"]])
    assert e.value.code == "invalid_partial"
    assert not PartialDecryption.objects.exists()


def test_an_appraisal_needs_the_joint_key(hall, chair_a):
    congress, _ = hall
    with pytest.raises(DomainError) as e:
        appraisals.create_appraisal(
            actor=chair_a, congress=congress, subjects=[{"name": "王", "position": "校长"}]
        )
    assert e.value.code == "no_joint_key"
    assert not congress.appraisals.exists()


# ---- pages -----------------------------------------------------------------------------------------


@pytest.fixture
def keyed(school_a):
    """8 present delegates, the last two 监票人 with server-made shares; a secret poll, one ballot, counting."""
    congress, delegates = congress_with_delegates(school_a, 8, present=8, scrutineers=2)
    return congress, delegates


def test_the_chair_names_scrutineers_on_the_page(login, chair_a, member_a, outsider_b, school_a, hall):
    congress, delegates = hall
    page = url("scrutineers", school_a.pk, congress.pk)
    assert login(outsider_b).get(page).status_code == 404
    assert login(member_a).get(page).status_code == 200
    assert login(member_a).post(page, {"members": [delegates[0].member_id]}).status_code == 403
    client = login(chair_a)
    refused = client.post(page, {"members": [delegates[0].member_id]})
    assert refused.status_code == 200 and "2–5 名" in refused.text and not Scrutineer.objects.exists()
    done = client.post(page, {"members": [d.member_id for d in delegates[:3]]})
    assert done.status_code == 302 and Scrutineer.objects.count() == 3
    assert "未生成" in client.get(page).text


def test_a_scrutineer_registers_a_phone_share_and_decrypts_on_the_page(login, chair_a, school_a, hall):
    congress, delegates = hall
    name(congress, delegates[:2], chair_a)
    mine = url("my_scrutiny", school_a.pk, congress.pk)
    assert login(delegate_user(delegates[3])).get(mine).status_code == 403
    secrets = {}
    for i, d in enumerate(delegates[:2], start=1):
        client = login(delegate_user(d))
        page = client.get(mine)
        assert page.status_code == 200 and "生成我的密钥" in page.text and "scrutineer.js" in page.text
        x = crypto.secret_from_seed(crypto.new_seed())
        proof = crypto.prove_key(x, scrutiny.key_context(congress, i))
        bad = client.post(mine, {"action": "key", "public_share": "zz", "proof_c": "", "proof_s": ""})
        assert bad.status_code == 422 and Scrutineer.objects.filter(public_share__gt="").count() != i
        client.post(
            mine,
            {
                "action": "key",
                "public_share": crypto.base(x).hex(),
                "proof_c": proof["c"],
                "proof_s": proof["s"],
            },
        )
        secrets[d.pk] = x
    congress.refresh_from_db()
    assert congress.joint_key and {s.source for s in Scrutineer.objects.all()} == {"phone"}
    poll = voting.create_poll(actor=chair_a, congress=congress, title="表决", kind="secret")
    voting.open_poll(actor=chair_a, poll=poll)
    voting.cast_ballot(user=delegate_user(delegates[5]), poll_id=poll.pk, choice="弃权")
    voting.close_poll(actor=chair_a, poll=poll)
    poll.refresh_from_db()
    context = crypto.descriptor_hash(poll.descriptor)
    for d in delegates[:2]:
        client = login(delegate_user(d))
        page = client.get(mine)
        assert "解密计票" in page.text and f"poll-{poll.pk}" in page.text
        broken = client.post(
            mine, {"action": "decrypt", "target": f"poll-{poll.pk}", "partial": "{", "proof": "[]"}
        )
        assert broken.status_code == 400 and "格式不正确" in broken.text
        deep = client.post(
            mine, {"action": "decrypt", "target": f"poll-{poll.pk}", "partial": "[" * 100_000, "proof": "[]"}
        )
        assert deep.status_code == 400 and "格式不正确" in deep.text
        made = crypto.partial_decrypt(secrets[d.pk], poll.encrypted_tally, context)
        client.post(
            mine,
            {
                "action": "decrypt",
                "target": f"poll-{poll.pk}",
                "partial": json.dumps(made["partial"]),
                "proof": json.dumps(made["proof"]),
            },
        )
    poll.refresh_from_db()
    assert poll.state == "closed" and poll.result["counts"] == {"赞成": 0, "反对": 0, "弃权": 1}
    other = login(delegate_user(delegates[0])).post(mine, {"action": "decrypt", "target": "poll-999999"})
    assert other.status_code == 404


def test_the_vote_page_takes_an_encrypted_ballot_and_refuses_a_bad_one(login, chair_a, school_a, keyed):
    congress, delegates = keyed
    poll = voting.create_poll(actor=chair_a, congress=congress, title="表决", kind="secret")
    voting.open_poll(actor=chair_a, poll=poll)
    poll.refresh_from_db()
    page = url("vote", school_a.pk, congress.pk)
    client = login(delegate_user(delegates[0]))
    assert client.get(page, {"watch": "1"}).json() == {"signature": str(poll.pk)}
    shown = client.get(page)
    assert crypto.canonical_json(poll.descriptor).decode() in json.loads(
        shown.text.split(f'id="descriptor-{poll.pk}" type="application/json">')[1].split("</script>")[0]
    )
    forged = crypto.encrypt_ballot({**poll.descriptor, "election": "poll:0:0"}, [[1, 0, 0]])
    refused = client.post(page, {"poll": poll.pk, "encrypted": json.dumps(forged)})
    assert refused.status_code == 422 and "选票无效" in refused.text
    garbled = client.post(page, {"poll": poll.pk, "encrypted": "{not json"})
    assert garbled.status_code == 400
    deep = client.post(page, {"poll": poll.pk, "encrypted": "[" * 100_000 + "]" * 100_000})
    assert deep.status_code == 400 and "加密选票格式不正确" in deep.text
    assert not SealedBallot.objects.exists()
    sealed = crypto.encrypt_ballot(poll.descriptor, [[0, 1, 0]])
    done = client.post(page, {"poll": poll.pk, "encrypted": json.dumps(sealed)})
    assert (
        done.status_code == 200 and crypto.short_tracker(crypto.tracker(poll.descriptor, sealed)) in done.text
    )
    replay = login(delegate_user(delegates[1])).post(page, {"poll": poll.pk, "encrypted": json.dumps(sealed)})
    assert replay.status_code == 422 and "已经投入过" in replay.text
    assert SealedBallot.objects.count() == 1


def test_bulletins_refuse_outsiders_and_have_no_named_twin(
    login, chair_a, member_a, outsider_b, school_a, keyed
):
    congress, delegates = keyed
    secret = voting.create_poll(actor=chair_a, congress=congress, title="无记名", kind="secret")
    named = voting.create_poll(actor=chair_a, congress=congress, title="记名", kind="named")
    board = url("poll_bulletin", school_a.pk, secret.pk)
    assert login(member_a).get(board).status_code == 404  # not opened: no descriptor, no bulletin yet
    voting.open_poll(actor=chair_a, poll=secret)
    voting.open_poll(actor=chair_a, poll=named)
    assert login(outsider_b).get(board).status_code == 404
    assert login(member_a).get(board).status_code == 200
    data = login(member_a).get(board, {"format": "json"}).json()
    assert data["kind"] == "poll" and data["descriptor"]["public_key"] == congress.joint_key
    assert login(member_a).get(url("poll_bulletin", school_a.pk, named.pk)).status_code == 404
    appraisal = appraisals.create_appraisal(
        actor=chair_a, congress=congress, subjects=[{"name": "王", "position": "校长"}]
    )
    assert login(outsider_b).get(url("appraisal_bulletin", school_a.pk, appraisal.pk)).status_code == 404
    assert login(member_a).get(url("appraisal_bulletin", school_a.pk, appraisal.pk)).status_code == 200
    mine = url("my_scrutiny", school_a.pk, congress.pk)
    assert login(outsider_b).get(mine).status_code == 404
    assert login(member_a).get(mine).status_code == 403


def test_the_closing_step_and_the_projector_say_who_has_not_voted(login, chair_a, school_a, keyed):
    congress, delegates = keyed
    poll = voting.create_poll(actor=chair_a, congress=congress, title="表决", kind="secret")
    voting.open_poll(actor=chair_a, poll=poll)
    for d in delegates[:5]:
        voting.cast_ballot(user=delegate_user(d), poll_id=poll.pk, choice="赞成")
    client = login(chair_a)
    screen = client.get(url("projector", school_a.pk, congress.pk), headers={"HX-Request": "true"})
    assert "未投票 3" in screen.text
    ask = client.post(url("poll_action", school_a.pk, poll.pk, "close"))
    assert "还有 3 人未投票" in ask.text
    poll.refresh_from_db()
    assert poll.state == "open"
    client.post(url("poll_action", school_a.pk, poll.pk, "close"), {"confirm": "1"})
    poll.refresh_from_db()
    assert poll.state == "counting"
    assert len(SCRUTINEER_CODES[congress.pk]) == 2
