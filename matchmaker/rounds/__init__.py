"""Residency rounds: managers apply to an open round (`applications`); a coordinator opens
rounds (`opening`), runs and adjusts the allocation (`allocation`), publishes it
(`publishing`) and approves single residencies (`approvals`), all within the round's budget
and its hosts' places (`funding`)."""
