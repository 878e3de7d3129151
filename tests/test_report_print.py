"""The workbook prints: widths that fit every number, print setup, native charts."""

from __future__ import annotations

import pytest
from measure_fixtures import HAND_ANNUAL, hand_monitoring, point, projects_frame, tiny_result
from openpyxl import load_workbook

from parkgeo.publish.report import write_report


def shown(value, fmt):
    """What Excel shows for a number under the formats the workbook uses (independent of the
    writer's own rendering)."""
    x = float(value)
    return {"0.0%": lambda: f"{x * 100:.1f}%", "#,##0": lambda: f"{x:,.0f}",
            "#,##0.00": lambda: f"{x:,.2f}", "0": lambda: f"{round(x)}",
            "0.0": lambda: f"{x:.1f}"}.get(fmt, lambda: f"{x:.10g}")()


def cjk_width(text):
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


@pytest.fixture(scope="module")
def big_layers():
    """A result whose quarterly figures reach hundreds of thousands (the ``###`` case)."""
    res = tiny_result()
    m = hand_monitoring({"Z1": HAND_ANNUAL["A"], "Z2": HAND_ANNUAL["B"]})
    for c in ("industrial_output_100m", "energy_tce", "emissions_t"):
        if c in m:
            m[c] = m[c] * 12_345.67
    res["monitoring"] = m
    res["projects"] = projects_frame([
        ["J1", "电子信息项目", "C39", 30000, 100, 200, 3000, 60000, "new", "signed", 2019],
        ["J2", "化工项目", "C26", 12345678, 100, 200, 3000, 60000, "new", "proposed", 2020],
    ], [point("南湖区", 0), point("海宁市", 0)])
    return res


@pytest.fixture(scope="module", params=["zh", "en"])
def workbook(request, big_layers, tmp_path_factory):
    out = tmp_path_factory.mktemp("wb") / f"report-{request.param}.xlsx"
    return load_workbook(write_report(big_layers, out, lang=request.param))


def test_no_number_is_wider_than_its_column(workbook):
    checked = 0
    for ws in workbook.worksheets:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if cell.data_type != "n" or cell.value is None:
                    continue
                width = ws.column_dimensions[cell.column_letter].width
                need = cjk_width(shown(cell.value, cell.number_format))
                assert need + 1 <= width, (ws.title, cell.coordinate, cell.value, width)
                checked += 1
    assert checked > 300
    # the monitoring figures reach six digits, with thousands separators and decimals
    q = workbook.worksheets[6]
    big = [c.value for row in q.iter_rows(min_row=2) for c in row
           if c.data_type == "n" and (c.value or 0) >= 100_000]
    assert big


def test_every_sheet_is_set_up_for_print(workbook):
    for ws in workbook.worksheets:
        ps = ws.page_setup
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ps.fitToWidth in (1, None) and ps.fitToHeight == 0, ws.title
        assert int(ps.paperSize) == int(ws.PAPERSIZE_A4)
        assert "&D" in ws.oddHeader.right.text and ws.oddHeader.left.text, ws.title
        if ws.max_row > 1 and ws.title != workbook.worksheets[0].title:
            assert ws.print_title_rows.replace("$", "") == "1:1", ws.title
            assert ws.freeze_panes in ("A2", "B2"), ws.title
            total = sum(ws.column_dimensions[c.column_letter].width for c in ws[1])
            assert ps.orientation == ("landscape" if total > 95 else "portrait"), ws.title


def test_wide_tables_print_landscape(workbook):
    platforms = workbook.worksheets[1]
    assert platforms.max_column >= 18
    assert platforms.page_setup.orientation == "landscape"


def test_ranking_targets_and_monitoring_carry_native_charts(workbook):
    charts = {ws.title: ws._charts for ws in workbook.worksheets}
    names = [ws.title for ws in workbook.worksheets]
    targets, ranking, quarterly = names[4], names[5], names[6]
    assert len(charts[targets]) == 3
    assert len(charts[ranking]) == 1
    assert len(charts[quarterly]) == 1
    # one line per monitored platform, over the quarters
    line = charts[quarterly][0]
    assert len(line.series) == 2
    others = [n for n in names if n not in (targets, ranking, quarterly)]
    assert all(not charts[n] for n in others)


def test_header_rows_wrap_instead_of_widening_number_columns(workbook):
    plat = workbook.worksheets[1]
    for cell in plat[1]:
        assert cell.alignment.wrap_text
    widths = [plat.column_dimensions[c.column_letter].width for c in plat[1]]
    heads = [cjk_width(str(c.value)) for c in plat[1]]
    # a long header over a short number wraps: the column is narrower than its header
    assert any(w < h for w, h in zip(widths, heads, strict=True))
    assert plat.row_dimensions[1].height > 15


def test_a_table_wider_than_the_page_is_not_cut(tmp_path):
    res = tiny_result()
    parks = res["parks"].copy()
    parks["reason"] = "R7：" + "很长的依据" * 30
    res["parks"] = parks
    wb = load_workbook(write_report(res, tmp_path / "r.xlsx"))
    ws = wb.worksheets[2]
    col = [c.value for c in ws[1]].index("依据") + 1
    letter = ws.cell(row=1, column=col).column_letter
    assert ws.column_dimensions[letter].width <= 60
    assert ws.cell(row=2, column=col).alignment.wrap_text
