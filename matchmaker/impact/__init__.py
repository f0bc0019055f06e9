"""The network's impact: the figures a coordinator reads (`figures`) and their charts, drawn
on the server as SVG (`charts`)."""
