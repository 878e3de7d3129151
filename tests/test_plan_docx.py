"""The Word plan document (整合方案), read back with python-docx."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from measure_fixtures import HAND_ANNUAL, hand_monitoring, tiny_result, write_gpkg

from parkgeo.cli.main import cli
from parkgeo.publish.report import write_report


@pytest.fixture(scope="module")
def result_gpkg(tmp_path_factory):
    res = tiny_result()
    res["monitoring"] = hand_monitoring({"Z1": HAND_ANNUAL["A"], "Z2": HAND_ANNUAL["B"]})
    return str(write_gpkg(res, tmp_path_factory.mktemp("plan") / "result.gpkg"))


@pytest.fixture(scope="module")
def plan_files(result_gpkg, tmp_path_factory):
    """The plan of the tiny result in Chinese (written by the library) and in English (by the
    ``report`` command, read by test_cli_writes_the_plan too: each plan takes seconds)."""
    out = tmp_path_factory.mktemp("docx")
    en = out / "plan-en.docx"
    r = CliRunner().invoke(cli, ["report", result_gpkg, "--out", str(en), "--lang", "en"])
    assert r.exit_code == 0, r.output
    return {"zh": write_report(result_gpkg, out / "plan-zh.docx", lang="zh"), "en": en}


@pytest.fixture(scope="module")
def plans(plan_files):
    return {lang: Document(str(path)) for lang, path in plan_files.items()}


def headings(doc, level=None):
    return [(int(p.style.name.split()[-1]), p.text) for p in doc.paragraphs
            if p.style.name.startswith("Heading") and
            (level is None or p.style.name == f"Heading {level}")]


def table_with(doc, header):
    for t in doc.tables:
        if header in [c.text for c in t.rows[0].cells]:
            return t
    raise AssertionError(f"no table with a column '{header}'")


def test_headings_are_word_heading_styles(plans):
    doc = plans["zh"]
    top = [text for level, text in headings(doc, 1)]
    assert top == ["一、概况", "二、整合图", "三、各县(市、区)整合决定", "四、重大平台",
                   "五、各重大平台组成及依据", "六、R4与R11检查", "七、2020年目标", "附录"]
    second = [text for level, text in headings(doc, 2)]
    # a section per county and one per platform, named from the data
    for name in ("南湖区", "海宁市", "秀洲区", "南湖高新区", "海宁经开区"):
        assert name in second, name
    # a table of contents field over the heading levels
    instr = [el.text for el in doc.element.body.iter(qn("w:instrText"))]
    assert any(i.strip().startswith("TOC") for i in instr)
    assert doc.paragraphs[0].text == "" and any(
        p.style.name == "Title" and p.text == "重大平台整合方案" for p in doc.paragraphs[:10])


def test_tables_are_word_tables_with_repeated_headers(plans):
    doc = plans["zh"]
    assert len(doc.tables) >= 10
    for t in doc.tables:
        assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    plat = table_with(doc, "可开发空间(亩)")
    names = [r.cells[0].text for r in plat.rows[1:]]
    assert names == ["南湖高新区", "海宁经开区"]
    # members of each platform with the reason each joined
    members = [t for t in doc.tables if [c.text for c in t.rows[0].cells] ==
               ["编号", "名称", "组成", "依据"]]
    assert len(members) == 2
    first = {r.cells[0].text: (r.cells[2].text, r.cells[3].text) for r in members[0].rows[1:]}
    assert first["Z1"][0] == "主平台"
    assert first["K1"] == ("分区(分园)", "R9") and first["K6"][0] == "分区(分园)"
    # R11 per county: exits against the quota
    r11 = table_with(doc, "退出配额(个)")
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in r11.rows[1:]}
    assert set(rows) == {"南湖区", "海宁市", "秀洲区"}
    # appendix: every park, with its type (only the appendix table has the type)
    parks = table_with(doc, "园区类型")
    assert len(parks.rows) - 1 == len(tiny_result()["parks"])


def test_the_map_is_a_figure_with_its_caption(plans):
    doc = plans["zh"]
    blips = list(doc.element.body.iter(qn("a:blip")))
    assert len(blips) == 1
    rid = blips[0].get(qn("r:embed"))
    image = doc.part.related_parts[rid]
    assert image.content_type == "image/png" and len(image.blob) > 20_000
    # the caption follows the picture
    paras = doc.paragraphs
    pic = next(i for i, p in enumerate(paras) if p._p.findall(".//" + qn("a:blip")))
    assert paras[pic + 1].style.name == "Caption"
    assert paras[pic + 1].text.startswith("图 1")


def test_english_plan(plans):
    doc = plans["en"]
    top = [text for level, text in headings(doc, 1)]
    assert top[0] == "1. Overview" and top[-1] == "Appendix"
    assert table_with(doc, "Developable space (mu)")
    pic = next(i for i, p in enumerate(doc.paragraphs) if p._p.findall(".//" + qn("a:blip")))
    assert doc.paragraphs[pic + 1].text.startswith("Figure 1")


def test_cli_writes_the_plan(result_gpkg, plan_files, plans):
    out = plan_files["en"]  # written by ``parkgeo report … --lang en``
    assert plans["en"].core_properties.title == "Major platform consolidation plan"
    before = out.read_bytes()
    r = CliRunner().invoke(cli, ["report", result_gpkg, "--out", str(out)])
    assert r.exit_code == 2 and "exists" in r.output
    assert out.read_bytes() == before


def test_names_with_markup_and_control_characters(tmp_path):
    res = tiny_result()
    parks = res["parks"].copy()
    parks.loc[parks["park_id"] == "K1", "name"] = "大桥\x01园<b>&"
    res["parks"] = parks
    plats = res["platforms"].copy()
    plats.loc[0, "name"] = "南湖\x1b高新区"
    res["platforms"] = plats
    doc = Document(str(write_report(res, tmp_path / "plan.docx")))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "大桥\ufffd园<b>&" in cells                     # kept as text, the control marked
    assert "南湖\ufffd高新区" in [text for _, text in headings(doc, 2)]
    from openpyxl import load_workbook

    wb = load_workbook(write_report(res, tmp_path / "r.xlsx"))
    values = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    assert "大桥\ufffd园<b>&" in values
