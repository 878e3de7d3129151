"""Every output speaks one language: no English in the Chinese outputs, no Chinese in the
English ones except proper names from the data.

Each output of the bundled sample is read the way its reader sees it: the HTML pages in
Chromium (every text node, the tooltips and popups Leaflet builds on demand, titles and
placeholders, the report's map frame), the workbook's cells, sheet names and page headers, the
Word document's paragraphs and tables.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from browser.helpers import chromium_missing_reason, open_map
from click.testing import CliRunner

from parkgeo.cli.main import cli
from parkgeo.cli.report import SharedReports

pytestmark = [pytest.mark.browser]
_missing = chromium_missing_reason()
if _missing:
    pytest.skip(_missing, allow_module_level=True)

SAMPLE = Path(__file__).resolve().parents[2] / "layers" / "jiaxing.gpkg"
PAGES = ("validation.html", "map.html", "invest-map.html", "report.html")
OUTPUTS = [*PAGES, "report.xlsx", "plan.docx"]

#: Latin words a Chinese output may show: standard and rule names, the tool, the CRS, map
#: credits and the metric unit of the scale bar
ZH_ALLOWED = {"GB", "parkgeo", "EPSG", "CGCS", "Leaflet", "OpenStreetMap", "km", "R&D"}

#: fields holding codes of the data contract (``basic_farmland``, ``town_park``, ``let`` …),
#: which every output translates, and the free-text ``source`` notes
CODE_FIELDS = {"kind", "status", "park_type", "level", "hazard", "project_type", "decision",
               "role", "source"}

CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+")
LATIN = re.compile(r"[A-Za-z][A-Za-z_&]+")


def run_(*args, obj=None):
    """Run parkgeo; return the path after ``--out`` (or the ``--html`` one). ``obj``: the
    click context object (:class:`parkgeo.cli.report.SharedReports` for reports of one
    result, as the demo runs them)."""
    r = CliRunner().invoke(cli, [str(a) for a in args], obj=obj)
    assert r.exit_code in (0, 1), r.output
    return Path(args[args.index("--out" if "--out" in args else "--html") + 1])


@pytest.fixture(scope="module")
def outputs(tmp_path_factory, demo_run):
    """{lang: {output name: path}}: the Chinese outputs are the demo's (``parkgeo demo`` runs
    every command on the sample in Chinese, once per test run; its map carries the
    developable-space layer); the English ones are written here from the demo's consolidation
    result."""
    demo, run, _ = demo_run
    assert run.exit_code == 0, run.output
    result = demo / "jiaxing-result.gpkg"
    folder = tmp_path_factory.mktemp("lang")
    out = {"zh": {name: demo / name for name in OUTPUTS}, "en": {}}
    out["zh"]["map.html"] = demo / "consolidation-map.html"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = folder / "en"
        d.mkdir()
        run_("validate", SAMPLE, "--html", d / "validation.html", "--lang", "en")
        run_("map", result, "--out", d / "map.html", "--lang", "en", "--space",
             demo / "space.gpkg")
        run_("invest-map", result, "--out", d / "invest-map.html", "--lang", "en")
        shared = SharedReports()  # the result measured once for the three, as in the demo
        for name in ("report.html", "report.xlsx", "plan.docx"):
            run_("report", result, "--out", d / name, "--lang", "en", obj=shared)
    out["en"] = {name: d / name for name in OUTPUTS}
    out["result"] = result
    return out


@pytest.fixture(scope="module")
def data_words(outputs):
    """Every text value of the input data (names, counties, towns, ids, land uses ...) and the
    names of the files read — not the free-text notes on where the data came from."""
    import geopandas as gpd

    values = {SAMPLE.name, str(outputs["result"])}
    for name, _ in pyogrio.list_layers(SAMPLE):
        if name == "about":
            continue
        frame = gpd.read_file(SAMPLE, layer=name, engine="pyogrio", ignore_geometry=True)
        for col in frame.columns:
            if col not in CODE_FIELDS and not pd.api.types.is_numeric_dtype(frame[col]):
                values.update(str(v) for v in frame[col].dropna())
    return values


_TEXTS_JS = """
async () => {
  const out = [];
  const attrs = ["title", "alt", "placeholder", "aria-label"];
  function html(c) { const d = document.createElement("div");
    d.innerHTML = typeof c === "string" ? c : (c && c.outerHTML) || ""; return d.textContent; }
  function walk(doc) {
    if (!doc || !doc.body) { return; }
    if (doc.title) { out.push(doc.title); }
    const w = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
    let n;
    while ((n = w.nextNode())) {
      const tag = n.parentElement ? n.parentElement.tagName : "";
      if (tag === "SCRIPT" || tag === "STYLE" || tag === "NOSCRIPT") { continue; }
      const t = n.nodeValue.trim();
      if (t) { out.push(t); }
    }
    doc.querySelectorAll(attrs.map(a => "[" + a + "]").join(",")).forEach(e => {
      attrs.forEach(a => { const v = e.getAttribute(a); if (v) { out.push(v); } });
    });
    const win = doc.defaultView;
    Object.keys(win).filter(k => k.startsWith("map_") && win[k] && win[k].eachLayer)
      .forEach(k => win[k].eachLayer(l => {
        [l.getTooltip && l.getTooltip(), l.getPopup && l.getPopup()].forEach(x => {
          if (!x) { return; }
          let c = x._content;
          if (typeof c === "function") { c = c(l); }
          if (c) { out.push(html(c)); }
        });
      }));
    doc.querySelectorAll("iframe").forEach(f => walk(f.contentDocument));
  }
  walk(document);
  return out;
}
"""


def html_texts(chromium, path):
    with open_map(chromium, path, wait_leaflet=path.name != "report.html") as (page, _):
        if path.name == "report.html" and page.query_selector("iframe"):
            page.wait_for_function(
                "() => { const d = document.querySelector('iframe').contentDocument;"
                " return d && d.querySelector('.leaflet-pane'); }", timeout=15_000)
        return page.evaluate(_TEXTS_JS)


def xlsx_texts(path):
    from openpyxl import load_workbook

    wb = load_workbook(path)
    out = list(wb.sheetnames)
    for ws in wb.worksheets:
        out += [ws.oddHeader.left.text or "", ws.oddHeader.right.text or "",
                (ws.oddFooter.center.text or "").replace("&P", "").replace("&N", "")]
        out += [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        out += [ch.title.tx.rich.p[0].r[0].t for ch in ws._charts
                if ch.title is not None and ch.title.tx is not None]
    return [t.replace("&D", "").replace("&A", "") for t in out]


def docx_texts(path):
    from docx import Document

    doc = Document(str(path))
    out = [p.text for p in doc.paragraphs] + [doc.core_properties.title]
    for t in doc.tables:
        out += [c.text for row in t.rows for c in row.cells]
    return out


@pytest.fixture(scope="module")
def texts(outputs, chromium):
    got = {}
    for lang in ("zh", "en"):
        d = outputs[lang]
        for page in PAGES:
            got[(lang, page)] = html_texts(chromium, d[page])
        got[(lang, "report.xlsx")] = xlsx_texts(d["report.xlsx"])
        got[(lang, "plan.docx")] = docx_texts(d["plan.docx"])
    return got


def english_in(strings, data_words):
    """Latin words that are neither allowed nor words of a value from the data."""
    from_data = {w for v in data_words for w in LATIN.findall(v)}
    leaks = {}
    for s in strings:
        for word in LATIN.findall(s):
            if word not in ZH_ALLOWED and word not in from_data:
                leaks.setdefault(word, s[:120])
    return leaks


def chinese_in(strings, data_words):
    """Runs of Chinese characters that are not part of a value from the data."""
    leaks = {}
    for s in strings:
        for run_ in CJK.findall(s):
            if not any(run_ in v for v in data_words):
                leaks.setdefault(run_, s[:120])
    return leaks


@pytest.mark.parametrize("name", OUTPUTS)
def test_no_english_in_chinese_outputs(texts, data_words, name):
    strings = texts[("zh", name)]
    assert len(strings) > 20
    assert english_in(strings, data_words) == {}


@pytest.mark.parametrize("name", OUTPUTS)
def test_no_chinese_in_english_outputs_but_names_from_the_data(texts, data_words, name):
    strings = texts[("en", name)]
    assert len(strings) > 20
    assert chinese_in(strings, data_words) == {}


def test_the_scan_sees_tooltips_popups_and_the_report_map(texts):
    zh = " ".join(texts[("zh", "map.html")])
    # a popup's decision row and a protected area's tooltip are built on demand by Leaflet
    assert "整合结果" in zh and "保护区域" in zh
    report = " ".join(texts[("zh", "report.html")])
    assert "分区→主平台" in report                      # the legend inside the map frame
    assert english_in(["platform basic_farmland"], set()) == {"platform": "platform basic_farmland",
                                                             "basic_farmland":
                                                                 "platform basic_farmland"}
    assert chinese_in(["Park 平湖 and 未达标"], {"平湖市"}) == {"未达标": "Park 平湖 and 未达标"}
