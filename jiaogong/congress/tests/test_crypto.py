"""The ballot cryptography (crypto.py), pure: known answers, the algebra, tampering, and the
decrypted tally equal to the plaintext count for random votes. No database."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiaogong.congress import crypto, verify

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def fixed_randomness(monkeypatch):
    """The scalars a prover draws, from a counter: every output below is then one exact byte string."""
    counter = [0]

    def draw():
        counter[0] += 1
        digest = hashlib.sha512(f"kat:{counter[0]}".encode()).digest()
        return crypto.reduce(digest)

    monkeypatch.setattr(crypto, "random_scalar", draw)


def motion(key: bytes, election: str = "poll:1:3") -> dict:
    return crypto.make_descriptor(
        election=election,
        questions=[{"options": ["赞成", "反对", "弃权"], "min": 1, "max": 1}],
        public_key=key.hex(),
    )


def keys(n: int = 3):
    secrets = [crypto.secret_from_seed(crypto.new_seed()) for _ in range(n)]
    return secrets, crypto.joint_key(crypto.base(x) for x in secrets)


# ---- known answers ----------------------------------------------------------------------------------


def test_the_group_is_ristretto255_with_its_standard_generator():
    # RFC 9496 A.1: the encodings of B and 2·B; L is the group's order.
    assert crypto.G.hex() == "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76"
    assert (
        crypto.small_multiple(2).hex() == "6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919"
    )
    assert crypto.mul(crypto.scalar_from_int(crypto.L - 1), crypto.G) == crypto.sub(crypto.IDENTITY, crypto.G)
    assert crypto.add(crypto.small_multiple(2), crypto.small_multiple(3)) == crypto.small_multiple(5)


def test_known_answers_for_keys_codes_and_hashes(fixed_randomness):
    seed = bytes(range(32))
    x = crypto.secret_from_seed(seed)
    assert x.hex() == "4a091288322e0e1bf3fc612c410683407ce573d7ee18d688e47ab65db0e7e209"
    assert crypto.base(x).hex() == "48b5034f059e771e7c97cf441fb59c0215333f4eb5117633536d18d094e13145"
    assert crypto.backup_code(seed) == "JG1-AAAQE-AYEAU-DAOCA-JBIFQ-YDIOB-4IBCE-QTCQK-RMFYY-DENBW-HA5DY-PWGDI"
    assert (
        crypto.seed_from_backup_code("jg1 aaaqe ayeau daoca jbifq ydiob 4ibce qtcqk rmfyy denbw ha5dy pwgdi")
        == seed
    )
    assert crypto.challenge("test", "abc", b"\x01\x02").hex() == (
        "8f904667a1620a1b61bef8d5fe09b19fd9bfeab289f2c56846c90664d435d602"
    )
    assert crypto.prove_key(x, "congress:1:2:scrutineer:1") == {
        "c": "ea92c494a61fa92e1e7e8a663e6bd63a6dc97fd62ebe50286cbfd2a3e6f62f0f",
        "s": "52a566c5e1c51b4f1b4d8403e7882b3dc0c6da2be90f221cf718b62640eb2e0e",
    }


def test_known_answers_for_a_ballot_its_proofs_tracker_and_partial_decryption(fixed_randomness):
    x = crypto.secret_from_seed(bytes(range(32)))
    crypto.prove_key(x, "congress:1:2:scrutineer:1")  # draws the first scalar, as when the vectors were made
    descriptor = motion(crypto.base(x))
    assert (
        crypto.descriptor_hash(descriptor)
        == "7fd8db1c3f12e7970c28b4196c6b73fb3eda9c9ff01938e0449c76e12f34f636"
    )
    ballot = crypto.encrypt_ballot(descriptor, [[0, 1, 0]], credential="00" * 16)
    answer = ballot["answers"][0]
    assert answer["ciphertexts"][1] == [
        "1e906c660194600d9410eabfcfd3be573b45f28fd941e9392871cbcbfc8d496c",
        "cc4af6691b2df3e5c21f002ea14fb07393d7fe5ef0d6fa16fe954558bf935744",
    ]
    assert answer["proofs"][0] == [
        [
            "67e7b585dbc3a07d834ea891ab8deab43372f9d697679b809d3c6f0120284302",
            "68997b32b7d0139962f1db74518d43dce5e448a77a707a6fef787cc1b30cd108",
        ],
        [
            "7bcd06ec721b6291b25e3c75cd762270c740199ddf53411780da5609c303810f",
            "50f69c180266a4aa9e7c415a2604c022ed419d790b5fe62da2444dc2020afe01",
        ],
    ]
    assert answer["overall_proof"] == [
        [
            "d0196a9981ebfa272816d41b71e448104324bc6a53614f5d902c2397a9f5fe08",
            "53333c85c66a10988f365ca6e3a0573a4cf721d3a4c90d074c3d465e8cd09105",
        ]
    ]
    assert crypto.tracker(descriptor, ballot) == "5SZTMGKI5BXLC4TZQEKSSRGT3YQBNJNAN3OFVSSZKUHXJAJ3UO7A"
    tally = crypto.homomorphic_tally(descriptor, [ballot])
    partial = crypto.partial_decrypt(x, tally, crypto.descriptor_hash(descriptor))
    assert partial["partial"][1] == "6eddb0315b4460a1b3300e8d8091ecca55ac258237e7cf25e76e06866883e629"
    assert partial["proof"][1] == [
        "adfb72a0f9b6674fc3b4721dba7810f1103e2cda37e1b7b09b0e0d5dacc57f05",
        "0d77c98c596984ab4c689e22f58e3c2c9fc9f68acddfd0aad5b742c35e53e101",
    ]


def test_exponential_elgamal_by_its_definition():
    """(A, B) = (r·G, r·K + m·G): with r = 1 and K = x·G, A is G and B is (x + m)·G."""
    x = crypto.scalar_from_int(7)
    key = crypto.base(x)
    for m in (0, 1, 2):
        (a, b), _ = crypto.encrypt(m, key, crypto.scalar_from_int(1))
        assert a == crypto.G and b == crypto.base(crypto.scalar_from_int(7 + m))
        # x·A taken off B leaves m·G.
        assert crypto.sub(b, crypto.mul(x, a)) == crypto.small_multiple(m)


def test_every_proof_verifies_and_binds_what_it_says():
    secrets, key = keys()
    descriptor = motion(key)
    x = secrets[0]
    proof = crypto.prove_key(x, "ctx")
    assert crypto.verify_key(crypto.base(x).hex(), proof, "ctx") == crypto.base(x)
    with pytest.raises(crypto.InvalidBallot):
        crypto.verify_key(crypto.base(x).hex(), proof, "another ctx")
    with pytest.raises(crypto.InvalidBallot):
        crypto.verify_key(crypto.base(secrets[1]).hex(), proof, "ctx")
    ballot = crypto.encrypt_ballot(descriptor, [[1, 0, 0]])
    assert crypto.verify_ballot(descriptor, ballot) == ballot
    tally = crypto.homomorphic_tally(descriptor, [ballot])
    context = crypto.descriptor_hash(descriptor)
    made = crypto.partial_decrypt(x, tally, context)
    factors, _ = crypto.verify_partial(crypto.base(x), tally, made["partial"], made["proof"], context)
    assert len(factors) == 3
    with pytest.raises(crypto.InvalidBallot):  # a proof made for another 监票人's share
        crypto.verify_partial(crypto.base(secrets[1]), tally, made["partial"], made["proof"], context)


def test_a_backup_code_with_a_typo_is_refused_and_look_alikes_are_forgiven():
    seed = crypto.new_seed()
    code = crypto.backup_code(seed)
    assert crypto.seed_from_backup_code(code.replace("-", " ").lower()) == seed
    assert crypto.seed_from_backup_code(code.replace("O", "0").replace("I", "1").replace("B", "8")) == seed
    broken = code[:20] + ("A" if code[20] != "A" else "B") + code[21:]
    with pytest.raises(crypto.InvalidBallot, match="校验不符"):
        crypto.seed_from_backup_code(broken)
    for bad in ("", "XYZ", None, 12, "JG1-!!!"):
        with pytest.raises(crypto.InvalidBallot):
            crypto.seed_from_backup_code(bad)


# ---- tampered ballots ------------------------------------------------------------------------------


def _sealed(descriptor, marks=(1, 0, 0)):
    return crypto.encrypt_ballot(descriptor, [list(marks)])


def forged_two(descriptor) -> dict:
    """A ballot with 2 in one option: its 0/1 proof is made for {0, 1, 2} and passed off as {0, 1}."""
    key = bytes.fromhex(descriptor["public_key"])
    context = crypto.descriptor_hash(descriptor)
    credential = "ab" * 16
    cts, rs, proofs = [], [], []
    for oi, m in enumerate((2, 0, 0)):
        ct, r = crypto.encrypt(m, key)
        proof = crypto.prove_range(ct, m, r, (0, 1, 2), key, context, credential, "0", str(oi))
        proofs.append(
            proof[:2]
            if m == 2
            else crypto.prove_range(ct, m, r, (0, 1), key, context, credential, "0", str(oi))
        )
        cts.append(ct)
        rs.append(r)
    total = crypto._sum(cts)
    overall = crypto.prove_range(total, 2, crypto._scalar_sum(rs), (2,), key, context, credential, "0")
    return {
        "credential": credential,
        "answers": [
            {"ciphertexts": [[a.hex(), b.hex()] for a, b in cts], "proofs": proofs, "overall_proof": overall}
        ],
    }


def test_a_two_in_one_option_is_refused():
    _, key = keys()
    descriptor = motion(key)
    with pytest.raises(crypto.InvalidBallot, match="零知识证明不成立"):
        crypto.verify_ballot(descriptor, forged_two(descriptor))


def test_two_marks_in_a_motion_are_refused_even_with_honest_zero_one_proofs():
    _, key = keys()
    descriptor = motion(key)
    election = {**descriptor, "questions": [{"options": ["赞成", "反对", "弃权"], "min": 0, "max": 2}]}
    two = crypto.encrypt_ballot(election, [[1, 1, 0]])  # honest 0/1 proofs, overall proof for ≤ 2
    with pytest.raises(crypto.InvalidBallot):
        crypto.verify_ballot(descriptor, two)


def test_a_ballot_from_another_poll_is_refused():
    _, key = keys()
    here, there = motion(key, "poll:1:3"), motion(key, "poll:1:4")
    with pytest.raises(crypto.InvalidBallot, match="零知识证明不成立"):
        crypto.verify_ballot(here, _sealed(there))


def test_a_changed_credential_or_a_swapped_ciphertext_breaks_the_proofs():
    _, key = keys()
    descriptor = motion(key)
    ballot = _sealed(descriptor)
    with pytest.raises(crypto.InvalidBallot):
        crypto.verify_ballot(descriptor, {**ballot, "credential": "cd" * 16})
    answer = ballot["answers"][0]
    swapped = [answer["ciphertexts"][1], answer["ciphertexts"][0], answer["ciphertexts"][2]]
    with pytest.raises(crypto.InvalidBallot):
        crypto.verify_ballot(descriptor, {**ballot, "answers": [{**answer, "ciphertexts": swapped}]})


# RFC 9496 A.2, encodings that are not group elements.
NON_CANONICAL = "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"  # s = p: not reduced
NEGATIVE = "0100000000000000000000000000000000000000000000000000000000000000"  # s = 1 is "negative"
NON_SQUARE = "26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371"  # no square root


@pytest.mark.parametrize(
    "point",
    [
        NON_CANONICAL,
        NEGATIVE,
        NON_SQUARE,
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        crypto.IDENTITY.hex(),
        "58" + "66" * 31,  # edwards25519's base point, not a ristretto255 encoding
        "zz" * 32,
        "00" * 31,
    ],
)
def test_a_point_outside_the_prime_order_group_is_refused(point):
    _, key = keys()
    descriptor = motion(key)
    ballot = _sealed(descriptor)
    for position in (0, 1):
        answer = json.loads(json.dumps(ballot["answers"][0]))
        answer["ciphertexts"][0][position] = point
        with pytest.raises(crypto.InvalidBallot):
            crypto.verify_ballot(descriptor, {**ballot, "answers": [answer]})
    with pytest.raises(crypto.InvalidBallot):
        crypto.point(point)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda b: None,
        lambda b: [],
        lambda b: {**b, "answers": []},
        lambda b: {**b, "answers": [{}]},
        lambda b: {**b, "credential": 5},
        lambda b: {**b, "credential": "AB" * 16},
        lambda b: {**b, "answers": [{**b["answers"][0], "proofs": b["answers"][0]["proofs"][:2]}]},
        lambda b: {**b, "answers": [{**b["answers"][0], "overall_proof": [["00" * 32, "ff" * 32]]}]},
        lambda b: {**b, "answers": [{**b["answers"][0], "overall_proof": "x"}]},
        lambda b: {**b, "answers": [{**b["answers"][0], "ciphertexts": [["00"], ["11"], ["22"]]}]},
    ],
)
def test_a_malformed_ballot_is_refused_with_a_reason(mangle):
    _, key = keys()
    descriptor = motion(key)
    with pytest.raises(crypto.InvalidBallot) as e:
        crypto.verify_ballot(descriptor, mangle(_sealed(descriptor)))
    assert str(e.value)  # a Chinese reason, for the voter and the verifier's report


# ---- the tally ------------------------------------------------------------------------------------


@settings(max_examples=15, deadline=None)
@given(
    votes=st.lists(st.integers(min_value=0, max_value=2), min_size=0, max_size=9),
    marks=st.lists(st.lists(st.booleans(), min_size=4, max_size=4), min_size=0, max_size=5),
)
def test_the_decrypted_tally_equals_the_plaintext_count(votes, marks):
    secrets, key = keys(2)
    descriptor = crypto.make_descriptor(
        election="poll:9:9",
        questions=[
            {"options": ["赞成", "反对", "弃权"], "min": 1, "max": 1},
            {"options": ["甲", "乙", "丙", "丁"], "min": 0, "max": 4},
        ],
        public_key=key.hex(),
    )
    n = min(len(votes), len(marks))
    ballots = [
        crypto.verify_ballot(
            descriptor,
            crypto.encrypt_ballot(descriptor, [[int(v == i) for i in range(3)], [int(m) for m in marks[k]]]),
        )
        for k, v in enumerate(votes[:n])
    ]
    tally = crypto.homomorphic_tally(descriptor, ballots)
    context = crypto.descriptor_hash(descriptor)
    factors = []
    for x in secrets:
        made = crypto.partial_decrypt(x, tally, context)
        factors.append(
            crypto.verify_partial(crypto.base(x), tally, made["partial"], made["proof"], context)[0]
        )
    counts = crypto.decrypt_counts(tally, factors, n)
    assert counts[0] == [sum(1 for v in votes[:n] if v == i) for i in range(3)]
    assert counts[1] == [sum(int(m[j]) for m in marks[:n]) for j in range(4)]


def test_one_scrutineer_alone_decrypts_nothing():
    secrets, key = keys(3)
    descriptor = motion(key)
    ballots = [crypto.encrypt_ballot(descriptor, [[1, 0, 0]]) for _ in range(4)]
    tally = crypto.homomorphic_tally(descriptor, ballots)
    context = crypto.descriptor_hash(descriptor)
    some = [
        crypto.verify_partial(
            crypto.base(x), tally, *crypto.partial_decrypt(x, tally, context).values(), context
        )[0]
        for x in secrets[:2]
    ]
    with pytest.raises(crypto.InvalidBallot, match="不在可能的票数之内"):
        crypto.decrypt_counts(tally, some, 4)


# ---- the verifier is pure Python ---------------------------------------------------------------------


def test_the_verifier_imports_no_django():
    code = "import sys, jiaogong.congress.verify; assert not any(m.startswith('django') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_vendored_browser_library_matches_its_record():
    record = json.loads((ROOT / "jiaogong/congress/static/congress/vendor/VENDOR.json").read_text())
    bundle = ROOT / "jiaogong/congress/static/congress/vendor/noble.js"
    assert hashlib.sha256(bundle.read_bytes()).hexdigest() == record["sha256"]
    lock = json.loads((ROOT / "tools/vendor/package-lock.json").read_text())
    for name, entry in record["packages"].items():
        assert lock["packages"][f"node_modules/{name}"]["integrity"] == entry["integrity"]
        assert f"{name}@{entry['version']} {entry['integrity']}" in bundle.read_text()[:1000]
    assert "http://" not in bundle.read_text() and "https://cdn" not in bundle.read_text()


def test_an_audited_encryption_is_checked_by_the_verifier():
    _, key = keys()
    descriptor = motion(key)
    selections = [[0, 0, 1]]
    key_point = bytes.fromhex(descriptor["public_key"])
    rs = [crypto.random_scalar() for _ in range(3)]
    ballot = crypto.encrypt_ballot(descriptor, selections)
    # Rebuild the ballot from known randomness, as the phone reveals it when the voter audits.
    context = crypto.descriptor_hash(descriptor)
    cts = [crypto.encrypt(m, key_point, r)[0] for m, r in zip(selections[0], rs, strict=True)]
    proofs = [
        crypto.prove_range(ct, m, r, (0, 1), key_point, context, ballot["credential"], "0", str(i))
        for i, (ct, m, r) in enumerate(zip(cts, selections[0], rs, strict=True))
    ]
    overall = crypto.prove_range(
        crypto._sum(cts), 1, crypto._scalar_sum(rs), (1,), key_point, context, ballot["credential"], "0"
    )
    audited = {
        "credential": ballot["credential"],
        "answers": [
            {"ciphertexts": [[a.hex(), b.hex()] for a, b in cts], "proofs": proofs, "overall_proof": overall}
        ],
    }
    record = {
        "descriptor": descriptor,
        "ballot": audited,
        "selections": selections,
        "randomness": [[r.hex() for r in rs]],
    }
    assert verify.verify_audit(record).ok
    lying = {**record, "selections": [[1, 0, 0]]}
    report = verify.verify_audit(lying)
    assert not report.ok and "重新加密与密文不符" in report.problems[0]
