"""Benchmark helper: the least any `verify` written on this stack must do, as a program to time.

`python stack_floor.py PACKAGE` starts Python, imports click and lxml (what the CLI loads),
compiles the METS schema with its CSIP and SIP extensions (found and loaded as arkivlucka
does, from the installed official schemas), lists the package, parses and XSD-validates every
METS.xml with lxml, and reads and SHA-256-hashes every other file,
on two processes: the files and the METS documents are split in halves between them. It
checks nothing and compares nothing, and leaves without freeing its objects, so it is a floor,
not a verifier; `bench_package.py`
times `arkivlucka verify` against it and it against `openssl dgst -sha256`, which shows how
much of the distance to openssl is the stack's own and how much is arkivlucka's.
"""

from __future__ import annotations

import hashlib
import os
import sys

import click  # noqa: F401  (loaded by the CLI too: part of the floor)
from lxml import etree


def _files(root: str) -> list[str]:
    out = []
    for folder, _, names in os.walk(root):
        out += [os.path.join(folder, n) for n in names]
    return sorted(out)


def _hash(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _validate(path: str, schema: etree.XMLSchema) -> None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    if not schema.validate(etree.parse(path, parser)):
        raise SystemExit(f"{path}: not valid: {schema.error_log.last_error}")


def _mets_schema() -> etree.XMLSchema:
    from arkivlucka.xmldoc import schemas

    info = schemas.lookup("http://www.loc.gov/METS/", "mets")
    assert info is not None
    return schemas.schema_for(info)


def main(package: str) -> int:
    """Validate the METS files and hash the others, half each on a forked child and here."""
    files = _files(package)
    mets = [p for p in files if os.path.basename(p) == "METS.xml"]
    rest = [p for p in files if os.path.basename(p) != "METS.xml"]
    schema = _mets_schema()
    pid = os.fork()
    mine = 0 if pid == 0 else 1  # the child takes the even places, this process the odd
    for path in mets[mine::2]:
        _validate(path, schema)
    half = len(rest) // 2
    for path in rest[:half] if mine == 0 else rest[half:]:
        _hash(path)
    if pid == 0:
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    return 0 if status == 0 else 1


if __name__ == "__main__":
    code = main(sys.argv[1])
    sys.stdout.flush()
    os._exit(code)  # without freeing every object first, as the CLI leaves (``cli.leave``)
