"""The demo network: a believable, deterministic network for trying matchmaker out."""
