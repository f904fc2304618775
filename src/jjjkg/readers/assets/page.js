// The zh/en switch of a document page: show one language's spans.
(function () {
  "use strict";
  var button = document.getElementById("lang");
  function set(lang) {
    document.body.classList.remove("lang-zh", "lang-en");
    document.body.classList.add("lang-" + lang);
    document.documentElement.lang = lang;
    button.textContent = lang === "zh" ? "English" : "中文";
  }
  button.addEventListener("click", function () {
    set(document.body.classList.contains("lang-zh") ? "en" : "zh");
  });
  set("zh");
})();
