/* What the pages used to do in inline handlers, which the Content-Security-Policy (script-src 'self') forbids:
   <select data-autosubmit> sends its form when changed; <form data-confirm="…"> asks before it is sent. */
(function () {
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) field.form.submit();
  });
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);
})();
