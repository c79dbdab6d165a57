// The sandbox page: keep the view fresh while the bot works, show confirm dialogs, manage modal focus.
(function () {
  "use strict";
  var layout = document.querySelector("[data-poll]");
  var modalRoot = document.getElementById("modal-root");

  // While a modal is open the page behind it is out of reach (keyboard and screen readers), as in Slack.
  function syncInert() {
    var open = !!(modalRoot && modalRoot.querySelector(".modal"));
    Array.prototype.forEach.call(document.body.children, function (child) {
      if (child !== modalRoot && child.tagName !== "SCRIPT" && !child.classList.contains("banner")) child.inert = open;
    });
  }

  function focusModal() {
    syncInert();
    var modal = modalRoot && modalRoot.querySelector(".modal");
    if (!modal) {
      var box = document.getElementById("command-text");
      if (box && (!document.activeElement || document.activeElement === document.body)) box.focus();
      return;
    }
    // The first field with an error, wherever it is; only without errors the first field of all.
    // A group (radio buttons, checkboxes) carries its error on the block, not on an input.
    var first = modal.querySelector("[aria-invalid=true], .has-error input, .has-error textarea, .has-error select") ||
      modal.querySelector(".modal-body input:not([type=hidden]):not([tabindex='-1']), .modal-body textarea, .modal-body select") ||
      modal.querySelector("input:not([type=hidden]):not([tabindex='-1']), textarea, select, button:not([tabindex='-1'])");
    if (first) first.focus();
  }

  // Escape closes the open modal (Slack) or dialog (Teams), as the clients do.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || document.querySelector("dialog[open]")) return;
    var close = modalRoot && modalRoot.querySelector(".modal-foot button[formaction], .modal-head button.close-x");
    if (close) close.click();
  });

  // Buttons with a Block Kit `confirm` object ask first.
  document.addEventListener("submit", function (e) {
    var button = e.submitter;
    if (!button || !button.dataset.confirm || button.dataset.confirmed) return;
    e.preventDefault();
    var c = JSON.parse(button.dataset.confirm);
    var dialog = document.createElement("dialog");
    dialog.className = "confirm";
    dialog.setAttribute("aria-labelledby", "confirm-title");
    dialog.innerHTML = '<h2 id="confirm-title"></h2><p class="confirm-text"></p><div class="row">' +
      '<button type="button" class="deny"></button><button type="button" class="yes"></button></div>';
    dialog.querySelector("h2").textContent = c.title;
    dialog.querySelector(".confirm-text").textContent = c.text;
    dialog.querySelector(".deny").textContent = c.deny;
    var yes = dialog.querySelector(".yes");
    yes.textContent = c.confirm;
    yes.className = "yes " + (c.style === "danger" ? "danger" : "primary");
    dialog.querySelector(".deny").onclick = function () { dialog.close(); };
    yes.onclick = function () {
      dialog.close();
      button.dataset.confirmed = "1";
      button.form.requestSubmit(button);
    };
    dialog.addEventListener("close", function () { dialog.remove(); button.focus(); });
    document.body.appendChild(dialog);
    dialog.showModal();
    dialog.querySelector(".deny").focus();
  });

  function replace(el, html) {
    if (!el || el.innerHTML === html) return;
    var active = document.activeElement;
    var activeId = active && el.contains(active) ? active.id : null;
    el.innerHTML = html;
    if (activeId && document.getElementById(activeId)) document.getElementById(activeId).focus();
  }

  var lastMain = null, lastSidebar = null;
  function poll() {
    if (document.hidden || document.querySelector("dialog[open]")) return;
    fetch(layout.dataset.poll, { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        if (data.main !== lastMain) {
          var live = document.getElementById("live");
          var before = live ? live.querySelectorAll(".msg:not(.empty)").length : 0;
          replace(live, data.main);
          lastMain = data.main;
          var added = live ? live.querySelectorAll(".msg:not(.empty)").length - before : 0;
          var announce = document.getElementById("announce");
          if (announce && added > 0) announce.textContent = added === 1 ? "1 new message" : added + " new messages";
        }
        if (data.sidebar !== lastSidebar) { replace(document.getElementById("sidebar"), data.sidebar); lastSidebar = data.sidebar; }
        var clock = document.getElementById("clock-text");
        if (clock && clock.textContent !== data.clock) clock.textContent = data.clock;
        // A form someone has typed in is theirs until they submit or close it: a poll never redraws it.
        var typing = modalRoot && modalRoot.dataset.typed && modalRoot.querySelector(".modal") && data.modal_key;
        if (modalRoot && modalRoot.dataset.key !== data.modal_key && !typing) {
          modalRoot.dataset.key = data.modal_key;
          delete modalRoot.dataset.typed;
          modalRoot.innerHTML = data.modal;
          focusModal();
        }
      })
      .catch(function () { /* the sandbox stopped: keep the page as it is */ });
  }

  if (modalRoot) {
    modalRoot.addEventListener("input", function () { modalRoot.dataset.typed = "1"; });
    modalRoot.addEventListener("change", function () { modalRoot.dataset.typed = "1"; });
  }

  if (layout) {
    lastMain = (document.getElementById("live") || {}).innerHTML;
    lastSidebar = (document.getElementById("sidebar") || {}).innerHTML;
    setInterval(poll, 1000);
    if (modalRoot && modalRoot.querySelector(".modal")) focusModal();
    else if (!document.querySelector(".flash.error")) {
      var box = document.getElementById("command-text");
      if (box && !location.hash) { box.focus(); box.setSelectionRange(box.value.length, box.value.length); }
    }
  }
})();
