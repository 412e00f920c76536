/* cpower-network report script: maps, tabs, sortable tables, presentation mode.
 *
 * Survey strings never become markup here: every name reaches the page through
 * textContent or vis-network's canvas labels, and tooltips are DOM elements built
 * from text nodes (vis-network would render a string title as HTML).
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("cpower-map").textContent);
  var nodesIn = data.nodes;
  var count = nodesIn.label.length;
  var evaluator = data.audience === "evaluator";
  var state = {
    relation: 0,
    measure: data.measures.length ? data.measures[0].key : null,
    focus: "",
    hiddenSilos: {},
    view: data.silo_view ? "silos" : "members",
    ties: "all",
    physics: false,
    presenting: false
  };
  var network = null;
  var adjacency = {};
  var drawnNodes = [];     // the member nodes as last handed to vis-network
  var drawnVersion = 0;

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  function memberName(i) {
    return nodesIn.label[i] !== null ? nodesIn.label[i] : "Member " + (i + 1);
  }

  function groupsOf(i) {
    return data.focus_groups.filter(function (g) { return nodesIn.groups[g.key][i] === 1; })
      .map(function (g) { return g.label; });
  }

  // One tooltip element shared by every member, filled when vis-network shows it
  // ("showPopup"): building one per member up front costs seconds on large maps.
  var tip = el("div", null, "tip");

  function fillTip(i) {
    tip.textContent = "";
    tip.appendChild(el("strong", nodesIn.label[i] !== null ? nodesIn.label[i] : "A member"));
    tip.appendChild(el("div", data.silos[nodesIn.silo[i]].name));
    var groups = groupsOf(i);
    if (groups.length) { tip.appendChild(el("div", groups.join(", "))); }
  }
  if (count) { fillTip(0); }   // a realistic size for vis-network's first placement

  function currentRelation() { return data.relations[state.relation]; }

  // An undirected relation (payload "directed": false) has ties, not reports: no arrows,
  // and a member's card lists their contacts once.
  function isDirected(relation) { return relation.directed !== false; }

  function memberNodes() {
    var relation = currentRelation();
    var maxValue = null;
    if (state.measure && relation.values) {
      maxValue = Math.max.apply(null, relation.values[state.measure].map(function (v) { return v || 0; }));
    }
    var list = new Array(count);
    var lived = data.focus_groups[0];
    var border = data.focus_groups[1];
    for (var i = 0; i < count; i++) {
      var silo = data.silos[nodesIn.silo[i]];
      var dim = state.focus && nodesIn.groups[state.focus][i] !== 1;
      var size = 10;
      if (maxValue !== null) {
        var v = relation.values[state.measure][i] || 0;
        size = maxValue > 0 ? 6 + 22 * Math.sqrt(v / maxValue) : 8;
      }
      list[i] = {
        id: i,
        x: nodesIn.x[i],
        y: nodesIn.y[i],
        label: nodesIn.label[i] !== null ? nodesIn.label[i] : undefined,
        title: tip,
        shape: lived && nodesIn.groups[lived.key][i] === 1 ? lived.shape : "dot",
        size: size,
        borderWidth: border && nodesIn.groups[border.key][i] === 1 ? 3.5 : 1,
        color: dim ? { background: "#e4e4e4", border: "#cfcfcf" }
          : { background: silo.color, border: "#222222",
              highlight: { background: silo.color, border: "#000000" } },
        // vis-network draws no member label (size 0 is under its threshold): names are
        // placed by placeLabels so that none covers another, and drawn by drawLabels
        font: { size: 0 },
        opacity: nodesIn.status && nodesIn.status[i] === "left" ? 0.35 : 1,
        shapeProperties: { borderDashes: nodesIn.status && nodesIn.status[i] === "joined"
          ? [3, 3] : false },
        hidden: !!state.hiddenSilos[nodesIn.silo[i]]
      };
    }
    drawnNodes = list;
    drawnVersion++;
    return list;
  }

  var STATUS = { kept: 0, "new": 1, lost: 2 };
  var STATUS_STYLE = [
    { color: "#8a96a3", dashes: false },
    { color: "#2f855a", dashes: false },
    { color: "#c53030", dashes: [5, 4] }
  ];

  function visibleEdges() {
    var relation = currentRelation();
    if (state.ties === "all") { return relation.edges; }
    if (state.ties === "strong") {
      return relation.edges.filter(function (e) { return e[2] >= relation.strong; });
    }
    var wanted = STATUS[state.ties];
    return relation.edges.filter(function (e) { return e[3] === wanted; });
  }

  // Weak ties are faint and drawn first, strong ties darker and on top: the silos'
  // neighbourhoods and the strong ties between them show through the weak ones.
  var WEAK_TIE = { color: "#9aa5b1", opacity: 0.2 };
  var STRONG_TIE = { color: "#3e4c59", opacity: 0.45 };

  function memberEdges() {
    var strong = currentRelation().strong;
    var edges = visibleEdges();
    if (typeof strong === "number") {       // weak ties first: vis-network draws in order
      edges = edges.filter(function (e) { return e[2] < strong; })
        .concat(edges.filter(function (e) { return e[2] >= strong; }));
    }
    var list = new Array(edges.length);
    for (var k = 0; k < edges.length; k++) {
      list[k] = { id: k, from: edges[k][0], to: edges[k][1], value: edges[k][2] };
      if (edges[k].length > 3) {
        var style = STATUS_STYLE[edges[k][3]];
        list[k].color = { color: style.color, opacity: 0.75 };
        list[k].dashes = style.dashes;
      } else if (typeof strong === "number") {
        list[k].color = edges[k][2] >= strong ? STRONG_TIE : WEAK_TIE;
      }
    }
    return list;
  }

  function siloGraph() {
    var nodes = data.silos.map(function (silo, s) {
      var xs = 0, ys = 0, n = 0;
      for (var i = 0; i < count; i++) {
        if (nodesIn.silo[i] === s) { xs += nodesIn.x[i]; ys += nodesIn.y[i]; n++; }
      }
      var box = el("div", null, "tip");
      box.appendChild(el("strong", silo.name));
      box.appendChild(el("div", silo.size + " members"));
      return { id: "silo-" + s, label: silo.name + " (" + silo.size + ")", title: box,
               x: n ? xs / n : 0, y: n ? ys / n : 0, shape: "dot",
               size: 12 + 4 * Math.sqrt(silo.size), color: silo.color,
               font: { size: evaluator ? 14 : 20 }, hidden: !!state.hiddenSilos[s] };
    });
    separate(nodes);
    var edges = currentRelation().silo_edges.filter(function (e) { return e[0] !== e[1]; })
      .map(function (e, k) {
        return { id: "se-" + k, from: "silo-" + e[0], to: "silo-" + e[1], value: e[2],
                 title: el("div", e[2] + " ties") };
      });
    return { nodes: nodes, edges: edges };
  }

  // Silo dots start at their members' mean position; silos that share ground (or are
  // large) would cover each other, so they are pushed apart until none overlap.
  function separate(nodes) {
    for (var round = 0; round < 500; round++) {
      var moved = false;
      for (var a = 0; a < nodes.length; a++) {
        for (var b = a + 1; b < nodes.length; b++) {
          var p = nodes[a], q = nodes[b];
          var dx = q.x - p.x, dy = q.y - p.y, d = Math.sqrt(dx * dx + dy * dy);
          var need = 1.1 * (p.size + q.size) + 30;          // room for the labels too
          if (d >= need) { continue; }
          if (d < 1e-6) { dx = Math.cos(a + 2 * b); dy = Math.sin(a + 2 * b); d = 1; }
          var push = (need - d) / 2 + 0.5;
          p.x -= dx / d * push; p.y -= dy / d * push;
          q.x += dx / d * push; q.y += dy / d * push;
          moved = true;
        }
      }
      if (!moved) { break; }
    }
  }

  // --- member names on the map ---------------------------------------------------------
  // Names keep one size on screen whatever the zoom (larger on a retreat map, to be read
  // on a wall), so zooming in leaves room for more of them. Whenever the view changes,
  // placeLabels takes the members in the order the view is about (the selected member;
  // members of the highlighted focus group, nobody else then; the chosen measure,
  // largest first; on a retreat map, which ranks nobody, the least crowded first) and
  // puts each name at the first of eight spots round its dot where it covers no other
  // name and no dot and stays inside the map (the leading members, below, may cover
  // dots); a name that fits nowhere is left off (hover shows it, zooming in makes room).
  var LABEL_PX = evaluator ? 14 : 20;
  var LABEL_FONT = "600 " + LABEL_PX + 'px system-ui, -apple-system, "Segoe UI", Roboto, ' +
    '"Helvetica Neue", Arial, sans-serif';
  var LABEL_HEIGHT = Math.round(LABEL_PX * 1.3);
  var LABEL_HALO = 2;        // px of white round each letter; inside the name's box
  var LABEL_GAP = 3;         // px between a dot and its name
  var labelWidths = new Map();
  var measuring = document.createElement("canvas").getContext("2d");
  var placed = [];           // the names drawn last: {id, text, spot, left, top, width, height}

  function labelWidth(text) {
    if (!labelWidths.has(text)) {
      measuring.font = LABEL_FONT;
      labelWidths.set(text, Math.ceil(measuring.measureText(text).width) + 2 * LABEL_HALO + 2);
    }
    return labelWidths.get(text);
  }

  // Where a name of width w can go round a dot at (x, y) of radius r: the box's corner.
  var SPOTS = {
    right: function (x, y, r, w, h) { return [x + r + LABEL_GAP, y - h / 2]; },
    left: function (x, y, r, w, h) { return [x - r - LABEL_GAP - w, y - h / 2]; },
    below: function (x, y, r, w) { return [x - w / 2, y + r + 1]; },
    above: function (x, y, r, w, h) { return [x - w / 2, y - r - 1 - h]; },
    "above right": function (x, y, r, w, h) { return [x + 0.71 * r + 1, y - 0.71 * r - 1 - h]; },
    "below right": function (x, y, r) { return [x + 0.71 * r + 1, y + 0.71 * r + 1]; },
    "above left": function (x, y, r, w, h) { return [x - 0.71 * r - 1 - w, y - 0.71 * r - 1 - h]; },
    "below left": function (x, y, r, w) { return [x - 0.71 * r - 1 - w, y + 0.71 * r + 1]; }
  };
  var SPOT_ORDER = Object.keys(SPOTS);

  // A grid of 64-px cells listing what lies in each, so a name is tested only against
  // its neighbours (large maps place hundreds of names per frame while zooming).
  function Grid() { this.cells = new Map(); this.visit = 0; }
  Grid.prototype.keys = function (box) {
    var keys = [];
    for (var gx = Math.floor(box.left / 64); gx <= Math.floor(box.right / 64); gx++) {
      for (var gy = Math.floor(box.top / 64); gy <= Math.floor(box.bottom / 64); gy++) {
        keys.push(gx + "," + gy);
      }
    }
    return keys;
  };
  Grid.prototype.add = function (item) {
    var cells = this.cells;
    this.keys(item).forEach(function (key) {
      if (!cells.has(key)) { cells.set(key, []); }
      cells.get(key).push(item);
    });
  };
  Grid.prototype.near = function (box) {     // everything in the cells box touches, once
    var cells = this.cells, found = [], visit = ++this.visit;
    this.keys(box).forEach(function (key) {
      var items = cells.get(key) || [];
      for (var k = 0; k < items.length; k++) {
        if (items[k].visit !== visit) { items[k].visit = visit; found.push(items[k]); }
      }
    });
    return found;
  };

  function boxesOverlap(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  // Two names side by side read as one ("Ann Lee Bo Park"): keep a space
  // of half a letter between names, a little less above and below.
  function namesTooClose(a, b) {
    var across = LABEL_PX / 2, down = 2;
    return a.left < b.right + across && b.left < a.right + across &&
      a.top < b.bottom + down && b.top < a.bottom + down;
  }

  function dotInBox(dot, box) {
    var dx = Math.max(box.left - dot.x, 0, dot.x - box.right);
    var dy = Math.max(box.top - dot.y, 0, dot.y - box.bottom);
    return dx * dx + dy * dy < dot.r * dot.r;
  }

  function placeLabels() {
    placed = [];
    if (!network || state.view !== "members" || !drawnNodes.length) { return placed; }
    var canvas = document.querySelector("#map canvas");
    var width = canvas.clientWidth, height = canvas.clientHeight;
    var scale = network.getScale();
    var origin = network.canvasToDOM({ x: 0, y: 0 });
    var positions = network.getPositions();
    var grid = new Grid();
    var dots = [];
    drawnNodes.forEach(function (node) {
      if (node.hidden) { return; }
      var at = { x: origin.x + positions[node.id].x * scale,
                 y: origin.y + positions[node.id].y * scale };
      var r = (node.size + node.borderWidth / 2) * scale;
      if (at.x < -r || at.y < -r || at.x > width + r || at.y > height + r) { return; }
      var dot = { id: node.id, x: at.x, y: at.y, r: r, left: at.x - r, right: at.x + r,
                  top: at.y - r, bottom: at.y + r };
      dots.push(dot);
      grid.add(dot);
    });
    var selected = network.getSelectedNodes();
    var group = state.focus ? nodesIn.groups[state.focus] : null;
    var relation = currentRelation();
    var values = state.measure && relation.values ? relation.values[state.measure] : null;
    var named = dots.filter(function (dot) {
      return nodesIn.label[dot.id] !== null &&
        (!group || group[dot.id] === 1 || selected.indexOf(dot.id) >= 0);
    });
    var rank = {};
    named.forEach(function (dot) {
      if (values) { rank[dot.id] = -(values[dot.id] || 0); return; }
      var around = { left: dot.x - 4 * LABEL_PX, right: dot.x + 4 * LABEL_PX,
                     top: dot.y - 2 * LABEL_PX, bottom: dot.y + 2 * LABEL_PX };
      rank[dot.id] = grid.near(around).filter(function (other) {
        return boxesOverlap(other, around);
      }).length;
    });
    named.sort(function (a, b) {
      return (selected.indexOf(b.id) >= 0) - (selected.indexOf(a.id) >= 0) ||
        rank[a.id] - rank[b.id] || a.id - b.id;
    });
    // the selected member and, on a map sized by a measure, its top fifth (5 to 15
    // members) are named even where every spot covers a dot: at the spot covering fewest
    var leading = values ? Math.max(5, Math.min(15, Math.ceil(named.length / 5))) : 0;
    named.forEach(function (dot, k) {
      var text = nodesIn.label[dot.id];
      var w = labelWidth(text), h = LABEL_HEIGHT;
      var mayCover = k < leading || selected.indexOf(dot.id) >= 0;
      var best = null, fewest = Infinity;
      for (var s = 0; s < SPOT_ORDER.length && fewest > 0; s++) {
        var corner = SPOTS[SPOT_ORDER[s]](dot.x, dot.y, dot.r, w, h);
        var box = { left: corner[0], top: corner[1], right: corner[0] + w, bottom: corner[1] + h };
        if (box.left < 0 || box.top < 0 || box.right > width || box.bottom > height) { continue; }
        var near = grid.near({ left: box.left - LABEL_PX / 2, right: box.right + LABEL_PX / 2,
                               top: box.top - 2, bottom: box.bottom + 2 });
        var crowded = near.some(function (item) {
          return item.text !== undefined && namesTooClose(item, box);
        });
        if (crowded) { continue; }
        var covered = near.filter(function (item) {
          return item.text === undefined && item.id !== dot.id && dotInBox(item, box);
        }).length;
        if (covered < fewest && (covered === 0 || mayCover)) {
          best = { id: dot.id, text: text, spot: SPOT_ORDER[s], left: box.left, top: box.top,
                   right: box.right, bottom: box.bottom, width: w, height: h, visit: 0 };
          fewest = covered;
        }
      }
      if (best) {
        placed.push(best);
        grid.add(best);
      }
    });
    return placed;
  }

  // Placing names costs a pass over every member: it is done again only when the view,
  // the selection or the members drawn changed (or they move: physics, dragging).
  var placedFor = null;
  var moved = 0;

  function drawLabels(ctx) {
    var view = network.getViewPosition();
    var key = [drawnVersion, moved, state.physics ? Math.random() : 0, network.getScale(),
               view.x, view.y, ctx.canvas.clientWidth, ctx.canvas.clientHeight,
               network.getSelectedNodes().join(" ")].join("|");
    if (key !== placedFor) {
      placeLabels();
      placedFor = key;
    }
    if (!placed.length) { return; }
    var ratio = ctx.canvas.width / ctx.canvas.clientWidth;
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.font = LABEL_FONT;
    ctx.textAlign = "left";
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    ctx.lineWidth = 2 * LABEL_HALO;
    ctx.strokeStyle = "rgba(255, 255, 255, 0.92)";
    ctx.fillStyle = "#1f2933";
    placed.forEach(function (label) {
      var x = label.left + LABEL_HALO + 1, y = label.top + label.height / 2;
      ctx.strokeText(label.text, x, y);
      ctx.fillText(label.text, x, y);
    });
    ctx.restore();
  }

  function options() {
    var big = count > 300;
    return {
      autoResize: true,
      physics: { enabled: state.physics && state.view === "members",
                 stabilization: { iterations: 150 },
                 barnesHut: { gravitationalConstant: -3000, springLength: 120 } },
      layout: { improvedLayout: false, randomSeed: 1 },
      nodes: { scaling: { min: 6, max: 30 } },
      edges: { smooth: false, arrows: { to: { enabled: state.view === "members" && !data.silo_view &&
                                                isDirected(currentRelation()),
                                                scaleFactor: 0.35 } },
               color: { color: "#8a96a3", highlight: "#1f2933", opacity: 0.45 },
               scaling: { min: 0.5, max: state.view === "members" ? 4 : 14 } },
      interaction: { hover: !big, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                     navigationButtons: false, keyboard: false }
    };
  }

  function buildAdjacency() {
    var key = currentRelation().key;
    if (adjacency[key]) { return adjacency[key]; }
    var out = [], inn = [];
    for (var i = 0; i < count; i++) { out.push([]); inn.push([]); }
    currentRelation().edges.forEach(function (e) { out[e[0]].push(e); inn[e[1]].push(e); });
    adjacency[key] = { out: out, inn: inn };
    return adjacency[key];
  }

  function status() {
    var relation = currentRelation();
    var text = state.view === "members"
      ? relation.label + ": " + count + " members, " + visibleEdges().length +
        (state.ties === "all" ? " ties" : " " + state.ties + " ties") +
        (data.silo_view && isDirected(relation) ? " (no arrows on a map this large: a " +
         "member's card lists who reported whom)" : "")
      : relation.label + ": " + data.silos.length + " silos (silo view)";
    document.getElementById("map-status").textContent = text;
    document.getElementById("present-title").textContent = relation.label +
      (state.view === "silos" ? " — silos" : "");
    var lines = document.getElementById("legend-lines");
    if (lines) { lines.textContent = linesLegend(relation); }
    relabelSizes(relation);
  }

  // A measure's name on this relation: an undirected one has contacts, not ties received.
  function measureLabel(relation, m) {
    return relation.labels && relation.labels[m.key] ? relation.labels[m.key] : m.label;
  }

  function relabelSizes(relation) {
    var options = document.querySelectorAll("#size-select option");
    Array.prototype.forEach.call(options, function (option, k) {
      option.textContent = measureLabel(relation, data.measures[k]);
    });
  }

  function linesLegend(relation) {
    var strength = data.mode === "compare" ? "thicker = stronger"
      : "thicker and darker = stronger, faint = weak";
    return isDirected(relation)
      ? "→ a line: one member reported the other; " + strength
      : "— a line: a tie between two members (" + relation.label +
        " is undirected); " + strength;
  }

  function draw() {
    var container = document.getElementById("map");
    var graph = state.view === "members"
      ? { nodes: new vis.DataSet(memberNodes()), edges: new vis.DataSet(memberEdges()) }
      : (function () { var g = siloGraph();
                       return { nodes: new vis.DataSet(g.nodes), edges: new vis.DataSet(g.edges) }; })();
    if (network) { network.destroy(); }
    network = new vis.Network(container, graph, options());
    network.once("afterDrawing", function () {
      container.setAttribute("data-ready", "true");
      container.setAttribute("data-view", state.view);
      container.setAttribute("data-relation", currentRelation().key);
    });
    network.on("showPopup", function (id) { if (typeof id === "number") { fillTip(id); } });
    network.on("afterDrawing", drawLabels);
    network.on("dragging", function () { moved++; });
    network.on("click", function (params) {
      if (params.nodes.length && typeof params.nodes[0] === "number") { showCard(params.nodes[0]); }
      else { hideCard(); }
    });
    network.fit({ animation: false });
    status();
    var toggle = document.getElementById("view-toggle");
    toggle.textContent = state.view === "members" ? "Silo view" : "Member view";
    toggle.setAttribute("aria-pressed", state.view === "silos" ? "true" : "false");
  }

  function restyle() {
    if (!network || state.view !== "members") { draw(); return; }
    network.body.data.nodes.update(memberNodes());
  }

  function hideCard() {
    var card = document.getElementById("card");
    card.hidden = true;
    card.textContent = "";
  }

  function contactList(title, members, kind) {
    var box = el("div", null, "card-block card-" + kind);
    box.appendChild(el("h4", title + " (" + members.length + ")"));
    if (members.length) {
      box.appendChild(el("p", members.map(memberName).sort().join(", ")));
    }
    return box;
  }

  // Reported / Reported by on a directed relation; one list of contacts (each tie once,
  // whichever end it was stored from) on an undirected one.
  function contactLists(i, relation) {
    var adj = buildAdjacency();
    var ends = function (edges, end) { return edges.map(function (e) { return e[end]; }); };
    if (isDirected(relation)) {
      return [contactList("Reported", ends(adj.out[i], 1), "reported"),
              contactList("Reported by", ends(adj.inn[i], 0), "reported-by")];
    }
    var others = ends(adj.out[i], 1).concat(ends(adj.inn[i].filter(function (e) {
      return e[0] !== e[1];
    }), 0));
    return [contactList("Contacts", others, "contacts")];
  }

  function showCard(i) {
    if (!evaluator) { return; }
    var card = document.getElementById("card");
    card.textContent = "";
    var close = el("button", "×", "card-close");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", hideCard);
    card.appendChild(close);
    card.appendChild(el("h3", memberName(i)));
    card.appendChild(el("p", data.silos[nodesIn.silo[i]].name, "card-silo"));
    var groups = groupsOf(i);
    if (groups.length) { card.appendChild(el("p", groups.join(" · "), "card-groups")); }
    var relation = currentRelation();
    card.appendChild(el("p", relation.label, "card-relation"));
    contactLists(i, relation).forEach(function (block) { card.appendChild(block); });
    if (relation.values) {
      var list = el("dl", null, "card-scores");
      data.measures.forEach(function (m) {
        var v = relation.values[m.key][i];
        list.appendChild(el("dt", measureLabel(relation, m)));
        list.appendChild(el("dd", v === null ? "–" : String(v)));
      });
      card.appendChild(list);
    }
    if (relation.roles) {
      card.appendChild(el("p", "Brokerage: " + (relation.roles[i] || "none"), "card-role"));
    }
    card.hidden = false;
    card.setAttribute("data-member", String(i));
  }

  var lastSearch = null;

  function search(text) {
    lastSearch = text;
    var wanted = text.trim().toLowerCase();
    if (!wanted) { return; }
    var found = -1;
    for (var i = 0; i < count; i++) {
      var name = nodesIn.label[i];
      if (name !== null && name.toLowerCase() === wanted) { found = i; break; }
    }
    if (found < 0) {
      for (var j = 0; j < count; j++) {
        var label = nodesIn.label[j];
        if (label !== null && label.toLowerCase().indexOf(wanted) >= 0) { found = j; break; }
      }
    }
    var statusLine = document.getElementById("map-status");
    if (found < 0) { statusLine.textContent = "No member matches “" + text + "”."; return; }
    if (state.view !== "members") { state.view = "members"; draw(); }
    if (state.hiddenSilos[nodesIn.silo[found]]) {
      delete state.hiddenSilos[nodesIn.silo[found]];
      syncSiloBoxes();
      restyle();
    }
    network.selectNodes([found]);
    network.focus(found, { scale: 1.3, animation: false });
    showCard(found);
    statusLine.textContent = "Found " + memberName(found) + ".";
  }

  function syncSiloBoxes() {
    var boxes = document.querySelectorAll("#silo-filter input");
    for (var k = 0; k < boxes.length; k++) {
      boxes[k].checked = !state.hiddenSilos[Number(boxes[k].value)];
    }
  }

  function buildControls() {
    var relationSelect = document.getElementById("relation-select");
    data.relations.forEach(function (r, k) {
      var option = el("option", r.label);
      option.value = String(k);
      relationSelect.appendChild(option);
    });
    relationSelect.addEventListener("change", function () {
      state.relation = Number(relationSelect.value);
      hideCard();
      draw();
    });
    var sizeSelect = document.getElementById("size-select");
    if (sizeSelect) {
      data.measures.forEach(function (m) {
        var option = el("option", m.label);
        option.value = m.key;
        sizeSelect.appendChild(option);
      });
      sizeSelect.addEventListener("change", function () { state.measure = sizeSelect.value; restyle(); });
    }
    var focusSelect = document.getElementById("focus-select");
    data.focus_groups.forEach(function (g) {
      var option = el("option", g.label);
      option.value = g.key;
      focusSelect.appendChild(option);
    });
    focusSelect.addEventListener("change", function () { state.focus = focusSelect.value; restyle(); });
    var tiesSelect = document.getElementById("ties-select");
    tiesSelect.addEventListener("change", function () {
      state.ties = tiesSelect.value;
      draw();
    });
    var names = document.getElementById("member-names");
    var sorted = nodesIn.label.filter(function (n) { return n !== null; }).slice().sort();
    sorted.slice(0, 5000).forEach(function (n) { var o = el("option"); o.value = n; names.appendChild(o); });
    var input = document.getElementById("search-input");
    // "change" covers picking a name from the list; it also fires when the box loses
    // focus, which must not search again (and reopen a card being closed).
    input.addEventListener("change", function () {
      if (input.value !== lastSearch) { search(input.value); }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); search(input.value); }
    });
    var filter = document.getElementById("silo-filter");
    data.silos.forEach(function (silo, s) {
      var label = el("label", null, "silo-choice");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = String(s);
      box.addEventListener("change", function () {
        if (box.checked) { delete state.hiddenSilos[s]; } else { state.hiddenSilos[s] = true; }
        restyle();
      });
      var swatch = el("span", null, "swatch");
      swatch.style.background = silo.color;
      label.appendChild(box);
      label.appendChild(swatch);
      label.appendChild(document.createTextNode(silo.name));
      filter.appendChild(label);
    });
    document.getElementById("view-toggle").addEventListener("click", function () {
      state.view = state.view === "members" ? "silos" : "members";
      hideCard();
      draw();
    });
    var physicsButton = document.getElementById("physics-button");
    if (!data.physics) { physicsButton.hidden = true; }
    physicsButton.addEventListener("click", function () {
      state.physics = !state.physics;
      physicsButton.setAttribute("aria-pressed", state.physics ? "true" : "false");
      physicsButton.textContent = state.physics ? "Hold still" : "Let it move";
      if (network) { network.setOptions({ physics: { enabled: state.physics && state.view === "members" } }); }
    });
    document.getElementById("present-button").addEventListener("click", function () {
      setPresenting(!state.presenting);
    });
    // full screen covers the Present button: the bar has its own way out
    var leave = document.getElementById("present-leave");
    if (leave) { leave.addEventListener("click", function () { setPresenting(false); }); }
    document.addEventListener("keydown", function (event) {
      if (!state.presenting) { return; }
      if (event.key === "Escape") { setPresenting(false); }
      if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        var step = event.key === "ArrowRight" ? 1 : data.relations.length - 1;
        state.relation = (state.relation + step) % data.relations.length;
        relationSelect.value = String(state.relation);
        draw();
      }
    });
  }

  function setPresenting(on) {
    state.presenting = on;
    var area = document.getElementById("map-area");
    area.classList.toggle("presenting", on);
    document.body.classList.toggle("presenting", on);
    document.getElementById("present-button").textContent = on ? "Leave" : "Present";
    if (network) { network.redraw(); network.fit({ animation: false }); }
  }

  function buildLegend() {
    var legend = document.getElementById("legend");
    data.silos.forEach(function (silo) {
      var item = el("span", null, "legend-item");
      var swatch = el("span", null, "swatch");
      swatch.style.background = silo.color;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(silo.name + " (" + silo.size + ")"));
      legend.appendChild(item);
    });
    data.focus_groups.forEach(function (g, k) {
      var text = k === 0 ? "◆ " + g.label : (k === 1 ? "◯ thick border: " + g.label : null);
      if (text) { legend.appendChild(el("span", text, "legend-item")); }
    });
    var lines = el("span", linesLegend(currentRelation()), "legend-item");
    lines.id = "legend-lines";
    legend.appendChild(lines);
    if (data.mode === "compare") {
      [["grey: kept", "#8a96a3"], ["green: new in " + data.waves[data.waves.length - 1], "#2f855a"],
       ["red dashed: lost since " + data.waves[0], "#c53030"]].forEach(function (pair) {
        var item = el("span", "━ " + pair[0], "legend-item");
        item.style.color = pair[1];
        legend.appendChild(item);
      });
      legend.appendChild(el("span", "dashed outline: joined · faded: left", "legend-item"));
    }
  }

  function setupTabs() {
    var strips = document.querySelectorAll(".tabs");
    Array.prototype.forEach.call(strips, function (strip) {
      var name = strip.getAttribute("data-tabs");
      var buttons = strip.querySelectorAll("button");
      Array.prototype.forEach.call(buttons, function (button) {
        button.addEventListener("click", function () {
          Array.prototype.forEach.call(buttons, function (b) {
            b.setAttribute("aria-selected", b === button ? "true" : "false");
          });
          var panels = document.querySelectorAll('.tab-panel[data-tabs="' + name + '"]');
          Array.prototype.forEach.call(panels, function (panel) {
            panel.hidden = panel.getAttribute("data-tab") !== button.getAttribute("data-tab");
          });
        });
      });
    });
  }

  function setupSorting() {
    var tables = document.querySelectorAll("table.sortable");
    Array.prototype.forEach.call(tables, function (table) {
      var headers = table.querySelectorAll("thead th");
      Array.prototype.forEach.call(headers, function (th, column) {
        function sort() {
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          Array.prototype.forEach.call(headers, function (h) { h.setAttribute("aria-sort", "none"); });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var numeric = th.classList.contains("num");
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = a.cells[column].getAttribute("data-sort");
            var y = b.cells[column].getAttribute("data-sort");
            var result;
            if (numeric) {
              var fx = x === "" ? -Infinity : parseFloat(x);
              var fy = y === "" ? -Infinity : parseFloat(y);
              result = fx - fy;
            } else {
              result = x < y ? -1 : (x > y ? 1 : 0);
            }
            return ascending ? result : -result;
          });
          rows.forEach(function (row) { body.appendChild(row); });
        }
        th.addEventListener("click", sort);
        th.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
        });
      });
    });
  }

  setupTabs();
  setupSorting();
  buildControls();
  buildLegend();
  draw();
  window.cpowerReport = { state: state, network: function () { return network; },
                          search: search, showCard: showCard,
                          labels: function () {
                            return placed.map(function (l) {
                              return { id: l.id, text: l.text, spot: l.spot, left: l.left,
                                       top: l.top, right: l.right, bottom: l.bottom };
                            });
                          },
                          labelFont: LABEL_FONT };
}());
