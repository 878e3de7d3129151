"""Screenshots of both web maps for the README, from the bundled Jiaxing sample.

Consolidates ``layers/jiaxing.gpkg`` (parkgeo.consolidate.integrate), writes the consolidation
map and the investment-attraction map, and photographs them in headless Chromium with the
network blocked, through the browser tests' own helper (tests/browser/helpers.py).

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


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "img"))
    ap.add_argument("--sample", default=str(ROOT / "layers" / "jiaxing.gpkg"))
    args = ap.parse_args(argv)

    from browser.helpers import browser, chromium_missing_reason, open_map, screenshot

    from parkgeo.consolidate.integrate import integrate, write_result
    from parkgeo.publish.investmap import write_invest_map
    from parkgeo.publish.webmap import write_map

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
            pages = {
                "map.png": write_map(result, out=tmp / "map.html"),
                "invest-map.png": write_invest_map(result, out=tmp / "invest.html"),
            }
        with browser() as b:
            for name, html in pages.items():
                with open_map(b, html, width=1280, height=800) as (page, log):
                    page.wait_for_timeout(500)
                    share = screenshot(page, out / name)
                    if log.page_errors or log.blocked or share < 0.05:
                        sys.exit(f"screenshots: {name} looks wrong: {log}, {share:.2f}")
                print(f"wrote {out / name}")


if __name__ == "__main__":
    main()
