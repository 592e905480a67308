/* The leads picker of the trip and reception forms: a search box under the 形成的线索 numbers; typing a name,
   number or investor lists the user's leads (trips/leads/?q=, at most 15), and choosing one adds its number.
   Without this script the numbers are typed by hand; the server checks them either way. */
(function () {
  "use strict";
  function setup() {
    var box = document.querySelector("textarea[data-lead-search]");
    var holder = document.querySelector(".lead-pick");
    if (!box || !holder) return;
    var url = holder.getAttribute("data-search-url");
    var search = document.createElement("input");
    search.type = "search";
    search.placeholder = "输入线索名称、编号或投资方查找";
    search.setAttribute("aria-label", "查找线索");
    var list = document.createElement("ul");
    list.className = "lead-results";
    holder.appendChild(search);
    holder.appendChild(list);
    holder.hidden = false;
    box.parentNode.insertBefore(holder, box.nextSibling);

    function codes() {
      return box.value.split(/[\s,，、;；]+/).filter(function (c) { return c; });
    }
    function add(code) {
      var now = codes();
      if (now.indexOf(code) < 0) now.push(code);
      box.value = now.join("\n");
    }
    function show(results) {
      list.textContent = "";
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "muted";
        none.textContent = "没有找到您可查看的线索";
        list.appendChild(none);
      }
      results.forEach(function (r) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = r.name + "（" + r.code + "）· " + r.unit;
        button.addEventListener("click", function () { add(r.code); list.textContent = ""; search.value = ""; });
        item.appendChild(button);
        list.appendChild(item);
      });
    }
    var timer = null;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      var text = search.value.trim();
      if (!text) { list.textContent = ""; return; }
      timer = setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) { show(data.results || []); })
          .catch(function () { list.textContent = ""; });
      }, 250);
    });
    search.addEventListener("keydown", function (e) { if (e.key === "Enter") e.preventDefault(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
