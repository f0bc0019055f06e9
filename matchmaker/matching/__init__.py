"""The matching engine: plain data in, ranked and explained suggestions out.

No Flask and no database here (design.md section 5), so the engine can be tested and
benchmarked without an app. It arrives with the engine issue.
"""
