"""Verify stage, requirements of the METS header: CSIP7-16, CSIP117 and the SIP header rules.

The creating software's agent (CSIP10-16), read from the requirement text: the agent with
ROLE=CREATOR, TYPE=OTHER and OTHERTYPE=SOFTWARE; other agents (a SIP's submitter, a
validator) are not held to those rules. A SIP's package METS also gets SIP3-31: its record
status, altRecordIDs and agents. Severity as in ``rules``.
"""

from __future__ import annotations

from lxml import etree

from arkivlucka.delivery import vocab as V
from arkivlucka.delivery.check_context import SIP_PROFILE, C, Ctx, M, blank, text


def _software_agent(c: Ctx, agents: list[etree._Element], hdr: etree._Element) -> None:
    def right(a: etree._Element) -> bool:
        return bool(a.get("ROLE") == "CREATOR" and a.get("TYPE") == "OTHER")

    software = [a for a in agents if a.get("OTHERTYPE") == "SOFTWARE"]
    # the creating software is the CREATOR TYPE=OTHER among them; other software agents (a
    # validator, say) are not held to CSIP10-16 unless none has both
    soft = [a for a in software if right(a)]
    if not soft and len(software) > 1:
        # the three criteria spread over several agents: no one agent is the creating software
        c.add("CSIP11", "no agent has ROLE=CREATOR, TYPE=OTHER and OTHERTYPE=SOFTWARE together; the creating software's agent must", hdr)  # fmt: skip
    soft = soft or [a for a in software if a.get("ROLE") == "CREATOR"] or software
    if not soft:
        creators = [a for a in agents if a.get("ROLE") == "CREATOR"]
        others = [a for a in creators if a.get("TYPE") == "OTHER"]
        odd = [a for a in creators if a.get("TYPE") not in ("OTHER", "ORGANIZATION", "INDIVIDUAL")]
        for a in others:  # the software agent, mistyped: its name and version still count
            c.add("CSIP13", f"the software agent has OTHERTYPE '{a.get('OTHERTYPE') or ''}', not SOFTWARE", a)  # fmt: skip
            _name_and_version(c, a)
        for a in odd if not others else []:
            c.add("CSIP12", f"the CREATOR agent has TYPE '{a.get('TYPE') or ''}', not OTHER", a)
        if not others and not odd:
            c.add("CSIP10", "no agent records the creating software (ROLE=CREATOR TYPE=OTHER OTHERTYPE=SOFTWARE)", hdr)  # fmt: skip
            if not creators:
                c.add("CSIP11", "no agent has ROLE=CREATOR", hdr)
        return
    sure = all(right(a) for a in soft)  # else the mistyped software agent is reported
    for a in agents if sure else ():  # another CREATOR of TYPE OTHER not saying what it is
        if a not in soft and right(a) and blank(a.get("OTHERTYPE")):
            c.warn("CSIP13", "an agent with ROLE=CREATOR and TYPE=OTHER has no OTHERTYPE; CSIP reads a CREATOR of TYPE OTHER as the creating software (OTHERTYPE=SOFTWARE): say what this agent is", a)  # fmt: skip
    for a in soft:
        if a.get("ROLE") != "CREATOR":
            c.add("CSIP11", f"the software agent has ROLE '{a.get('ROLE') or ''}', not CREATOR", a)
        if a.get("TYPE") != "OTHER":
            c.add("CSIP12", f"the software agent has TYPE '{a.get('TYPE') or ''}', not OTHER", a)
        _name_and_version(c, a)


def _name_and_version(c: Ctx, a: etree._Element) -> None:
    """CSIP14-16: the software agent's one name and its one note, typed as the version."""
    names = a.findall(f"{M}name")
    if len(names) != 1 or not text(names[0]):
        c.add("CSIP14", "the software agent needs exactly one non-empty name", a)
    notes = a.findall(f"{M}note")
    if len(notes) != 1 or not text(notes[0]):
        c.add("CSIP15", "the software agent needs exactly one non-empty note (the version)", a)
    if not any(n.get(f"{C}NOTETYPE") == "SOFTWARE VERSION" for n in notes):
        # no note at all: no typed one either (the official Schematron's CSIP16 says so too)
        c.add("CSIP16", 'the version note needs csip:NOTETYPE="SOFTWARE VERSION"', notes[0] if notes else a)  # fmt: skip


def check_header(c: Ctx) -> None:
    """CSIP7-16 and CSIP117 on ``c``'s metsHdr; for a SIP's package METS, SIP3-31 too."""
    hdrs = c.root.findall(f"{M}metsHdr")
    if len(hdrs) != 1:
        c.add("CSIP117", f"{len(hdrs)} metsHdr elements; there must be exactly one", c.root)
    if not hdrs:
        return
    hdr = hdrs[0]
    if blank(hdr.get("CREATEDATE")):
        c.add("CSIP7", "metsHdr/@CREATEDATE is missing", hdr)
    if hdr.get("LASTMODDATE") is None:
        c.add("CSIP8", "metsHdr/@LASTMODDATE is missing", hdr)
    ptype = hdr.get(f"{C}OAISPACKAGETYPE")
    types = c.vocab(V.OAIS_PACKAGE_TYPE, "CSIP9")
    if ptype is None:
        c.add("CSIP9", "metsHdr/@csip:OAISPACKAGETYPE is missing", hdr)
    elif types is not None and ptype not in types:
        c.add("CSIP9", f"csip:OAISPACKAGETYPE '{ptype}' is not in the vocabulary", hdr, hard=True)
    if not c.sip and not c.rep and ptype == "SIP":
        profile = c.root.get("PROFILE")
        said = "gives no profile" if blank(profile) else f"has the profile '{profile}'"
        c.warn(
            "SIP2",
            f"the package is of type SIP but {said}, not {SIP_PROFILE}: checked as a CSIP "
            "package, not against the SIP requirements",
            hdr,
        )
    if c.sip and ptype != "SIP":
        c.add(
            "SIP4",
            f"the package uses the SIP profile but its type is '{ptype or ''}', not SIP",
            hdr,
        )
    agents = hdr.findall(f"{M}agent")
    if not agents:
        c.add("CSIP10", "metsHdr has no agent (the creating software)", hdr)
    else:
        _software_agent(c, agents, hdr)
    if c.sip and not c.rep:
        _sip_header(c, hdr, agents)


#: SIP5-8: the altRecordID references a SIP's header may hold (id, TYPE, at most once)
_ALT_IDS = (
    ("SIP5", "SUBMISSIONAGREEMENT", True),
    ("SIP6", "PREVIOUSSUBMISSIONAGREEMENT", False),
    ("SIP7", "REFERENCECODE", True),
    ("SIP8", "PREVIOUSREFERENCECODE", False),
)
_ALT_NAMES = {
    "SUBMISSIONAGREEMENT": "submission agreement",
    "REFERENCECODE": "archival reference code",
}


def _notes_typed(c: Ctx, rid: str, agent: etree._Element, who: str) -> None:
    for note in agent.findall(f"{M}note"):
        if note.get(f"{C}NOTETYPE") != "IDENTIFICATIONCODE":
            c.add(rid, f"the {who} agent's note needs csip:NOTETYPE=IDENTIFICATIONCODE", note)


def _sip_header(c: Ctx, hdr: etree._Element, agents: list[etree._Element]) -> None:
    status = hdr.get("RECORDSTATUS")
    statuses = c.vocab(V.RECORD_STATUS, "SIP3")
    if status is not None and statuses is not None and status not in statuses:
        c.add("SIP3", f"metsHdr/@RECORDSTATUS '{status}' is not in the vocabulary", hdr, hard=True)
    for rid, kind, once in _ALT_IDS:
        alts = hdr.findall(f"{M}altRecordID[@TYPE='{kind}']")
        if once and len(alts) > 1:
            c.info(rid, f"more than one altRecordID TYPE={kind} (0..1)", hdr)
        elif once and not alts:
            c.info(rid, f"no altRecordID TYPE={kind}: the package gives no {_ALT_NAMES[kind]}", hdr)
        for alt in alts:
            if not text(alt):
                c.add(rid, f"altRecordID TYPE={kind} is empty; it must give the reference", alt, hard=True)  # fmt: skip
    for a in agents:
        if blank(a.get("ROLE")):
            c.add("SIP10", "an agent has no ROLE", a)
    archivists = [a for a in agents if a.get("ROLE") == "ARCHIVIST"]
    if len(archivists) > 1:
        c.info("SIP9", f"{len(archivists)} archival creator agents (the profile expects 0..1)", hdr)
    for a in archivists:
        if a.get("TYPE") not in ("ORGANIZATION", "INDIVIDUAL"):
            c.add("SIP11", "the archival creator agent must be ORGANIZATION or INDIVIDUAL", a)
        _notes_typed(c, "SIP14", a, "archival creator")
    submitters = [
        a for a in agents
        if (a.get("ROLE") == "CREATOR" and a.get("TYPE") == "ORGANIZATION")
        or (a.get("ROLE") == "OTHER" and a.get("OTHERROLE") == "SUBMITTER")
    ]  # fmt: skip
    if len(submitters) != 1:
        c.add("SIP15", f"{len(submitters)} submitting agents (ROLE=CREATOR TYPE=ORGANIZATION or ROLE=OTHER OTHERROLE=SUBMITTER); there must be one", hdr)  # fmt: skip
    for a in submitters:
        if a.get("TYPE") not in ("ORGANIZATION", "INDIVIDUAL"):
            c.add("SIP17", "the submitting agent must be ORGANIZATION or INDIVIDUAL", a)
        if not text(a.find(f"{M}name")):
            c.info("SIP18", "the submitting agent has no name", a)
        _notes_typed(c, "SIP20", a, "submitting")
    for a in agents:
        if (
            a.get("ROLE") == "CREATOR"
            and a.get("TYPE") == "INDIVIDUAL"
            and not text(a.find(f"{M}name"))
        ):
            c.add("SIP24", "the contact person agent has no name", a)
    keepers = [a for a in agents if a.get("ROLE") == "PRESERVATION"]
    if len(keepers) > 1:
        c.info("SIP26", f"{len(keepers)} preservation agents (0..1)", hdr)
    for a in keepers:
        if a.get("TYPE") != "ORGANIZATION":
            c.add("SIP28", "the preservation agent must be an ORGANIZATION", a)
        if not text(a.find(f"{M}name")):
            c.info("SIP29", "the preservation agent has no name", a)
        _notes_typed(c, "SIP31", a, "preservation")
