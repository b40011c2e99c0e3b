"""Retention schedule (dokumenthanteringsplan) stage.

The grammar of keep/cull cells and culling
periods, reading a plan, checking it, matching lost records to its rows, and assessing what the
plan says about each loss.

May import ``incident`` and below; not ``form`` or ``inventory`` (siblings) nor anything above.
"""
