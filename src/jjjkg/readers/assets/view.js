// The page script of a jjjkg graph view. Data comes from the JSON block above and is shown
// only through textContent and the vis canvas: no string from the data becomes HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var lang = data.lang === "en" ? "en" : "zh";
  var colourBy = "class";
  var marked = null;
  var dimmed = null; // ids a clicked paragraph states; the rest is drawn faint
  var DIM = "rgba(200,200,200,0.35)";
  var WORDS = {
    zh: { counts: "{n} 个实体 · {m} 条关系", none: "未找到", other: "English",
      community: "社区", pick: "点击选中这些节点", open: "双击打开其页面" },
    en: { counts: "{n} entities · {m} links", none: "not found", other: "中文",
      community: "community", pick: "click to select these nodes",
      open: "double-click: its page" },
  };

  function byId(id) { return document.getElementById(id); }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  var classNames = data.classes;
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
    ], node.slug + (data.pages ? "  ·  " + WORDS[lang].open : ""));
  }

  function edgeTip(edge) {
    var sub = nodeNames[edge.from][lang] + " → " + nodeNames[edge.to][lang];
    var where = edge.background ? [data.words.background[lang]] : paras(edge.paras);
    return tooltip(edge.names[lang], sub, [["stated", where]], edge.slug);
  }

  function colourOf(node) {
    if (colourBy === "community" && node.community >= 0) {
      return data.communityColours[node.community % data.communityColours.length];
    }
    return node.color;
  }

  function faint(id) { return dimmed !== null && !dimmed[id]; }

  function nodeItem(node) {
    var size = node.hub ? data.fonts.hub : data.fonts.node;
    return {
      id: node.id, label: node.names[lang], title: nodeTip(node),
      shape: node.shape, value: node.value, color: faint(node.id) ? DIM : colourOf(node),
      font: { size: size, color: faint(node.id) ? "#bbb" : "#222" },
      widthConstraint: { maximum: node.hub ? 520 : 180 },
      borderWidth: node.id === marked ? 4 : 1,
    };
  }

  // Links only background knowledge states are dashed; big views keep link names in tooltips.
  function edgeItem(edge) {
    var item = {
      id: edge.id, from: edge.from, to: edge.to, title: edgeTip(edge),
      dashes: edge.background, label: data.edgeLabels ? edge.names[lang] : undefined,
    };
    if (dimmed !== null && !(dimmed[edge.from] && dimmed[edge.to])) item.color = { color: DIM };
    else item.color = { color: "#9aa3ad" };
    return item;
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
      var ids = data.nodes.filter(function (n) { return n.family === item.family; })
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
      // A click shows what the paragraph states and dims the rest; a second click undoes it.
      entry.addEventListener("click", function () {
        var again = entry.classList.contains("active");
        Array.prototype.forEach.call(list.children, function (c) { c.classList.remove("active"); });
        var present = p.nodes.filter(function (id) { return nodes.get(id); });
        dimmed = null;
        if (!again) {
          entry.classList.add("active");
          dimmed = {};
          present.forEach(function (id) { dimmed[id] = true; });
        }
        nodes.update(data.nodes.map(nodeItem));
        edges.update(data.edges.map(edgeItem));
        if (again) { network.unselectAll(); return; }
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

  // Case, spaces, apostrophes and dashes do not count: "Xiongan" finds "Xiong'an".
  function norm(text) {
    return String(text).toLowerCase().replace(/[\s'’‘"“”\-–—_.,，。·・()（）]/g, "");
  }

  // An exact name first, then the shortest name starting with the query, then the shortest
  // containing it (so 雄安 finds 雄安新区, not a longer name that holds it).
  function best(query) {
    var q = norm(query);
    if (!q) return null;
    var found = null;
    var rank = null;
    data.nodes.forEach(function (n) {
      var keys = [n.names.zh, n.names.en, n.slug.split("/").pop()].concat(n.find);
      keys.forEach(function (key) {
        var k = norm(key);
        var at = k.indexOf(q);
        if (at < 0) return;
        var r = [k === q ? 0 : at === 0 ? 1 : 2, k.length];
        if (!rank || r[0] < rank[0] || (r[0] === rank[0] && r[1] < rank[1])) {
          rank = r;
          found = n;
        }
      });
    });
    return found;
  }

  var lastQuery = null;
  function search(query) {
    if (!norm(query)) return null;
    var hit = best(query);
    lastQuery = query;
    if (!hit && window.JJJKG_SEARCH) {
      var page = siteHit(query);
      if (page) { window.location.href = page; return null; }
    }
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

  // Beyond this view: the site's search index, when the page is part of the site.
  function siteHit(query) {
    var q = norm(query);
    var found = null;
    var rank = null;
    window.JJJKG_SEARCH.forEach(function (item) {
      item.keys.forEach(function (key) {
        var k = norm(key);
        var at = k.indexOf(q);
        if (at < 0) return;
        var r = [k === q ? 0 : at === 0 ? 1 : 2, k.length];
        if (!rank || r[0] < rank[0] || (r[0] === rank[0] && r[1] < rank[1])) {
          rank = r;
          found = item.page;
        }
      });
    });
    return found;
  }

  // Enter searches once; picking a name from the list (an exact option) searches once too.
  byId("search").addEventListener("keydown", function (e) {
    if (e.key === "Enter") { e.preventDefault(); search(e.target.value); }
  });
  byId("search").addEventListener("input", function (e) {
    var value = e.target.value;
    var option = Array.prototype.some.call(byId("names").options, function (o) {
      return o.value === value;
    });
    if (option && value !== lastQuery && !e.inputType) search(value);
  });
  if (data.pages) {
    network.on("doubleClick", function (params) {
      if (params.nodes.length) {
        var node = data.nodes.find(function (n) { return n.id === params.nodes[0]; });
        if (node && node.page) window.location.href = node.page;
      }
    });
  }
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
