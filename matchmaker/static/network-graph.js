// Draws the network graph from /network/graph.json with Cytoscape (served by the app).
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
  fetch(box.dataset.source, { headers: { "Accept": "application/json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var groups = Array.from(new Set(data.nodes.map(function (n) { return n[colourBy]; }))).sort();
      var colour = window.matchmakerPalette(groups);
      var elements = data.nodes.map(function (n) {
        return { data: { id: n.id, label: n.name, colour: colour[n[colourBy]], size: Math.min(10 + 2 * Math.sqrt(n.ties || 0), 30) } };
      }).concat(data.edges.map(function (e, i) {
        return { data: { id: "e" + i, source: e.source, target: e.target, kind: e.kind, width: Math.min(1 + e.count, 6) } };
      }));
      var graph = cytoscape({
        container: box,
        elements: elements,
        style: [
          { selector: "node", style: { "background-color": "data(colour)", "label": "data(label)", "font-size": 8, "color": "#1f2430", "width": "data(size)", "height": "data(size)" } },
          { selector: "edge", style: { "width": "data(width)", "line-color": "#9aa3ad", "opacity": 0.7 } },
          { selector: "edge[kind = 'exchange']", style: { "line-color": "#b5452b", "line-style": "dashed" } }
        ],
        layout: { name: data.nodes.length > 150 ? "concentric" : "cose", animate: false }
      });
      graph.on("tap", "node", function (event) {
        window.location.href = "/hubs/" + encodeURIComponent(event.target.id());
      });
      box.dataset.rendered = String(data.nodes.length);
      var legend = document.getElementById("legend");
      if (legend) {
        legend.textContent = "";
        groups.slice(0, 30).forEach(function (group) {
          var item = document.createElement("span");
          item.className = "legend-item";
          var swatch = document.createElement("span");
          swatch.className = "swatch";
          swatch.style.backgroundColor = colour[group];
          item.appendChild(swatch);
          item.appendChild(document.createTextNode(group));
          legend.appendChild(item);
        });
      }
    });
})();
