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
        return crypto.sodium.crypto_core_ed25519_scalar_reduce(digest)

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


def test_the_group_is_edwards25519_with_its_standard_base_point():
    # RFC 8032 §5.1: the base point's encoding; L is the order of the prime subgroup.
    assert crypto.G.hex() == "58" + "66" * 31
    assert crypto.mul(crypto.scalar_from_int(crypto.L - 1), crypto.G) == crypto.sub(crypto.IDENTITY, crypto.G)
    assert crypto.add(crypto.small_multiple(2), crypto.small_multiple(3)) == crypto.small_multiple(5)


def test_known_answers_for_keys_codes_and_hashes(fixed_randomness):
    seed = bytes(range(32))
    x = crypto.secret_from_seed(seed)
    assert x.hex() == "4a091288322e0e1bf3fc612c410683407ce573d7ee18d688e47ab65db0e7e209"
    assert crypto.base(x).hex() == "4269a3d5e49b1322e3743b3c960cb1489d59037c66845215a516be90bc8cbd47"
    assert crypto.backup_code(seed) == "JG1-AAAQE-AYEAU-DAOCA-JBIFQ-YDIOB-4IBCE-QTCQK-RMFYY-DENBW-HA5DY-PWGDI"
    assert (
        crypto.seed_from_backup_code("jg1 aaaqe ayeau daoca jbifq ydiob 4ibce qtcqk rmfyy denbw ha5dy pwgdi")
        == seed
    )
    assert crypto.challenge("test", "abc", b"\x01\x02").hex() == (
        "8f904667a1620a1b61bef8d5fe09b19fd9bfeab289f2c56846c90664d435d602"
    )
    assert crypto.prove_key(x, "congress:1:2:scrutineer:1") == {
        "c": "563208abf9680414cdcc256251f262e3334622f9683d2b8f87f81b321ed3c107",
        "s": "302fe01004851b4842ca986a1111f9f4bd75170e9c5033dd95d90a185daf4102",
    }


def test_known_answers_for_a_ballot_its_proofs_tracker_and_partial_decryption(fixed_randomness):
    x = crypto.secret_from_seed(bytes(range(32)))
    crypto.prove_key(x, "congress:1:2:scrutineer:1")  # draws the first scalar, as when the vectors were made
    descriptor = motion(crypto.base(x))
    assert (
        crypto.descriptor_hash(descriptor)
        == "8cc0654b981fcb040edbcde7c304e60c962dc30f0d92b2c9b0e889b4653cd565"
    )
    ballot = crypto.encrypt_ballot(descriptor, [[0, 1, 0]], credential="00" * 16)
    answer = ballot["answers"][0]
    assert answer["ciphertexts"][1] == [
        "255c099c9f20ac4208618b8a46a7c33348637444641cecc54c1d38f32ad4a255",
        "b73b6f40892116bd6c1cf571136dd02bc648962fef503f34c6ced2a8495902ce",
    ]
    assert answer["proofs"][0] == [
        [
            "a7f852af3ff037b52140701cd674423e8908d701d4ef466261f1e62df3486904",
            "6e0fa15eca323657ed5426ce9cb7b777fc8038083c855b60e94138c4c99b2203",
        ],
        [
            "7bcd06ec721b6291b25e3c75cd762270c740199ddf53411780da5609c303810f",
            "50f69c180266a4aa9e7c415a2604c022ed419d790b5fe62da2444dc2020afe01",
        ],
    ]
    assert answer["overall_proof"] == [
        [
            "8744a5423a7936eee7ae53ac8a1d415f39f541823c9fdccc2ced93580a67e50a",
            "bc9efdbe572456ab7ed20d062007e70aef2c2553e899c25daab0189a1bc2f502",
        ]
    ]
    assert crypto.tracker(descriptor, ballot) == "2YLDETYQOYYBQXYQZOUZN5CNZBOWJHAAJPYEUKEYHTBCXXFW3I7Q"
    tally = crypto.homomorphic_tally(descriptor, [ballot])
    partial = crypto.partial_decrypt(x, tally, crypto.descriptor_hash(descriptor))
    assert partial["partial"][1] == "98edcba4678e16b6ed401aeb5b2dd0464a85788e4b6af0ea86323d19560ac163"
    assert partial["proof"][1] == [
        "828d0e5318821edc37a0a1f5e06a6f8a395c162ad38a21245c11520d7ae5cb08",
        "34fb0fab83aa7f7f0c3d16019f6b4fd2abcc92bd9ece4d0124fc497a70fc6609",
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


SMALL_ORDER = "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"  # order 2: (0, -1)
NON_CANONICAL = "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"  # y = p: not reduced


@pytest.mark.parametrize(
    "point",
    [
        SMALL_ORDER,
        NON_CANONICAL,
        crypto.IDENTITY.hex(),
        "ff" * 32,  # not on the curve
        # a point with a torsion component: G + (0, -1)
        crypto.sodium.crypto_core_ed25519_add(crypto.G, bytes.fromhex(SMALL_ORDER)).hex(),
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
