"""Verify stage, the METS side of ``verify``: every METS file read, validated and checked.

Runs in the main process once the forked worker is listing and hashing the package
(``hashshare``); imported only then, so the worker starts before lxml and the rules are
loaded. The package METS and each representation METS it points to are read (streamed into
slim trees where plainly valid), validated, and held to the CSIP/SIP requirements; the result
is the list of files to compare (``fixity.tasks``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from arkivlucka.core.findings import error, warning
from arkivlucka.delivery import fixity, metsread
from arkivlucka.delivery.check_names import match_names
from arkivlucka.delivery.hashshare import Walk
from arkivlucka.delivery.metsread import IDS, NotPlain, Slim
from arkivlucka.delivery.reader import PackageReader
from arkivlucka.delivery.scope import check_package
from arkivlucka.delivery.verify_read import Plan, read_mets, rep_mets, shipped
from arkivlucka.delivery.verify_read import plan as mets_plan
from arkivlucka.xmldoc.validate import validate_tree

if TYPE_CHECKING:
    from arkivlucka.delivery.verify import VerifyResult


def check_metadata(
    reader: PackageReader,
    path: Path,
    schema_dir: Path | None,
    result: VerifyResult,
    walked: Callable[[], object],
    now: datetime,
) -> list[fixity.Task] | None:
    """Parse, validate and check METS (and representation METS); return what to compare.

    Each METS file is read as a stream into a slim tree (``metsread``); when a check needs a
    document whole to report exactly, everything is done again with whole trees. The worker
    reads the representation METS files meanwhile (``verify_read.side_job``) when the
    streamed reading is possible at all.
    """
    known = len(result.findings)
    plan = mets_plan(schema_dir)
    side = walked if isinstance(walked, Walk) and walked.has_side and plan is not None else None
    try:  # ``walked`` waits for the listing once; called again it returns at once
        return _check_mets(reader, path, schema_dir, result, walked, now, plan, side)
    except NotPlain:
        del result.findings[known:]
        return _check_mets(reader, path, schema_dir, result, walked, now, None, None)


def _check_mets(
    reader: PackageReader,
    path: Path,
    schema_dir: Path | None,
    result: VerifyResult,
    walked: Callable[[], object],
    now: datetime,
    plan: Plan | None,
    side: Walk | None,
) -> list[fixity.Task] | None:
    """``check_metadata``: streamed with ``plan`` (None: whole trees).

    ``side``: the worker reads the representation METS files (``preread``).
    """
    docs: list[tuple[str, etree._ElementTree, Slim | None]] = []
    canon: dict[str, str] | None = {} if plan is not None else None
    read = read_mets(reader, "METS.xml", plan, result.findings, canon)
    if read is None:
        return None
    docs.append(("METS.xml", *read))
    root = read[0].getroot()
    listings = list(metsread.listings(root, "METS.xml", read[1]))
    walked()
    if canon is not None:  # one string per path in the listing and the METS files
        reader.sizes = {canon.setdefault(k, k): v for k, v in reader.sizes.items()}
    for item in [i for i in listings if i.kind == "mptr"]:
        if item.path in reader.sizes and item.path.endswith(".xml"):
            rep: tuple[etree._ElementTree, Slim | None] | None = None
            if side is not None and rep_mets(item.path):  # read by the worker meanwhile
                rep = shipped(side.side(), item.path)
            if rep is None:
                rep = read_mets(reader, item.path, plan, result.findings, canon)
            if rep is not None:
                docs.append((item.path, *rep))
                listings += metsread.listings(rep[0].getroot(), item.path, rep[1])
    del canon
    listings = match_names(reader.sizes, listings, result.findings, lambda kind: IDS[kind][0])
    tasks = fixity.tasks(reader, listings, result.findings)
    for rel, parsed, slim in docs:
        if slim is None:  # a streamed reading was validated as it was read
            result.findings += validate_tree(parsed, rel, external_dir=schema_dir)
    found, result.skipped, result.sip, result.version = check_package(
        [(rel, t.getroot()) for rel, t, _ in docs],
        frozenset(reader.sizes),
        str(path),
        reader.root_name,
        now,
        [slim for _, _, slim in docs],
    )
    result.findings += found
    result.checked = True
    if root.get("OBJID") and root.get("OBJID") != reader.root_name:
        result.findings.append(
            warning(
                "CSIPSTR2",
                f"the root folder '{reader.root_name}' is not named by the OBJID "
                f"'{root.get('OBJID')}'",
                file=str(path),
            )
        )
    listed = {i.path for i in listings}
    for rel in sorted(set(reader.sizes) - listed - {"METS.xml"}):
        result.findings.append(
            error(
                "file-unlisted",
                f"{rel} is in the package but not listed in any METS file",
                file=str(path),
                path=rel,
            )
        )
    return tasks
