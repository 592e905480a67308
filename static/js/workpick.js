/* The work picker on a target's page (目标企业库): typing in 查找 lists the trips, receptions or leads and projects
   the user reads (enterprises/<id>/work/?kind=&q=, at most 15) as they type, each with a 关联 button that posts
   the link. Without this script the same form searches on submit and the page lists the results. */
(function () {
  "use strict";
  function setup() {
    var form = document.querySelector("form.work-search");
    var list = document.querySelector("ul.work-results");
    if (!form || !list) return;
    var url = form.getAttribute("data-search-url");
    var linkUrl = form.getAttribute("data-link-url");
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    var box = form.querySelector("input[name=q]");
    var kind = form.querySelector("select[name=kind]");
    if (!box || !kind || !token) return;

    function button(result) {
      var post = document.createElement("form");
      post.method = "post";
      post.action = linkUrl;
      post.className = "inline";
      [["csrfmiddlewaretoken", token.value], ["kind", kind.value], ["pk", result.pk]].forEach(function (pair) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = pair[0];
        input.value = pair[1];
        post.appendChild(input);
      });
      var submit = document.createElement("button");
      submit.type = "submit";
      submit.textContent = "关联";
      post.appendChild(submit);
      return post;
    }
    function show(results) {
      list.textContent = "";
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "muted";
        none.textContent = "没有找到您可查看的记录";
        list.appendChild(none);
      }
      results.forEach(function (r) {
        var item = document.createElement("li");
        item.appendChild(button(r));
        item.appendChild(document.createTextNode(" " + r.text + " "));
        var unit = document.createElement("small");
        unit.className = "muted";
        unit.textContent = r.unit;
        item.appendChild(unit);
        list.appendChild(item);
      });
    }
    var timer = null;
    function search() {
      clearTimeout(timer);
      var text = box.value.trim();
      if (!text) { list.textContent = ""; return; }
      timer = setTimeout(function () {
        fetch(url + "?kind=" + encodeURIComponent(kind.value) + "&q=" + encodeURIComponent(text),
              { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) { show(data.results || []); })
          .catch(function () { list.textContent = ""; });
      }, 250);
    }
    box.addEventListener("input", search);
    kind.addEventListener("change", search);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
