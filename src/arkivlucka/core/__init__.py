"""Core stage.

What every stage shares and nothing else — errors and findings, the run context
(clock, ids, tool version), renderers of findings, text helpers, Swedish wording, diffs.

Imports nothing from arkivlucka outside ``core``.
"""
