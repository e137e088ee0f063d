"""Codes for the legal basis of each determination, with their citations per regime.

A population result stores small integers; these tables turn them back into words and
article numbers. Every code that a rule can produce has a citation in every regime in
which it can be produced (a test checks this).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum

from asylumengine.routes.messages import plain, text
from asylumengine.routes.model import Text


class Regime(IntEnum):
    DUBLIN_III = 0  # Regulation (EU) No 604/2013 + Directive 2013/32/EU
    PACT = 1  # AMMR 2024/1351 + APR 2024/1348


REGIME_NAMES = {Regime.DUBLIN_III: "dublin-iii", Regime.PACT: "pact"}


class PlainCodes:
    """An IntEnum's members as plain ints under the same names (``RegimeCodes.PACT == Regime.PACT``):
    what the rules compare arrays with. numpy compares an array with an IntEnum member about five times
    slower than with a plain int (2.6 against 0.5 us on a one-row array, numpy 2.4), and an evaluation
    makes a few hundred such comparisons."""

    def __init__(self, enum: type[IntEnum]):
        self.__dict__.update({m.name: int(m) for m in enum})
        self._count = len(enum)

    def __len__(self) -> int:
        return self._count


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
    REQUEST_TIME_LIMIT_EXPIRED = 22


RegimeCodes = PlainCodes(Regime)
CriterionCodes = PlainCodes(Criterion)

_AMMR = {
    Criterion.SECURITY: "AMMR Art 16(4)",
    Criterion.UAM_FAMILY: "AMMR Art 25(2)",
    Criterion.UAM_RELATIVE: "AMMR Art 25(3)",
    Criterion.UAM_FIRST_REGISTRATION: "AMMR Art 25(5)",
    Criterion.DEPENDENCY: "AMMR Art 34(1)-(2)",
    Criterion.DEPENDENCY_HEALTH: "AMMR Art 34(2)",
    Criterion.FAMILY_BENEFICIARY: "AMMR Art 26(1)",
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
    Criterion.REQUEST_TIME_LIMIT_EXPIRED: "AMMR Art 39(1), third subpara",
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
    Criterion.REQUEST_TIME_LIMIT_EXPIRED: "Dublin III Art 21(1), third subpara; Art 23(3)",
}

CITATIONS: dict[Regime, dict[Criterion, str]] = {Regime.PACT: _AMMR, Regime.DUBLIN_III: _DUBLIN3}

# Criteria that exist in one regime only.
ONLY_PACT = {Criterion.SECURITY, Criterion.DIPLOMA, Criterion.RELOCATION}

class _Labels(Mapping):
    """Criterion -> (English, Dutch) label, from the message catalogues (``criterion.<name>``)."""

    def __getitem__(self, criterion: Criterion) -> tuple[str, str]:
        t = label(criterion)
        return t.en, t.nl

    def __iter__(self):
        return iter(c for c in Criterion if c is not Criterion.NONE)

    def __len__(self) -> int:
        return len(Criterion) - 1


LABELS = _Labels()


def label(criterion: Criterion | int) -> Text:
    """The criterion in words, in both languages (empty for 'no criterion')."""
    c = Criterion(criterion)
    return plain("") if c is Criterion.NONE else text(f"criterion.{c.name.lower()}")


# The paragraph and point that decided, where a criterion has several (``criterion_point``, produced by
# rules.responsibility.criterion_point): documents 29(1) / 29(2) / 29(3)(a)-(c), with 29(4) when the document that
# decided had expired or been cancelled; diplomas 30(1) / 30(2); visa-waived entry 31(1) / 31(2).
PARAGRAPH_1, PARAGRAPH_2 = 1, 2  # the point code of a two-paragraph article (30(1)/(2), 31(1)/(2))
POINT_RECENT = 8  # bit added to a document point: the document counts under Art 29(4) (Dublin III 12(4))
DOC_POINTS = {1: "(1)", 2: "(2)", 3: "(3)(a)", 4: "(3)(b)", 5: "(3)(c)"}
_POINTED = {
    Regime.PACT: {Criterion.RESIDENCE_DOCUMENT: "AMMR Art 29", Criterion.VISA: "AMMR Art 29", Criterion.DIPLOMA: "AMMR Art 30",
                  Criterion.VISA_WAIVED_ENTRY: "AMMR Art 31"},
    Regime.DUBLIN_III: {Criterion.RESIDENCE_DOCUMENT: "Dublin III Art 12", Criterion.VISA: "Dublin III Art 12",
                        Criterion.VISA_WAIVED_ENTRY: "Dublin III Art 14"},
}  # fmt: skip
POINT_SLOTS = 16  # point codes per criterion in the results' citation table


def citation(regime: Regime | int, criterion: Criterion | int, point: int = 0) -> str:
    """The criterion's article; with ``point`` (see ``criterion_point``) the paragraph and point that decided."""
    regime, criterion = Regime(regime), Criterion(criterion)
    article = _POINTED[regime].get(criterion)
    if not point or article is None:
        return CITATIONS[regime].get(criterion, "")
    if criterion in (Criterion.RESIDENCE_DOCUMENT, Criterion.VISA):
        paragraph = DOC_POINTS.get(point & ~POINT_RECENT)
        if paragraph is None:
            return CITATIONS[regime].get(criterion, "")
        return f"{article}{paragraph}" + (", (4)" if point & POINT_RECENT else "")
    return f"{article}({point})"
