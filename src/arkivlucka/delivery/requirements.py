"""Verify stage, the requirement table: every CSIP 2.1.0 and SIP 2.1.0 requirement by id.

Built once from the official METS profiles (id, level, cardinality, METS location and the
requirement's short name; the CSIPSTR structure requirements from the CSIP text) with how
``verify`` checks each one, or why it cannot. ``finding`` turns a breach into a finding named
by the id, its severity from the level: MUST → error, SHOULD → warning, MAY → info.
``docs/package.md`` shows the same table (a test keeps them equal).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from arkivlucka.core.findings import Finding, Severity

SPEC_URLS = {
    "CSIP": "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml",
    "SIP": "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml",
}
VERSION = "2.1.0"
LEVEL_SEVERITY = {"MUST": Severity.ERROR, "SHOULD": Severity.WARNING, "MAY": Severity.INFO}


@dataclass(frozen=True)
class Requirement:
    """One requirement of the CSIP or SIP specification."""

    id: str
    level: str
    cardinality: str
    location: str
    name: str
    how: str

    @property
    def spec(self) -> str:
        """``CSIP`` or ``SIP``."""
        return "SIP" if self.id.startswith(("SIP", "REF_CSIP")) else "CSIP"

    @property
    def checked(self) -> bool:
        """Whether verify checks it (else ``how`` says why not)."""
        return not self.how.startswith("not checked")


# id | level | cardinality | METS location | name | how verify checks it
_TABLE = """
CSIPSTR1|MUST|1..1|package root|Single root folder|a folder or a zip that unpacks to one folder
CSIPSTR2|SHOULD|1..1|package root|Package identifier as folder name|the root folder is named by mets/@OBJID (warning)
CSIPSTR3|MAY|0..1|package root|Compressed package|a zip is read in place; other archive formats are not read (not a package)
CSIPSTR4|MUST|1..1|METS.xml|Package METS file|METS.xml (exactly that case) in the root folder
CSIPSTR5|SHOULD|0..1|metadata/|Metadata folder|warning when the METS has metadata but there is no metadata/ folder
CSIPSTR6|SHOULD|0..1|metadata/preservation/|Preservation metadata folder|warning when a digiprovMD file is not under metadata/preservation/
CSIPSTR7|SHOULD|0..1|metadata/descriptive/|Descriptive metadata folder|warning when a dmdSec file is not under metadata/descriptive/
CSIPSTR8|MAY|0..n|metadata/other/|Other metadata folders|not checked: any folder allowed
CSIPSTR9|SHOULD|0..1|representations/|Representations folder|warning when there is no representations/ folder
CSIPSTR10|SHOULD|0..n|representations/<rep>/|Representation folders|warning for a file directly in representations/
CSIPSTR11|SHOULD|0..1|representations/<rep>/data/|Representation data folder|warning when a representation has no data/ folder
CSIPSTR12|SHOULD|0..1|representations/<rep>/METS.xml|Representation METS file|warning when a representation has no METS.xml
CSIPSTR13|SHOULD|0..1|representations/<rep>/metadata/|Representation metadata folder|warning when a representation METS has metadata but the representation has no metadata/ folder
CSIPSTR14|MAY|0..n|any|Additional folders|not checked: any folder allowed
CSIPSTR15|SHOULD|0..1|schemas/|Schemas folder|warning when the package has XML files but no schemas/ folder
CSIPSTR16|SHOULD|0..1|documentation/|Documentation folder|warning when there is no documentation/ folder
CSIP1|MUST|1..1|mets/@OBJID|Package Identifier|present and not empty; should be the name of the package root folder (representation METS: of the representation folder): warning
CSIP2|MUST|1..1|mets/@TYPE|Content Category|present; a term of CSIPVocabularyContentCategory ("OTHER" accepted beside "Other"); OTHER needs csip:OTHERTYPE
CSIP3|SHOULD|0..1|mets[@TYPE='OTHER']/@csip:OTHERTYPE|Other Content Category|TYPE Other/OTHER: csip:OTHERTYPE present and not empty (error: the text says MUST); csip:OTHERTYPE given while TYPE is not OTHER (warning)
CSIP4|SHOULD|0..1|mets/@csip:CONTENTINFORMATIONTYPE|Content Information Type Specification|a term of CSIPVocabularyContentInformationType when given (error otherwise); missing: warning; OTHER without csip:OTHERCONTENTINFORMATIONTYPE: error beside CSIP5 (the official Schematron's CSIP4 test holds that condition, as its CSIP2 test holds OTHERTYPE's)
CSIP5|MAY|0..1|mets[@csip:CONTENTINFORMATIONTYPE='OTHER']/@csip:OTHERCONTENTINFORMATIONTYPE|Other Content Information Type Specification|CONTENTINFORMATIONTYPE OTHER: csip:OTHERCONTENTINFORMATIONTYPE present; given without OTHER: error
CSIP6|MUST|1..1|mets/@PROFILE|METS Profile|present and not empty
CSIP117|MUST|1..1|mets/metsHdr|Package header|exactly one
CSIP7|MUST|1..1|mets/metsHdr/@CREATEDATE|Package creation datetime|present; not in the future
CSIP8|SHOULD|0..1|mets/metsHdr/@LASTMODDATE|Package last modification datetime|present (warning when missing); not in the future nor before CREATEDATE (error)
CSIP9|MUST|1..1|mets/metsHdr/@csip:OAISPACKAGETYPE|OAIS Package type information|present; a term of CSIPVocabularyOAISPackageType
CSIP10|MUST|1..n|mets/metsHdr/agent|Agent|at least one agent
CSIP11|MUST|1..1|mets/metsHdr/agent[@ROLE='CREATOR']|Agent role|an agent with ROLE=CREATOR; the software agent's ROLE is CREATOR; no agent with ROLE=CREATOR, TYPE=OTHER and OTHERTYPE=SOFTWARE together when several agents are software
CSIP12|MUST|1..1|mets/metsHdr/agent[@TYPE='OTHER']|Agent type|the CREATOR agent has TYPE=OTHER
CSIP13|MUST|1..1|mets/metsHdr/agent[@OTHERTYPE='SOFTWARE']|Agent other type|the CREATOR/OTHER agent has OTHERTYPE=SOFTWARE; another agent with ROLE=CREATOR and TYPE=OTHER but no OTHERTYPE: warning (CSIP reads it as the software)
CSIP14|MUST|1..1|mets/metsHdr/agent/name|Agent name|the software agent has exactly one non-empty name
CSIP15|MUST|1..1|mets/metsHdr/agent/note|Agent additional information|the software agent has exactly one non-empty note
CSIP16|MUST|1..1|mets/metsHdr/agent/note[@csip:NOTETYPE='SOFTWARE VERSION']|Classification of the agent additional information|the note has csip:NOTETYPE="SOFTWARE VERSION" (no note at all: also CSIP16, as the official Schematron)
CSIP17|SHOULD|0..n|mets/dmdSec|Descriptive metadata|package METS: a dmdSec (warning when none); files in metadata/descriptive/ but no dmdSec: error (the text says must); a dmdSec but no file there: warning
CSIP18|MUST|1..1|mets/dmdSec/@ID|Descriptive metadata identifier|present; unique in the METS file
CSIP19|MUST|1..1|mets/dmdSec/@CREATED|Descriptive metadata creation datetime|present
CSIP20|SHOULD|0..1|mets/dmdSec/@STATUS|Status of the descriptive metadata|a term of CSIPVocabularyStatus when given (error otherwise); missing: warning
CSIP21|SHOULD|0..1|mets/dmdSec/mdRef|Reference to the document with the descriptive metadata|exactly one mdRef (warning otherwise, also for metadata embedded in an mdWrap instead)
CSIP22|MUST|1..1|mets/dmdSec/mdRef[@LOCTYPE='URL']|Type of locator|LOCTYPE=URL
CSIP23|MUST|1..1|mets/dmdSec/mdRef[@xlink:type='simple']|Type of link|xlink:type=simple
CSIP24|MUST|1..1|mets/dmdSec/mdRef/@xlink:href|Resource location|present; the file is in the package (letter case and Unicode form differences named)
CSIP25|MUST|1..1|mets/dmdSec/mdRef/@MDTYPE|Type of metadata|present
CSIP26|MUST|1..1|mets/dmdSec/mdRef/@MIMETYPE|File mime type|present; an IANA media type (as CSIP68)
CSIP27|MUST|1..1|mets/dmdSec/mdRef/@SIZE|File size|present; a whole number; equal to the file's size (LF↔CRLF noted)
CSIP28|MUST|1..1|mets/dmdSec/mdRef/@CREATED|File creation datetime|present
CSIP29|MUST|1..1|mets/dmdSec/mdRef/@CHECKSUM|File checksum|present; equal to the file's checksum (LF↔CRLF noted)
CSIP30|MUST|1..1|mets/dmdSec/mdRef/@CHECKSUMTYPE|File checksum type|present; an algorithm verify can compute
CSIP31|SHOULD|0..1|mets/amdSec|Administrative metadata|package METS: one amdSec (warning when none or several); files in metadata/preservation/ but no amdSec: error (the text says must); an amdSec but no file there: warning
CSIP32|SHOULD|0..n|mets/amdSec/digiprovMD|Digital provenance metadata|the amdSec holds a digiprovMD (warning when not)
CSIP33|MUST|1..1|mets/amdSec/digiprovMD/@ID|Digital provenance metadata identifier|present; unique in the METS file
CSIP34|SHOULD|0..1|mets/amdSec/digiprovMD/@STATUS|Status of the digital provenance metadata|as CSIP20
CSIP35|SHOULD|0..1|mets/amdSec/digiprovMD/mdRef|Reference to the document with the digital provenance metadata|as CSIP21
CSIP36|MUST|1..1|mets/amdSec/digiprovMD/mdRef[@LOCTYPE='URL']|Type of locator|LOCTYPE=URL
CSIP37|MUST|1..1|mets/amdSec/digiprovMD/mdRef[@xlink:type='simple']|Type of link|xlink:type=simple
CSIP38|MUST|1..1|mets/amdSec/digiprovMD/mdRef/@xlink:href|Resource location|present; the file is in the package (letter case and Unicode form differences named)
CSIP39|MUST|1..1|mets/amdSec/digiprovMD/mdRef/@MDTYPE|Type of metadata|present
CSIP40|MUST|1..1|mets/amdSec/digiprovMD/mdRef/@MIMETYPE|File mime type|present; an IANA media type (as CSIP68)
CSIP41|MUST|1..1|mets/amdSec/digiprovMD/mdRef/@SIZE|File size|present; a whole number; equal to the file's size (LF↔CRLF noted)
CSIP42|MUST|1..1|mets/amdSec/digiprovMD/mdRef/@CREATED|File creation datetime|present
CSIP43|MUST|1..1|mets/amdSec/digiprovMD/mdRef/@CHECKSUM|File checksum|present; equal to the file's checksum (LF↔CRLF noted)
CSIP44|MUST|1..1|mets/amdSec/digiprovMD/mdRef/@CHECKSUMTYPE|File checksum type|present; an algorithm verify can compute
CSIP45|MAY|0..n|mets/amdSec/rightsMD|Rights metadata|not checked: optional, any rights standard
CSIP46|MUST|1..1|mets/amdSec/rightsMD/@ID|Rights metadata identifier|present; unique in the METS file
CSIP47|SHOULD|0..1|mets/amdSec/rightsMD/@STATUS|Status of the rights metadata|as CSIP20
CSIP48|SHOULD|0..1|mets/amdSec/rightsMD/mdRef|Reference to the document with the rights metadata|as CSIP21
CSIP49|MUST|1..1|mets/amdSec/rightsMD/mdRef[@LOCTYPE='URL']|Type of locator|LOCTYPE=URL
CSIP50|MUST|1..1|mets/amdSec/rightsMD/mdRef[@xlink:type='simple']|Type of locator|xlink:type=simple
CSIP51|MUST|1..1|mets/amdSec/rightsMD/mdRef/@xlink:href|Resource location|present; the file is in the package (letter case and Unicode form differences named)
CSIP52|MUST|1..1|mets/amdSec/rightsMD/mdRef/@MDTYPE|Type of metadata|present
CSIP53|MUST|1..1|mets/amdSec/rightsMD/mdRef/@MIMETYPE|File mime type|present; an IANA media type (as CSIP68)
CSIP54|MUST|1..1|mets/amdSec/rightsMD/mdRef/@SIZE|File size|present; a whole number; equal to the file's size (LF↔CRLF noted)
CSIP55|MUST|1..1|mets/amdSec/rightsMD/mdRef/@CREATED|File creation datetime|present
CSIP56|MUST|1..1|mets/amdSec/rightsMD/mdRef/@CHECKSUM|File checksum|present; equal to the file's checksum (LF↔CRLF noted)
CSIP57|MUST|1..1|mets/amdSec/rightsMD/mdRef/@CHECKSUMTYPE|File checksum type|present; an algorithm verify can compute
CSIP58|SHOULD|0..1|mets/fileSec|File section|one fileSec (warning when none or several)
CSIP59|MUST|1..1|mets/fileSec/@ID|File section identifier|present; unique in the METS file
CSIP60|MUST|1..n|mets/fileSec/fileGrp[@USE='Documentation']|Documentation file group|package METS: a fileGrp USE=Documentation
CSIP113|MUST|1..n|mets/fileSec/fileGrp[@USE='Schemas']|Schema file group|package METS: a fileGrp USE=Schemas
CSIP114|MUST|1..n|mets/fileSec/fileGrp[@USE=[starts-with('Representations')]]|Representations file group|package METS: a fileGrp whose USE starts with Representations
CSIP61|MAY|0..1|mets/fileSec/fileGrp/@ADMID|Reference to administrative metadata|when given, names IDs of the METS file that are administrative metadata (amdSec or its sections; error)
CSIP62|SHOULD|0..1|mets/@csip:CONTENTINFORMATIONTYPE="MIXED" or mets/fileSec/fileGrp[@USE=[starts-with('Representations')]]/@csip:CONTENTINFORMATIONTYPE|Content Information Type Specification|a Representations fileGrp has csip:CONTENTINFORMATIONTYPE (warning); when given, a vocabulary term (error)
CSIP63|MAY|0..1|mets/fileSec/fileGrp[@csip:CONTENTINFORMATIONTYPE='OTHER']/@csip:OTHERCONTENTINFORMATIONTYPE|Other Content Information Type Specification|fileGrp CONTENTINFORMATIONTYPE OTHER: csip:OTHERCONTENTINFORMATIONTYPE present, and not given without OTHER (errors); the published rule is defective, see below
CSIP64|MUST|1..1|mets/fileSec/fileGrp/@USE|Description of the use of the file group|present; names an existing folder of the package (Documentation → documentation/, Representations/rep1 → representations/rep1/, Data → data/ of a representation; letter case of the first step free)
CSIP65|MUST|1..1|mets/fileSec/fileGrp/@ID|File group identifier|present; unique in the METS file
CSIP66|MUST|1..n|mets/fileSec/fileGrp/file|File|at least one file
CSIP67|MUST|1..1|mets/fileSec/fileGrp/file/@ID|File identifier|present; unique in the METS file
CSIP68|MUST|1..1|mets/fileSec/fileGrp/file/@MIMETYPE|File mimetype|present; an IANA media type (parameters after ';' ignored, case-insensitive) of at most 256 characters
CSIP69|MUST|1..1|mets/fileSec/fileGrp/file/@SIZE|File size|present; a whole number; equal to the file's size (LF↔CRLF noted)
CSIP70|MUST|1..1|mets/fileSec/fileGrp/file/@CREATED|File creation datetime|present
CSIP71|MUST|1..1|mets/fileSec/fileGrp/file/@CHECKSUM|File checksum|present; equal to the file's checksum (LF↔CRLF noted)
CSIP72|MUST|1..1|mets/fileSec/fileGrp/file/@CHECKSUMTYPE|File checksum type|present; an algorithm verify can compute (MD5, SHA-1, SHA-256, SHA-384, SHA-512)
CSIP73|MAY|0..1|mets/fileSec/fileGrp/file/@OWNERID|File original identification|not checked: free identifier
CSIP74|MAY|0..1|mets/fileSec/fileGrp/file/@ADMID|File reference to administrative metadata|when given, names IDs of the METS file that are administrative metadata (amdSec or its sections)
CSIP75|MAY|0..1|mets/fileSec/fileGrp/file/@DMDID|File reference to descriptive metadata|when given, names IDs of the METS file that are dmdSec elements
CSIP76|MUST|1..1|mets/fileSec/fileGrp/file/FLocat|File locator reference|exactly one FLocat per file
CSIP77|MUST|1..1|mets/fileSec/fileGrp/file/FLocat[@LOCTYPE='URL']|Type of locator|LOCTYPE=URL
CSIP78|MUST|1..1|mets/fileSec/fileGrp/file/FLocat[@xlink:type='simple']|Type of link|xlink:type=simple
CSIP79|MUST|1..1|mets/fileSec/fileGrp/file/FLocat/@xlink:href|Resource location|present; the file is in the package (letter case and Unicode form differences named)
CSIP80|MUST|1..n|mets/structMap|Structural description of the package|at least one structMap; not two labelled CSIP
CSIP81|MUST|1..1|mets/structMap[@TYPE='PHYSICAL']|Type of structural description|the CSIP structMap has TYPE=PHYSICAL
CSIP82|MUST|1..1|mets/structMap[@LABEL='CSIP']|Name of the structural description|exactly one structMap with LABEL=CSIP
CSIP83|MUST|1..1|mets/structMap[@LABEL='CSIP']/@ID|Structural description identifier|present; unique in the METS file
CSIP84|MUST|1..1|mets/structMap[@LABEL='CSIP']/div|Main structural division|exactly one div in the CSIP structMap
CSIP85|MUST|1..1|mets/structMap[@LABEL='CSIP']/div/@ID|Main structural division identifier|present; unique in the METS file
CSIP88|MUST|1..1|mets/structMap[@LABEL='CSIP']/div/div[@LABEL='Metadata']|Metadata division|exactly one Metadata div (its absence is an error even when the METS has no metadata sections: the cardinality is 1..1)
CSIP89|MUST|1..1|mets/structMap[@LABEL='CSIP']/div/div[@LABEL='Metadata']/@ID|Metadata division identifier|present; unique in the METS file
CSIP90|MUST|1..1|mets/structMap[@LABEL='CSIP']/div/div[@LABEL='Metadata']|Metadata division label|a div that points to metadata (DMDID/ADMID) is labelled exactly Metadata; no Metadata div at all: also CSIP90, beside CSIP88 (the official Schematron's test for both)
CSIP91|SHOULD|0..1|mets/structMap[@LABEL='CSIP']/div/div[@LABEL='Metadata']/@ADMID|Metadata division references administrative metadata|every CURRENT (or unstated) digiprovMD/rightsMD/techMD/sourceMD ID is in the Metadata div's ADMID (warning); every ID it names is administrative metadata (error)
CSIP92|SHOULD|0..1|mets/structMap[@LABEL='CSIP']/div/div[@LABEL='Metadata']/@DMDID|Metadata division references descriptive metadata|every CURRENT (or unstated) dmdSec ID is in the Metadata div's DMDID (warning); every ID it names is a dmdSec (error)
CSIP93|SHOULD|0..1|mets/structMap[@LABEL='CSIP']/div/div[@LABEL='Documentation']|Documentation division|at most one Documentation div; one when there is a Documentation fileGrp (warning)
CSIP94|MUST|1..1|mets/structMap[@LABEL='CSIP']/div/div[@LABEL='Documentation']/@ID|Documentation division identifier|present; unique in the METS file
CSIP95|MUST|1..1|mets/structMap[@LABEL='CSIP']/div/div[@LABEL='Documentation']|Documentation division label|a Documentation div when there is a Documentation fileGrp; the label exactly Documentation
CSIP96|MUST|0..n|mets/structMap[@LABEL='CSIP']/div/div[@LABEL='Documentation']/fptr|Documentation file references|fptr present; every Documentation fileGrp referenced
CSIP116|MUST|1..1|mets/structMap[@LABEL='CSIP']/div/div[@LABEL='Documentation']/fptr/@FILEID|Documentation file group reference pointer|FILEID names a Documentation fileGrp
CSIP97|SHOULD|0..1|mets/structMap[@LABEL='CSIP']/div/div[@LABEL='Schemas']|Schema division|as CSIP93, for Schemas
CSIP98|MUST|1..1|mets/structMap[@LABEL='CSIP']/div/div[@LABEL='Schemas']/@ID|Schema division identifier|present; unique in the METS file
CSIP99|MUST|1..1|mets/structMap[@LABEL='CSIP']/div/div[@LABEL='Schemas']|Schema division label|as CSIP95, for Schemas
CSIP100|MUST|0..n|mets/structMap[@LABEL='CSIP']/div/div[@LABEL='Schemas']/fptr|Schema file reference|as CSIP96, for Schemas
CSIP118|MUST|1..1|mets/structMap[@LABEL='CSIP']/div/div[@LABEL='Schemas']/fptr/@FILEID|Schema file group reference|FILEID names a Schemas fileGrp
CSIP101|SHOULD|0..1|mets/structMap[@LABEL='CSIP']/div/div[@LABEL='Representations']|Content division|at most one Representations div (warning)
CSIP102|MUST|1..1|mets/structMap[@LABEL='CSIP']/div/div[@LABEL='Representations']/@ID|Content division identifier|present; unique in the METS file
CSIP103|MUST|1..1|mets/structMap[@LABEL='CSIP']/div/div[@LABEL='Representations']|Content division label|a Representations div (or representation divs) when there is a Representations fileGrp; the label exactly Representations
CSIP104|MUST|0..n|mets/structMap[@LABEL='CSIP']/div/div[@LABEL='Representations']/fptr|Content division file references|the Representations div points (fptr or sub-divs) to its file groups; every Representations file group is pointed to by one of the Representations divs
CSIP119|MUST|1..1|mets/structMap[@LABEL='CSIP']/div/div[@LABEL='Representations']/fptr/@FILEID|Content division file group references|FILEID names a Representations fileGrp
CSIP105|SHOULD|0..n|mets/structMap[@LABEL='CSIP']/div/div|Representation division|every representation folder with a METS.xml has a representation div (warning); a representation div whose LABEL names no representation METS: error
CSIP106|MUST|1..1|mets/structMap[@LABEL='CSIP']/div/div/@ID|Representations division identifier|present; unique in the METS file
CSIP107|MUST|1..1|mets/structMap[@LABEL='CSIP']/div/div/@LABEL|Representations division label|Representations/<folder>, the folder existing under representations/
CSIP108|MUST|1..1|mets/structMap[@LABEL='CSIP']/div/div/mptr/@xlink:title|Representations division file references|the mptr's xlink:title present (error), and the ID of a Representations fileGrp (warning: older examples put a description there)
CSIP109|MUST|1..1|mets/structMap[@LABEL='CSIP']/div/div/mptr|Representation METS pointer|exactly one mptr
CSIP110|MUST|1..1|mets/structMap/div/div/mptr/@xlink:href|Resource location|present; in the folder the division LABEL names; the representation METS is in the package
CSIP111|MUST|1..1|mets/structMap/div/div/mptr[@xlink:type='simple']|Type of link|xlink:type=simple
CSIP112|MUST|1..1|mets/structMap/div/div/mptr[@LOCTYPE='URL']|Type of locator|LOCTYPE=URL
REF_METS_1|MAY|||structLink|not checked: structLink is free
REF_METS_2|MAY|||behaviorSec|not checked: behaviorSec is free
SIP1|MAY|0..1|mets/@LABEL|Package name|info when there is no LABEL
SIP2|MUST|1..1|mets/@PROFILE|METS Profile|the SIP rules apply to a package with this profile; a package of type SIP with another profile or none is checked as CSIP, with a warning
SIP3|MAY|0..1|metsHdr/@RECORDSTATUS|Package status|a term of SIPVocabularyRecordStatus when given ("REPLACEMENT" accepted beside the vocabulary's "REPLEACEMENT")
SIP4|MUST|1..1|metsHdr/@csip:OAISPACKAGETYPE|OAIS Package type information|SIP (for a package with the SIP profile)
SIP5|MAY|0..1|metsHdr/altRecordID|Submission agreement|none, or more than one, altRecordID TYPE=SUBMISSIONAGREEMENT (info); one that is present is not empty (error)
SIP6|MAY|0..*|metsHdr/altRecordID|Previous Submission agreement|an altRecordID TYPE=PREVIOUSSUBMISSIONAGREEMENT that is present is not empty (error)
SIP7|MAY|0..1|metsHdr/altRecordID|Archival reference code|none, or more than one, altRecordID TYPE=REFERENCECODE (info); one that is present is not empty (error)
SIP8|MAY|0..*|metsHdr/altRecordID|Previous archival reference code|an altRecordID TYPE=PREVIOUSREFERENCECODE that is present is not empty (error)
SIP9|MAY|0..1|metsHdr/agent|Archival creator agent|at most one ROLE=ARCHIVIST agent (info; arkivlucka writes one per records creator)
SIP10|MUST|1..1|metsHdr/agent/@ROLE|Archival creator agent role|every agent has a ROLE
SIP11|MUST|1..1|metsHdr/agent/@TYPE|Archival creator agent type|an ARCHIVIST agent is ORGANIZATION or INDIVIDUAL
SIP12|MAY|0..*|metsHdr/agent/name|Archival creator agent name|not checked: 0..n
SIP13|MAY|0..1|metsHdr/agent/note|Archival creator agent additional information|not checked: optional
SIP14|MUST|1..1|metsHdr/agent/note/@csip:NOTETYPE|Classification of the archival creator agent additional information|an ARCHIVIST agent's note has csip:NOTETYPE=IDENTIFICATIONCODE
SIP15|MUST|1..1|metsHdr/agent|Submitting agent|exactly one submitting agent (ROLE=CREATOR TYPE=ORGANIZATION, or ROLE=OTHER OTHERROLE=SUBMITTER)
SIP16|MUST|1..1|metsHdr/agent/@ROLE|Submitting agent role|by definition (the submitting agent is found by its ROLE; an agent without ROLE is SIP10)
SIP17|MUST|1..1|metsHdr/agent/@TYPE|Submitting agent type|the submitting agent is ORGANIZATION or INDIVIDUAL
SIP18|MAY|1..1|metsHdr/agent/name|Submitting agent name|info when the submitting agent has no name
SIP19|MAY|0..1|metsHdr/agent/note|Submitting agent additional information|not checked: optional
SIP20|MUST|1..1|metsHdr/agent/note/@csip:NOTETYPE|Classification of the submitting agent additional information|the submitting agent's note has csip:NOTETYPE=IDENTIFICATIONCODE
SIP21|MAY|0..*|metsHdr/agent|Contact person agent|not checked: 0..n
SIP22|MUST|1..1|metsHdr/agent/@ROLE|Contact person agent role|by definition (a contact person is a CREATOR INDIVIDUAL agent)
SIP23|MUST|1..1|metsHdr/agent/@TYPE|Contact person agent type|by definition (a contact person is a CREATOR INDIVIDUAL agent)
SIP24|MUST|1..1|metsHdr/agent/name|Contact person agent name|the contact person agent has a non-empty name
SIP25|MAY|0..*|metsHdr/agent/note|Contact person agent additional information|not checked: free notes
SIP26|MAY|0..1|metsHdr/agent|Preservation agent|at most one PRESERVATION agent (info)
SIP27|MUST|1..1|metsHdr/agent/@ROLE|Preservation agent role|by definition (the preservation agent is the ROLE=PRESERVATION agent)
SIP28|MUST|1..1|metsHdr/agent/@TYPE|Preservation agent type|the preservation agent is ORGANIZATION
SIP29|MAY|1..1|metsHdr/agent/name|Preservation agent name|info when the preservation agent has no name
SIP30|MAY|0..1|metsHdr/agent/note|Preservation agent additional information|not checked: optional
SIP31|MUST|1..1|metsHdr/agent/note/@csip:NOTETYPE|Classification of the preservation agent additional information|the preservation agent's note has csip:NOTETYPE=IDENTIFICATIONCODE
REF_CSIP_1|SHOULD|||Descriptive metadata|by the CSIP dmdSec checks
REF_CSIP_2|SHOULD|||Administrative metadata|by the CSIP amdSec checks
SIP32|MAY|0..1|fileSec/fileGrp/file/@sip:FILEFORMATNAME|File format name|not checked: free text
SIP33|MAY|0..1|fileSec/fileGrp/file/@sip:FILEFORMATVERSION|File format version|not checked: free text
SIP34|MAY|0..1|fileSec/fileGrp/file/@sip:FILEFORMATREGISTRY|File format registry|not checked: free text
SIP35|MAY|0..1|fileSec/fileGrp/file/@sip:FILEFORMATKEY|File format registry key|info when FILEFORMATKEY is given without FILEFORMATREGISTRY
REF_CSIP_3|SHOULD|||Structural description of the package|by the CSIP structMap checks
"""

REQUIREMENTS: dict[str, Requirement] = {
    fields[0]: Requirement(*fields)
    for fields in (line.split("|") for line in _TABLE.strip().splitlines())
}


def finding(rid: str, message: str, *, severity: Severity | None = None, **where: Any) -> Finding:
    """A finding named by requirement ``rid``; severity from its level unless given."""
    level = REQUIREMENTS[rid].level
    return Finding(rid, severity or LEVEL_SEVERITY[level], message, **where)


def error_of(rid: str, message: str, **where: Any) -> Finding:
    """A finding named by ``rid`` that is an error whatever its level.

    For a value breaking a closed vocabulary, or a conditional "must" of the requirement text.
    """
    return finding(rid, message, severity=Severity.ERROR, **where)


def requirements_markdown() -> str:
    """The requirement table as Markdown, as ``docs/package.md`` shows it."""
    sev = {"MUST": "error", "SHOULD": "warning", "MAY": "info"}
    lines = [
        "| id | level | finding | METS location (cardinality) | requirement | how verify checks it |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in REQUIREMENTS.values():
        where = f"`{r.location}` ({r.cardinality})" if r.location else ""
        shown = sev[r.level] if r.checked else "—"
        cells = [r.id, r.level, shown, where, r.name, r.how]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"
