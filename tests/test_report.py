"""The planner's report: the workbook read back with openpyxl, the HTML checked as text."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from click.testing import CliRunner
from measure_fixtures import (
    HAND_ANNUAL,
    hand_monitoring,
    point,
    projects_frame,
    tiny_result,
    write_gpkg,
)
from openpyxl import load_workbook

from parkgeo.cli.main import cli
from parkgeo.errors import OutputError
from parkgeo.publish.report import build_report, write_report

EVIL = "<script>alert('x')</script>"


def make_layers():
    res = tiny_result()
    parks = res["parks"].copy()
    parks.loc[parks["park_id"] == "K9", "name"] = EVIL
    parks.loc[parks["park_id"] == "K10", "park_id"] = "007"     # a code that looks like a number
    res["parks"] = parks
    m = hand_monitoring({"Z1": HAND_ANNUAL["A"], "Z2": HAND_ANNUAL["B"]})
    m = pd.concat([m, pd.DataFrame([{"platform_id": "NOPE", "period": "2020Q1",
                                     "tax_100m": 1.0}])], ignore_index=True)   # row 9
    res["monitoring"] = m
    res["projects"] = projects_frame([
        ["J1", "电子信息项目", "C39", 30000, 100, 200, 3000, 60000, "new", "signed", 2019],
        ["J2", "化工项目", "C26", 30000, 100, 200, 3000, 60000, "new", "proposed", 2020],
        ["J3", "无位置项目", "C38", 30000, 100, 200, 3000, 60000, "new", "proposed", 2020],
    ], [point("南湖区", 0), point("海宁市", 0), None])
    return res


@pytest.fixture
def layers():
    return make_layers()


#: Chinese reasons of three parks (a blank one counts as missing)
ZH_REASONS = {"K1": "R7：并入南湖高新区——相距1.2公里，同属C38大类", "K2": "R10：产业“低小散”",
              "K6": ""}


@pytest.fixture(scope="module")
def with_zh(tmp_path_factory):
    """:func:`make_layers` with ``reason_zh`` for some parks, written as a result, and its
    Chinese HTML report (written once: its charts and map take seconds to draw).
    Returns ``(result path, parks, report text)``."""
    folder = tmp_path_factory.mktemp("with_zh")
    layers = make_layers()
    parks = layers["parks"]
    parks["reason_zh"] = parks["park_id"].map(ZH_REASONS)
    path = write_gpkg(layers, folder / "with_zh.gpkg")
    html = write_report(path, folder / "zh.html").read_text(encoding="utf-8")
    return path, parks, html


@pytest.fixture
def result_gpkg(layers, tmp_path):
    return str(write_gpkg(layers, tmp_path / "result.gpkg"))


def header(ws):
    return [c.value for c in ws[1]]


def column(ws, name):
    return header(ws).index(name) + 1


def test_workbook_read_back(result_gpkg, tmp_path):
    out = write_report(result_gpkg, tmp_path / "report.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["说明", "重大平台", "园区与整合结果", "县(市、区)", "目标", "排名",
                             "季度监测", "项目准入", "数据问题"]
    for name in wb.sheetnames[1:]:
        assert wb[name].freeze_panes in ("A2", "B2"), name
    plat = wb["重大平台"]
    assert "规上工业增加值(亿元)" in header(plat) and "亩均税收(万元/亩)" in header(plat)
    va = plat.cell(row=2, column=column(plat, "规上工业增加值(亿元)"))
    assert va.data_type == "n" and va.value == pytest.approx(120)
    ind = plat.cell(row=2, column=column(plat, "产业代码(GB/T 4754)"))
    assert ind.data_type == "s" and ind.value.startswith("C38;C39")
    share = plat.cell(row=2, column=column(plat, "高新技术产业增加值占比"))
    assert share.value == pytest.approx(0.45) and share.number_format == "0.0%"
    parks = wb["园区与整合结果"]
    ids = [parks.cell(row=r, column=1) for r in range(2, parks.max_row + 1)]
    code = next(c for c in ids if c.value == "007")
    assert code.data_type == "s" and code.number_format == "@"
    decisions = {parks.cell(row=r, column=column(parks, "整合结果")).value
                 for r in range(2, parks.max_row + 1)}
    assert decisions == {"分区(分园)", "退出", "未纳入"}
    # the targets sheet holds the same figures as the library, with statuses in Chinese
    tg = wb["目标"]
    rows = list(tg.iter_rows(min_row=2, values_only=True))
    h = header(tg)
    z1_tax = next(r for r in rows
                  if r[h.index("对象")] == "Z1" and r[h.index("指标")] == "亩均税收")
    assert z1_tax[h.index("数值")] == pytest.approx(4) and z1_tax[h.index("状态")] == "未达标"
    assert z1_tax[h.index("差距")] == pytest.approx(26)
    # counties before/after
    ct = wb["县(市、区)"]
    h = header(ct)
    hn = next(r for r in ct.iter_rows(min_row=2, values_only=True) if r[0] == "海宁市")
    assert hn[h.index("退出园区(个)")] == 1 and hn[h.index("退出配额(个)")] == 2
    assert hn[h.index("R11 退出配额")] == "未达标"
    # the bad monitoring row and the project without a location are lines in the workbook
    pr = wb["数据问题"]
    lines = list(pr.iter_rows(min_row=2, values_only=True))
    h = header(pr)
    assert any(r[h.index("图层")] == "季度监测表" and r[h.index("行号")] == 9 for r in lines)
    assert any(r[h.index("图层")] == "项目表" and r[h.index("字段")] == "位置(几何图形)"
               and r[h.index("行号")] == 3 for r in lines)
    adm = wb["项目准入"]
    h = header(adm)
    verdicts = {r[0]: r[h.index("准入结论")] for r in adm.iter_rows(min_row=2, values_only=True)}
    assert verdicts == {"J1": "准入", "J2": "不予准入", "J3": "复核"}


def test_workbook_in_english(result_gpkg, tmp_path):
    wb = load_workbook(write_report(result_gpkg, tmp_path / "r.xlsx", lang="en"))
    assert wb.sheetnames[1:4] == ["platforms", "parks & decisions", "counties"]
    assert "Industrial value added (100m yuan)" in header(wb["platforms"])
    assert "Composite score" in header(wb["ranking"])


def test_html_report(with_zh):
    _, _, text = with_zh
    for title in ("2020年目标(T1–T6)", "各县(市、区)整合前后", "季度监测", "年度综合排名",
                  "项目准入", "数据问题", "口径说明", "整合图"):
        assert title in text
    # charts embedded, nothing loaded from the network
    assert len(re.findall(r'<img class="chart" src="data:image/png;base64,', text)) >= 4
    assert not re.search(r'(src|href)="https?://', text)
    # values escaped everywhere (the map's HTML is escaped once more inside srcdoc)
    assert EVIL not in text and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert "<iframe" in text or "整合图(静态)" in text
    assert "达标" in text and "未达标" in text and "无数据" in text
    assert "季度监测表" in text and "NOPE" in text


def test_report_without_monitoring_or_projects_says_so(tmp_path):
    # the English HTML report of the same result says it too: test_cli_report writes and
    # reads it (one page drawn for both tests: its charts and map take seconds)
    wb = load_workbook(write_report(tiny_result(), tmp_path / "r.xlsx"))
    assert "monitoring" in wb["排名"]["A1"].value


def test_outputs_are_atomic_and_refuse_to_overwrite(result_gpkg, tmp_path):
    out = tmp_path / "r.xlsx"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(OutputError, match="--overwrite"):
        write_report(result_gpkg, out)
    assert out.read_text(encoding="utf-8") == "old"
    with pytest.raises(OutputError, match=r"\.xlsx or \.html"):
        write_report(result_gpkg, tmp_path / "r.pdf")
    assert not (tmp_path / "r.pdf").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_charts_fall_back_to_english_without_a_cjk_font(layers, tmp_path, monkeypatch):
    import parkgeo.publish.static as static

    monkeypatch.setattr(static, "cjk_font", lambda: None)
    data = build_report(layers)
    with pytest.warns(UserWarning, match="no CJK font"):
        write_report(data, tmp_path / "r.html")
    assert (tmp_path / "r.html").exists()


def test_cli_report(tmp_path):
    # a result without monitoring or projects (tests/measure_fixtures.py)
    result_gpkg = str(write_gpkg(tiny_result(), tmp_path / "tiny.gpkg"))
    for name in ("r.xlsx", "r.html"):
        res = CliRunner().invoke(cli, ["report", result_gpkg, "--out", str(tmp_path / name),
                                       "--lang", "en"])
        assert res.exit_code == 0, res.output
        assert (tmp_path / name).stat().st_size > 0
    # the page says what the result lacks (test_report_without_monitoring_or_projects_says_so)
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "no monitoring table" in text and "no projects layer" in text
    res = CliRunner().invoke(cli, ["report", result_gpkg, "--out", str(tmp_path / "r.html")])
    assert res.exit_code == 2 and "--overwrite" in res.output
    res = CliRunner().invoke(cli, ["report", str(tmp_path / "nope.gpkg"), "--out",
                                   str(tmp_path / "x.html")])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert not (tmp_path / "x.html").exists()


def test_report_commands_of_one_result_measure_it_once(result_gpkg, tmp_path, monkeypatch):
    # the demo writes the workbook, the HTML report and the plan of one result: with a
    # SharedReports context object its report commands measure the result once per language
    import parkgeo.publish.report as publish_report
    from parkgeo.cli.report import SharedReports

    measured = []
    real = publish_report.build_report

    def counted(*args, **kwargs):
        measured.append(kwargs.get("lang"))
        return real(*args, **kwargs)

    monkeypatch.setattr(publish_report, "build_report", counted)
    shared = SharedReports()
    for name, lang in (("a.xlsx", "zh"), ("b.xlsx", "zh"), ("c.xlsx", "en")):
        res = CliRunner().invoke(cli, ["report", result_gpkg, "--out", str(tmp_path / name),
                                       "--lang", lang], obj=shared)
        assert res.exit_code == 0, res.output
    assert measured == ["zh", "en"]
    # without it, each command measures the result itself; the workbooks are the same
    res = CliRunner().invoke(cli, ["report", result_gpkg, "--out", str(tmp_path / "d.xlsx")])
    assert res.exit_code == 0, res.output
    assert measured == ["zh", "en", "zh"]

    def cells(path):  # every cell but the time the workbook was written
        when = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")
        return {ws.title: [["<time>" if isinstance(c.value, str) and when.fullmatch(c.value)
                            else c.value for c in row] for row in ws.iter_rows()]
                for ws in load_workbook(path).worksheets}

    assert cells(tmp_path / "a.xlsx") == cells(tmp_path / "b.xlsx") == cells(tmp_path / "d.xlsx")


def test_reasons_follow_the_report_language(with_zh, tmp_path):
    # reason_zh where the result has it (a blank one counts as missing); results written
    # before reason_zh existed show their English reason
    path, parks, html = with_zh
    english = dict(zip(parks["park_id"], parks["reason"], strict=True))
    expected = {pid: ZH_REASONS.get(pid) or english[pid] for pid in parks["park_id"]}

    def reasons(out, lang):
        ws = load_workbook(write_report(path, out, lang=lang))[
            "园区与整合结果" if lang == "zh" else "parks & decisions"]
        key, col = column(ws, header(ws)[0]), column(ws, "依据" if lang == "zh" else "Reason")
        return {r[key - 1]: r[col - 1] for r in ws.iter_rows(min_row=2, values_only=True)}

    assert reasons(tmp_path / "zh.xlsx", "zh") == expected
    assert reasons(tmp_path / "en.xlsx", "en") == english
    assert "R7：并入南湖高新区——相距1.2公里，同属C38大类" in html
    # a result without the column: every reason in English, in either language
    old = build_report(tiny_result(), lang="zh").tables["parks"]
    assert "reason_zh" not in old
    assert dict(zip(old["park_id"], old["reason"], strict=True)) == \
        dict(zip(tiny_result()["parks"]["park_id"], tiny_result()["parks"]["reason"],
                 strict=True))
