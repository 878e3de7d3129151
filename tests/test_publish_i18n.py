"""One translation table (parkgeo.i18n): every word in both languages, every key used exists,
and no module keeps a table of its own."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import parkgeo
from parkgeo.errors import InputError
from parkgeo.i18n import LANGS, WORDS, check_lang, strings, tr, words

PACKAGE = Path(parkgeo.__file__).parent
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_word_has_both_languages_in_one_order():
    assert LANGS == ("zh", "en")
    for key, word in WORDS.items():
        assert tuple(word) == LANGS, key
        assert all(isinstance(w, str) and w.strip() for w in word.values()), key
        # English, though it may quote the Chinese term it translates: (核准面积)
        assert not CJK.search(re.sub(r"\([\u4e00-\u9fff]+\)", "", word["en"])), key


def test_lookup_fills_templates_and_refuses_unknown_languages():
    assert tr("report.more_rows", "zh", n=3) == "另有 3 行见Excel工作簿"
    assert tr("report.more_rows", "en", n=3) == "3 more rows in the Excel workbook"
    assert tr("plan.table_caption", "en") == "Table {n}. {what}"  # no fields given: as written
    assert words("space.layer.", "zh") == {"zones": "开发区", "parks": "园区"}
    assert check_lang("en") == "en"
    with pytest.raises(KeyError):
        tr("map.no_such_word", "en")
    for call in (lambda: tr("map.legend", "fr"), lambda: strings("fr"),
                 lambda: words("map.", "fr"), lambda: check_lang("EN")):
        with pytest.raises(InputError, match="--lang"):
            call()


def _used_keys():
    """Keys named by literal strings in the package: ``tr("…")``, the plan's ``_w("…")``, the
    report's ``_word("…")`` and the maps' ``s["…"]`` / ``S.…`` (Python and JavaScript)."""
    used = set()
    for f in PACKAGE.rglob("*.py"):
        text = f.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\btr\(\s*["']([a-z_]+\.[^"'{}]+)["']""", text))
        used |= {"plan." + k for k in re.findall(r"""\b_w\(["']([a-z0-9_]+)["']""", text)}
        used |= {"report." + k for k in re.findall(r"""\b_word\(["']([a-z0-9_]+)["']""", text)}
    maps = PACKAGE / "publish"
    for f in list(maps.glob("*.py")) + list((maps / "templates").glob("*.js")):
        text = f.read_text(encoding="utf-8")
        used |= {"map." + k for k in re.findall(r"""\bs\[["']([a-z0-9_]+)["']\]""", text)}
        used |= {"map." + k for k in re.findall(r"""\bS\.([a-z0-9_]+)""", text)}
    return used


def test_default_weights_source_is_the_rankings_own_words():
    from parkgeo.measure.ranking import WEIGHTS_SOURCE

    assert tr("report.default_weights_source", "en") == WEIGHTS_SOURCE


def test_every_key_used_exists():
    used = _used_keys()
    assert {"plan.title", "report.title", "map.legend", "space.sheet.account"} <= used
    # status_* and f_* are looked up with a fallback: a missing one shows the code
    missing = sorted(k for k in used if k not in WORDS and not k.startswith(("map.status_",
                                                                             "map.f_")))
    assert not missing


def _pair_tables(tree):
    """Dict literals that translate: values (Chinese, English) pairs or {"zh": …, "en": …}."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Dict):
            continue
        keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
        if {"zh", "en"} <= set(keys):
            yield node.lineno
            continue
        pairs = [tuple(bool(CJK.search(e.value)) for e in v.elts) for v in node.values
                 if isinstance(v, ast.Tuple) and len(v.elts) == 2
                 and all(isinstance(e, ast.Constant) and isinstance(e.value, str)
                         for e in v.elts)]
        # every value a pair, one word Chinese and the other not, always in the same order
        if len(pairs) >= 2 and len(pairs) == len(node.values) and len(set(pairs)) == 1 \
                and pairs[0] in ((True, False), (False, True)):
            yield node.lineno


def _chinese_tables(tree):
    """Dict literals of Chinese words: two or more values that are Chinese strings (a word
    table kept in one language, e.g. ``{"admit": "准入", "reject": "不予准入"}``)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict) and sum(
                isinstance(v, ast.Constant) and isinstance(v.value, str)
                and bool(CJK.search(v.value)) for v in node.values) >= 2:
            yield node.lineno


#: Chinese dicts that are not words of parkgeo's outputs, by module and the dict's first key
NOT_WORDS = {
    # the GB/T 21010-2017 class names: a land-use survey's own data (its dlmc field, filled in
    # when absent), Chinese in every language as the survey is
    ("read/landuse.py", "01"),
    # an indicator's unit *code* (亿元, 万元/mu: the codes measure's tables carry); the words
    # shown for a code are the table's value.unit.* entries
    ("publish/charts.py", "industrial_va_100m"),
}


def _first_key(tree, line):
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict) and node.lineno == line and node.keys:
            return getattr(node.keys[0], "value", None)
    return None


def test_no_module_keeps_a_translation_table_of_its_own():
    found = []
    for f in sorted(PACKAGE.rglob("*.py")):
        if f == PACKAGE / "i18n.py":
            continue
        tree = ast.parse(f.read_text(encoding="utf-8"))
        name = str(f.relative_to(PACKAGE).as_posix())
        found += [f"{name}:{line}" for line in _pair_tables(tree)]
        found += [f"{name}:{line}" for line in _chinese_tables(tree)
                  if (name, _first_key(tree, line)) not in NOT_WORDS]
    assert found == []


def test_every_exception_to_the_one_table_still_exists():
    # an entry of NOT_WORDS whose dict is gone (or moved into the table) must go too
    seen = set()
    for f in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(f.read_text(encoding="utf-8"))
        name = str(f.relative_to(PACKAGE).as_posix())
        seen |= {(name, _first_key(tree, line)) for line in _chinese_tables(tree)}
    assert NOT_WORDS <= seen


def test_the_table_checker_sees_a_table(tmp_path):
    src = ('A = {"exit": ("退出", "exit"), "admit": ("准入", "admit")}\n'
           'B = {"zh": "无", "en": "none"}\n'
           'C = {"a": ("x", "y"), "b": ("z", "w")}\n'
           'D = {"t": ("亿元", "sum"), "m": ("mu", "mean")}\n')
    assert list(_pair_tables(ast.parse(src))) == [1, 2]
    src = ('E = {"admit": "准入", "review": "复核"}\n'
           'F = {0: "点", 1: "线", 2: 3}\n'
           'G = {"zones": "开发区", "parks": "parks"}\n'
           'H = {"message": "no", "unit": "mu"}\n')
    assert list(_chinese_tables(ast.parse(src))) == [1, 2]
