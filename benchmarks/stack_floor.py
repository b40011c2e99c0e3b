"""Benchmark helper: the least any `verify` written on this stack must do, as a program to time.

`python stack_floor.py PACKAGE` starts Python, imports click and lxml (what the CLI loads),
compiles the METS schema with its CSIP and SIP extensions (found and loaded as arkivlucka
does, from the installed official schemas), lists the package, parses and XSD-validates every
METS.xml and every metadata document (`metadata/**/*.xml`, against the schema its root calls
for) with lxml, and reads and SHA-256-hashes every other file, on two processes: the files
and the documents are split in fixed halves between them (fair for files of like sizes, as
the small-file rows of `bench_package.py` are; not for a mixed payload). It checks nothing
else and compares nothing, and leaves without freeing its objects, so it is a floor, not a
verifier; `bench_package.py` times `arkivlucka verify` against it and it against `openssl
dgst -sha256`, which shows how much of the distance to openssl is the stack's own and how
much is arkivlucka's.
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


def _valid(path: str) -> bool:
    """``path`` parsed and validated against the schema its root calls for (unknown: parsed)."""
    from arkivlucka.xmldoc import schemas

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    tree = etree.parse(path, parser)
    name = etree.QName(tree.getroot())
    info = schemas.lookup(name.namespace, name.localname)
    return info is None or schemas.schema_for(info).validate(tree)


def main(package: str) -> int:
    """Validate the documents and hash the other files, half each on a forked child and here."""
    from arkivlucka.xmldoc import schemas

    files = _files(package)
    meta = os.path.join(package, "metadata") + os.sep
    docs = [
        p
        for p in files
        if os.path.basename(p) == "METS.xml" or (p.startswith(meta) and p.endswith(".xml"))
    ]
    known = set(docs)
    rest = [p for p in files if p not in known]
    info = schemas.lookup("http://www.loc.gov/METS/", "mets")
    assert info is not None
    schemas.schema_for(info)  # compiled before the fork, as verify's streamed reading needs
    pid = os.fork()
    mine = 0 if pid == 0 else 1  # the child takes the even places, this process the odd
    ok = all([_valid(path) for path in docs[mine::2]])
    half = len(rest) // 2
    for path in rest[:half] if mine == 0 else rest[half:]:
        _hash(path)
    if pid == 0:
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    return 0 if ok and status == 0 else 1


if __name__ == "__main__":
    code = main(sys.argv[1])
    sys.stdout.flush()
    os._exit(code)  # without freeing every object first, as the CLI leaves (``cli.leave``)
