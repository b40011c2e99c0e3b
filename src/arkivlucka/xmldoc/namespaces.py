"""XML documents: every namespace and profile URI arkivlucka reads or writes, stated once."""

from __future__ import annotations

#: our own documents
ARKIVREDOVISNING = "urn:arkivlucka:arkivredovisning:1.0"
ARKIVFORTECKNING = "urn:arkivlucka:arkivforteckning:1.0"
#: METS and the E-ARK CSIP/SIP extensions
METS = "http://www.loc.gov/METS/"
XLINK = "http://www.w3.org/1999/xlink"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
#: PREMIS 3 and EAD3
PREMIS = "http://www.loc.gov/premis/v3"
EAD3 = "http://ead3.archivists.org/schema/"
#: EAC-CPF 2010 (records creators, NAD) and EAD 2002 (apeEAD)
EAC_CPF = "urn:isbn:1-931666-33-4"
EAD2002 = "urn:isbn:1-931666-22-9"
#: profiles a package declares
CSIP_PROFILE = "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"
SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
#: FGS Paketstruktur 1.2, as Riksarkivet writes it (ESSArch's spelling: ``delivery.fgs12``)
FGS12_PROFILE = "http://xml.ra.se/e-arkiv/METS/CommonSpecificationSwedenPackageProfile.xml"
#: XML Schema itself
XSD = "http://www.w3.org/2001/XMLSchema"
#: prefixes for XPath over METS
METS_PREFIXES = {"mets": METS, "xlink": XLINK, "csip": CSIP, "sip": SIP}
