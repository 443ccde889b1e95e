// Verifiable secret ballots in the browser: the same steps as jiaogong/congress/crypto.py, byte for
// byte, on the vendored @noble/curves (the ristretto255 group, RFC 9496) and @noble/hashes.
// The phone encrypts the voter's choice with proofs, and the 监票人's phone makes their key share
// and their partial decryption; nothing secret leaves the phone. Read crypto.py for the scheme.

import { ristretto255, sha256, sha512 } from "./vendor/noble.js";

const Point = ristretto255.Point;
export const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const G = Point.BASE;
const ZERO = Point.ZERO;
const utf8 = new TextEncoder();

// ---- encodings -------------------------------------------------------------------------------------

export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function fromHex(text) {
  if (typeof text !== "string" || text.length % 2 || /[^0-9a-fA-F]/.test(text)) {
    throw new Error("十六进制格式不正确");
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function bytesToInt(bytes) {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

function intToBytes(n) {
  const out = new Uint8Array(32);
  let v = n;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

const mod = (n) => ((n % L) + L) % L;
export const scalarHex = (n) => toHex(intToBytes(mod(n)));

export function parseScalar(text) {
  const n = bytesToInt(fromHex(text));
  if (text.length !== 64 || n >= L) throw new Error("数值超出范围");
  return n;
}

export function parsePoint(text) {
  if (typeof text !== "string" || text.length !== 64) throw new Error("群元素格式不正确");
  const p = Point.fromHex(text); // refuses anything but a canonical ristretto255 encoding
  if (p.is0()) throw new Error("不是有效的群元素");
  return p;
}

const enc = (p) => p.toBytes();
export const pointHex = (p) => toHex(p.toBytes());
const mulG = (s) => (s === 0n ? ZERO : G.multiply(s));
const mul = (s, p) => (s === 0n ? ZERO : p.multiply(s));
const small = (m) => (m === 0 ? ZERO : G.multiply(BigInt(m)));

export function randomBytes(n) {
  return crypto.getRandomValues(new Uint8Array(n));
}

export function randomScalar() {
  for (;;) {
    const s = bytesToInt(randomBytes(64)) % L;
    if (s !== 0n) return s;
  }
}

// Length-prefixed fields (4-byte big-endian length), as crypto._transcript.
function transcript(label, parts) {
  const chunks = [];
  let size = 0;
  for (const part of ["jiaogong/ballot/v1", label, ...parts]) {
    const data = typeof part === "string" ? utf8.encode(part) : part;
    const head = new Uint8Array(4);
    new DataView(head.buffer).setUint32(0, data.length);
    chunks.push(head, data);
    size += 4 + data.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export function challenge(label, ...parts) {
  return bytesToInt(sha512(transcript(label, parts))) % L;
}

function digest(label, ...parts) {
  return sha256(transcript(label, parts));
}

export function descriptorHash(descriptorJson) {
  return toHex(sha256(utf8.encode(descriptorJson)));
}

// ---- base32 (RFC 4648) for backup codes and trackers ------------------------------------------

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function base32(bytes) {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

function unbase32(text) {
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of text) {
    const v = B32.indexOf(ch);
    if (v < 0) throw new Error("备份码格式不正确。");
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return new Uint8Array(out);
}

// ---- the 监票人's key -----------------------------------------------------------------------------

export function newSeed() {
  return randomBytes(32);
}

export function secretFromSeed(seed) {
  const s = challenge("scrutineer-secret", seed);
  if (s === 0n) throw new Error("备份码无效。");
  return s;
}

export function backupCode(seed) {
  const check = sha256(seed).slice(0, 2);
  const body = base32(new Uint8Array([...seed, ...check]));
  const groups = body.match(/.{1,5}/g);
  return "JG1-" + groups.join("-");
}

export function seedFromBackupCode(code) {
  const text = String(code || "")
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, "");
  if (!text.startsWith("JG1")) throw new Error("备份码格式不正确（应以 JG1 开头）。");
  const body = text.slice(3).replaceAll("0", "O").replaceAll("1", "I").replaceAll("8", "B");
  const raw = unbase32(body);
  if (raw.length !== 34) throw new Error("备份码格式不正确。");
  const seed = raw.slice(0, 32);
  const check = sha256(seed).slice(0, 2);
  if (check[0] !== raw[32] || check[1] !== raw[33]) throw new Error("备份码有误（校验不符），请逐字核对。");
  return seed;
}

export function publicShare(secret) {
  return pointHex(mulG(secret));
}

export function proveKey(secret, context) {
  const pub = mulG(secret);
  const w = randomScalar();
  const c = challenge("key", context, enc(pub), enc(mulG(w)));
  return { c: scalarHex(c), s: scalarHex(w + c * secret) };
}

export function verifyKey(publicHex, proof, context) {
  const pub = parsePoint(publicHex);
  const c = parseScalar(proof.c);
  const s = parseScalar(proof.s);
  const commitment = mulG(s).subtract(mul(c, pub));
  return challenge("key", context, enc(pub), enc(commitment)) === c;
}

// The phone's own check before it encrypts anything: every share's proof holds and the poll's
// key is their sum, so a server cannot slip in a key of its own.
export function checkJointKey(descriptor, shares) {
  let sum = ZERO;
  for (const share of shares) {
    if (!share.public_share || !verifyKey(share.public_share, share.proof, share.context)) return false;
    sum = sum.add(parsePoint(share.public_share));
  }
  return shares.length >= 2 && pointHex(sum) === descriptor.public_key;
}

// ---- ballots --------------------------------------------------------------------------------------

function encrypt(m, key) {
  const r = randomScalar();
  const a = mulG(r);
  const b = mul(r, key).add(small(m));
  return { a, b, r };
}

function proveRange(a, b, m, r, allowed, key, context) {
  const commitments = [];
  const branches = [];
  let w = null;
  for (const v of allowed) {
    if (v === m) {
      w = randomScalar();
      commitments.push(enc(mulG(w)), enc(mul(w, key)));
      branches.push(null);
    } else {
      const c = randomScalar();
      const s = randomScalar();
      const shifted = b.subtract(small(v));
      commitments.push(enc(mulG(s).subtract(mul(c, a))), enc(mul(s, key).subtract(mul(c, shifted))));
      branches.push([c, s]);
    }
  }
  if (w === null) throw new Error("选择不在允许范围内");
  const total = challenge("range", ...context, enc(a), enc(b), allowed.join(","), ...commitments);
  let cm = total;
  for (const br of branches) if (br) cm = mod(cm - br[0]);
  const sm = mod(w + cm * r);
  return branches.map((br) => (br ? [scalarHex(br[0]), scalarHex(br[1])] : [scalarHex(cm), scalarHex(sm)]));
}

// selections: per question, a 0/1 per option. Returns {ballot, secrets} — the secrets (the
// randomness) are only for auditing an encryption that is then not cast.
export function encryptBallot(descriptorJson, selections) {
  const descriptor = JSON.parse(descriptorJson);
  const key = parsePoint(descriptor.public_key);
  const context = descriptorHash(descriptorJson);
  const credential = toHex(randomBytes(16));
  const answers = [];
  const secrets = [];
  descriptor.questions.forEach((question, qi) => {
    const marks = selections[qi];
    const count = marks.reduce((x, y) => x + y, 0);
    if (marks.length !== question.options.length || count < question.min || count > question.max) {
      throw new Error("选择的数目不符合规定");
    }
    const cts = [];
    const proofs = [];
    const rs = [];
    let sumA = ZERO;
    let sumB = ZERO;
    let sumR = 0n;
    marks.forEach((m, oi) => {
      const { a, b, r } = encrypt(m, key);
      proofs.push(proveRange(a, b, m, r, [0, 1], key, [context, credential, String(qi), String(oi)]));
      cts.push([pointHex(a), pointHex(b)]);
      rs.push(scalarHex(r));
      sumA = sumA.add(a);
      sumB = sumB.add(b);
      sumR = mod(sumR + r);
    });
    const allowed = [];
    for (let v = question.min; v <= question.max; v++) allowed.push(v);
    const overall = proveRange(sumA, sumB, count, sumR, allowed, key, [context, credential, String(qi)]);
    answers.push({ ciphertexts: cts, proofs, overall_proof: overall });
    secrets.push(rs);
  });
  return { ballot: { credential, answers }, secrets };
}

export function tracker(descriptorJson, ballot) {
  const parts = [descriptorHash(descriptorJson), ballot.credential];
  for (const answer of ballot.answers) {
    for (const [a, b] of answer.ciphertexts) parts.push(a, b);
    for (const proof of answer.proofs) for (const [c, s] of proof) parts.push(c, s);
    for (const [c, s] of answer.overall_proof) parts.push(c, s);
  }
  return base32(digest("tracker", ...parts));
}

export const shortTracker = (full) => [full.slice(0, 4), full.slice(4, 8), full.slice(8, 12)].join("-");

// A Benaloh audit: the revealed randomness re-encrypts to the very ciphertexts shown.
export function auditEncryption(descriptorJson, ballot, selections, secrets) {
  const key = parsePoint(JSON.parse(descriptorJson).public_key);
  return ballot.answers.every((answer, qi) =>
    answer.ciphertexts.every(([a, b], oi) => {
      const r = parseScalar(secrets[qi][oi]);
      return pointHex(mulG(r)) === a && pointHex(mul(r, key).add(small(selections[qi][oi]))) === b;
    }),
  );
}

// ---- the 监票人's partial decryption ---------------------------------------------------------------

export function partialDecrypt(secret, tally, context) {
  const pub = mulG(secret);
  const partial = [];
  const proof = [];
  for (const row of tally) {
    for (const [aHex] of row) {
      const a = Point.fromHex(aHex);
      if (a.is0()) {
        // No ballots: the sum is zero and there is nothing to decrypt (as crypto.partial_decrypt).
        partial.push(pointHex(ZERO));
        proof.push([scalarHex(0n), scalarHex(0n)]);
        continue;
      }
      const d = mul(secret, a);
      const w = randomScalar();
      const c = challenge("partial", context, enc(pub), enc(a), enc(d), enc(mulG(w)), enc(mul(w, a)));
      partial.push(pointHex(d));
      proof.push([scalarHex(c), scalarHex(w + c * secret)]);
    }
  }
  return { partial, proof };
}
