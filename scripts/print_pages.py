"""Printed pages of the workbook and the Word plan for the README, and a QGIS check.

Writes ``report.xlsx`` and ``plan.docx`` of the bundled Jiaxing sample, prints them to PDF with
LibreOffice (``soffice --headless --convert-to pdf``) and turns chosen pages into PNG with
poppler's ``pdftoppm``. With ``--qgis``, also opens the result GeoPackage in QGIS (Debian's
``python3-qgis``, run by the system Python with ``QT_QPA_PLATFORM=offscreen``), reports each
layer's stored style and label scales, and renders the city view.

Neither LibreOffice nor QGIS is needed by parkgeo or its tests; this is a by-hand check::

    apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils
    apt-get install -y python3-qgis        # for --qgis
    .venv/bin/python scripts/print_pages.py [--out docs/img] [--qgis]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

#: (output, first page, last page, PNG name)
PAGES = (("plan.pdf", 3, 3, "plan-docx-overview.png"),
         ("plan.pdf", 4, 4, "plan-docx-counties.png"),
         ("report.pdf", 7, 7, "report-xlsx-targets.png"))

QGIS_CHECK = r'''
import sys
from qgis.core import (QgsApplication, QgsMapRendererParallelJob, QgsMapSettings,
                       QgsVectorLayer)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor
app = QgsApplication([], False)
app.initQgis()
layers = []
for name in ["counties", "protected", "platforms", "zones", "parks", "plots", "links",
             "projects"]:
    vl = QgsVectorLayer(f"{sys.argv[1]}|layername={name}", name, "ogr")
    if not vl.isValid():
        continue
    _, ok = vl.loadDefaultStyle()
    lab = vl.labeling() if vl.labelsEnabled() else None
    shown = ("no labels" if lab is None else
             f"labels from 1:{lab.settings().minimumScale:,.0f}"
             if lab.settings().scaleVisibility else "labels at every scale")
    print(f"{name:10s} {vl.featureCount():4d} features, stored style {ok}, "
          f"{vl.renderer().type()}, {shown}")
    layers.append(vl)
ms = QgsMapSettings()
ms.setLayers(list(reversed(layers)))
ms.setDestinationCrs(layers[0].crs())
ms.setExtent(layers[0].extent())
ms.setOutputSize(QSize(1200, 900))
ms.setBackgroundColor(QColor(255, 255, 255))
job = QgsMapRendererParallelJob(ms)
job.start()
job.waitForFinished()
job.renderedImage().save(sys.argv[2])
print(f"city view at 1:{ms.scale():,.0f} -> {sys.argv[2]}", flush=True)
import os
os._exit(0)  # QGIS 3.22 may crash tearing down its layers; everything is written by now
'''


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "img"))
    ap.add_argument("--sample", default=str(ROOT / "layers" / "jiaxing.gpkg"))
    ap.add_argument("--qgis", action="store_true", help="also check the result in QGIS")
    args = ap.parse_args(argv)
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: see the usage at the top of {__file__}")

    from parkgeo.consolidate.integrate import integrate, write_result
    from parkgeo.publish.report import build_report, write_report
    from parkgeo.read import read_dataset

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        result = write_result(integrate(read_dataset(args.sample)), tmp / "result.gpkg")
        data = build_report(result)
        for name in ("report.xlsx", "plan.docx"):
            write_report(data, tmp / name)
            subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir",
                            str(tmp), str(tmp / name)], check=True, capture_output=True)
        for pdf, first, last, png in PAGES:
            stem = tmp / Path(png).stem
            subprocess.run(["pdftoppm", "-r", "75", "-png", "-singlefile", "-f", str(first),
                            "-l", str(last), str(tmp / pdf), str(stem)], check=True)
            shutil.copyfile(f"{stem}.png", out / png)
            print(f"wrote {out / png}")
        if args.qgis:
            env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
            subprocess.run(["/usr/bin/python3", "-c", QGIS_CHECK, str(result),
                            str(out / "qgis-result.png")], check=True, env=env)


if __name__ == "__main__":
    main()
