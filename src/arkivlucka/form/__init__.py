"""Form import stage.

A filled-in incident form (text, PDF, fillable PDF, Word) read into lines,
repaired, parsed under its labels, the prose turned into proposals, and written as incident data.

May import ``incident`` and below; not ``retention`` or ``inventory`` (siblings).
"""
