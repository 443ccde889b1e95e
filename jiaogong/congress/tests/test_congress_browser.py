"""The congress day through a real Chromium: a delegate shows their QR code, the desk scans it,
the projector sees the quorum and who has not voted; three 监票人 make their keys on their phones,
a delegate's phone encrypts the vote, the 监票人 decrypt the sum, the bulletin verifies."""

import datetime

import pytest
from django.utils import timezone

from jiaogong.conftest import shoot
from jiaogong.congress import appraisals, crypto, proposals, sessions, verify, voting
from jiaogong.congress.models import Attendance, Poll, SealedBallot
from jiaogong.core.tests.test_browser import fits_the_screen, log_in
from jiaogong.factories import MemberFactory, UserFactory, appoint_scrutineers, decrypt, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def day(school_a):
    """The 8th congress's 1st session today: 12 delegates, 7 checked in (one short of the quorum)."""
    today = timezone.localdate()
    chair = grant(UserFactory(username="chair", first_name="王主席"), school_a, "chair")
    members = [MemberFactory(org=school_a, is_teacher=i % 4 != 0) for i in range(12)]
    members[0].name = "李晓红"
    members[0].save()
    congress = sessions.create_congress(
        actor=chair,
        org=school_a,
        term=8,
        session=1,
        title="第八届第一次教职工代表大会",
        opens_on=today,
        delegates=[m.pk for m in members],
    )
    sessions.add_agenda_item(
        actor=chair, congress=congress, kind="adopt", title="讨论通过《教职工奖励性绩效工资分配方案》"
    )
    sessions.add_paper(
        actor=chair, congress=congress, title="学校工作报告", sent_on=today - datetime.timedelta(days=8)
    )
    seats = list(sessions.voters(congress).select_related("member").order_by("id"))
    for seat in seats[1:8]:
        sessions.check_in(actor=chair, congress=congress, delegate=seat)
    voter = grant(UserFactory(username="lixh", member=members[0]), school_a, "member")
    others = [grant(UserFactory(member=s.member), school_a, "member") for s in seats[1:8]]
    return congress, chair, voter, seats, others


def test_check_in_by_qr_then_vote_on_the_phone_with_the_projector_live(browser_page, day):
    congress, chair, voter, seats, others = day
    org = congress.org
    base = f"/o/{org.pk}/congress/{congress.pk}"
    appoint_scrutineers(congress, seats[9:12])  # the keys matter in the next test, not here

    projector = browser_page("desktop")
    log_in(projector, "chair")
    projector.goto(f"{base}/projector/")
    assert "差 1 人" in projector.locator("#screen").inner_text()

    phone = browser_page("phone")
    log_in(phone, "lixh")
    phone.goto(f"{base}/my-code/")
    assert phone.locator(".qr svg").is_visible()
    assert fits_the_screen(phone)
    shoot(phone, "congress-my-code-phone")
    # The desk phone scans the code: it encodes this address (the delegate's own token).
    code_url = f"{base}/c/{seats[0].checkin_token}/"

    desk = browser_page("phone")
    log_in(desk, "chair")
    desk.goto(code_url)
    assert "李晓红" in desk.content()
    desk.get_by_role("button", name="确认签到").click()
    desk.wait_for_load_state("networkidle")
    assert "签到成功" in desk.content()
    shoot(desk, "congress-checkin-code-phone")

    # The projector refreshes itself: the quorum is met without reloading.
    projector.wait_for_function(
        "() => document.querySelector('#screen').innerText.includes('已达到')", timeout=10000
    )

    poll = voting.create_poll(
        actor=chair, congress=congress, title="讨论通过《绩效工资分配方案》", kind="secret"
    )
    desk.goto(f"/o/{org.pk}/polls/{poll.pk}/")
    desk.get_by_role("button", name="开始表决").click()
    desk.wait_for_load_state("networkidle")
    assert Poll.objects.get(pk=poll.pk).state == "open"
    projector.wait_for_function(
        "() => document.querySelector('#screen').innerText.includes('未投票 8')", timeout=10000
    )
    shoot(projector, "congress-projector-voting-desktop")
    for user in others:
        voting.cast_ballot(user=user, poll_id=poll.pk, choice="赞成")
    projector.wait_for_function(
        "() => document.querySelector('#screen').innerText.includes('未投票 1')", timeout=10000
    )
    voting.close_poll(actor=chair, poll=poll)
    projector.wait_for_function(
        "() => document.querySelector('#screen').innerText.includes('待监票人解密')", timeout=10000
    )
    decrypt(poll)
    projector.wait_for_function(
        "() => document.querySelector('#screen').innerText.includes('应到 12 · 实到 8')", timeout=10000
    )
    screen = projector.locator("#screen").inner_text()
    assert "应到 12 · 实到 8 · 投票 7" in screen
    for seat in seats:  # a secret poll never shows a name on the projector
        assert seat.member.name not in screen
    shoot(projector, "congress-projector-result-desktop")
    assert Attendance.objects.filter(congress=congress).count() == 8


def test_a_secret_vote_with_three_scrutineer_phones_to_a_verified_result(browser_page, day, tmp_path):
    """The chair names three 监票人; each makes a key share on their own phone (one later loses
    it and decrypts with the backup code on another phone); a delegate's phone waits for the
    poll, encrypts the choice after confirming it and sends ciphertexts only; the 监票人 decrypt
    the sum on their phones; every delegate finds their tracker on the bulletin, which verifies."""
    congress, chair, voter, seats, others = day
    org = congress.org
    base = f"/o/{org.pk}/congress/{congress.pk}"
    sessions.check_in(actor=chair, congress=congress, delegate=seats[0])
    trio = seats[8:11]
    logins = []
    for i, seat in enumerate(trio):
        logins.append(grant(UserFactory(username=f"jp{i}", member=seat.member), org, "member"))

    # The chair names the 监票人 on the page.
    desk = browser_page("desktop")
    log_in(desk, "chair")
    desk.goto(f"{base}/scrutineers/")
    for seat in trio:
        desk.locator(f'input[name=members][value="{seat.member_id}"]').check()
    desk.get_by_role("button", name="确定监票人").click()
    desk.wait_for_load_state("networkidle")
    assert "已确定监票人" in desk.content() and "未生成" in desk.content()
    shoot(desk, "congress-scrutineers-desktop")

    # Each 监票人 makes a key share on their phone and writes down the backup code.
    phones, codes = [], []
    for i in range(3):
        phone = browser_page("phone")
        log_in(phone, f"jp{i}")
        phone.goto(f"{base}/scrutineer/")
        phone.get_by_role("button", name="生成我的密钥").click()
        code = phone.locator("[data-code]").inner_text().strip()
        assert code.startswith("JG1-") and len(code) > 60
        if i == 0:
            assert fits_the_screen(phone)
            shoot(phone, "congress-scrutineer-keygen-phone")
        phone.get_by_label("我已抄写或打印备份码，并妥善保管").check()
        phone.get_by_role("button", name="登记我的公钥份额").click()
        phone.wait_for_load_state("networkidle")
        assert "公钥份额已登记" in phone.content() and "这部手机保存着您的私钥" in phone.content()
        phones.append(phone)
        codes.append(code)
    congress.refresh_from_db()
    assert congress.joint_key and {s.source for s in congress.scrutineers.all()} == {"phone"}

    # The delegate's phone waits on the vote page and reloads itself when the poll opens.
    phone = browser_page("phone")
    log_in(phone, "lixh")
    sent = []
    phone.on("request", lambda r: sent.append(r.post_data or "") if r.method == "POST" else None)
    phone.goto(f"{base}/vote/")
    assert "现在没有进行中的表决" in phone.content()
    poll = voting.create_poll(
        actor=chair, congress=congress, title="讨论通过《绩效工资分配方案》", kind="secret"
    )
    voting.open_poll(actor=chair, poll=poll)
    phone.wait_for_selector("text=讨论通过《绩效工资分配方案》", timeout=10000)
    assert fits_the_screen(phone)
    shoot(phone, "congress-vote-phone")

    # A check of the encryption first (Benaloh): it is shown and spent, nothing is cast.
    phone.get_by_role("button", name="反对").click()
    assert "确认投“反对”？" in phone.locator("[data-confirm-panel]").inner_text()
    shoot(phone, "congress-vote-confirm-phone")
    phone.get_by_role("button", name="先检查这次加密（不投出）").click()
    assert "检查通过" in phone.locator("[data-audit-result]").inner_text()
    assert not SealedBallot.objects.filter(poll=poll).exists()
    # Then the vote: tap, confirm, sealed on the phone.
    phone.get_by_role("button", name="赞成").click()
    phone.get_by_role("button", name="确认投出").click()
    phone.wait_for_selector(".receipt-code", timeout=10000)
    assert "与本机加密时计算的追踪码一致" in phone.content()
    tracker = SealedBallot.objects.get(poll=poll).tracker
    assert phone.locator(".receipt-code").inner_text().strip() == crypto.short_tracker(tracker)
    ballot_posts = [body for body in sent if "encrypted=" in body]
    assert len(ballot_posts) == 1 and "choice=" not in ballot_posts[0]
    assert "%E8%B5%9E%E6%88%90" not in ballot_posts[0]  # 赞成, url-encoded: the plaintext stayed home
    shoot(phone, "congress-tracker-phone")

    for user in others:
        voting.cast_ballot(user=user, poll_id=poll.pk, choice="赞成" if user != others[0] else "弃权")
    desk.goto(f"/o/{org.pk}/polls/{poll.pk}/")
    desk.get_by_role("button", name="结束投票，交监票人解密").click()
    desk.wait_for_load_state("networkidle")
    assert Poll.objects.get(pk=poll.pk).state == "counting"

    # The 监票人 decrypt on their phones; the third lost hers and uses the backup code elsewhere.
    for phone_of in phones[:2]:
        phone_of.goto(f"{base}/scrutineer/")
        phone_of.get_by_role("button", name="解密计票").click()
        phone_of.wait_for_load_state("networkidle")
        assert "部分解密已提交" in phone_of.content()
    shoot(phones[0], "congress-scrutineer-decrypt-phone")
    new_phone = browser_page("phone")
    log_in(new_phone, "jp2")
    new_phone.goto(f"{base}/scrutineer/")
    assert "这部手机上没有您的私钥" in new_phone.content()
    new_phone.get_by_label("本机没有您的私钥，请输入备份码").fill(codes[2].lower())
    new_phone.get_by_role("button", name="解密计票").click()
    new_phone.wait_for_load_state("networkidle")
    assert "解密完成，结果已公布" in new_phone.content()
    result = voting.result(Poll.objects.get(pk=poll.pk))
    assert result["counts"] == {"赞成": 7, "反对": 0, "弃权": 1} and result["passed"] is True

    # The delegate finds their tracker on the bulletin; anyone can verify the bulletin.
    phone.goto(f"/o/{org.pk}/polls/{poll.pk}/bulletin/")
    phone.get_by_label("追踪码").fill(crypto.short_tracker(tracker))
    phone.get_by_role("button", name="核对").click()
    phone.wait_for_load_state("networkidle")
    assert "已计入" in phone.content()
    assert fits_the_screen(phone)
    shoot(phone, "congress-bulletin-phone")
    record = phone.request.get(f"/o/{org.pk}/polls/{poll.pk}/bulletin/?format=json").json()
    report = verify.verify_bulletin(record)
    assert report.ok, report.problems
    assert report.counts == [[7, 0, 1]]

    # 民主评议 on the same phone: one grade per leader, confirmed, encrypted here.
    appraisal = appraisals.create_appraisal(
        actor=chair,
        congress=congress,
        subjects=[{"name": "陈校长", "position": "校长"}, {"name": "林副校长", "position": "副校长"}],
    )
    sent.clear()
    phone.goto(f"/o/{org.pk}/appraisals/{appraisal.pk}/vote/")
    phone.get_by_role("button", name="提交评议票").click()
    assert "请为每一项选择一个等次" in phone.content()
    for fieldset, level in zip(phone.locator("fieldset").all(), ["优秀", "基本称职"], strict=True):
        fieldset.get_by_label(level).check()
    phone.get_by_role("button", name="提交评议票").click()
    assert "陈校长：优秀；林副校长：基本称职" in phone.locator("[data-confirm-panel]").inner_text()
    phone.get_by_role("button", name="确认提交").click()
    phone.wait_for_selector(".receipt-code", timeout=10000)
    assert "评议票已提交" in phone.content() and "与本机加密时计算的追踪码一致" in phone.content()
    posted = [body for body in sent if "encrypted=" in body]
    assert len(posted) == 1 and "%E4%BC%98%E7%A7%80" not in posted[0]  # 优秀 never left the phone
    assert fits_the_screen(phone)
    shoot(phone, "congress-appraisal-tracker-phone")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_congress_page_renders_and_fits(browser_page, day, viewport):
    congress, chair, voter, seats, others = day
    org = congress.org
    sessions.check_in(actor=chair, congress=congress, delegate=seats[0])
    appoint_scrutineers(congress, seats[9:12])
    poll = voting.create_poll(actor=chair, congress=congress, title="讨论通过《奖励办法》", kind="secret")
    voting.open_poll(actor=chair, poll=poll)
    for user in [voter, *others]:
        voting.cast_ballot(user=user, poll_id=poll.pk, choice="赞成")
    voting.close_poll(actor=chair, poll=poll)
    decrypt(poll)
    waiting = voting.create_poll(actor=chair, congress=congress, title="讨论通过《福利办法》", kind="secret")
    voting.open_poll(actor=chair, poll=waiting)
    voting.cast_ballot(user=voter, poll_id=waiting.pk, choice="反对")
    voting.close_poll(actor=chair, poll=waiting)
    proposal = proposals.draft_proposal(
        actor=voter,
        congress=congress,
        title="关于增设教师午休室的提案",
        reasons="部分教师中午无处休息。",
        measures="利用闲置教室改建午休室。",
        today=congress.opens_on - datetime.timedelta(days=20),
    )
    appraisal = appraisals.create_appraisal(
        actor=chair, congress=congress, subjects=[{"name": "陈校长", "position": "校长"}]
    )
    base = f"/o/{org.pk}/congress/{congress.pk}"
    pages = {
        "congress-list": f"/o/{org.pk}/congress/",
        "congress-detail": f"{base}/",
        "congress-delegates": f"{base}/delegates/",
        "congress-delegate-end": f"{base}/delegates/{seats[3].pk}/end/",
        "congress-checkin": f"{base}/checkin/",
        "congress-badges": f"{base}/badges/",
        "congress-polls": f"{base}/polls/",
        "congress-poll": f"/o/{org.pk}/polls/{poll.pk}/",
        "congress-structure": f"{base}/structure/",
        "congress-proposals": f"{base}/proposals/",
        "congress-proposal": f"/o/{org.pk}/proposals/{proposal.pk}/",
        "congress-departments": f"/o/{org.pk}/congress/departments/",
        "congress-appraisal-new": f"{base}/appraisals/new/",
        "congress-appraisal": f"/o/{org.pk}/appraisals/{appraisal.pk}/",
        "congress-papers": f"{base}/papers/",
        "congress-scrutineers": f"{base}/scrutineers/",
        "congress-bulletin": f"/o/{org.pk}/polls/{poll.pk}/bulletin/",
        "congress-poll-counting": f"/o/{org.pk}/polls/{waiting.pk}/",
        "congress-appraisal-bulletin": f"/o/{org.pk}/appraisals/{appraisal.pk}/bulletin/",
    }
    page = browser_page(viewport)
    log_in(page, "chair")
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for name, path in pages.items():
        response = page.goto(path)
        page.wait_for_load_state("networkidle")
        assert response.status == 200, (name, response.status)
        assert page.locator("h1").count() >= 1, name
        assert fits_the_screen(page), f"{name} scrolls sideways on {viewport}"
        shoot(page, f"{name}-{viewport}")
    page.goto(f"{base}/projector/")
    shoot(page, f"congress-projector-{viewport}")
    assert errors == []


def test_the_phone_module_computes_what_the_server_checks(browser_page):
    """static/congress/ballot.js in Chromium against crypto.py: the same hashes, keys and codes
    (the known answers of test_crypto), ballots and partial decryptions the server verifies, and
    a poll key that is not the 监票人's sum refused before anything is encrypted."""
    secrets = [crypto.secret_from_seed(bytes([i]) * 32) for i in (1, 2)]
    shares = [
        {
            "public_share": crypto.base(x).hex(),
            "proof": crypto.prove_key(x, f"congress:1:2:scrutineer:{i}"),
            "context": f"congress:1:2:scrutineer:{i}",
        }
        for i, x in enumerate(secrets, start=1)
    ]
    key = crypto.joint_key(crypto.base(x) for x in secrets)
    descriptor = crypto.make_descriptor(
        election="poll:1:9",
        questions=[
            {"options": ["张三", "李四", "王五"], "min": 0, "max": 2},
            {"options": ["赞成", "反对"], "min": 1, "max": 1},
        ],
        public_key=key.hex(),
    )
    descriptor_json = crypto.canonical_json(descriptor).decode()
    stranger = crypto.base(crypto.random_scalar()).hex()
    page = browser_page("phone")
    page.goto("/accounts/login/")
    out = page.evaluate(
        """async ([descriptorJson, shares, stranger]) => {
            const B = await import('/static/congress/ballot.js');
            const seed = new Uint8Array(32).map((_, i) => i);
            const x = B.secretFromSeed(seed);
            const descriptor = JSON.parse(descriptorJson);
            const sealed = B.encryptBallot(descriptorJson, [[1, 0, 1], [0, 1]]);
            const forged = {...shares[0], public_share: stranger};
            return {
                challenge: B.scalarHex(B.challenge("test", "abc", new Uint8Array([1, 2]))),
                secret: B.scalarHex(x),
                share: B.publicShare(x),
                code: B.backupCode(seed),
                keyOk: B.checkJointKey(descriptor, shares),
                keyForged: B.checkJointKey(descriptor, [forged, shares[1]]),
                keyAlone: B.checkJointKey({...descriptor, public_key: shares[0].public_share}, [shares[0]]),
                ballot: sealed.ballot,
                tracker: B.tracker(descriptorJson, sealed.ballot),
            };
        }""",
        [descriptor_json, shares, stranger],
    )
    assert out["challenge"] == "8f904667a1620a1b61bef8d5fe09b19fd9bfeab289f2c56846c90664d435d602"
    assert out["secret"] == "4a091288322e0e1bf3fc612c410683407ce573d7ee18d688e47ab65db0e7e209"
    assert out["share"] == "48b5034f059e771e7c97cf441fb59c0215333f4eb5117633536d18d094e13145"
    assert out["code"] == "JG1-AAAQE-AYEAU-DAOCA-JBIFQ-YDIOB-4IBCE-QTCQK-RMFYY-DENBW-HA5DY-PWGDI"
    assert out["keyOk"] is True and out["keyForged"] is False and out["keyAlone"] is False
    normal = crypto.verify_ballot(descriptor, out["ballot"])
    assert crypto.tracker(descriptor, normal) == out["tracker"]
    tally = crypto.homomorphic_tally(descriptor, [normal])
    context = crypto.descriptor_hash(descriptor)
    made = page.evaluate(
        """async ([seedHex, tally, context]) => {
            const B = await import('/static/congress/ballot.js');
            return B.partialDecrypt(B.secretFromSeed(B.fromHex(seedHex)), tally, context);
        }""",
        [(bytes([1]) * 32).hex(), tally, context],
    )
    factors, _ = crypto.verify_partial(
        crypto.base(secrets[0]), tally, made["partial"], made["proof"], context
    )
    other = crypto.partial_decrypt(secrets[1], tally, context)
    counts = crypto.decrypt_counts(
        tally,
        [factors, crypto.verify_partial(crypto.base(secrets[1]), tally, *other.values(), context)[0]],
        1,
    )
    assert counts == [[1, 0, 1], [0, 1]]
