/* A scheme item's page (考核方案 → 修改考核项目): only the fields of the chosen rule are shown (the form's
   data-rule-keys lists each rule's keys). Without this script every field shows, and the ones the rule does not
   use are left out when saving. Hidden fields keep their values. */
(function () {
  "use strict";
  function setup() {
    var form = document.querySelector("form.item-form[data-rule-keys]");
    if (!form) return;
    var keys = JSON.parse(form.getAttribute("data-rule-keys"));
    var rule = form.querySelector("select[name=rule]");
    if (!rule) return;
    function show() {
      var wanted = keys[rule.value] || [];
      form.querySelectorAll("[data-key]").forEach(function (el) {
        el.hidden = wanted.indexOf(el.getAttribute("data-key")) < 0;
      });
    }
    rule.addEventListener("change", show);
    show();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
