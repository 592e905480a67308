/* What the pages used to do in inline handlers, which the Content-Security-Policy (script-src 'self') forbids:
   <select data-autosubmit> sends its form when changed; <form data-confirm="…"> asks before it is sent.
   And the top menu's groups close each other (they work without this script too: plain <details>). */
(function () {
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) field.form.submit();
  });
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);
  // The menu's groups (<details class="nav-group">): opening one closes the others, a click elsewhere closes all.
  document.addEventListener("click", function (event) {
    var group = event.target.closest ? event.target.closest("details.nav-group") : null;
    document.querySelectorAll("details.nav-group[open]").forEach(function (other) {
      if (other !== group) other.open = false;
    });
  });
  // <select data-options="ID">: a long list shared by many selects (a meeting's units, once per page instead of
  // once per agenda item) is copied into a select from <template id="ID"> when it is first used; the option it
  // started with stays chosen.
  function fill(event) {
    var select = event.target;
    if (!select.getAttribute || !select.hasAttribute("data-options") || select.dataset.filled) return;
    var source = document.getElementById(select.getAttribute("data-options"));
    if (!source) return;
    var chosen = select.value;
    select.dataset.filled = "1";
    Array.prototype.forEach.call(source.content.querySelectorAll("option"), function (option) {
      if (!select.querySelector('option[value="' + option.value + '"]')) select.appendChild(option.cloneNode(true));
    });
    select.value = chosen;
  }
  document.addEventListener("mousedown", fill, true);
  document.addEventListener("focusin", fill);
  document.addEventListener("keydown", fill, true);
  // A link to an item inside a folded section (#item-12 after a decision is recorded) opens the folds around it.
  function unfold() {
    var target = location.hash.length > 1 ? document.getElementById(location.hash.slice(1)) : null;
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
    if (target) target.scrollIntoView();
  }
  window.addEventListener("hashchange", unfold);
  document.addEventListener("DOMContentLoaded", unfold);
  // Printing shows every folded section (<details>), then puts the folds back as they were.
  var reopened = [];
  window.addEventListener("beforeprint", function () {
    reopened = Array.prototype.filter.call(document.querySelectorAll("main details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    reopened.forEach(function (d) { d.open = false; });
    reopened = [];
  });
})();
