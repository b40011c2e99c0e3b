"""Inventories (arkivförteckning) stage.

The model, the XML file (safe loading, careful editing),
spreadsheets in and out, EAD3 export, and merging a loss into a whole inventory in place.

May import ``incident`` and below; not ``retention`` or ``form`` (siblings).
"""
