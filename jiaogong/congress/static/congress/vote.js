// The phone ballot (polls and 民主评议): choose, confirm, encrypt here, send ciphertexts with proofs.
// Without this script the form still works: the server then encrypts the plaintext at once.
import * as B from "./ballot.js";

const readJson = (el) => JSON.parse(el.textContent);
const descriptorJsonOf = (form) => readJson(document.getElementById(form.dataset.descriptorId));
const sharesOf = (form) => readJson(document.getElementById(form.dataset.keysId));

function setBusy(on) {
  document.body.dataset.busy = on ? "1" : "";
}

function selectionsOf(form) {
  // data-questions: the name of the radio/checkbox group of each question, in order.
  const descriptor = JSON.parse(descriptorJsonOf(form));
  const groups = JSON.parse(form.dataset.questions);
  return descriptor.questions.map((q, qi) => {
    const picked = new Set(
      Array.from(form.querySelectorAll(`[name="${groups[qi]}"]:checked`), (input) => input.value),
    );
    return q.options.map((option) => (picked.has(option) ? 1 : 0));
  });
}

function describe(form, selections) {
  const descriptor = JSON.parse(descriptorJsonOf(form));
  const labels = JSON.parse(form.dataset.labels || "null");
  return descriptor.questions
    .map((q, qi) => {
      const chosen = q.options.filter((_, oi) => selections[qi][oi]);
      const text = chosen.length ? chosen.join("、") : "不选任何人（空白票）";
      return labels ? `${labels[qi]}：${text}` : text;
    })
    .join("；");
}

function seal(form, selections) {
  const descriptorJson = descriptorJsonOf(form);
  const shares = sharesOf(form);
  if (!B.checkJointKey(JSON.parse(descriptorJson), shares)) {
    throw new Error("本次表决的加密公钥与监票人的公钥份额不符，已停止加密。请告知监票人。");
  }
  const sealed = B.encryptBallot(descriptorJson, selections);
  return { ...sealed, tracker: B.tracker(descriptorJson, sealed.ballot), descriptorJson };
}

function show(el, on) {
  if (el) el.hidden = !on;
}

function setup(form) {
  const confirm = form.querySelector("[data-confirm-panel]");
  const status = form.querySelector("[data-status]");
  const audit = form.querySelector("[data-audit-panel]");
  const choices = form.querySelector("[data-choices]");
  let pending = null;

  function ask(selections, tone) {
    pending = selections;
    form.querySelector("[data-picked]").textContent = describe(form, selections);
    confirm.dataset.tone = tone || "";
    show(choices, false);
    show(confirm, true);
    show(audit, false);
    setBusy(true);
    confirm.querySelector("[data-confirm]").focus();
  }

  function back() {
    pending = null;
    show(confirm, false);
    show(choices, true);
    setBusy(false);
  }

  // A motion: one tap on an option asks for confirmation.
  form.querySelectorAll("button[data-option]").forEach((button) => {
    button.addEventListener("click", (event) => {
      event.preventDefault();
      const input = form.querySelector(`input[data-option-input][value="${CSS.escape(button.value)}"]`);
      form.querySelectorAll("input[data-option-input]").forEach((i) => (i.checked = i === input));
      ask(selectionsOf(form), button.dataset.tone);
    });
  });

  // An election or a 民主评议: the marks, then 提交 asks for confirmation.
  form.addEventListener("submit", (event) => {
    if (form.dataset.sealed === "1") return; // the encrypted ballot is on its way
    event.preventDefault();
    const selections = selectionsOf(form);
    const descriptor = JSON.parse(descriptorJsonOf(form));
    const problem = descriptor.questions.findIndex((q, qi) => {
      const n = selections[qi].reduce((a, b) => a + b, 0);
      return n < q.min || n > q.max;
    });
    if (problem >= 0) {
      const q = descriptor.questions[problem];
      status.textContent =
        q.min === q.max ? "请为每一项选择一个等次。" : `最多选 ${q.max} 名，现在选了太多。`;
      status.className = "form-error";
      return;
    }
    status.textContent = "";
    ask(selections, "");
  });

  confirm.querySelector("[data-back]").addEventListener("click", back);

  confirm.querySelector("[data-confirm]").addEventListener("click", () => {
    if (!pending) return;
    status.className = "muted";
    status.textContent = "正在本机加密选票……";
    try {
      const sealed = seal(form, pending);
      form.querySelector("input[name=encrypted]").value = JSON.stringify(sealed.ballot);
      form.querySelector("input[name=tracker]").value = sealed.tracker;
      sessionStorage.setItem("jiaogong:last-tracker", sealed.tracker);
      // Nothing readable leaves the phone: the plaintext inputs are not sent.
      form.querySelectorAll("[data-option-input], [data-plain]").forEach((i) => (i.disabled = true));
      form.dataset.sealed = "1";
      confirm.querySelectorAll("button").forEach((b) => (b.disabled = true));
      status.textContent = "正在投出……";
      form.submit();
    } catch (error) {
      status.className = "form-error";
      status.textContent = error.message;
    }
  });

  // Benaloh's check: encrypt, show it, reveal the randomness and re-encrypt — then this ballot is
  // spent and the voter starts again. A page that cheated could not know which one is audited.
  const auditButton = confirm.querySelector("[data-audit]");
  if (auditButton) {
    auditButton.addEventListener("click", () => {
      try {
        const sealed = seal(form, pending);
        const ok = B.auditEncryption(sealed.descriptorJson, sealed.ballot, pending, sealed.secrets);
        const record = {
          descriptor: JSON.parse(sealed.descriptorJson),
          selections: pending,
          randomness: sealed.secrets,
          ballot: sealed.ballot,
          tracker: sealed.tracker,
        };
        audit.querySelector("[data-audit-result]").textContent = ok
          ? `检查通过：追踪码 ${B.shortTracker(sealed.tracker)} 的密文用公开的随机数重新加密后完全一致，确实是“${describe(form, pending)}”。这张检查过的选票已作废，请重新选择并投出。`
          : "检查未通过：密文与所选不一致。请不要投票，立即告知监票人。";
        audit.querySelector("[data-audit-json]").value = JSON.stringify(record);
        show(audit, true);
        back();
      } catch (error) {
        status.className = "form-error";
        status.textContent = error.message;
      }
    });
  }
}

document.querySelectorAll("form[data-sealed-ballot]").forEach(setup);

// After a ballot was cast: the tracker the server stored against the one this phone computed.
const check = document.querySelector("[data-tracker-check]");
if (check) {
  const mine = sessionStorage.getItem("jiaogong:last-tracker");
  const note = document.querySelector("[data-tracker-note]");
  if (mine && note) {
    note.textContent =
      mine === check.dataset.trackerCheck
        ? "与本机加密时计算的追踪码一致。"
        : "注意：与本机加密时计算的追踪码不一致！请立即告知监票人。";
    note.className = mine === check.dataset.trackerCheck ? "ok" : "form-error";
  }
  sessionStorage.removeItem("jiaogong:last-tracker");
}

// The page reloads itself when a poll opens or closes (unless the voter is in the middle of one).
const watch = document.querySelector("[data-watch]");
if (watch) {
  setInterval(async () => {
    if (document.body.dataset.busy === "1") return;
    try {
      const response = await fetch(watch.dataset.watch, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const state = await response.json();
      // A GET of the page, never a reload: the page may be the answer to a ballot just cast.
      if (state.signature !== watch.dataset.signature) window.location.assign(window.location.pathname);
    } catch {
      // offline for a moment: try again at the next tick
    }
  }, 3000);
}
