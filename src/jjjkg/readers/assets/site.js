// The shared script of jjjkg's document pages: the zh/en switch and the entity search.
// The search index (search-index.js) is data; its strings are shown only as text.
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";
  var button = document.getElementById("lang");
  var index = window.JJJKG_SEARCH || [];

  function setLang(lang) {
    document.body.classList.remove("lang-zh", "lang-en");
    document.body.classList.add("lang-" + lang);
    document.documentElement.lang = lang;
    button.textContent = lang === "zh" ? "English" : "中文";
    document.querySelectorAll("[data-zh-placeholder]").forEach(function (node) {
      node.placeholder = node.getAttribute("data-" + lang + "-placeholder");
    });
    try { localStorage.setItem("jjjkg-lang", lang); } catch (e) { /* file:// may refuse */ }
    names(lang);
  }

  // Case, spaces, apostrophes and dashes do not count: "Xiongan" finds "Xiong'an".
  function norm(text) {
    return String(text).toLowerCase().replace(/[\s'’‘"“”\-–—_.,，。·・()（）]/g, "");
  }

  // The best entity for a query: an exact name first, then the shortest name that starts
  // with it, then the shortest that contains it; ties by order of the index (zh name).
  function best(query) {
    var q = norm(query);
    if (!q) return null;
    var found = null;
    var rank = null;
    index.forEach(function (item) {
      item.keys.forEach(function (key) {
        var k = norm(key);
        var at = k.indexOf(q);
        if (at < 0) return;
        var r = [k === q ? 0 : at === 0 ? 1 : 2, k.length];
        if (!rank || r[0] < rank[0] || (r[0] === rank[0] && r[1] < rank[1])) {
          rank = r;
          found = item;
        }
      });
    });
    return found;
  }
  window.jjjkgSearch = best;

  function names(lang) {
    var list = document.getElementById("names");
    if (!list) return;
    list.textContent = "";
    index.map(function (item) { return item[lang] || item.zh; }).sort().forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      list.appendChild(option);
    });
  }

  var form = document.getElementById("search-form");
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var hit = best(document.getElementById("search").value);
      var status = document.getElementById("found");
      if (!hit) {
        status.textContent = document.body.classList.contains("lang-en") ? "not found" : "未找到";
        return;
      }
      status.textContent = "";
      window.location.href = root + hit.page;
    });
  }
  // The map: hover shows a region's count, a click lists its entities beside the map (the
  // region's link to the list below the map is the same without JavaScript).
  var map = document.getElementById("map");
  if (map) {
    var status = document.getElementById("map-status");
    map.querySelectorAll(".region").forEach(function (region) {
      var name = region.querySelector("title").textContent;
      region.addEventListener("mouseenter", function () { status.textContent = name; });
      region.parentNode.addEventListener("click", function (event) {
        event.preventDefault();
        map.querySelectorAll(".region.active").forEach(function (r) { r.classList.remove("active"); });
        region.classList.add("active");
        var list = document.getElementById("map-list");
        list.textContent = "";
        var found = document.getElementById("r-" + region.getAttribute("data-code"));
        if (found) list.appendChild(found.cloneNode(true)).removeAttribute("id");
        else list.appendChild(document.createTextNode(name));
      });
    });
  }
  button.addEventListener("click", function () {
    setLang(document.body.classList.contains("lang-zh") ? "en" : "zh");
  });
  var saved = null;
  try { saved = localStorage.getItem("jjjkg-lang"); } catch (e) { saved = null; }
  setLang(saved === "en" ? "en" : "zh");
})();
