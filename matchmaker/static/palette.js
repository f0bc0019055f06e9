// Colours for categories (countries, disciplines), dark enough for white text and lines.
window.matchmakerPalette = (function () {
  "use strict";
  var colours = ["#1b6ca8", "#b5452b", "#2e7d32", "#8e3b8e", "#a0670a", "#00717a", "#5d4a9e",
    "#9c2f5b", "#4d6b12", "#7a4e2d", "#205e8a", "#b03a2e", "#3b7a57", "#6d4c9f", "#8a6d00"];
  return function (values) {
    var map = {};
    values.forEach(function (value, index) { map[value] = colours[index % colours.length]; });
    return map;
  };
})();
