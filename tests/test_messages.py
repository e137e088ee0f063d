"""The route texts come from the message catalogues: every message in both languages, and a Dutch
route with no English left in it (checked against the catalogue itself, plus common English words)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from rich.console import Console

from asylumengine.cli.render_routes import route_timeline
from asylumengine.routes import Case, load_case, route
from asylumengine.routes.messages import LANGS, MessageError, catalogue, message, placeholders
from test_routes_cases import load as load_route_cases
from test_routes_cases import merge

EXAMPLES = sorted((Path(__file__).parents[1] / "examples" / "cases").glob("*.yaml"))
# Words that are not Dutch, so a Dutch route must not contain them (whole words, any case).
ENGLISH_WORDS = ("the", "and", "with", "from", "within", "which", "days", "request", "reply", "transfer", "appeal", "border",
                 "applicant", "deadline", "responsible", "status", "refugee", "rejected", "accepted", "directive", "regulation")  # fmt: skip


def test_every_message_has_a_text_in_both_languages_with_the_same_placeholders():
    en, nl = catalogue("en"), catalogue("nl")
    assert len(en) > 150
    assert set(en) == set(nl), set(en) ^ set(nl)
    for key in en:
        assert en[key].strip() and nl[key].strip(), key
        assert placeholders(en[key]) == placeholders(nl[key]), key


def test_a_missing_message_or_language_is_a_clear_error():
    with pytest.raises(MessageError, match="routes.po.*no message 'step.nothing'"):
        message("step.nothing", "en")
    with pytest.raises(MessageError, match="'fr' is not one of en, nl"):
        catalogue("fr")


def english_only_fragments() -> list[str]:
    """Pieces of English text (between placeholders) that no Dutch message contains."""
    en, nl = catalogue("en"), catalogue("nl")
    dutch = "\n".join(nl.values())
    out = set()
    for key, template in en.items():
        if template == nl[key]:
            continue  # the same in both (a code, 'Route — {case}')
        for piece in re.split(r"\{[^}]*\}", template):
            piece = piece.strip(" .:;,()")
            if len(piece) >= 5 and piece not in dutch:
                out.add(piece)
    return sorted(out)


def test_the_fragment_list_is_built_from_the_catalogue():
    fragments = english_only_fragments()
    assert "Take charge request to" in fragments and "accepted" in fragments and len(fragments) > 150


def dutch_texts(r) -> list[str]:
    """Every text of a Dutch route a reader sees (JSON fields in the route's language)."""
    texts = [r.responsibility_citation, *r.terminal_labels]
    for s in r.steps:
        texts += [s.title.nl, s.explanation.nl, s.outcome or "", *s.branches, *s.open_points, *s.citations]
    for answer in (r.border_procedure, r.accelerated_procedure):
        texts += [*answer.grounds, *answer.citations, answer.note or ""]
    texts += [x for g in r.admissibility_grounds for x in (g.ground, g.citation)]
    return texts


def rendered(r) -> str:
    buf = io.StringIO()
    route_timeline(Console(file=buf, width=2000, color_system=None), r, "nl")
    return buf.getvalue().replace(r.case_id, "")


def assert_no_english(texts: list[str], where: str) -> None:
    body = "\n".join(texts)
    for piece in english_only_fragments():
        assert piece not in body, f"{where}: English {piece!r} in the Dutch output"
    words = re.findall(r"[A-Za-z]+", body.lower())
    found = sorted(set(words) & set(ENGLISH_WORDS))
    assert not found, f"{where}: English words {found} in the Dutch output"


def test_the_english_check_catches_english():
    r = route(load_case(EXAMPLES[0]), lang="en")
    with pytest.raises(AssertionError, match="English"):
        assert_no_english([s.explanation.en for s in r.steps], "en")


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_dutch_route_of_every_example_has_no_english(path):
    extras = yaml.safe_load(path.read_text(encoding="utf-8"))
    r = route(load_case(path), return_regime=extras.get("return_regime", "return-directive"), lang="nl")
    assert r.language == "nl"
    assert_no_english(dutch_texts(r), f"{path.name} (route)")
    assert_no_english([rendered(r)], f"{path.name} (timeline)")


SPREAD = load_route_cases()[::4]  # every fourth lawyer-written case: all four files, many branches


@pytest.mark.parametrize("base, case", SPREAD)
def test_dutch_route_of_test_cases_has_no_english(base, case):
    facts = merge(base, case.get("case", {}))
    r = route(Case.model_validate(facts), return_regime=case.get("return_regime", "return-directive"), lang="nl")
    assert_no_english(dutch_texts(r) + [rendered(r)], case["name"])


def test_english_and_dutch_routes_differ_only_in_words():
    case = load_case(EXAMPLES[0])
    en, nl = route(case, lang="en"), route(case, lang="nl")
    assert [s.code for s in en.steps] == [s.code for s in nl.steps]
    assert [(s.start, s.deadline, s.title) for s in en.steps] == [(s.start, s.deadline, s.title) for s in nl.steps]
    assert en.terminal_states == nl.terminal_states and en.legal_basis_codes == nl.legal_basis_codes
    assert en.terminal_labels != nl.terminal_labels


def test_unknown_language_is_refused():
    from asylumengine.routes import RouteError

    with pytest.raises(RouteError, match="--lang: 'de'"):
        route(load_case(EXAMPLES[0]), lang="de")


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_files_are_package_data(lang):
    text = (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert "locale/*/LC_MESSAGES/*.po" in text
    assert catalogue(lang)["step.reply.title"]


def test_cli_json_in_dutch_carries_dutch_texts():
    from test_routes_cli import EXAMPLES as EX
    from test_routes_cli import asylum

    import json

    out = asylum("route", str(EX / "dublin-italy-transfer-blocked.yaml"), "--lang", "nl", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["language"] == "nl"
    transfer = next(s for s in data["steps"] if s["code"] == "transfer")
    assert transfer["outcome"] == "verantwoordelijkheid gaat over op NL"
    assert "met onbekende bestemming vertrokken" in data["terminal_labels"]
    assert "departed_unknown_destination" in data["terminal_states"]  # codes stay codes


ASSEMBLE = Path(__file__).parents[1] / "src" / "asylumengine" / "routes" / "assemble.py"


def test_assemble_names_message_ids_and_holds_no_prose():
    """The route's words are in the catalogues: assemble.py has no sentence of its own, every
    message id it names literally exists, and its step builders are small."""
    import ast

    tree = ast.parse(ASSEMBLE.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body and isinstance(n.body[0], ast.Expr)}  # fmt: skip
    en = catalogue("en")
    named = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            citation = "Art " in node.value or node.value.startswith("CJEU ")
            assert citation or not re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", node.value), f"prose in assemble.py: {node.value!r}"
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "text" and isinstance(node.args[0], ast.Constant):
            assert node.args[0].value in en, node.args[0].value
            named += 1
        if isinstance(node, ast.FunctionDef):
            assert node.end_lineno - node.lineno < 60, f"{node.name} has {node.end_lineno - node.lineno + 1} lines"
    assert named > 50


def test_notes_only_where_they_apply():
    """APR Art 44(3): the note on families with minors belongs to a border case with minors, not to a single adult."""
    case = load_case(Path(__file__).parents[1] / "examples" / "cases" / "border-procedure-low-recognition-rate.yaml")
    families = message("note.border_families", "en")
    alone = route(case)
    assert alone.border_procedure.mandatory and alone.border_procedure.note is None
    assert families not in next(s for s in alone.steps if s.code == "procedure").open_points
    child = {"relation": "child", "date_of_birth": "2019-03-01", "location": "IT", "status": "applicant_no_first_decision",
             "accompanies_applicant": True}  # fmt: skip
    with_child = route(Case.model_validate({**case.model_dump(mode="json"), "family": [child]}))
    assert with_child.border_procedure.note == families
    assert families in next(s for s in with_child.steps if s.code == "procedure").open_points


def test_dutch_catalogue_shows_the_current_english():
    """Each Dutch entry carries its English text as a comment for the translator; when the English
    changes, this fails until the comment is updated (and the Dutch reviewed)."""
    from babel.messages.pofile import read_po

    from asylumengine.routes.messages import catalogue_path

    with catalogue_path("nl").open("rb") as fh:
        nl = read_po(fh)
    en = catalogue("en")
    for m in nl:
        if m.id:
            assert " ".join(m.auto_comments).strip() == f"English: {en[m.id]}".strip(), f"nl/routes.po {m.id}: review the Dutch, then update the comment"
