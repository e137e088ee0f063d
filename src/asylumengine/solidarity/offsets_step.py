"""The cycle's offsets step: the Art 63 regime for the Union, from the rules in rules/offsets.py."""

from __future__ import annotations

from asylumengine.solidarity.context import position
from asylumengine.solidarity.models import OffsetRegime, Reading, ThresholdTest
from asylumengine.solidarity.rules import offsets as off
from asylumengine.solidarity.run import Run

CITATIONS = ["AMMR Art 63(1)", "AMMR Art 63(2)", "AMMR Art 63(3)", "AMMR Art 63(4)", "AMMR Art 63(7)", "AMMR Art 69"]
CEILING_READINGS = {
    "relocations_and_offsets": "the ceiling counts pledged relocations and offsets: offsets fill the gap",
    "offsets_only": "the ceiling counts offsets only",
}


def offsets_step(run: Run) -> None:
    in_force = off.offsets_in_force(run.law)
    t = run.thresholds = off.thresholds(run.law)
    forum = run.interpretation.reconvened_forum_held
    counts = run.interpretation.mandatory_offset_ceiling_counts
    pledged = sum(run.pledge[ms][0].relocations for ms in run.participating)
    implemented_reloc = {ms: run.pledge[ms][0].relocations * run.keep[ms] for ms in run.participating}
    implemented = sum(implemented_reloc.values())
    reference = run.pool.relocations
    voluntary = in_force and off.voluntary_available(pledged, run.proposed, t)
    pledged_below = in_force and off.mandatory_triggered(pledged, reference, t)
    implemented_below = in_force and off.mandatory_triggered(implemented, reference, t)
    mandatory = off.mandatory_applies(forum, pledged_below, implemented_below)
    ceiling = off.mandatory_ceiling(reference, t) if in_force else 0
    needed = off.mandatory_needed(ceiling, implemented, counts) if mandatory else 0
    run.alloc_by_reading = {name: _allocation(run, implemented_reloc, ceiling, implemented, name) if mandatory else {}
                            for name in CEILING_READINGS}  # fmt: skip
    run.offsets_alloc = run.alloc_by_reading[counts]
    allocated = sum(run.offsets_alloc.values())
    run.offsets = OffsetRegime(
        total_pledged_relocations=pledged, proposed_relocations=run.proposed, voluntary_available=voluntary,
        voluntary_threshold=t.voluntary_share_of_proposal * run.proposed, mandatory_triggered=mandatory,
        mandatory_absolute_threshold=t.mandatory_absolute,
        mandatory_relative_threshold=t.mandatory_share_of_reference * reference, mandatory_ceiling=ceiling,
        mandatory_needed=needed, mandatory_allocated=allocated, mandatory_unallocated=needed - allocated,
        in_force=in_force, citations=CITATIONS, forum_reconvened=forum,
        ceiling_readings=[Reading(reading=text, value=off.mandatory_needed(ceiling, implemented, name) if mandatory else 0,
                                  note="default" if name == counts else "")
                          for name, text in CEILING_READINGS.items()],
        threshold_tests=_tests(t, pledged, implemented, run.proposed, reference) if in_force else [],
    )  # fmt: skip
    if in_force:
        _forum_open_points(run, forum, pledged_below, implemented_below)


def _allocation(run: Run, implemented_reloc: dict[str, float], ceiling: float, implemented: float, counts: str) -> dict[str, float]:
    """Each contributing state's part of the mandatory offsets under one reading of the Art 63(3) ceiling."""
    needed = off.mandatory_needed(ceiling, implemented, counts)
    contributors = [ms for ms in run.participating if run.keep[ms] > 0]
    caps = {ms: off.offset_cap(run.reference_reloc[ms], run.keep[ms], implemented_reloc[ms], counts) for ms in contributors}
    return off.allocate_mandatory(needed, {ms: run.key[ms].share for ms in contributors}, caps)


def threshold_test(test: str, citation: str, value: float, threshold: float, met_when: str, consequence: str,
          tolerance: float = 0) -> ThresholdTest:  # fmt: skip
    where = position(value, threshold, tolerance)
    met = where in ("at", "above") if met_when == "at_or_above" else where == "below"
    return ThresholdTest(test=test, citation=citation, value=value, threshold=threshold, result=where, met=met,
                         consequence=consequence if met else f"not met (if met: {consequence})")  # fmt: skip


def _tests(t: off.Thresholds, pledged: float, implemented: float, proposed: float, reference: float) -> list[ThresholdTest]:
    relative = t.mandatory_share_of_reference * reference
    return [
        threshold_test("relocations pledged vs 50% of the relocations in the Commission proposal", "AMMR Art 63(1)", pledged,
              t.voluntary_share_of_proposal * proposed, "at_or_above", "benefitting states may request offsets"),
        threshold_test("relocations pledged vs the Art 12(2)(a) number", "AMMR Art 63(3)(a)", pledged, t.mandatory_absolute,
              "below", "offsets mandatory after the Art 13(4) Forum"),
        threshold_test("relocations pledged vs 60% of the reference number", "AMMR Art 63(3)(b)", pledged, relative,
              "below", "offsets mandatory after the Art 13(4) Forum"),
        threshold_test("relocations to implement after deductions and exemptions vs the higher of the two numbers of "
                       "Art 63(3)(a)-(b)", "AMMR Art 63(4)", implemented, off.mandatory_ceiling(reference, t), "below",
                       "paragraph 3 applies (Art 63(4))"),
    ]  # fmt: skip


def _forum_open_points(run: Run, forum: bool, pledged_below: bool, implemented_below: bool) -> None:
    if forum:
        run.assumptions.append(
            "The High-Level Forum is taken to have been reconvened under Art 13(4) (precondition of Art 63(3)); "
            "whether and when the Council reconvened it is not verified: give --no-forum-reconvened to change it."
        )
        return
    if implemented_below and not pledged_below:
        with_forum = off.mandatory_applies(forum, pledged_below, implemented_below, "with_forum")
        without = off.mandatory_applies(forum, pledged_below, implemented_below, "without_forum")
        run.open_points.append(
            "Art 63(4) without a reconvened Forum (open point): "
            f"{off.ART_63_4_READINGS['with_forum']} -> mandatory: {'yes' if with_forum else 'no'} (applied); "
            f"{off.ART_63_4_READINGS['without_forum']} -> mandatory: {'yes' if without else 'no'}."
        )
    elif pledged_below or implemented_below:
        run.open_points.append(
            "Without a High-Level Forum reconvened under Art 13(4), Art 63(3) does not apply: offsets are not "
            "mandatory although the relocation pledges are below a threshold (the Art 63(3) text: 'following the "
            "meeting of the High-Level Forum convened in accordance with Article 13(4)')."
        )
