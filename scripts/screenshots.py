"""Screenshots of the web maps and printouts for the README, from the bundled Jiaxing sample.

Consolidates ``layers/jiaxing.gpkg`` (parkgeo.consolidate.integrate), writes the consolidation
map, the investment-attraction map, the validation findings map and the HTML report, and
photographs them in headless Chromium with the network blocked, through the browser tests' own
helper (tests/browser/helpers.py): on a desktop, on a phone (390 x 844 CSS px, touch), and on
paper (Chromium's PDF of the page, a page of it drawn to PNG with pypdfium2).

Usage::

    .venv/bin/python scripts/screenshots.py [--out docs/img]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

#: phone screenshots are stored at 2 pixels per CSS pixel (the phone has 3): sharp, smaller files
PHONE_SCALE = 2


def _phone_png(page, path):
    """A phone screenshot, resized to :data:`PHONE_SCALE` pixels per CSS pixel."""
    from PIL import Image

    page.screenshot(path=str(path))
    with Image.open(path) as img:
        w = page.viewport_size["width"] * PHONE_SCALE
        small = img.convert("RGB").resize((w, round(img.height * w / img.width)),
                                          Image.LANCZOS)
    small.save(path, optimize=True)


def _print(page, pdf):
    """Print the page to ``pdf`` as Chromium does (its own @page size)."""
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    return pdf


def _draw(pdf, png, number):
    """Draw page ``number`` of ``pdf`` to ``png`` (pypdfium2)."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        doc[number].render(scale=1.5).to_pil().convert("RGB").save(png, optimize=True)
        return len(doc)
    finally:
        doc.close()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "img"))
    ap.add_argument("--sample", default=str(ROOT / "layers" / "jiaxing.gpkg"))
    args = ap.parse_args(argv)

    from browser.helpers import (
        browser,
        chromium_missing_reason,
        non_background_share,
        open_map,
        screenshot,
    )

    from parkgeo.consolidate.integrate import integrate, write_result
    from parkgeo.publish.findings_map import write_findings_map
    from parkgeo.publish.investmap import write_invest_map
    from parkgeo.publish.report import write_report
    from parkgeo.publish.webmap import write_map
    from parkgeo.read import read_dataset
    from parkgeo.validate import validate_dataset

    missing = chromium_missing_reason()
    if missing:
        sys.exit(f"screenshots: {missing}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        result = write_result(integrate(args.sample), tmp / "result.gpkg")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            html = {
                "map": write_map(result, out=tmp / "map.html"),
                "invest": write_invest_map(result, out=tmp / "invest.html"),
                "findings": write_findings_map(
                    validate_dataset(read_dataset(args.sample, strict=False)),
                    tmp / "findings.html", dataset=read_dataset(args.sample, strict=False)),
                "report": write_report(result, tmp / "report.html"),
            }
        written = []

        def check(path, log, share=None, least=0.05):
            share = non_background_share(path) if share is None else share
            if log.page_errors or log.blocked or share < least:
                sys.exit(f"screenshots: {path.name} looks wrong: {log}, {share:.2f}")
            written.append(path)

        with browser() as b:
            for name, key in (("map.png", "map"), ("invest-map.png", "invest")):
                with open_map(b, html[key], width=1280, height=800) as (page, log):
                    page.wait_for_timeout(500)
                    check(out / name, log, screenshot(page, out / name))
            # phones: each map as it first opens; the investment map's card opened from the map
            for name, key, fragment in (("phone-map.png", "map", ""),
                                        ("phone-invest-map.png", "invest", ""),
                                        ("phone-findings.png", "findings", ""),
                                        ("phone-report.png", "report", "#targets")):
                with open_map(b, html[key], phone=True, fragment=fragment,
                              wait_leaflet=key != "report") as (page, log):
                    page.wait_for_timeout(800)
                    _phone_png(page, out / name)
                    check(out / name, log)
                    if key == "map":  # a platform tapped: its popup, above the panels
                        box = page.locator("path.pg-main").first.bounding_box()
                        page.touchscreen.tap(box["x"] + box["width"] / 2,
                                             box["y"] + box["height"] / 2)
                        page.wait_for_selector(".leaflet-popup")
                        page.wait_for_timeout(500)
                        _phone_png(page, out / "phone-map-popup.png")
                        check(out / "phone-map-popup.png", log)
                    if key == "invest":
                        page.locator("#pg-sheet").tap()
                        page.wait_for_timeout(500)
                        _phone_png(page, out / "phone-invest-cards.png")
                        check(out / "phone-invest-cards.png", log)
            # paper: the report's map page, the investment map's city and a platform
            with open_map(b, html["report"], wait_leaflet=False) as (page, log):
                page.wait_for_timeout(500)
                pdf = _print(page, tmp / "report.pdf")
                _draw(pdf, out / "print-report.png", _page_with_image(pdf))
                _draw(pdf, out / "print-report-table.png", 0)
                for name in ("print-report.png", "print-report-table.png"):
                    check(out / name, log, least=0.02)  # paper is mostly white
            with open_map(b, html["invest"], wait_leaflet=False) as (page, log):
                page.wait_for_timeout(500)
                pdf = _print(page, tmp / "invest.pdf")
                _draw(pdf, out / "print-invest-city.png", 0)
                _draw(pdf, out / "print-invest-platform.png", 1)
                check(out / "print-invest-city.png", log, least=0.02)
                check(out / "print-invest-platform.png", log, least=0.02)
    for path in written:
        print(f"wrote {path}")


def _page_with_image(pdf):
    """The first page of ``pdf`` that draws an image more than 1,000 pixels wide (the static
    consolidation map of a printed report)."""
    import pypdf

    for i, page in enumerate(pypdf.PdfReader(str(pdf)).pages):
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        for ref in xobjects.values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image" and int(obj["/Width"]) > 1000:
                return i
    return 0


if __name__ == "__main__":
    main()
