"""Verifiable secret ballots: exponential ElGamal in ristretto255, the prime-order group built on
edwards25519 (RFC 9496).

Pure Python on libsodium (its ristretto255 functions, through rbcl, which bundles libsodium): no
Django, no group arithmetic of our own. The browser module `congress/static/congress/ballot.js`
does the same steps on @noble/curves' ristretto255, byte for byte, and `verify.py` checks a whole
bulletin with these functions.

Why ristretto255 rather than the ed25519 subgroup PyNaCl offers: every valid ristretto255
encoding is an element of the prime-order group (no cofactor, no small-order points to screen
out), and libsodium's scalar multiplication on it costs about half of PyNaCl's checked ed25519 one
(which tests subgroup membership inside every multiplication) — verifying a ballot is 21 of them.

The pieces (Cramer–Gennaro–Schoenmakers 1997; the proofs as in Helios and ElectionGuard):
- the 监票人 each hold a secret x_i; the joint key is K = Σ x_i·G and nobody holds its secret;
- a ballot answers each question with one ciphertext per option, (A, B) = (r·G, r·K + m·G) with
  m ∈ {0, 1}, each with a disjunctive Chaum–Pedersen proof that m is 0 or 1, and a proof that the
  question's ciphertexts add up to an allowed number of marks (exactly 1 for a motion and for each
  subject of a 民主评议, 0…seats for an election);
- the tally is the sum of the ciphertexts (additive homomorphism): only sums are ever decrypted,
  each 监票人 giving x_i·A with a proof that it used the same x_i as their public share;
- every proof is made non-interactive by a Fiat–Shamir hash over the poll's descriptor (its
  identity, options, allowed marks and joint key), the ballot's credential, the statement and the
  commitments, so a ballot or a proof can't be replayed in another poll.

Encodings: points are 32-byte ristretto255 encodings, scalars 32-byte little-endian integers below
the group order L; both travel as lower-case hex. Every point received is validated (a canonical
encoding of a group element, not the identity) by libsodium before any arithmetic.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import re
from collections.abc import Iterable, Sequence

import rbcl

GROUP = "ristretto255"
VERSION = 1
L = 2**252 + 27742317777372353535851937790883648493  # the order of the group
IDENTITY = bytes(32)  # the neutral element's encoding


class InvalidBallot(Exception):
    """A ballot, key share or partial decryption that does not verify. The message is Chinese and
    says what is wrong, for the voter, the 监票人 and the verifier's report."""


# ---- the group --------------------------------------------------------------------------------------


def scalar_from_int(n: int) -> bytes:
    return (n % L).to_bytes(32, "little")


def int_from_scalar(s: bytes) -> int:
    return int.from_bytes(s, "little")


G = rbcl.crypto_scalarmult_ristretto255_base(scalar_from_int(1))


def reduce(wide: bytes) -> bytes:
    """64 bytes (a hash, or randomness) reduced mod L."""
    return rbcl.crypto_core_ristretto255_scalar_reduce(wide)


def is_point(raw: bytes) -> bool:
    """A canonical encoding of a group element (the identity included)."""
    return len(raw) == 32 and bool(rbcl.crypto_core_ristretto255_is_valid_point(raw))


def random_scalar() -> bytes:
    """A uniform non-zero scalar (64 random bytes reduced mod L: bias below 2^-250)."""
    while True:
        s = reduce(os.urandom(64))
        if any(s):
            return s


def base(s: bytes) -> bytes:
    """s·G; zero gives the identity."""
    if not any(s):
        return IDENTITY
    return rbcl.crypto_scalarmult_ristretto255_base(s)


def mul(s: bytes, p: bytes) -> bytes:
    """s·P. libsodium decodes P (refusing anything but a canonical encoding of a group element)
    and refuses an identity result, which a zero scalar or the identity would give; a verifier
    meets those only in crafted input, so they count as an invalid proof."""
    try:
        return rbcl.crypto_scalarmult_ristretto255(s, p)
    except RuntimeError:
        raise InvalidBallot("证明中的数值无效。") from None


def add(p: bytes, q: bytes) -> bytes:
    """P + Q for points from outside. (rbcl does not pass on libsodium's refusal of a bad
    encoding in add and sub, so both are checked first.)"""
    if not (is_point(p) and is_point(q)):
        raise InvalidBallot("密文不是有效的群元素。")
    return rbcl.crypto_core_ristretto255_add(p, q)


def sub(p: bytes, q: bytes) -> bytes:
    if not (is_point(p) and is_point(q)):
        raise InvalidBallot("密文不是有效的群元素。")
    return rbcl.crypto_core_ristretto255_sub(p, q)


# For points already validated or made by libsodium itself (the proofs' hot path).
_add = rbcl.crypto_core_ristretto255_add
_sub = rbcl.crypto_core_ristretto255_sub


def s_add(a: bytes, b: bytes) -> bytes:
    return rbcl.crypto_core_ristretto255_scalar_add(a, b)


def s_sub(a: bytes, b: bytes) -> bytes:
    return rbcl.crypto_core_ristretto255_scalar_sub(a, b)


def s_mul(a: bytes, b: bytes) -> bytes:
    return rbcl.crypto_core_ristretto255_scalar_mul(a, b)


@functools.lru_cache(maxsize=64)
def small_multiple(m: int) -> bytes:
    """m·G for a small non-negative m (a mark, or an allowed number of marks)."""
    return base(scalar_from_int(m))


@functools.lru_cache(maxsize=256)
def _joint_key_of(public_key: str) -> bytes:
    """A poll's joint key, validated once per process (every ballot of the poll uses it)."""
    return point(public_key, "联合公钥")


# ---- encodings ----------------------------------------------------------------------------------


def point(value, what: str = "密文") -> bytes:
    """A point from its hex: a valid element of the prime-order subgroup other than the identity."""
    raw = _hex32(value, what)
    if raw == IDENTITY or not is_point(raw):
        raise InvalidBallot(f"{what}不是有效的群元素。")
    return raw


def scalar(value, what: str = "证明") -> bytes:
    """A scalar from its hex, below the group order (a non-canonical scalar would make a proof
    malleable)."""
    raw = _hex32(value, what)
    if int_from_scalar(raw) >= L:
        raise InvalidBallot(f"{what}中的数值超出范围。")
    return raw


def _hex32(value, what: str) -> bytes:
    if not isinstance(value, str) or len(value) != 64:
        raise InvalidBallot(f"{what}格式不正确（应为 64 位十六进制）。")
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise InvalidBallot(f"{what}格式不正确（应为 64 位十六进制）。") from None


def canonical_json(value) -> bytes:
    """The one byte string of a JSON value that every party hashes (keys sorted, no spaces, UTF-8)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _transcript(label: str, parts: Sequence) -> bytes:
    """Length-prefixed fields, so that no two different lists of fields hash alike."""
    out = bytearray()
    for part in ("jiaogong/ballot/v1", label, *parts):
        data = part.encode() if isinstance(part, str) else bytes(part)
        out += len(data).to_bytes(4, "big") + data
    return bytes(out)


def challenge(label: str, *parts) -> bytes:
    """The Fiat–Shamir challenge: SHA-512 of the transcript, reduced mod L."""
    return reduce(hashlib.sha512(_transcript(label, parts)).digest())


def digest(label: str, *parts) -> bytes:
    return hashlib.sha256(_transcript(label, parts)).digest()


def descriptor_hash(descriptor: dict) -> str:
    """What every proof of a poll is bound to: its identity, questions and joint key."""
    return hashlib.sha256(canonical_json(descriptor)).hexdigest()


def make_descriptor(*, election: str, questions: list[dict], public_key: str) -> dict:
    """A poll's public description. `election` names it uniquely ("poll:<org>:<id>"), each
    question lists its options and the allowed number of marks."""
    return {
        "v": VERSION,
        "group": GROUP,
        "election": election,
        "questions": [
            {"options": list(q["options"]), "min": int(q["min"]), "max": int(q["max"])} for q in questions
        ],
        "public_key": public_key,
    }


# ---- the 监票人's keys ---------------------------------------------------------------------------

BACKUP_PREFIX = "JG1"


def secret_from_seed(seed: bytes) -> bytes:
    """A 监票人's secret scalar from the 32 random bytes their phone (or the server, for an API
    client) drew: the backup code is the seed."""
    s = challenge("scrutineer-secret", seed)
    if not any(s):  # probability 2^-252; a new seed is drawn
        raise InvalidBallot("备份码无效。")
    return s


def backup_code(seed: bytes) -> str:
    """The seed as a code to print or copy by hand: base32 with a 2-byte checksum, in groups of 5."""
    body = base64.b32encode(seed + hashlib.sha256(seed).digest()[:2]).decode().rstrip("=")
    return BACKUP_PREFIX + "-" + "-".join(body[i : i + 5] for i in range(0, len(body), 5))


def seed_from_backup_code(code) -> bytes:
    if not isinstance(code, str):
        raise InvalidBallot("备份码格式不正确。")
    text = "".join(ch for ch in code.upper() if ch.isalnum())
    if not text.startswith(BACKUP_PREFIX):
        raise InvalidBallot("备份码格式不正确（应以 JG1 开头）。")
    body = text[len(BACKUP_PREFIX) :].replace("0", "O").replace("1", "I").replace("8", "B")
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
    except ValueError:
        raise InvalidBallot("备份码格式不正确。") from None
    if len(raw) != 34 or hashlib.sha256(raw[:32]).digest()[:2] != raw[32:]:
        raise InvalidBallot("备份码有误（校验不符），请逐字核对。")
    return raw[:32]


def new_seed() -> bytes:
    return os.urandom(32)


def prove_key(x: bytes, context: str) -> dict:
    """Schnorr proof of knowledge of x for the public share X = x·G."""
    public = base(x)
    w = random_scalar()
    c = challenge("key", context, public, base(w))
    return {"c": c.hex(), "s": s_add(w, s_mul(c, x)).hex()}


def verify_key(public_hex: str, proof, context: str) -> bytes:
    """The public share, if its proof holds; raises InvalidBallot otherwise."""
    public = point(public_hex, "公钥份额")
    c, s = _pair(proof, "公钥份额的证明")
    commitment = _sub(base(s), mul(c, public))
    if challenge("key", context, public, commitment) != c:
        raise InvalidBallot("公钥份额的证明不成立。")
    return public


def joint_key(publics: Iterable[bytes]) -> bytes:
    total = IDENTITY
    for p in publics:
        total = add(total, p)
    return total


def _pair(proof, what: str) -> tuple[bytes, bytes]:
    if isinstance(proof, dict):
        c, s = proof.get("c"), proof.get("s")
    elif isinstance(proof, list | tuple) and len(proof) == 2:
        c, s = proof
    else:
        raise InvalidBallot(f"{what}格式不正确。")
    return scalar(c, what), scalar(s, what)


# ---- ballots ------------------------------------------------------------------------------------


def encrypt(m: int, key: bytes, r: bytes | None = None) -> tuple[tuple[bytes, bytes], bytes]:
    """(r·G, r·K + m·G) and the randomness r."""
    r = r or random_scalar()
    a = base(r)
    b = mul(r, key)
    if m:
        b = _add(b, small_multiple(m))
    return (a, b), r


def prove_range(
    ct: tuple[bytes, bytes], m: int, r: bytes, allowed: Sequence[int], key: bytes, *context
) -> list[list[str]]:
    """A disjunctive Chaum–Pedersen proof that `ct` encrypts one of `allowed` (it encrypts m with
    randomness r). One (challenge, response) per allowed value; the challenges add up to the
    Fiat–Shamir hash over the statement and every branch's commitments."""
    a, b = ct
    commitments: list[bytes] = []
    branches: list[tuple[bytes, bytes] | None] = []
    w = None
    for v in allowed:
        if v == m:
            w = random_scalar()
            commitments += [base(w), mul(w, key)]
            branches.append(None)
        else:
            c_v, s_v = random_scalar(), random_scalar()
            shifted = _sub(b, small_multiple(v)) if v else b
            commitments += [_sub(base(s_v), mul(c_v, a)), _sub(mul(s_v, key), mul(c_v, shifted))]
            branches.append((c_v, s_v))
    if w is None:
        raise ValueError("the value is not among the allowed ones")
    c = challenge("range", *context, a, b, ",".join(map(str, allowed)), *commitments)
    c_m = c
    for branch in branches:
        if branch is not None:
            c_m = s_sub(c_m, branch[0])
    s_m = s_add(w, s_mul(c_m, r))
    return [
        [c_m.hex(), s_m.hex()] if branch is None else [branch[0].hex(), branch[1].hex()]
        for branch in branches
    ]


def verify_range(
    ct: tuple[bytes, bytes], proof, allowed: Sequence[int], key: bytes, *context
) -> list[list[str]]:
    """Check a proof made by prove_range; returns it in normal form (lower-case hex)."""
    a, b = ct
    if not isinstance(proof, list) or len(proof) != len(allowed):
        raise InvalidBallot("证明的分支数不正确。")
    commitments: list[bytes] = []
    total = bytes(32)
    normal = []
    for v, branch in zip(allowed, proof, strict=True):
        if not isinstance(branch, list):
            raise InvalidBallot("证明格式不正确。")
        c_v, s_v = _pair(branch, "证明")
        shifted = _sub(b, small_multiple(v)) if v else b
        commitments += [_sub(base(s_v), mul(c_v, a)), _sub(mul(s_v, key), mul(c_v, shifted))]
        total = s_add(total, c_v)
        normal.append([c_v.hex(), s_v.hex()])
    if challenge("range", *context, a, b, ",".join(map(str, allowed)), *commitments) != total:
        raise InvalidBallot("选票的零知识证明不成立。")
    return normal


def _sum(cts: Iterable[tuple[bytes, bytes]]) -> tuple[bytes, bytes]:
    a, b = IDENTITY, IDENTITY
    for ca, cb in cts:
        a, b = _add(a, ca), _add(b, cb)
    return a, b


def _scalar_sum(values: Iterable[bytes]) -> bytes:
    total = bytes(32)
    for v in values:
        total = s_add(total, v)
    return total


def encrypt_ballot(descriptor: dict, selections: list[list[int]], credential: str | None = None) -> dict:
    """The encrypted ballot for `selections` (per question, a 0/1 per option), with its proofs:
    what the phone page builds, and what the server builds for an API client's plaintext choice."""
    key = point(descriptor["public_key"], "联合公钥")
    context = descriptor_hash(descriptor)
    credential = credential or os.urandom(16).hex()
    answers = []
    for qi, (question, marks) in enumerate(zip(descriptor["questions"], selections, strict=True)):
        if len(marks) != len(question["options"]) or any(m not in (0, 1) for m in marks):
            raise ValueError("a selection is a 0 or 1 for each option")
        if not question["min"] <= sum(marks) <= question["max"]:
            raise ValueError("the number of marks is not allowed")
        cts, rs, proofs = [], [], []
        for oi, m in enumerate(marks):
            ct, r = encrypt(m, key)
            proofs.append(prove_range(ct, m, r, (0, 1), key, context, credential, str(qi), str(oi)))
            cts.append(ct)
            rs.append(r)
        allowed = list(range(question["min"], question["max"] + 1))
        overall = prove_range(
            _sum(cts), sum(marks), _scalar_sum(rs), allowed, key, context, credential, str(qi)
        )
        answers.append(
            {"ciphertexts": [[a.hex(), b.hex()] for a, b in cts], "proofs": proofs, "overall_proof": overall}
        )
    return {"credential": credential, "answers": answers}


def verify_ballot(descriptor: dict, ballot) -> dict:
    """Check an encrypted ballot against the poll's descriptor: its shape, every point, every
    proof. Returns the ballot in normal form (only the known keys); raises InvalidBallot."""
    key = _joint_key_of(descriptor["public_key"])
    context = descriptor_hash(descriptor)
    if not isinstance(ballot, dict):
        raise InvalidBallot("选票格式不正确。")
    credential = ballot.get("credential")
    if not isinstance(credential, str) or not re.fullmatch(r"[0-9a-f]{32}", credential):
        raise InvalidBallot("选票凭据格式不正确（应为 32 位十六进制）。")
    answers = ballot.get("answers")
    questions = descriptor["questions"]
    if not isinstance(answers, list) or len(answers) != len(questions):
        raise InvalidBallot(f"选票应有 {len(questions)} 项作答。")
    normal = []
    for qi, (question, answer) in enumerate(zip(questions, answers, strict=True)):
        if not isinstance(answer, dict):
            raise InvalidBallot("选票格式不正确。")
        raw_cts, proofs, overall = (
            answer.get("ciphertexts"),
            answer.get("proofs"),
            answer.get("overall_proof"),
        )
        n = len(question["options"])
        if (
            not isinstance(raw_cts, list)
            or len(raw_cts) != n
            or not isinstance(proofs, list)
            or len(proofs) != n
        ):
            raise InvalidBallot(f"第 {qi + 1} 项应有 {n} 个密文和 {n} 个证明。")
        cts, normal_proofs = [], []
        for oi, (raw, proof) in enumerate(zip(raw_cts, proofs, strict=True)):
            if not isinstance(raw, list) or len(raw) != 2:
                raise InvalidBallot("密文格式不正确。")
            ct = (point(raw[0]), point(raw[1]))
            normal_proofs.append(verify_range(ct, proof, (0, 1), key, context, credential, str(qi), str(oi)))
            cts.append(ct)
        allowed = list(range(question["min"], question["max"] + 1))
        normal_overall = verify_range(_sum(cts), overall, allowed, key, context, credential, str(qi))
        normal.append(
            {
                "ciphertexts": [[a.hex(), b.hex()] for a, b in cts],
                "proofs": normal_proofs,
                "overall_proof": normal_overall,
            }
        )
    return {"credential": credential, "answers": normal}


def tracker(descriptor: dict, ballot: dict) -> str:
    """The ballot's tracker: a hash of the whole encrypted ballot in normal form, as base32 (52
    characters). The voter finds it on the bulletin; it says nothing about the choice."""
    parts: list = [descriptor_hash(descriptor), ballot["credential"]]
    for answer in ballot["answers"]:
        for a, b in answer["ciphertexts"]:
            parts += [a, b]
        for proof in answer["proofs"]:
            for c, s in proof:
                parts += [c, s]
        for c, s in answer["overall_proof"]:
            parts += [c, s]
    return base64.b32encode(digest("tracker", *parts)).decode().rstrip("=")


def short_tracker(full: str) -> str:
    """The first 12 characters in groups of four, for people: 'K7QF-2M4X-PA9D'."""
    return "-".join(full[i : i + 4] for i in range(0, 12, 4))


# ---- the tally and its decryption ----------------------------------------------------------------


def empty_tally(descriptor: dict) -> list[list[tuple[bytes, bytes]]]:
    return [[(IDENTITY, IDENTITY) for _ in q["options"]] for q in descriptor["questions"]]


def accumulate(total: list[list[tuple[bytes, bytes]]], ballot: dict) -> None:
    """Add a (verified, normal-form) ballot to the running tally, option by option."""
    for qi, answer in enumerate(ballot["answers"]):
        row = total[qi]
        for oi, (a, b) in enumerate(answer["ciphertexts"]):
            ta, tb = row[oi]
            row[oi] = (add(ta, bytes.fromhex(a)), add(tb, bytes.fromhex(b)))


def homomorphic_tally(descriptor: dict, ballots: Iterable[dict]) -> list[list[list[str]]]:
    total = empty_tally(descriptor)
    for ballot in ballots:
        accumulate(total, ballot)
    return [[[a.hex(), b.hex()] for a, b in row] for row in total]


def _tally_points(tally) -> list[tuple[bytes, bytes]]:
    """The tally's ciphertexts in order (question by question, option by option). A sum may be the
    identity only with negligible probability, so it is decoded without the subgroup check of
    point() and checked for being on the curve by the arithmetic that uses it."""
    flat = []
    for row in tally:
        for a, b in row:
            flat.append((bytes.fromhex(a), bytes.fromhex(b)))
    return flat


def partial_decrypt(x: bytes, tally, context: str) -> dict:
    """A 监票人's share of the decryption of every sum, x·A, each with a Chaum–Pedersen proof that
    log_G(X) = log_A(x·A)."""
    public = base(x)
    factors, proofs = [], []
    for a, _ in _tally_points(tally):
        if a == IDENTITY:  # no ballots: the sum is zero and there is nothing to decrypt
            factors.append(IDENTITY.hex())
            proofs.append([bytes(32).hex(), bytes(32).hex()])
            continue
        d = mul(x, a)
        w = random_scalar()
        c = challenge("partial", context, public, a, d, base(w), mul(w, a))
        factors.append(d.hex())
        proofs.append([c.hex(), s_add(w, s_mul(c, x)).hex()])
    return {"partial": factors, "proof": proofs}


def verify_partial(
    public: bytes, tally, partial, proofs, context: str
) -> tuple[list[bytes], list[list[str]]]:
    """The decryption factors and the proofs in normal form, if every proof holds; raises
    InvalidBallot otherwise."""
    flat = _tally_points(tally)
    if not isinstance(partial, list) or not isinstance(proofs, list):
        raise InvalidBallot("部分解密的格式不正确。")
    if len(partial) != len(flat) or len(proofs) != len(flat):
        raise InvalidBallot(f"部分解密应有 {len(flat)} 项。")
    factors, normal = [], []
    for (a, _), d_hex, proof in zip(flat, partial, proofs, strict=True):
        if a == IDENTITY:  # an empty sum (no ballots): its only decryption factor is the identity
            zero = [bytes(32).hex(), bytes(32).hex()]
            if d_hex != IDENTITY.hex() or proof != zero:
                raise InvalidBallot("空票箱的部分解密应为单位元。")
            factors.append(IDENTITY)
            normal.append(zero)
            continue
        d = point(d_hex, "部分解密")
        c, s = _pair(proof, "部分解密的证明")
        commitment_g = _sub(base(s), mul(c, public))
        commitment_a = _sub(mul(s, a), mul(c, d))
        if challenge("partial", context, public, a, d, commitment_g, commitment_a) != c:
            raise InvalidBallot("部分解密的证明不成立。")
        factors.append(d)
        normal.append([c.hex(), s.hex()])
    return factors, normal


def decrypt_counts(tally, factor_lists: Sequence[Sequence[bytes]], most: int) -> list[list[int]]:
    """Every 监票人's factors combined (all of them: the joint secret is their sum), then the count
    m from m·G by a table up to `most` (the number of ballots). Counts per question and option."""
    flat = _tally_points(tally)
    table = {}
    p = IDENTITY
    for m in range(most + 1):
        table[p] = m
        p = add(p, G)
    counts = []
    for i, (_, b) in enumerate(flat):
        m_point = b
        for factors in factor_lists:
            m_point = sub(m_point, factors[i])
        if m_point not in table:
            raise InvalidBallot("解密结果不在可能的票数之内：部分解密不一致。")
        counts.append(table[m_point])
    shaped, i = [], 0
    for row in tally:
        shaped.append(counts[i : i + len(row)])
        i += len(row)
    return shaped
