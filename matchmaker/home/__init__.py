"""The home page of each role after signing in: what waits for the person, what is
coming up, and fresh suggestions (a manager), or the approvals, rounds and the network's
month (a coordinator)."""
