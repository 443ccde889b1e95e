"""The bulletin verifier anyone can run: `python -m jiaogong.congress.verify bulletin.json`.

Pure Python on crypto.py (libsodium's ristretto255, through rbcl) — no Django, no database, nothing of the
server's but the bulletin it published (`GET /api/v1/polls/{id}/bulletin`, or the page's JSON
download). It checks, and reports exactly what fails:

1. the descriptor names this poll and is the one every proof is bound to;
2. each 监票人's public share with its proof of knowledge, and that the joint key is their sum
   (so nobody slipped in a key of their own);
3. every encrypted ballot: each option a 0/1 ciphertext with its proof, the marks within the
   allowed number, and its tracker; no tracker twice; as many ballots as voters;
4. the homomorphic tally equals the sum of the ballots;
5. every partial decryption with its proof against that 监票人's share;
6. the published counts are what the decryption gives, and every 监票人 took part.

`--audit FILE` checks an encryption a voter chose to audit instead of casting (the phone's
"先检查这次加密"): the revealed randomness re-encrypts to the very ciphertexts.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field

from jiaogong.congress import crypto


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: list[list[int]] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _short(tracker) -> str:
    return crypto.short_tracker(tracker) if isinstance(tracker, str) and len(tracker) >= 12 else repr(tracker)


def verify_bulletin(bulletin: dict) -> Report:
    report = Report()
    fail = report.problems.append
    try:
        descriptor = bulletin["descriptor"]
        kind, target_id, org = bulletin["kind"], bulletin["id"], bulletin["org"]
        congress_id = bulletin["congress"]["id"]
        scrutineers = bulletin["scrutineers"]
        ballots = bulletin["ballots"]
    except (KeyError, TypeError):
        fail("公告板格式不正确：缺少 descriptor、kind、id、org、congress、scrutineers 或 ballots。")
        return report
    if not isinstance(descriptor, dict) or not isinstance(ballots, list) or not isinstance(scrutineers, list):
        fail("公告板格式不正确。")
        return report

    # 1. The descriptor.
    if descriptor.get("v") != crypto.VERSION or descriptor.get("group") != crypto.GROUP:
        fail(f"选票说明的版本或群不是 v{crypto.VERSION} / {crypto.GROUP}。")
    if descriptor.get("election") != f"{kind}:{org}:{target_id}":
        fail(f"选票说明指向 {descriptor.get('election')!r}，而不是本次 {kind}:{org}:{target_id}。")
    context = crypto.descriptor_hash(descriptor)
    if bulletin.get("descriptor_hash") not in (None, context):
        fail("公告板给出的选票说明哈希与选票说明本身不符。")

    # 2. The 监票人's shares and the joint key.
    publics: dict[int, bytes] = {}
    if len(scrutineers) < 2:
        fail("监票人少于 2 名：一个人就能解密。")
    for s in scrutineers:
        position = s.get("position")
        expected = f"congress:{org}:{congress_id}:scrutineer:{position}"
        if s.get("context") != expected:
            fail(f"监票人 {position} 的证明上下文应为 {expected}。")
        try:
            publics[position] = crypto.verify_key(s.get("public_share"), s.get("proof"), expected)
        except crypto.InvalidBallot as e:
            fail(f"监票人 {position}（{s.get('name', '')}）的公钥份额：{e}")
    if len(publics) == len(scrutineers) and scrutineers:
        if crypto.joint_key(publics.values()).hex() != descriptor.get("public_key"):
            fail("联合公钥不等于全体监票人公钥份额之和。")
        else:
            report.notes.append(f"监票人公钥份额 {len(publics)} 份：证明全部成立，联合公钥是它们之和。")

    # 3. The ballots.
    normals, seen, bad = [], set(), 0
    for entry in ballots:
        tracker = entry.get("tracker") if isinstance(entry, dict) else None
        try:
            normal = crypto.verify_ballot(
                descriptor, entry.get("ballot") if isinstance(entry, dict) else None
            )
        except crypto.InvalidBallot as e:
            fail(f"选票 {_short(tracker)}：{e}")
            bad += 1
            continue
        if crypto.tracker(descriptor, normal) != tracker:
            fail(f"选票 {_short(tracker)}：追踪码与选票内容不符。")
        if tracker in seen:
            fail(f"选票 {_short(tracker)} 出现了两次。")
        seen.add(tracker)
        normals.append(normal)
    if not bad:
        report.notes.append(f"加密选票 {len(ballots)} 张：每个密文的证明和每张选票的总数证明全部成立。")
    turnout = bulletin.get("turnout")
    if turnout != len(ballots):
        fail(f"投票人数 {turnout} 与票箱中的选票数 {len(ballots)} 不一致。")

    # 4. The tally.
    tally = bulletin.get("encrypted_tally")
    if tally is not None:
        if crypto.homomorphic_tally(descriptor, normals) != tally:
            fail("同态汇总不等于票箱中全部选票之和。")
        else:
            report.notes.append("同态汇总等于全部选票之和。")

    # 5. The partial decryptions.
    factor_lists = []
    partials = bulletin.get("partial_decryptions") or []
    for p in partials:
        position = p.get("position")
        public = publics.get(position)
        if public is None or tally is None:
            fail(f"监票人 {position} 的部分解密没有对应的公钥份额或汇总。")
            continue
        try:
            factors, _ = crypto.verify_partial(public, tally, p.get("partial"), p.get("proof"), context)
        except crypto.InvalidBallot as e:
            fail(f"监票人 {position} 的部分解密：{e}")
            continue
        factor_lists.append(factors)
    if partials and len(factor_lists) == len(partials):
        report.notes.append(f"部分解密 {len(partials)} 份：证明全部成立。")

    # 6. The result.
    result = bulletin.get("result")
    if result is not None:
        if len(partials) != len(scrutineers) or len({p.get("position") for p in partials}) != len(
            scrutineers
        ):
            fail("公布结果时并非全体监票人都已解密。")
        elif tally is not None and len(factor_lists) == len(partials):
            try:
                counts = crypto.decrypt_counts(tally, factor_lists, len(ballots))
            except crypto.InvalidBallot as e:
                fail(str(e))
            else:
                report.counts = counts
                if counts != result.get("counts"):
                    fail(f"解密得到的票数 {counts} 与公布的票数 {result.get('counts')} 不符。")
                else:
                    report.notes.append(f"公布的票数与解密结果一致：{counts}。")
        if result.get("cast") != len(ballots):
            fail(f"公布的投票数 {result.get('cast')} 与票箱中的选票数 {len(ballots)} 不一致。")
    return report


def verify_audit(record: dict) -> Report:
    """An audited (not cast) encryption: its proofs hold and the randomness re-encrypts it."""
    report = Report()
    try:
        descriptor, ballot = record["descriptor"], record["ballot"]
        selections, randomness = record["selections"], record["randomness"]
        normal = crypto.verify_ballot(descriptor, ballot)
        key = crypto.point(descriptor["public_key"], "联合公钥")
        for qi, answer in enumerate(normal["answers"]):
            for oi, (a, b) in enumerate(answer["ciphertexts"]):
                r = crypto.scalar(randomness[qi][oi], "随机数")
                (ra, rb), _ = crypto.encrypt(int(selections[qi][oi]), key, r)
                if (ra.hex(), rb.hex()) != (a, b):
                    report.problems.append(
                        f"第 {qi + 1} 项第 {oi + 1} 个选项：用公开的随机数重新加密与密文不符。"
                    )
        if record.get("tracker") not in (None, crypto.tracker(descriptor, normal)):
            report.problems.append("追踪码与选票内容不符。")
    except crypto.InvalidBallot as e:
        report.problems.append(str(e))
    except (KeyError, TypeError, IndexError, ValueError):
        report.problems.append("检查数据格式不正确。")
    if report.ok:
        chosen = [
            [o for o, m in zip(q["options"], marks, strict=True) if m]
            for q, marks in zip(record["descriptor"]["questions"], record["selections"], strict=True)
        ]
        report.notes.append(f"检查通过：这张选票确实加密了 {chosen}。它已作废，不会计入。")
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m jiaogong.congress.verify", description="独立验证无记名投票公告板（不需要服务器）。"
    )
    parser.add_argument("file", help="公告板 JSON 文件（或 --audit 时的检查数据）")
    parser.add_argument("--audit", action="store_true", help="检查一张未投出、用于检查加密的选票")
    args = parser.parse_args(argv)
    try:
        with open(args.file, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        print(f"无法读取 {args.file}：{e}")
        return 2
    report = verify_audit(data) if args.audit else verify_bulletin(data)
    if not args.audit and isinstance(data, dict):
        print(
            f"公告板：{data.get('title', '')}（{data.get('kind')} {data.get('id')}，状态 {data.get('state')}）"
        )
    for note in report.notes:
        print(f"  ✓ {note}")
    for problem in report.problems:
        print(f"  ✗ {problem}")
    print("验证通过。" if report.ok else f"验证未通过：{len(report.problems)} 处问题。")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
