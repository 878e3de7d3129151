"""Industries as written (codes, GB/T 4754-2017 names, broad terms): the one parser, its tables,
the reader's ``industry_unrecognised`` finding, R7/R17/T1 on the mapped codes, the command."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_parks, make_zones

from parkgeo.cli.main import cli
from parkgeo.consolidate.relatedness import parse_codes, relatedness
from parkgeo.industries import (
    DIVISIONS_CSV,
    GBT4754_CSV,
    TERMS_CSV,
    broad_terms,
    divisions,
    gbt4754,
    parse_industries,
    split_terms,
    to_codes,
)
from parkgeo.measure.common import code_problem, split_codes
from parkgeo.read import read_dataset
from parkgeo.validate import validate_path

ROOT = Path(__file__).resolve().parents[1]

# -- the tables ----------------------------------------------------------------------------------


def test_gbt4754_has_every_level_and_one_loader_for_divisions():
    levels = {}
    for level, _ in gbt4754().values():
        levels[level] = levels.get(level, 0) + 1
    assert levels == {"section": 20, "division": 97, "group": 473, "class": 1381}
    assert gbt4754()["C3825"] == ("class", "光伏设备及元器件制造")
    # the English division names agree with the full table's Chinese ones
    assert {code: zh for code, (zh, _) in divisions().items()} == {
        code: name for code, (level, name) in gbt4754().items() if level == "division"}
    assert GBT4754_CSV.parent == DIVISIONS_CSV.parent == TERMS_CSV.parent


def test_broad_terms_name_real_codes_and_their_basis():
    table = gbt4754()
    terms = broad_terms()
    assert len(terms) > 400
    for term, (codes, basis) in terms.items():
        assert codes and all(c in table for c in codes), term
        assert basis.strip(), term
    with open(TERMS_CSV, encoding="utf-8") as fh:
        header = [line for line in fh if line.startswith("#")]
    assert any("NBS-EQ" in line for line in header)  # the bases are explained in the file


@pytest.mark.parametrize("term, codes", [
    ("装备制造", ("C33", "C34", "C35", "C36", "C37", "C38", "C39", "C40")),
    ("生物医药", ("C27",)),
    ("汽车及零部件", ("C36",)),
    ("纺织服装", ("C17", "C18")),
    ("计算机、通信和其他电子设备制造业", ("C39",)),
])
def test_the_terms_of_catalogues_and_plans(term, codes):
    assert parse_industries(term).codes == codes


def test_new_materials_is_a_set_of_groups():
    codes = parse_industries("新材料").codes
    assert "C265" in codes and all(len(c) == 4 for c in codes)


# -- the parser ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "装备制造、新材料", "装备制造，新材料", "装备制造,新材料", "装备制造；新材料",
    "装备制造;新材料", "装备制造 新材料", "装备制造　新材料",
])
def test_every_separator(text):
    assert split_terms(text) == ["装备制造", "新材料"]


def test_how_each_term_matched():
    p = parse_industries("C3825；38、家具制造业，家具、压缩机、有色金属精深加工、装备制造、在建")
    how = {t.text: (t.how, t.codes) for t in p.terms}
    assert how["C3825"] == ("code", ("C3825",))
    assert how["38"] == ("code", ("C38",))  # the section letter from the division
    assert how["家具制造业"] == ("name", ("C21",))
    assert how["家具"] == ("synonym", ("C21",))
    assert how["压缩机"][0] == "partial" and how["压缩机"][1] == ("C344",)  # part of a GB/T name
    assert how["有色金属精深加工"] == ("partial", ("C32",))  # made of a known word
    assert how["装备制造"][0] == "synonym"
    assert how["在建"] == ("unrecognised", ())
    assert p.unrecognised == ("在建",)
    assert to_codes("在建") is None


def test_an_unknown_code_is_kept_and_named():
    p = parse_industries("C99;C38")
    assert p.codes == ("C99", "C38") and p.unknown_codes == ("C99",)


def test_coverage_of_the_whole_catalogue_is_at_least_98_percent():
    spec = importlib.util.spec_from_file_location("industry_coverage",
                                                  ROOT / "scripts" / "industry_coverage.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    occ, distinct, unmapped = mod.coverage()
    total = sum(occ.values())
    assert total == 7030  # the reference data's README counts 7,030 term occurrences
    assert 1 - occ["unrecognised"] / total >= 0.98
    assert sum(unmapped.values()) == occ["unrecognised"]


# -- reading: one parser, nothing dropped silently ------------------------------------------------


def _dataset(tmp_path, **parks):
    path = tmp_path / "data.gpkg"
    make_zones(industries=["装备制造、生物医药", "计算机、通信和其他电子设备制造业"]).to_file(
        path, layer="zones")
    make_parks(**parks).to_file(path, layer="parks")
    return path


def test_reader_turns_words_into_codes(tmp_path):
    ds = read_dataset(_dataset(tmp_path), strict=False)
    assert ds["zones"]["industries"].tolist() == ["C33;C34;C35;C36;C37;C38;C39;C40;C27", "C39"]
    assert ds.problems == []


def test_unrecognised_term_is_a_warning_naming_the_feature(tmp_path):
    path = _dataset(tmp_path, industries=["C38、在建", "纺织", "绿色水工"])
    ds = read_dataset(path, strict=False)
    assert ds["parks"]["industries"].tolist() == ["C38", "C17", None]
    report = validate_path(path)
    found = report.by_rule("industry_unrecognised")
    assert [(f.id, f.field, f.severity) for f in found] == [
        ("P1", "industries", "warning"), ("P3", "industries", "warning")]
    assert "在建" in found[0].message and "parkgeo industries" in found[0].message
    assert not report.has_errors


# -- R7, R17, T1 on the mapped codes -------------------------------------------------------------


def test_relatedness_reads_words():
    assert parse_codes("家具") == (("C", "21"),)
    assert relatedness("汽车零部件", "C3670") == 0.75  # C367: same group
    assert relatedness("纺织服装", "C1711") == 0.5  # same division C17
    assert relatedness("在建", "C38") == 0.0


def test_admission_and_targets_split_words_into_codes():
    assert split_codes("化工、装备制造")[:2] == ["C26", "C33"]
    # a term that maps to nothing is kept for the caller to report
    assert split_codes("在建;C38") == ["在建", "C38"]
    assert code_problem("在建") is not None


def test_admission_bans_a_high_energy_project_written_in_words():
    from test_admission import IN_ZONE, one, project

    row, _ = one(project(IN_ZONE, industries="石化", project_type="new"))
    assert row["decision"] == "reject" and "R17" in row["rules"]
    assert row["industries"] == "C25;C26"


# -- the command ---------------------------------------------------------------------------------


def test_cli_prints_each_term_its_codes_and_why():
    r = CliRunner().invoke(cli, ["industries", "装备制造、在建", "C3825", "压缩机"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].startswith("装备制造\t→ C33;C34") and "[同义词表] NBS-EQ" in lines[0]
    assert lines[1].startswith("在建\t→ (无)") and "[未识别]" in lines[1]
    assert "[代码]" in lines[2] and "光伏设备及元器件制造" in lines[2]
    assert "[部分匹配]" in lines[3]
    assert "4 个词语，3 个已对应" in r.stderr
    en = CliRunner().invoke(cli, ["industries", "家具", "--lang", "en"])
    assert "[synonym]" in en.stdout and "1 term(s), 1 mapped" in en.stderr


def test_cli_needs_a_term():
    r = CliRunner().invoke(cli, ["industries"])
    assert r.exit_code == 2


def test_terms_file_is_valid_csv_after_its_comments():
    with open(TERMS_CSV, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(line for line in fh if not line.startswith("#")))
    assert rows[0] == ["term", "codes", "basis"]
    assert all(len(r) == 3 for r in rows)
    assert len({r[0] for r in rows[1:]}) == len(rows) - 1  # each term once
