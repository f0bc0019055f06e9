// Maps the hubs with Leaflet over country outlines (world-atlas), all served by the app:
// no tile server, so the page works on a closed network.
(function () {
  "use strict";
  var box = document.getElementById("hub-map");
  if (!box || typeof L === "undefined" || typeof topojson === "undefined") { return; }
  // A generous renderer padding: the outlines arrive after the first view, and a tight one
  // would clip them to the area that view covered.
  var map = L.map(box, { worldCopyJump: true, maxZoom: 12, renderer: L.svg({ padding: 2 }) }).setView([50, 10], 4);
  map.attributionControl.addAttribution(box.dataset.attribution || "Countries: Natural Earth via world-atlas");
  // The groups' labels in the reader's language, by place (the JSON's are English).
  var labels = JSON.parse(box.dataset.labels || "{}");
  fetch(box.dataset.countries).then(function (r) { return r.json(); }).then(function (world) {
    var countries = topojson.feature(world, world.objects.countries);
    countries.features.forEach(keepOnOneSide);
    L.geoJSON(countries, {
      style: { color: "#9aa3ad", weight: 1, fillColor: "#eef0ec", fillOpacity: 1 }
    }).addTo(map).bringToBack();
  });
  // Outlines that cross the 180th meridian (Russia's far east, Fiji) would be drawn as a
  // band across the whole map: move their western points east of it.
  function keepOnOneSide(feature) {
    var geometry = feature.geometry;
    if (!geometry) { return; }
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    polygons.forEach(function (polygon) {
      polygon.forEach(function (ring) {
        var east = ring.some(function (p) { return p[0] > 170; });
        var west = ring.some(function (p) { return p[0] < -170; });
        if (east && west) {
          ring.forEach(function (p) { if (p[0] < 0) { p[0] += 360; } });
        }
      });
    });
  }
  fetch(box.dataset.source).then(function (r) { return r.json(); }).then(function (data) {
    var bounds = [];
    // Hubs near each other on the screen are drawn as one numbered circle until the map is
    // zoomed in far enough to tell them apart (Leaflet.markercluster, served by the app).
    var near = typeof L.markerClusterGroup === "function"
      ? L.markerClusterGroup({ animate: false, maxClusterRadius: 40, showCoverageOnHover: false, disableClusteringAtZoom: 10, spiderfyOnMaxZoom: true })
      : map;
    data.hubs.forEach(function (hub) {
      var point = [hub.latitude, hub.longitude];
      bounds.push(point);
      var marker = L.circleMarker(point, { radius: 6, color: "#0b6e69", weight: 1, fillOpacity: 0.8, className: "hub-marker" });
      var link = document.createElement("a");
      link.href = "/hubs/" + encodeURIComponent(hub.slug);
      link.textContent = hub.name;
      marker.bindPopup(link).addTo(near);
    });
    // Above the server's threshold, hubs close together come as one group with their
    // number: a larger circle, its area growing with the count, that links to its hubs.
    (data.clusters || []).forEach(function (group) {
      var point = [group.latitude, group.longitude];
      bounds.push(point);
      var radius = Math.min(7 + 1.2 * Math.sqrt(group.count), 24);
      var marker = L.circleMarker(point, { radius: radius, color: "#7a4b00", weight: 1, fillColor: "#e0a030", fillOpacity: 0.75, className: "hub-cluster" });
      var popup = document.createElement("div");
      var title = document.createElement(group.search && group.search.q ? "a" : "span");
      if (group.search && group.search.q) {
        title.href = "/network/map?" + new URLSearchParams(group.search).toString();
      }
      title.textContent = labels[group.latitude.toFixed(5) + "," + group.longitude.toFixed(5)] || group.label;
      popup.appendChild(title);
      popup.appendChild(document.createTextNode(" (" + group.count.toLocaleString(document.documentElement.lang || undefined) + ")"));
      marker.bindPopup(popup).bindTooltip(String(group.count), { permanent: true, direction: "center", className: "cluster-count" }).addTo(map);
    });
    if (near !== map) { map.addLayer(near); }
    if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 8, animate: false }); }
    box.dataset.rendered = String(data.hubs.length + (data.clusters || []).length);
  });
})();
