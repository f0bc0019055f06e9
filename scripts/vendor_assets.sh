#!/usr/bin/env bash
# Refresh the front-end libraries the network pages use, from the npm registry, into
# matchmaker/static/vendor/ with their licences. The app serves them itself (no CDN).
# Usage: scripts/vendor_assets.sh   (needs npm; the result is committed)
set -euo pipefail
cd "$(dirname "$0")/.."
VENDOR=matchmaker/static/vendor
PACKAGES=(cytoscape@3.34.4 leaflet@1.9.4 leaflet.markercluster@1.5.3 topojson-client@3.1.0 world-atlas@2.0.2)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && for package in "${PACKAGES[@]}"; do npm pack --silent "$package" >/dev/null; done)
rm -rf "$VENDOR" && mkdir -p "$VENDOR"
unpack() {  # unpack NAME VERSION FILE...
  local name=$1 version=$2; shift 2
  local dir="$work/$name" target="$VENDOR/$name"
  mkdir -p "$dir" "$target"
  tar xzf "$work/$name-$version.tgz" -C "$dir"
  for file in "$@"; do cp -r "$dir/package/$file" "$target/"; done
  # The licence, whatever its file is called (leaflet.markercluster: MIT-LICENCE.txt).
  for licence in LICENSE LICENSE.md MIT-LICENCE.txt; do
    if [ -f "$dir/package/$licence" ]; then cp "$dir/package/$licence" "$target/LICENSE"; break; fi
  done
  echo "$name $version" >> "$VENDOR/VERSIONS"
}
unpack cytoscape 3.34.4 dist/cytoscape.min.js
unpack leaflet 1.9.4 dist/leaflet.js dist/leaflet.css dist/images
unpack leaflet.markercluster 1.5.3 dist/leaflet.markercluster.js dist/MarkerCluster.css \
  dist/MarkerCluster.Default.css
unpack topojson-client 3.1.0 dist/topojson-client.min.js
unpack world-atlas 2.0.2 countries-110m.json
