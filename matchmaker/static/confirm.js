// Irreversible actions ask first (web/confirmations.py). A form marked data-confirm
// submits by GET to its confirmation page when scripts are off; here it asks in a
// <dialog> instead, and on yes sends the form by POST with its CSRF token. Its words,
// in the reader's language, come with the form (the `asks` macro of _confirm.html).
(function () {
  "use strict";
  var dialog = null;

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-question");
    dialog.innerHTML =
      '<form method="dialog">' +
      '<h2 id="confirm-question"></h2><p class="confirm-detail"></p>' +
      '<div class="confirm-buttons"><button value="yes" class="danger"></button>' +
      '<button value="no" autofocus></button></div></form>';
    document.body.appendChild(dialog);
  }

  function ask(form) {
    if (!dialog) build();
    dialog.querySelector("h2").textContent = form.dataset.confirm;
    dialog.querySelector(".confirm-detail").textContent = form.dataset.confirmDetail || "";
    dialog.querySelector("button[value=yes]").textContent = form.dataset.confirmButton;
    dialog.querySelector("button[value=no]").textContent = form.dataset.confirmBack;
    dialog.returnValue = "";
    dialog.onclose = function () {
      if (dialog.returnValue !== "yes") return;
      form.querySelectorAll("[data-confirm-csrf]").forEach(function (input) {
        input.disabled = false;
      });
      form.method = "post";
      form.submit();
    };
    dialog.showModal();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
    if (typeof HTMLDialogElement !== "function") return; // the confirmation page asks
    event.preventDefault();
    ask(form);
  });
})();
