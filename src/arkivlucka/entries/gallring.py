"""Build-XML stage: the FGS-style ``Gallring`` block of a lost record (``culling.Assessment``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from arkivlucka.xmldoc.build import TextDocument

if TYPE_CHECKING:
    from arkivlucka.retention.assess import Assessment

_METHOD = {"plan_code": "kod", "record_type": "handlingstyp"}


def write_gallring(w: TextDocument, a: Assessment) -> None:
    """Write ``<Gallring Gallras=".." FristUtgangen="..">`` for ``a`` into the entry ``w``."""
    expired = None if a.expired is None else ("true" if a.expired else "false")
    w.start("Gallring", Gallras="true" if a.cull else "false", FristUtgangen=expired)
    if a.cull and a.row.frist is not None:
        w.add("GallringsFrist", a.row.frist.text)
    if a.runs_out is not None:
        w.add("GallringsPeriodSlut", a.runs_out.isoformat())
    w.add("GallringsForklaring", a.explanation)
    w.start("Plan", Matchning=_METHOD[a.method])
    for tag, value in (
        ("Namn", a.meta.name),
        ("Version", a.meta.version),
        ("Beslut", a.meta.decision()),
        ("Klass", a.row.code),
        ("Nr", a.row.id),
        ("Processnamn", a.row.process),
        ("Handlingstyp", a.row.record_type),
        ("Forvaring", a.row.storage),
    ):
        w.opt(tag, value)
    w.end()
    w.add("Forlustklassning", a.classification)
    w.end()
