"""The web layer: pages and the JSON API, thin over the use cases."""
