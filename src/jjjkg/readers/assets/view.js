// The page script of a jjjkg graph view. Data comes from the JSON block above and is shown
// only through textContent and the vis canvas: no string from the data becomes HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var lang = data.lang === "en" ? "en" : "zh";
  var colourBy = "class";
  var marked = null;
  var WORDS = {
    zh: { counts: "{n} 个实体 · {m} 条关系", none: "未找到", other: "English",
      community: "社区", pick: "点击选中这些节点" },
    en: { counts: "{n} entities · {m} links", none: "not found", other: "中文",
      community: "community", pick: "click to select these nodes" },
  };

  function byId(id) { return document.getElementById(id); }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  var classNames = {};
  data.legend.forEach(function (item) { classNames[item.cls] = item; });
  var nodeNames = {};
  data.nodes.forEach(function (node) { nodeNames[node.id] = node.full; });

  function tooltip(head, sub, sections, slug) {
    var box = el("div", null, "tip");
    box.appendChild(el("h3", head));
    if (sub) box.appendChild(el("p", sub, "sub"));
    sections.forEach(function (section) {
      if (!section[1].length) return;
      box.appendChild(el("h4", data.words[section[0]][lang]));
      var list = el("ul");
      section[1].forEach(function (line) { list.appendChild(el("li", line)); });
      box.appendChild(list);
    });
    if (slug) box.appendChild(el("div", slug, "iri"));
    return box;
  }

  function paras(ids) {
    return ids.map(function (id) { return data.paras[id][lang]; });
  }

  function nodeTip(node) {
    var other = node.full[lang === "zh" ? "en" : "zh"];
    return tooltip(node.full[lang], other === node.full[lang] ? "" : other, [
      ["class", [classNames[node.cls][lang]]],
      ["status", node.status[lang]],
      ["figures", node.figures[lang]],
      ["stated", paras(node.paras)],
    ], node.slug);
  }

  function edgeTip(edge) {
    var sub = nodeNames[edge.from][lang] + " → " + nodeNames[edge.to][lang];
    return tooltip(edge.names[lang], sub, [["stated", paras(edge.paras)]], edge.slug);
  }

  function colourOf(node) {
    if (colourBy === "community" && node.community >= 0) {
      return data.communityColours[node.community % data.communityColours.length];
    }
    return node.color;
  }

  function nodeItem(node) {
    return {
      id: node.id, label: node.names[lang], title: nodeTip(node),
      shape: node.shape, value: node.value, color: colourOf(node),
      borderWidth: node.id === marked ? 4 : 1,
    };
  }

  function edgeItem(edge) {
    return {
      id: edge.id, from: edge.from, to: edge.to,
      label: edge.names[lang], title: edgeTip(edge),
    };
  }

  var nodes = new vis.DataSet(data.nodes.map(nodeItem));
  var edges = new vis.DataSet(data.edges.map(edgeItem));
  var network = new vis.Network(byId("graph"), { nodes: nodes, edges: edges }, data.options);
  var api = { network: network, nodes: nodes, edges: edges, ready: false, lang: lang };
  api.times = { created: performance.now() };
  window.jjjkg = api;

  function ready() {
    network.setOptions({ physics: { enabled: false } });
    api.times.ready = performance.now();
    api.ready = true;
    document.body.classList.add("ready");
  }
  if (data.nodes.length === 0) ready();
  else network.once("stabilizationIterationsDone", ready);

  function legendEntry(colour, shape, name, ids) {
    var entry = el("li");
    var swatch = el("span", null, "swatch " + shape);
    swatch.style.background = colour;
    entry.appendChild(swatch);
    entry.appendChild(el("span", name));
    entry.appendChild(el("span", String(ids.length), "count"));
    entry.title = WORDS[lang].pick;
    entry.addEventListener("click", function () { network.selectNodes(ids); });
    return entry;
  }

  // The legend lists the classes (or, coloured by community, the communities) drawn;
  // clicking an entry selects its nodes.
  function legend() {
    var list = byId("legend");
    list.textContent = "";
    if (colourBy === "community") {
      var groups = {};
      data.nodes.forEach(function (n) { (groups[n.community] = groups[n.community] || []).push(n.id); });
      Object.keys(groups).map(Number).sort(function (a, b) { return a - b; }).forEach(function (g) {
        var colour = data.communityColours[g % data.communityColours.length];
        list.appendChild(legendEntry(colour, "dot", WORDS[lang].community + " " + (g + 1), groups[g]));
      });
      return;
    }
    data.legend.forEach(function (item) {
      var ids = data.nodes.filter(function (n) { return n.cls === item.cls; })
        .map(function (n) { return n.id; });
      list.appendChild(legendEntry(item.color, item.shape, item[lang], ids));
    });
  }

  function paragraphs() {
    var list = byId("paragraphs");
    list.textContent = "";
    byId("paragraph-panel").hidden = data.paragraphs.length === 0;
    data.paragraphs.forEach(function (p) {
      var entry = el("li");
      entry.appendChild(el("strong", p[lang]));
      if (p.evidence) entry.appendChild(el("span", "“" + p.evidence + "”", "evidence"));
      entry.addEventListener("click", function () {
        Array.prototype.forEach.call(list.children, function (c) { c.classList.remove("active"); });
        entry.classList.add("active");
        var present = p.nodes.filter(function (id) { return nodes.get(id); });
        network.selectNodes(present);
        if (present.length) network.fit({ nodes: present, animation: { duration: 300 } });
      });
      list.appendChild(entry);
    });
  }

  function names() {
    var list = byId("names");
    list.textContent = "";
    data.nodes.map(function (n) { return n.names[lang]; }).sort().forEach(function (name) {
      var option = el("option");
      option.value = name;
      list.appendChild(option);
    });
  }

  function setLang(next, first) {
    lang = next === "en" ? "en" : "zh";
    api.lang = lang;
    document.documentElement.lang = lang;
    document.body.classList.remove("lang-zh", "lang-en");
    document.body.classList.add("lang-" + lang);
    document.title = data.title[lang];
    byId("title").textContent = data.title[lang];
    byId("about").textContent = data.about[lang] || "";
    byId("counts").textContent = WORDS[lang].counts
      .replace("{n}", data.nodes.length).replace("{m}", data.edges.length);
    byId("lang").textContent = WORDS[lang].other;
    document.querySelectorAll("[data-zh]").forEach(function (node) {
      node.textContent = node.getAttribute("data-" + lang);
    });
    document.querySelectorAll("[data-zh-placeholder]").forEach(function (node) {
      node.placeholder = node.getAttribute("data-" + lang + "-placeholder");
    });
    if (!first) {
      nodes.update(data.nodes.map(nodeItem));
      edges.update(data.edges.map(edgeItem));
    }
    byId("found").textContent = "";
    legend();
    paragraphs();
    names();
  }
  api.setLang = setLang;

  function norm(text) { return String(text).trim().toLowerCase(); }

  function search(query) {
    var q = norm(query);
    if (!q) return null;
    var keys = function (n) { return [n.names.zh, n.names.en].concat(n.find).map(norm); };
    var hit = data.nodes.find(function (n) { return keys(n).indexOf(q) >= 0; }) ||
      data.nodes.find(function (n) {
        return keys(n).some(function (k) { return k.indexOf(q) >= 0; });
      });
    var before = marked;
    marked = hit ? hit.id : null;
    var changed = data.nodes.filter(function (n) { return n.id === before || n.id === marked; });
    nodes.update(changed.map(nodeItem));
    if (!hit) {
      byId("found").textContent = WORDS[lang].none;
      network.unselectAll();
      return null;
    }
    byId("found").textContent = "";
    network.selectNodes([hit.id]);
    network.focus(hit.id, { scale: 1.4, animation: { duration: 300 } });
    return hit.id;
  }
  api.search = search;

  byId("search").addEventListener("change", function (e) { search(e.target.value); });
  byId("search").addEventListener("keydown", function (e) {
    if (e.key === "Enter") search(e.target.value);
  });
  byId("lang").addEventListener("click", function () { setLang(lang === "zh" ? "en" : "zh"); });
  if (data.communities) {
    var select = byId("colour-by");
    select.hidden = false;
    select.addEventListener("change", function () {
      colourBy = select.value;
      nodes.update(data.nodes.map(nodeItem));
      legend();
    });
  }
  if (data.home) {
    byId("home").href = data.home;
    byId("home").hidden = false;
  }
  setLang(lang, true);
})();
