"""The incident file stage.

The model, the YAML/JSON node tree that remembers lines, loading with
every problem reported at once, writing the format back, and the rules across fields.

May import ``xmldoc``, ``files`` and ``core``.
"""
