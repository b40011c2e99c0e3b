"""The seed form (samples/digframe/form.txt) typed cleanly as a Word form: tables + checkboxes.

Groups use, in turn, the glyphs ☒/☐, Word content-control checkboxes ({x}/{ }, and {X}: a
checked control still showing ☐) and legacy form-field checkboxes ({legacy:x}).
"""

from __future__ import annotations

SUMMARY = (
    "Modulen Digframe som driftades av leverantör DirSys avslutades när dess sammankopplade "
    "system Stratsys avslutades. Vissa användare av Digframe fick inte veta det förrän avslut "
    "genomförts. Ett kontrollerat uttag av dokumentation från modulen genomfördes inte, utan "
    "olika användare uppmanades att ladda ned den information som de behövde till sig innan "
    "Stratsys stängning och avslut. Det visar sig att viss information har gått förlorad.\n"
    "Modulen hade tre grenar: Digitalisering, Digitalisering (Ny), Förvaltning av IT. Det "
    "användes av förvaltningarna i kommunen.\n"
    "I Förvaltning av IT fanns en form av systemförvaltningsmodell med systemfloran i kommunen. "
    "Kommunövergripande behörigheter.\n"
    "I Digitalisering fanns tidplaner för potentiella och realiserade digitaliseringsprojekt, "
    "förstudier och deras aktivitetsbeskrivningar. Kommunövergripande behörigheter.\n"
    "I Digitalisering (Ny) fanns verktyg för nyttokalkyleringar av potentiella "
    "digitaliseringsprojekt. Endast ett fåtal användare hade behörighet dit."
)
TAKEN = (
    "Insamlat uttag med delar av information från modulen omfattande åren 2019-2021.\n"
    "Insamlat uttag med delar av information från modulen till och med den 19 oktober 2023.\n"
    "Informerat enhetschef kansli- och överförmyndarenheten, biträdande förvaltningschef "
    "kommunledningsförvaltningen, avdelningschef digitaliserings- och IT-avdelningen."
)
PLANNED = (
    "Förvaltningschefer får information på kommande kommunledningsgrupp-möte:\n"
    "- om incidenten,\n"
    "- att kommunledningsförvaltningen bedömer att det är tillräckligt med en incidentrapport "
    "från kommunledningsförvaltningen istället för från alla förvaltningar,\n"
    "- att förvaltningar behöver ange informationsförlusten i sina arkivredovisningar\n"
    "- samt att höra med sina förvaltningar om de har egna uttag från modulen som kan skickas "
    "till kommunarkivarien för att bevaras samlat i kommunstyrelsens diarium och vid behov i "
    "nämndernas diarieserier för deras användning och åtkomst.\n"
    "Uttagen överförs till systemet W3D3 hos kommunstyrelsens serie för att bevaras samlat "
    "enligt kommungemensam dokumenthanteringsplan.\n"
    "Med implementering av beslutad rutin för förvaltning av system - systemförvaltningsmodell "
    "för Trelleborgs kommun kan liknande situationer undvikas för andra befintliga system som "
    "får en strukturerad systemförvaltning och/eller ska genomgå en avslutande-process."
)
SCOPE = (
    "Viss information har gått förlorad eller finns inte kvar i sin helhet i uttagen. Det "
    "gäller tidplaner, detaljer om aktivitetsbeskrivningar för digitalisering, detaljer om "
    "förvaltningsobjekt 2022-2023, nyttokalkyleringar efter 2019."
)
VALUATION = (
    "Modulen användas sparsamt de sista åren och då blir informationsförlusten mindre "
    "omfattande. Det handlar om underlag till potentiella eller realiserade "
    "digitaliseringsprojekt. Kommunledningsförvaltningen bedömer att dokumentationen inte är "
    "kritisk verksamhetsinformation. Incidenten innebär därmed inte kännbar skada för "
    "förvaltningar men är en informationsförlust för framtidens kunskap om hur Trelleborgs "
    "kommun genomförde digitaliseringsarbete."
)
CULLING = (
    "Dokumentationen i modulen skulle inte gallras enligt kommungemensam "
    "dokumenthanteringsplan för handlingstypen Producerat material: […] Utredningar, "
    "kartläggningar i avsnitt 2.2 Bedriva arbete i projektform.\n"
    "När det inte går att återställa information har en gallring skett och det ska "
    "dokumenteras i arkivredovisningar hos förvaltningarna; i arkivbeskrivningen och "
    "arkivförteckningen. Exempel på vad som behöver framgå är vilka handlingar som förlorats, "
    "vilka system och processer som påverkades, tidpunkt för incidenten och en kort "
    "beskrivning av incidenten. Sådana uppgifter kan ge förklaring i framtiden till varför det "
    "inom dåtidens digitaliseringsarbete i Trelleborgs kommun finns luckor i sparad "
    "information från modulen."
)
NOTICE = (
    "Om risken ej kan bedömas ska kontakt med Dataskyddsombudet ske\n"
    "Trelleborgs kommun samlar in och lagrar de personuppgifter som du lämnar in för denna "
    "anmälan. Efter avslutad incident kommer rapporterna anonymiseras."
)

SEED_BLOCKS: list[str | tuple[str, ...]] = [
    "Tova Halldén\nKommunarkivarie\ntova.hallden@trelleborg.se",
    "Formulär för IT- säkerhetsincident",
    (
        "Förvaltning",
        "Kommunledningsförvaltningen",
        "Avdelning/enhet",
        "Planerings- och utvecklingsavdelningen",
    ),
    ("Kontaktperson", "Tova Halldén", "E-post:", "tova.hallden@trelleborg.se"),
    ("Typ av händelse", "{x}Konstaterad incident    { }Misstänkt incident"),
    ("Incidentstatus", "☐Pågående    ☐Avbruten    ☒Avslutad"),
    ("Kort beskrivning utav incidenten", SUMMARY),
    "Tidpunkt",
    ("När upptäcktes incidenten? (2024-02-07 kl. 08:50)", "Uppskattad tid { }  Exakt tid {X}"),
    ("När inträffade incidenten? (2023-10-19, kl. 16:00)", "Uppskattad tid ☒  Exakt tid ☐"),
    "IT- säkerhetsincident",
    "Fyll i de kategorier som är aktuella:",
    "☐Störning i mjukvara\n☐Skadlig kod\n☐Annat: ____",
    "Informationssäkerhetsincident",
    "{x}Informationsförlust\n    {x}Förlust eller stöld av uppgifter\n    { }Annan orsak\n☐Informationsläckage",
    "IT-avdelningens kategorisering:",
    "Konsekvenser och åtgärder",
    (
        "Störning i tjänsten",
        "{legacy:x}Begränsad  {legacy: }Stor  {legacy: }Mycket stor  {legacy: }Okänd",
    ),
    ("Verksamhetskritisk tjänst", "☐Ja  ☒Nej"),
    ("Återställning", "☐Återställt  ☒Ej återställt"),
    ("Tid för återställning", "☐ Återställningstid okänd"),
    ("Vidtagna åtgärder", TAKEN),
    ("Planerade åtgärder", PLANNED),
    "Beskrivning av omfattning och konsekvenser",
    ("Omfattning", SCOPE),
    ("Informationsvärdering", VALUATION),
    ("Gallring och arkivredovisningar", CULLING),
    ("Är händelsen polisanmäld?", "☐Ja  ☒Nej"),
    ("Har incidenten inneburit risk för personuppgifter?", "☐Ja  ☒Nej  ☐Risken kan ej bedömas"),
    NOTICE,
]
