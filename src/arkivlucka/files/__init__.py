"""Files stage.

Reading with a size cap, atomic whole-file writes, in-place updates (lock, backup),
tables (CSV and XLSX with Swedish headers), zip safety, the two-process work queue.

May import ``core`` only.
"""
