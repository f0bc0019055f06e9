// Draws the network graph from /network/graph.json with Cytoscape (served by the app).
//
// Readable at a glance rather than all at once: hubs with ties are laid out by a
// force-directed layout (cose) that starts each country or discipline together, hubs
// without ties sit in rows below; a label is drawn only where it overlaps no other (the
// most connected hubs first), at a constant size on screen, so zooming in shows more of
// them; hovering a hub shows its name and its neighbours. `?hub=<slug>` opens on that
// hub's neighbourhood.
(function () {
  "use strict";
  var box = document.getElementById("network-graph");
  if (!box || typeof cytoscape === "undefined") { return; }
  // Cytoscape adds an inline <style> making its container position: relative unless an
  // element with this id exists; the CSP (style-src 'self') blocks that, so mark it as
  // present and set the position through the CSSOM, which the CSP allows.
  if (!document.getElementById("__________cytoscape_stylesheet")) {
    var marker = document.createElement("meta");
    marker.id = "__________cytoscape_stylesheet";
    document.head.appendChild(marker);
  }
  box.style.position = "relative";
  var colourBy = box.dataset.colour === "discipline" ? "discipline" : "country";
  var focusId = box.dataset.hub || "";
  var LABEL_PX = 12;  // a label's size on screen, whatever the zoom
  // 15 colours and 3 shapes tell 45 groups apart (41 countries in the demo network).
  var SHAPES = ["ellipse", "round-rectangle", "diamond"];

  function looks(groups) {
    var colour = window.matchmakerPalette(groups);
    var look = {};
    groups.forEach(function (group, index) {
      look[group] = { colour: colour[group], shape: SHAPES[Math.floor(index / 15) % SHAPES.length] };
    });
    return look;
  }

  // Each group starts on its own spot of a circle, so that cose keeps a country (or a
  // discipline) together unless its ties pull it elsewhere; the start is fixed, so the
  // same data always gives the same picture.
  function startPositions(nodes, groups) {
    var index = {};
    groups.forEach(function (group, i) { index[group] = i; });
    var seen = {};
    var radius = 40 * Math.max(groups.length, 4);
    nodes.forEach(function (n) {
      var g = n.group;
      var k = seen[g] = (seen[g] || 0) + 1;
      var angle = 2 * Math.PI * index[g] / groups.length;
      n.position = {
        x: radius * Math.cos(angle) + 18 * Math.cos(k * 2.4) * Math.sqrt(k),
        y: radius * Math.sin(angle) + 18 * Math.sin(k * 2.4) * Math.sqrt(k)
      };
    });
  }

  // Hubs without ties in rows under the rest, ordered by group then name.
  function placeAlone(graph, alone) {
    if (!alone.length) { return; }
    var tied = graph.nodes().not(alone);
    var bounds = tied.length ? tied.boundingBox() : { x1: 0, x2: 600, y2: 0 };
    // As wide as the picture's box would show the tied hubs, so the rows fill it.
    var aspect = box.clientWidth / Math.max(box.clientHeight, 1);
    var width = Math.max(bounds.x2 - bounds.x1, (bounds.y2 - bounds.y1) * aspect, 400);
    var step = 80;
    var perRow = Math.max(Math.floor(width / step), 6);
    perRow = Math.min(perRow, Math.ceil(alone.length / Math.ceil(alone.length / perRow)));
    alone.sort(function (a, b) {
      return (a.data("group") + a.data("label")).localeCompare(b.data("group") + b.data("label"));
    }).forEach(function (node, i) {
      node.position({
        x: (bounds.x1 + bounds.x2 - (perRow - 1) * step) / 2 + (i % perRow) * step + ((Math.floor(i / perRow) % 2) * step / 2),
        y: bounds.y2 + 100 + Math.floor(i / perRow) * 50
      });
    });
  }

  // Greedy labelling, most connected first: a label is shown when its box (plus a small
  // gap) overlaps no label already shown. Font size is set in model units so that it is
  // LABEL_PX on screen; the boxes are then compared in model units.
  function placeLabels(graph) {
    var zoom = graph.zoom();
    var size = LABEL_PX / zoom;
    var gap = 3 / zoom;
    var extent = graph.extent();
    graph.batch(function () {
      graph.nodes().style("font-size", size).style("text-margin-y", 3 / zoom);
    });
    var shown = [];
    var nodes = graph.nodes().sort(function (a, b) {
      return (b.hasClass("focus") - a.hasClass("focus")) ||
        (b.hasClass("near") - a.hasClass("near")) ||
        (b.data("ties") - a.data("ties")) || a.data("label").localeCompare(b.data("label"));
    });
    graph.batch(function () {
      nodes.forEach(function (node) {
        var b = node.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true });
        var inView = b.x2 > extent.x1 && b.x1 < extent.x2 && b.y2 > extent.y1 && b.y1 < extent.y2;
        var free = inView && !node.hasClass("faded") && shown.every(function (o) {
          return b.x1 - gap > o.x2 || o.x1 - gap > b.x2 || b.y1 - gap > o.y2 || o.y1 - gap > b.y2;
        });
        if (free) { shown.push(b); }
        node.toggleClass("labelled", free);
      });
    });
    box.dataset.labels = String(shown.length);
  }

  function focusOn(graph, id) {
    var hub = graph.getElementById(id);
    if (!hub.length) { return false; }
    var near = hub.closedNeighborhood();
    graph.elements().addClass("faded");
    near.removeClass("faded").addClass("near");
    hub.addClass("focus");
    graph.fit(near, 40);
    return true;
  }

  function fill(legend, groups, look) {
    legend.textContent = "";
    groups.forEach(function (group) {
      var item = document.createElement("span");
      item.className = "legend-item";
      var swatch = document.createElement("span");
      swatch.className = "swatch swatch-" + look[group].shape;
      swatch.style.backgroundColor = look[group].colour;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(group));
      legend.appendChild(item);
    });
  }

  fetch(box.dataset.source, { headers: { "Accept": "application/json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      // Groups by their name (a country's, not its code), as the legend lists them.
      // The page gives the groups' names in the reader's language (the JSON is English).
      var names = JSON.parse(box.dataset.names || "{}");
      var countries = names.countries || {}, disciplines = names.disciplines || {};
      data.nodes.forEach(function (n) {
        n.group = colourBy === "country"
          ? (countries[n.country] || n.country_name || n.country)
          : (disciplines[n.discipline] || n.discipline);
      });
      var groups = Array.from(new Set(data.nodes.map(function (n) { return n.group; }))).sort();
      var look = looks(groups);
      startPositions(data.nodes, groups);
      var elements = data.nodes.map(function (n) {
        var g = look[n.group];
        return {
          data: { id: n.id, label: n.name, group: n.group, ties: n.ties || 0, colour: g.colour, shape: g.shape, size: Math.min(12 + 2 * Math.sqrt(n.ties || 0), 30) },
          position: n.position
        };
      }).concat(data.edges.map(function (e, i) {
        return { data: { id: "e" + i, source: e.source, target: e.target, kind: e.kind, width: Math.min(1 + e.count, 6) } };
      }));
      var graph = cytoscape({
        container: box,
        elements: elements,
        minZoom: 0.05,
        maxZoom: 6,
        style: [
          { selector: "node", style: { "background-color": "data(colour)", "shape": "data(shape)", "width": "data(size)", "height": "data(size)", "border-width": 1, "border-color": "#ffffff", "label": "data(label)", "text-valign": "bottom", "text-halign": "center", "color": "#1f2430", "text-opacity": 0, "text-background-color": "#ffffff", "text-background-opacity": 0, "text-background-padding": 1, "min-zoomed-font-size": 0 } },
          { selector: "node.labelled, node.hover", style: { "text-opacity": 1, "text-background-opacity": 0.85 } },
          { selector: "node.hover", style: { "z-index": 20, "font-weight": "bold" } },
          { selector: "node.focus", style: { "border-width": 3, "border-color": "#1f2430" } },
          { selector: "edge", style: { "width": "data(width)", "line-color": "#9aa3ad", "opacity": 0.6, "curve-style": "haystack" } },
          { selector: "edge[kind = 'exchange']", style: { "line-color": "#b5452b", "line-style": "dashed", "curve-style": "straight" } },
          { selector: ".faded", style: { "opacity": 0.15 } },
          { selector: "edge.near", style: { "opacity": 1, "line-color": "#1f2430" } }
        ],
        layout: { name: "preset" }
      });
      var alone = graph.nodes().filter(function (n) { return n.degree(false) === 0; });
      var tied = graph.elements().not(alone);
      var big = tied.nodes().length > 150;
      tied.layout(big ? { name: "concentric", animate: false, minNodeSpacing: 8, concentric: function (n) { return n.degree(); } } : {
        name: "cose", animate: false, randomize: false, fit: false,
        idealEdgeLength: function () { return 110; }, nodeRepulsion: function () { return 200000; },
        nodeOverlap: 20, edgeElasticity: function () { return 60; }, gravity: 0.4,
        componentSpacing: 120, numIter: 1500, nestingFactor: 1.2
      }).run();
      placeAlone(graph, alone);
      if (!(focusId && focusOn(graph, focusId))) { graph.fit(undefined, 30); }
      placeLabels(graph);
      var pending = null;
      graph.on("zoom pan", function () {
        if (pending) { window.clearTimeout(pending); }
        pending = window.setTimeout(function () { placeLabels(graph); }, 80);
      });
      graph.on("mouseover", "node", function (event) {
        event.target.addClass("hover");
        event.target.closedNeighborhood().not(".faded").nodes().addClass("hover");
      });
      graph.on("mouseout", "node", function () { graph.nodes().removeClass("hover"); });
      graph.on("tap", "node", function (event) {
        window.location.href = "/hubs/" + encodeURIComponent(event.target.id());
      });
      window.matchmakerGraph = graph;  // for the browser tests (label placement)
      box.dataset.rendered = String(data.nodes.length);
      var legend = document.getElementById("legend");
      if (legend) { fill(legend, groups, look); }
    });
})();
