"""Entries stage.

The arkivbeskrivning and arkivförteckning entries for each records creator — the
XML, the ``Gallring`` block, the Swedish prose — and ``describe``, the pipeline that makes them.

May import ``retention``, ``inventory``, ``form`` and below.
"""
