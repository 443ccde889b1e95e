// Behaviours the pages ask for with data- attributes, so that no page needs an inline script or an
// on...= handler (the Content-Security-Policy allows scripts only from this server's files).
//   data-confirm-message="问题？"  on a button or a form: ask before submitting
//   (not data-confirm: the vote page's own script uses that name for its confirm button)
//   data-autosubmit       on a select: submit its form when the choice changes
//   data-print            on a button: print the page
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm-message], [data-print]");
    if (!target || target.tagName === "FORM") return;
    if (target.hasAttribute("data-print")) {
      event.preventDefault();
      window.print();
      return;
    }
    if (!window.confirm(target.getAttribute("data-confirm-message"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-confirm-message") && !window.confirm(form.getAttribute("data-confirm-message"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.hasAttribute && target.hasAttribute("data-autosubmit") && target.form) {
      if (target.form.requestSubmit) target.form.requestSubmit();
      else target.form.submit();
    }
  });
})();
