"""The 监票人 and the session's ballot key; sealing ballots, summing them, decrypting the sums.

The rule (README, "Secret ballots"): a session names 2–5 监票人 from its formal delegates
(`congress.scrutineers`). Each generates a key share on their own phone — the secret part stays
there and on the backup code they write down or print; the server keeps the public part with a
proof that its holder knows the secret. The session's joint key is the sum of the shares, and
every secret poll and 民主评议 of the session is encrypted under it. Only the sums are decrypted,
and decrypting a sum takes **every** 监票人 (all of n): no single person — the chair, the
administrator, one 监票人 — can read anything. A 监票人 who lost their phone enters their backup
code on any phone (they may do so from anywhere: decryption is online); if a backup code is lost
as well, that session's sealed votes can never be counted and the vote is held again.

An API client that cannot do the cryptography lets the server generate its share: the private
part is answered once as a backup code and never stored, and the 监票人 hands it back to decrypt.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from jiaogong.congress import crypto
from jiaogong.congress.models import Appraisal, Congress, PartialDecryption, Poll, Scrutineer
from jiaogong.congress.sessions import voters
from jiaogong.core import audit
from jiaogong.core.errors import Conflict, DomainError, InvalidInput
from jiaogong.core.rules import value_for


class BallotRefused(DomainError):
    """A ballot whose shape or proofs do not verify (HTTP 422 `invalid_ballot`); nothing is written."""

    def __init__(self, message: str):
        super().__init__("invalid_ballot", f"选票无效：{message}")


def key_context(congress: Congress, position: int) -> str:
    """What a key share's proof is bound to: the org, the session and the 监票人's place."""
    return f"congress:{congress.org_id}:{congress.pk}:scrutineer:{position}"


def scrutineers_of(congress: Congress) -> list[Scrutineer]:
    return list(congress.scrutineers.select_related("member").order_by("position"))


def scrutineer_for(congress: Congress, user) -> Scrutineer | None:
    member_id = getattr(user, "member_id", None)
    if member_id is None:
        return None
    return congress.scrutineers.select_related("member").filter(member_id=member_id).first()


def key_in_use(congress: Congress) -> bool:
    """Once a secret poll has opened or a 民主评议 started under the key, the 监票人 are fixed."""
    return (
        Poll.objects.filter(congress=congress, descriptor__isnull=False).exists()
        or Appraisal.objects.filter(congress=congress, descriptor__isnull=False).exists()
    )


@transaction.atomic
def name_scrutineers(*, actor, congress: Congress, members: list[int], threshold: int | None = None):
    """监票人 elected by the session: formal delegates of it, within the parameter's bounds. They may
    be named again until a secret vote uses their key (their shares are then discarded)."""
    congress = Congress.objects.select_for_update().select_related("org", "term").get(pk=congress.pk)
    low, high = value_for(congress.org, "congress.scrutineers")
    # Whatever a school sets, one person alone must never hold the whole key.
    low, high = max(int(low), 2), max(int(high), 2)
    if not isinstance(members, list) or not all(
        isinstance(m, int) and not isinstance(m, bool) for m in members
    ):
        raise InvalidInput({"members": "请选择监票人（会员 id 列表）。"})
    if len(set(members)) != len(members):
        raise InvalidInput({"members": "监票人不能重复。"})
    if not low <= len(members) <= high:
        raise InvalidInput({"members": f"监票人应为 {low}–{high} 名，现为 {len(members)} 名。"})
    if threshold is not None and threshold != len(members):
        raise DomainError(
            "threshold_all",
            f"本系统的解密规则是全体监票人共同解密（{len(members)} 人须全部参与），"
            "门限应为监票人人数；丢失手机的监票人可凭备份码在任何手机上解密。",
        )
    seats = {d.member_id: d for d in voters(congress).select_related("member")}
    missing = [m for m in members if m not in seats]
    if missing:
        raise InvalidInput({"members": "监票人须是本次会议有表决权的正式代表。"})
    if key_in_use(congress):
        raise Conflict("key_in_use", "本次会议已用监票人的密钥开始无记名表决，监票人不能再更换。")
    before = [s.member_id for s in congress.scrutineers.all()]
    congress.scrutineers.all().delete()
    created = Scrutineer.objects.bulk_create(
        Scrutineer(org=congress.org, congress=congress, member=seats[m].member, position=i)
        for i, m in enumerate(members, start=1)
    )
    congress.joint_key = ""
    congress.save(update_fields=["joint_key"])
    audit.record(
        actor=actor,
        org=congress.org,
        action="congress.scrutineers.name",
        obj=congress,
        changes={"scrutineers": [before, members]},
    )
    return created


@transaction.atomic
def register_key_share(*, user, congress: Congress, public_share=None, proof=None) -> str | None:
    """The caller's key share: from their phone (`public_share` with its proof), or generated here
    for an API client — then the private part is answered once as a backup code and not kept.
    Once every 监票人 has a share, the session's joint key is their sum."""
    congress = Congress.objects.select_for_update().select_related("org").get(pk=congress.pk)
    scrutineer = congress.scrutineers.select_related("member").filter(
        member_id=getattr(user, "member_id", None)
    )
    scrutineer = scrutineer.first()
    if scrutineer is None:
        raise PermissionDenied("您不是本次会议的监票人。")
    if scrutineer.has_share:
        raise Conflict("share_exists", "您的密钥份额已经登记，不能更换。")
    context = key_context(congress, scrutineer.position)
    code = None
    if public_share is None and proof is None:
        seed = crypto.new_seed()
        secret = crypto.secret_from_seed(seed)
        public_share, proof = crypto.base(secret).hex(), crypto.prove_key(secret, context)
        code = crypto.backup_code(seed)
        source = Scrutineer.Source.SERVER
    else:
        if not isinstance(proof, dict) or not isinstance(public_share, str):
            raise InvalidInput({"proof": "请提交公钥份额和证明 {c, s}。"})
        try:
            crypto.verify_key(public_share, proof, context)
        except crypto.InvalidBallot as e:
            raise DomainError("invalid_key_share", f"密钥份额无效：{e}") from None
        source = Scrutineer.Source.PHONE
        proof = {"c": proof["c"].lower(), "s": proof["s"].lower()}
    scrutineer.public_share = public_share.lower()
    scrutineer.proof = proof
    scrutineer.source = source
    scrutineer.shared_at = timezone.now()
    scrutineer.save(update_fields=["public_share", "proof", "source", "shared_at"])
    shares = list(congress.scrutineers.order_by("position").values_list("public_share", flat=True))
    if all(shares):
        congress.joint_key = crypto.joint_key(bytes.fromhex(s) for s in shares).hex()
        congress.save(update_fields=["joint_key"])
    audit.record(
        actor=user,
        org=congress.org,
        action="congress.scrutineers.key",
        obj=congress,
        changes={"position": scrutineer.position, "public_share": scrutineer.public_share, "source": source},
    )
    return code


def require_joint_key(congress: Congress) -> str:
    if not congress.joint_key:
        raise DomainError(
            "no_joint_key",
            "监票人尚未全部生成密钥，不能开始无记名投票。请先推选监票人，并请每位监票人在手机上生成密钥。",
        )
    return congress.joint_key


# ---- ballots -------------------------------------------------------------------------------------


def seal(descriptor: dict, selections: list[list[int]]) -> dict:
    """An API client's plaintext choice, encrypted here at once (the plaintext is not kept)."""
    return crypto.encrypt_ballot(descriptor, selections)


def check_sealed(descriptor: dict, encrypted) -> tuple[dict, str]:
    """A phone's encrypted ballot verified in full: its normal form and its tracker."""
    try:
        normal = crypto.verify_ballot(descriptor, encrypted)
    except crypto.InvalidBallot as e:
        raise BallotRefused(str(e)) from None
    return normal, crypto.tracker(descriptor, normal)


def encrypted_sum(descriptor: dict, bodies) -> list:
    return crypto.homomorphic_tally(descriptor, bodies)


# ---- decryption ----------------------------------------------------------------------------------


def submit_partial(*, user, target, partial=None, proof=None, backup_code=None, finish) -> bool:
    """A 监票人's partial decryption of `target`'s tally (a Poll or an Appraisal in counting):
    from their phone (`partial` with `proof`), or computed here from their backup code (used and
    forgotten). When every 监票人 has given theirs, the counts are decrypted and `finish(target,
    counts)` records the result. Returns True when the tally was decrypted."""
    congress = target.congress
    scrutineer = scrutineer_for(congress, user)
    if scrutineer is None or not scrutineer.has_share:
        raise PermissionDenied("您不是本次会议的监票人。")
    model = type(target)
    with transaction.atomic():
        target = model.objects.select_for_update().select_related("org", "congress").get(pk=target.pk)
        if target.state != model.State.COUNTING:
            raise Conflict("not_counting", "这项表决不在待解密状态。")
        context = crypto.descriptor_hash(target.descriptor)
        public = bytes.fromhex(scrutineer.public_share)
        if backup_code is not None:
            try:
                secret = crypto.secret_from_seed(crypto.seed_from_backup_code(backup_code))
            except crypto.InvalidBallot as e:
                raise DomainError("wrong_backup_code", str(e)) from None
            if crypto.base(secret) != public:
                raise DomainError("wrong_backup_code", "备份码与您登记的密钥份额不符。")
            made = crypto.partial_decrypt(secret, target.encrypted_tally, context)
            partial, proof, source = made["partial"], made["proof"], Scrutineer.Source.SERVER
        else:
            source = Scrutineer.Source.PHONE
        try:
            factors, proofs = crypto.verify_partial(public, target.encrypted_tally, partial, proof, context)
        except crypto.InvalidBallot as e:
            raise DomainError("invalid_partial", f"部分解密无效：{e}") from None
        try:
            with transaction.atomic():
                PartialDecryption.objects.create(
                    org=target.org,
                    scrutineer=scrutineer,
                    poll=target if model is Poll else None,
                    appraisal=target if model is Appraisal else None,
                    factors=[f.hex() for f in factors],
                    proofs=proofs,
                    source=source,
                )
        except IntegrityError:
            raise Conflict("already_decrypted", "您已经提交过这项表决的解密。") from None
        audit.record(
            actor=user,
            org=target.org,
            action="congress.tally.partial",
            obj=target,
            changes={"position": scrutineer.position, "source": source},
        )
        partials = list(
            PartialDecryption.objects.filter(**{model._meta.model_name: target}).order_by(
                "scrutineer__position"
            )
        )
        if len(partials) < congress.scrutineers.count():
            return False
        counts = crypto.decrypt_counts(
            target.encrypted_tally,
            [[bytes.fromhex(f) for f in p.factors] for p in partials],
            target.sealed_ballots.count(),
        )
        finish(target, counts)
        return True


def pending_scrutineers(target) -> list[Scrutineer]:
    done = set(target.partials.values_list("scrutineer_id", flat=True))
    return [s for s in scrutineers_of(target.congress) if s.pk not in done]


# ---- the bulletin --------------------------------------------------------------------------------


def bulletin(target, *, kind: str, title: str, result: dict | None) -> dict:
    """The public record of a secret poll or 民主评议: everything the verifier needs, and no
    choice per ballot (there is none to give)."""
    congress = target.congress
    partials = {p.scrutineer_id: p for p in target.partials.all()}
    return {
        "version": crypto.VERSION,
        "kind": kind,
        "id": target.pk,
        "title": title,
        "state": target.state,
        "org": congress.org_id,
        "congress": {"id": congress.pk, "title": congress.title},
        "group": crypto.GROUP,
        "rule": "all",
        "descriptor": target.descriptor,
        "descriptor_hash": crypto.descriptor_hash(target.descriptor) if target.descriptor else None,
        "scrutineers": [
            {
                "position": s.position,
                "name": s.member.name,
                "public_share": s.public_share,
                "proof": s.proof,
                "context": key_context(congress, s.position),
            }
            for s in scrutineers_of(congress)
        ],
        "turnout": target.turnout.count(),
        "ballots": [
            {"tracker": tracker, "ballot": body}
            for tracker, body in target.sealed_ballots.order_by("tracker").values_list("tracker", "body")
        ],
        "encrypted_tally": target.encrypted_tally,
        "partial_decryptions": [
            {"position": s.position, "partial": partials[s.pk].factors, "proof": partials[s.pk].proofs}
            for s in scrutineers_of(congress)
            if s.pk in partials
        ],
        "result": result,
    }
