"""One word for one thing (kiosk/domain/glossary.py): every string a resident may see in kiosk/
is scanned for a variant the glossary replaces, and a find names its file and line.

What a resident sees: the Chinese and English of every `bi(...)` / `Bilingual(...)` literal
(screens, flows, drivers' messages, the voucher and slip layouts), every Chinese string
literal elsewhere in the product code (f-strings and plain strings a layout prints), the
quoted texts of the .kv files and the text values of the region policies. Technician output
(kiosk/cli) and docstrings are not a resident's.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from kiosk.domain import glossary
from kiosk.domain.glossary import SERVICE_WORDS, TERMS, Term
from kiosk.domain.services import SERVICES

KIOSK = Path(glossary.__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")
# Outlet staff read these (maintenance mode), not residents: their words are the trade's
# (重试 an undelivered item is an action on the outbox, not a resident's 再试一次).
STAFF_ONLY = {KIOSK / "flows" / f"{name}.py" for name in ("maintenance", "outbox_care", "printer_refill", "log_export", "terminal_facts")}
NOT_A_RESIDENTS = {KIOSK / "domain" / "glossary.py", *STAFF_ONLY, KIOSK / "screens" / "maintenance.py", KIOSK / "screens" / "maintenance.kv"}
NOT_A_RESIDENTS_DIRS = (KIOSK / "cli",)


def python_files() -> list[Path]:
    return [p for p in sorted(KIOSK.rglob("*.py")) if p not in NOT_A_RESIDENTS and not any(d in p.parents for d in NOT_A_RESIDENTS_DIRS)]


def docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def literal(node: ast.AST) -> str | None:
    """A string literal, or an f-string's fixed parts joined (what the resident reads around the values)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "{}".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return None


def python_strings(path: Path) -> list[tuple[int, str, str]]:
    """(line, language, text) of every resident-visible string in a Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = docstrings(tree)
    found: list[tuple[int, str, str]] = []
    bilingual_args: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in ("bi", "Bilingual"):
            args = list(node.args) + [k.value for k in node.keywords if k.arg in ("zh", "en")]
            for language, arg in zip(("zh", "en"), args):
                text = literal(arg)
                if text is not None:
                    found.append((arg.lineno, language, text))
                    bilingual_args.add(id(arg))
    for node in ast.walk(tree):
        if id(node) in skip or id(node) in bilingual_args:
            continue
        text = literal(node)
        if text is not None and CJK.search(text) and isinstance(node, (ast.Constant, ast.JoinedStr)):
            found.append((node.lineno, "zh", text))
    return found


def kv_strings(path: Path) -> list[tuple[int, str, str]]:
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip().startswith("#"):
            continue
        for text in re.findall(r"\"([^\"]*)\"|'([^']*)'", line):
            text = text[0] or text[1]
            found.append((number, "zh" if CJK.search(text) else "en", text))
    return found


def toml_strings(path: Path) -> list[tuple[int, str, str]]:
    """The policy's texts: each {zh, en} table and every Chinese string, with the line it is on."""
    lines = path.read_text(encoding="utf-8").splitlines()

    def line_of(text: str) -> int:
        head = text.splitlines()[0][:20] if text else text
        return next((i for i, line in enumerate(lines, 1) if head and head in line), 0)

    found: list[tuple[int, str, str]] = []

    def walk(value, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key != "sources":
            language = "en" if key == "en" else "zh"
            if language == "en" or CJK.search(value):
                found.append((line_of(value), language, value))

    walk(tomllib.loads(path.read_text(encoding="utf-8")))
    return found


def every_visible_string() -> list[tuple[str, int, str, str]]:
    out = []
    for path in python_files():
        out += [(str(path.relative_to(KIOSK.parent)), *s) for s in python_strings(path)]
    for path in sorted(p for p in KIOSK.rglob("*.kv") if p not in NOT_A_RESIDENTS):
        out += [(str(path.relative_to(KIOSK.parent)), *s) for s in kv_strings(path)]
    for path in sorted((KIOSK / "domain" / "policies").glob("*.toml")):
        out += [(str(path.relative_to(KIOSK.parent)), *s) for s in toml_strings(path)]
    return out


def variants_in(strings, term: Term) -> list[str]:
    finds = []
    for where, line, language, text in strings:
        said = term.variant_in(text, language)
        if said is not None:
            finds.append(f"{where}:{line}: “{said}” in {text[:60]!r}; say “{term.word.get(language)}”")
    return finds


STRINGS = every_visible_string()


def test_the_scan_sees_the_strings_it_is_meant_to():
    """A scan that found nothing would pass for the wrong reason."""
    places = {where for where, *_ in STRINGS}
    assert "kiosk/flows/apply_card.py" in places and "kiosk/printing/voucher_layout.py" in places
    assert any(where.endswith(".kv") for where in places) and any(where.endswith(".toml") for where in places)
    assert len(STRINGS) > 500


@pytest.mark.parametrize("name", list(TERMS))
def test_no_resident_visible_string_says_a_variant_of(name):
    assert variants_in(STRINGS, TERMS[name]) == []


@pytest.mark.parametrize("name", list(TERMS))
def test_the_glossary_word_is_not_itself_a_variant_of(name):
    term = TERMS[name]
    assert term.variant_in(term.word.zh, "zh") is None and term.variant_in(term.word.en, "en") is None


def test_a_variant_is_found_and_named_by_file_and_line():
    planted = [("kiosk/flows/example.py", 7, "zh", "请记下流水号"), ("kiosk/flows/example.py", 8, "en", "Your serial number")]
    assert variants_in(planted, TERMS["serial"]) == [
        "kiosk/flows/example.py:7: “流水号” in '请记下流水号'; say “凭证号”",
        "kiosk/flows/example.py:8: “serial number” in 'Your serial number'; say “Voucher number”",
    ]


PRESS = re.compile(r"(?:选择|点击|点|按|办理|选)“([^”]+)”")  # "press “…”": the quote names a button


def buttons_quoted_wrongly(strings) -> list[str]:
    """Every “…” a message asks the resident to press that no button says: the glossary's words, the
    menu's words and the short labels in the code are the buttons; a service's official name
    where the menu shows the residents' words is not."""
    menu = {w.zh for w in SERVICE_WORDS.values()} | {s.title.zh for s in SERVICES if s.code not in SERVICE_WORDS}
    official_only = {s.title.zh for s in SERVICES if s.code in SERVICE_WORDS and s.title.zh not in menu}
    labels = menu | {t.word.zh for t in TERMS.values()} | {getattr(glossary, n).zh for n in dir(glossary) if n.isupper() and hasattr(getattr(glossary, n), "zh")}
    labels |= {text for _w, _l, language, text in strings if language == "zh" and len(text) <= 16}
    finds = []
    for where, line, language, text in strings:
        for quoted in PRESS.findall(text) if language == "zh" else ():
            in_menu = any(quoted in m for m in menu)
            if any(quoted in o for o in official_only) and not in_menu:
                finds.append(f"{where}:{line}: “{quoted}” is the procedure's name; the menu says {sorted(m for m in menu if set(quoted) & set(m))[:3]}")
            elif not any(quoted in label for label in labels):
                finds.append(f"{where}:{line}: “{quoted}” is on no button")
    return finds


def test_every_button_a_message_asks_the_resident_to_press_is_one_they_can_see():
    assert buttons_quoted_wrongly(STRINGS) == []


def test_a_message_quoting_a_button_that_is_not_there_is_found():
    planted = [("kiosk/flows/example.py", 3, "zh", "请返回首页，办理“补领”。"), ("kiosk/flows/example.py", 4, "zh", "这一页已经看完了，请点“下一页”接着往下看。")]
    finds = buttons_quoted_wrongly(STRINGS + planted)
    assert [f.split(":")[1] for f in finds] == ["3", "4"]
