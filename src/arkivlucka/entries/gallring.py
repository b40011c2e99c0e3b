"""Build-XML stage: the FGS-style ``Gallring`` block of a lost record (``culling.Assessment``)."""

from __future__ import annotations

from lxml import etree

from arkivlucka.retention.assess import Assessment
from arkivlucka.xmldoc.build import Builder
from arkivlucka.xmldoc.schemas import NS_ARKIVREDOVISNING as NS

_METHOD = {"plan_code": "kod", "record_type": "handlingstyp"}


_sub = Builder(NS).add


def add_gallring(parent: etree._Element, a: Assessment) -> etree._Element:
    """Append ``<Gallring Gallras=".." FristUtgangen="..">`` for ``a`` to ``parent``."""
    el = _sub(parent, "Gallring")
    el.set("Gallras", "true" if a.cull else "false")
    if a.expired is not None:
        el.set("FristUtgangen", "true" if a.expired else "false")
    if a.cull and a.row.frist is not None:
        _sub(el, "GallringsFrist", a.row.frist.text)
    if a.runs_out is not None:
        _sub(el, "GallringsPeriodSlut", a.runs_out.isoformat())
    _sub(el, "GallringsForklaring", a.explanation)
    plan = _sub(el, "Plan")
    plan.set("Matchning", _METHOD[a.method])
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
        if value:
            _sub(plan, tag, value)
    _sub(el, "Forlustklassning", a.classification)
    return el
