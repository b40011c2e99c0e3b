"""Package stage, selection: one package per records creator (``creator``), chosen by name or key.

FGS Paketstruktur 1.2 (and E-ARK SIP's SIP9) allow one archivist agent per package, so an
incident with several records creators is delivered as one package for each.
"""

from __future__ import annotations

from dataclasses import replace

from arkivlucka.core.errors import InputError
from arkivlucka.core.findings import error
from arkivlucka.entries.build import creator_keys
from arkivlucka.incident.load import LoadedIncident


def only_creator(loaded: LoadedIncident, wanted: str) -> LoadedIncident:
    """The incident narrowed to the one records creator named ``wanted`` (its name or key).

    The name is compared without regard to case and runs of white space; an unknown name is
    refused with the names the incident does have.
    """
    creators = loaded.incident.records_creators
    keys = creator_keys(creators)
    norm = " ".join(wanted.split()).casefold()
    chosen = [
        c for c, k in zip(creators, keys, strict=True)
        if norm in (" ".join(c.name.split()).casefold(), k.casefold())
    ]  # fmt: skip
    if len(chosen) != 1:
        names = ", ".join(c.name for c in creators) or "none"
        msg = f"the incident has no records creator '{wanted}' (it has: {names})"
        raise InputError(f"{loaded.file}: {msg}", [error("unknown-creator", msg, file=loaded.file, param="creator")])  # fmt: skip
    key = keys[creators.index(chosen[0])]
    if creator_keys(tuple(chosen)) != [key]:
        msg = (
            f"'{chosen[0].name}' shares its folder name with another records creator; "
            "package it together with the others"
        )
        raise InputError(f"{loaded.file}: {msg}", [error("unknown-creator", msg, file=loaded.file, param="creator")])  # fmt: skip
    return replace(loaded, incident=replace(loaded.incident, records_creators=tuple(chosen)))
