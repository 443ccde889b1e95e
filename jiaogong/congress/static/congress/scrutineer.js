// The 监票人's phone: make the key share (the secret never leaves this phone except as the backup
// code the 监票人 writes down), and compute the partial decryption of each tally.
import * as B from "./ballot.js";

const section = document.querySelector("[data-keygen]");
const storageKey = section.dataset.storage;
const registered = section.dataset.public;

function storedSecret() {
  const seedHex = localStorage.getItem(storageKey);
  if (!seedHex) return null;
  try {
    const secret = B.secretFromSeed(B.fromHex(seedHex));
    if (registered && B.publicShare(secret) !== registered) return null;
    return secret;
  } catch {
    return null;
  }
}

// ---- making the key share ------------------------------------------------------------------------

const generate = section.querySelector("[data-generate]");
if (generate) {
  const backup = section.querySelector("[data-backup]");
  const form = backup.querySelector("form");
  const fill = (seed) => {
    const secret = B.secretFromSeed(seed);
    const proof = B.proveKey(secret, section.dataset.context);
    form.elements.public_share.value = B.publicShare(secret);
    form.elements.proof_c.value = proof.c;
    form.elements.proof_s.value = proof.s;
    section.querySelector("[data-code]").textContent = B.backupCode(seed);
    backup.hidden = false;
    generate.hidden = true;
  };
  // A share made earlier on this phone but not registered yet: the same one again.
  const earlier = localStorage.getItem(storageKey);
  if (earlier) fill(B.fromHex(earlier));
  generate.addEventListener("click", () => {
    const seed = B.newSeed();
    localStorage.setItem(storageKey, B.toHex(seed));
    fill(seed);
  });
  section.querySelector("[data-print]").addEventListener("click", () => window.print());
}

const localState = section.querySelector("[data-local-state]");
if (localState) {
  localState.textContent = storedSecret()
    ? "这部手机保存着您的私钥，解密时直接使用。"
    : "这部手机上没有您的私钥：解密时请输入备份码。";
}

// ---- decrypting a tally --------------------------------------------------------------------------

document.querySelectorAll("form[data-decrypt]").forEach((form) => {
  const status = form.querySelector("[data-status]");
  const entry = form.querySelector("[data-code-entry]");
  const input = form.querySelector("[data-code-input]");
  if (!storedSecret()) entry.hidden = false;
  form.addEventListener("submit", (event) => {
    if (form.dataset.ready === "1") return;
    event.preventDefault();
    try {
      let secret = storedSecret();
      if (!secret) {
        if (!input.value.trim()) {
          entry.hidden = false;
          throw new Error("请输入备份码。");
        }
        const seed = B.seedFromBackupCode(input.value);
        secret = B.secretFromSeed(seed);
        if (B.publicShare(secret) !== registered) throw new Error("备份码与您登记的公钥份额不符，请逐字核对。");
        localStorage.setItem(storageKey, B.toHex(seed));
      }
      status.className = "muted";
      status.textContent = "正在本机计算部分解密……";
      const data = JSON.parse(document.getElementById(form.dataset.tallyId).textContent);
      const made = B.partialDecrypt(secret, data.tally, data.context);
      form.elements.partial.value = JSON.stringify(made.partial);
      form.elements.proof.value = JSON.stringify(made.proof);
      if (input) input.value = "";
      form.dataset.ready = "1";
      form.submit();
    } catch (error) {
      status.className = "form-error";
      status.textContent = error.message;
    }
  });
});
