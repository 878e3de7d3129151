"""Static maps for reports (PNG, PDF) in the local projected CRS."""

from __future__ import annotations

import pytest
from publish_data import write_result

from parkgeo.errors import OutputError
from parkgeo.publish.static import _nice_length, cjk_font, figure, write_static_map


@pytest.fixture
def result_gpkg(tmp_path):
    return write_result(tmp_path / "result.gpkg")


def test_png_and_pdf_written_and_not_blank(result_gpkg, tmp_path):
    import matplotlib.image as mpimg

    png, pdf = tmp_path / "m.png", tmp_path / "m.pdf"
    written = write_static_map(result_gpkg, png=png, pdf=pdf)
    assert [str(p) for p in written] == [str(png), str(pdf)]
    assert pdf.read_bytes().startswith(b"%PDF")
    img = mpimg.imread(png)[..., :3]
    assert img.shape[0] > 500 and (img < 0.9).any(axis=2).mean() > 0.05


def test_drawn_in_the_local_gauss_kruger_crs(result_gpkg):
    import matplotlib.pyplot as plt

    fig = figure(result_gpkg, lang="en")
    ax = fig.axes[0]
    x0, x1 = ax.get_xlim()
    # EPSG:4549 eastings near Jiaxing (~570 km), not degrees or Web Mercator
    assert 500_000 < x0 < x1 < 700_000
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith("EPSG:4549") for t in texts)
    assert "N" in texts and any(t.endswith("km") for t in texts)
    plt.close(fig)


def test_chinese_font_found():
    assert cjk_font() is not None  # fonts-noto-cjk is installed by the README setup and CI


def test_invest_kind_draws_plots(result_gpkg):
    import matplotlib.pyplot as plt

    fig = figure(result_gpkg, kind="invest", lang="en")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert {"Available", "Reserved", "Let"} <= set(labels)
    plt.close(fig)


def test_refuses_existing_output(result_gpkg, tmp_path):
    png = tmp_path / "m.png"
    png.write_bytes(b"old")
    with pytest.raises(OutputError, match="exists"):
        write_static_map(result_gpkg, png=png)
    assert png.read_bytes() == b"old"


@pytest.mark.parametrize("span, expect", [(12_000, 2000), (900, 100), (60_000, 10_000),
                                          (4_000, 500)])
def test_scale_bar_lengths_are_round(span, expect):
    assert _nice_length(span) == expect
