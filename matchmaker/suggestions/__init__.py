"""Suggestions: the suggestion use case with what it records (`matches`), the network-wide
optimisers' plans (`plans`) and how a plan reads in a terminal and as JSON (`plan_output`)."""
