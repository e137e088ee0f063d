"""Codes for the legal basis of each determination, with their citations per regime.

A population result stores small integers; these tables turn them back into words and
article numbers. Every code that a rule can produce has a citation in every regime in
which it can be produced (a test checks this).
"""

from __future__ import annotations

from enum import IntEnum


class Regime(IntEnum):
    DUBLIN_III = 0  # Regulation (EU) No 604/2013 + Directive 2013/32/EU
    PACT = 1  # AMMR 2024/1351 + APR 2024/1348


REGIME_NAMES = {Regime.DUBLIN_III: "dublin-iii", Regime.PACT: "pact"}


class Criterion(IntEnum):
    NONE = 0
    SECURITY = 1
    UAM_FAMILY = 2
    UAM_RELATIVE = 3
    UAM_FIRST_REGISTRATION = 4
    DEPENDENCY = 5
    FAMILY_BENEFICIARY = 6
    FAMILY_APPLICANT = 7
    RESIDENCE_DOCUMENT = 8
    VISA = 9
    DIPLOMA = 10
    VISA_WAIVED_ENTRY = 11
    AIRPORT_TRANSIT = 12
    IRREGULAR_ENTRY = 13
    SAR_DISEMBARKATION = 14
    RELOCATION = 15
    FIRST_REGISTRATION = 16
    DISCRETIONARY = 17
    SYSTEMIC_RISK_DETERMINING_STATE = 18
    TRANSFER_TIME_LIMIT_EXPIRED = 19
    DEPENDENCY_HEALTH = 20
    PROTECTION_ELSEWHERE = 21


_AMMR = {
    Criterion.SECURITY: "AMMR Art 16(4)",
    Criterion.UAM_FAMILY: "AMMR Art 25(2)",
    Criterion.UAM_RELATIVE: "AMMR Art 25(3)",
    Criterion.UAM_FIRST_REGISTRATION: "AMMR Art 25(5)",
    Criterion.DEPENDENCY: "AMMR Art 34(1)-(2)",
    Criterion.DEPENDENCY_HEALTH: "AMMR Art 34(2)",
    Criterion.FAMILY_BENEFICIARY: "AMMR Art 26",
    Criterion.FAMILY_APPLICANT: "AMMR Art 27",
    Criterion.RESIDENCE_DOCUMENT: "AMMR Art 29(1), (3)-(4)",
    Criterion.VISA: "AMMR Art 29(2)-(4)",
    Criterion.DIPLOMA: "AMMR Art 30",
    Criterion.VISA_WAIVED_ENTRY: "AMMR Art 31",
    Criterion.AIRPORT_TRANSIT: "AMMR Art 32",
    Criterion.IRREGULAR_ENTRY: "AMMR Art 33(1)",
    Criterion.SAR_DISEMBARKATION: "AMMR Art 33(2)",
    Criterion.RELOCATION: "AMMR Art 33(3); Art 68",
    Criterion.FIRST_REGISTRATION: "AMMR Art 16(2)",
    Criterion.DISCRETIONARY: "AMMR Art 35(1)",
    Criterion.SYSTEMIC_RISK_DETERMINING_STATE: "AMMR Art 16(3)",
    Criterion.TRANSFER_TIME_LIMIT_EXPIRED: "AMMR Art 46(2); Art 37(1)",
    Criterion.PROTECTION_ELSEWHERE: "AMMR Art 36(1); APR Art 38(1)(c)",
}

_DUBLIN3 = {
    Criterion.UAM_FAMILY: "Dublin III Art 8(1)",
    Criterion.UAM_RELATIVE: "Dublin III Art 8(2)",
    Criterion.UAM_FIRST_REGISTRATION: "Dublin III Art 8(4)",
    Criterion.DEPENDENCY: "Dublin III Art 16(1)",
    Criterion.DEPENDENCY_HEALTH: "Dublin III Art 16(2)",
    Criterion.FAMILY_BENEFICIARY: "Dublin III Art 9",
    Criterion.FAMILY_APPLICANT: "Dublin III Art 10",
    Criterion.RESIDENCE_DOCUMENT: "Dublin III Art 12(1), (3)-(4)",
    Criterion.VISA: "Dublin III Art 12(2)-(4)",
    Criterion.VISA_WAIVED_ENTRY: "Dublin III Art 14",
    Criterion.AIRPORT_TRANSIT: "Dublin III Art 15",
    Criterion.IRREGULAR_ENTRY: "Dublin III Art 13(1)",
    Criterion.SAR_DISEMBARKATION: "Dublin III Art 13(1)",
    Criterion.FIRST_REGISTRATION: "Dublin III Art 3(2), first subpara",
    Criterion.DISCRETIONARY: "Dublin III Art 17(1)",
    Criterion.SYSTEMIC_RISK_DETERMINING_STATE: "Dublin III Art 3(2), second and third subparas",
    Criterion.TRANSFER_TIME_LIMIT_EXPIRED: "Dublin III Art 29(2)",
    Criterion.PROTECTION_ELSEWHERE: "Directive 2013/32/EU Art 33(2)(a)",
}

CITATIONS: dict[Regime, dict[Criterion, str]] = {Regime.PACT: _AMMR, Regime.DUBLIN_III: _DUBLIN3}

# Criteria that exist in one regime only.
ONLY_PACT = {Criterion.SECURITY, Criterion.DIPLOMA, Criterion.RELOCATION}

LABELS = {
    Criterion.SECURITY: ("security check found reasonable grounds of a threat: the checking state is responsible",
                         "veiligheidscontrole wijst op een dreiging: de controlerende lidstaat is verantwoordelijk"),
    Criterion.UAM_FAMILY: ("unaccompanied minor: family member or sibling legally present there",
                           "alleenstaande minderjarige: gezinslid of broer/zus verblijft daar rechtmatig"),
    Criterion.UAM_RELATIVE: ("unaccompanied minor: a relative who can take care of them is legally present there",
                             "alleenstaande minderjarige: een familielid dat voor hem/haar kan zorgen verblijft daar rechtmatig"),
    Criterion.UAM_FIRST_REGISTRATION: ("unaccompanied minor without family: the state where the application was first registered",
                                       "alleenstaande minderjarige zonder familie: de lidstaat van eerste registratie"),
    Criterion.DEPENDENCY: ("dependency: kept together with a child, sibling or parent there",
                           "afhankelijkheid: bijeengehouden met kind, broer/zus of ouder daar"),
    Criterion.DEPENDENCY_HEALTH: ("dependency, but the applicant's health prevents travel: the state where they are",
                                  "afhankelijkheid, maar de gezondheid laat reizen niet toe: de lidstaat waar de verzoeker is"),
    Criterion.FAMILY_BENEFICIARY: ("a family member is a beneficiary of protection or long-term resident there (written consent)",
                                   "een gezinslid is daar beschermd of langdurig ingezetene (schriftelijke toestemming)"),
    Criterion.FAMILY_APPLICANT: ("a family member is an applicant there without a first decision (written consent)",
                                 "een gezinslid is daar verzoeker zonder eerste beslissing (schriftelijke toestemming)"),
    Criterion.RESIDENCE_DOCUMENT: ("residence document issued by that state", "verblijfsdocument afgegeven door die lidstaat"),
    Criterion.VISA: ("visa issued by (or on behalf of) that state", "visum afgegeven door (of namens) die lidstaat"),
    Criterion.DIPLOMA: ("diploma from an education establishment there, less than 6 years old",
                        "diploma van een onderwijsinstelling daar, minder dan 6 jaar oud"),
    Criterion.VISA_WAIVED_ENTRY: ("entry there without the need for a visa", "binnenkomst daar zonder visumplicht"),
    Criterion.AIRPORT_TRANSIT: ("application made in the international transit area of its airport",
                                "verzoek gedaan in de internationale transitzone van de luchthaven"),
    Criterion.IRREGULAR_ENTRY: ("first irregular entry into the Member States there", "eerste irreguliere binnenkomst daar"),
    Criterion.SAR_DISEMBARKATION: ("disembarked there after a search-and-rescue operation",
                                   "daar ontscheept na een opsporings- en reddingsoperatie"),
    Criterion.RELOCATION: ("relocated there after the crossing", "daarheen herplaatst na de grensoverschrijding"),
    Criterion.FIRST_REGISTRATION: ("no criterion applies: the state where the application was first registered",
                                   "geen criterium van toepassing: de lidstaat van eerste registratie"),
    Criterion.DISCRETIONARY: ("that state decided to examine the application (discretionary clause)",
                              "die lidstaat besloot het verzoek toch te behandelen (discretionaire bepaling)"),
    Criterion.SYSTEMIC_RISK_DETERMINING_STATE: ("no transfer possible (risk of inhuman treatment): the determining state",
                                                "geen overdracht mogelijk (risico op onmenselijke behandeling): de bepalende lidstaat"),
    Criterion.TRANSFER_TIME_LIMIT_EXPIRED: ("transfer time limit expired: responsibility passed to the transferring state",
                                            "overdrachtstermijn verstreken: de overdragende lidstaat werd verantwoordelijk"),
    Criterion.PROTECTION_ELSEWHERE: ("already granted protection by that state", "al bescherming verleend door die lidstaat"),
}  # fmt: skip


def citation(regime: Regime | int, criterion: Criterion | int) -> str:
    return CITATIONS[Regime(regime)].get(Criterion(criterion), "")
