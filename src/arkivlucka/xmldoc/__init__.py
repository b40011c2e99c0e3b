"""XML documents stage.

Hardened parsing (no DTDs, entities or network), the registry of schemas by
namespace and root, validation with file:line findings, element builders.

May import ``files`` and ``core``.
"""
