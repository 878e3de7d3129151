"""The bad-input corpus (tests/data/bad/, scripts/make_bad_corpus.py) through every command.

Each case is a complete dataset with one planted problem; its manifest entry says which commands
run it, the exit status and the words the message must hold (file, layer, feature, field, fix).
Every run also proves: no traceback, a one-line message for exit 2, the inputs byte-for-byte
unchanged, and no output left behind on failure (nothing lost, nothing half-written).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "bad"
_spec = importlib.util.spec_from_file_location("make_bad_corpus",
                                               ROOT / "scripts" / "make_bad_corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)

MANIFEST = corpus.load_manifest(CORPUS)
CASES = {c["id"]: c for c in MANIFEST["case"]}
RUNS = [(c["id"], cmd) for c in MANIFEST["case"] for cmd in c["runs"]]

#: every input the hardening brief lists, by the case that plants it
REQUIRED_CASES = {
    "no CRS": "no_crs",
    "projected coordinates labelled EPSG:4326": "projected_as_4326",
    "lon/lat swapped": "lonlat_swapped",
    "GBK shapefile with .cpg": "gbk_with_cpg",
    "GBK shapefile without .cpg": "gbk_without_cpg",
    "a .prj only": "prj_only",
    "Chinese field names without a mapping": "chinese_fields",
    "duplicate ids": "duplicate_ids",
    "empty layer": "empty_layer",
    "null geometry": "null_geometry",
    "empty geometry": "empty_geometry",
    "points where polygons belong": "points_for_polygons",
    "lines where polygons belong": "lines_for_polygons",
    "GeometryCollection": "geometry_collection",
    "Z and M coordinates": "z_m_coordinates",
    "bow-tie": "bowtie",
    "ring that does not close": "ring_not_closed",
    "20,000-vertex polygon": "vertices_20000",
    "multipolygon with 500 parts": "multipolygon_500",
    "holes": "holes",
    "park spanning two counties": "two_counties",
    "numbers as text": "numbers_as_text",
    "NaN": "nan_text",
    "negative": "negative",
    "absurdly large": "absurdly_large",
    "booleans as 是/否": "booleans_chinese",
    "a field named fid": "fid_field",
    "read-only output folder": "readonly_out",
    "output exists without --overwrite": "output_exists",
    "truncated GeoPackage": "truncated_gpkg",
    "GeoPackage that is really a zip": "zip_as_gpkg",
    "path with spaces and Chinese characters": "spaces_chinese_path",
    "path that does not exist": "does_not_exist",
    "file that is not a vector dataset": "csv_as_gpkg",
    "missing layer": "missing_layer",
    "missing required field": "missing_field",
    "'about 1500' in developable_mu": "number_with_words",
    "result missing its platforms layer": "result_no_platforms",
    "a GeoPackage that is not a result": "not_a_result",
    "truncated result": "result_truncated",
    "File Geodatabase (.gdb), feature class mapped": "gdb",
    "zipped File Geodatabase": "gdb_zip",
    "ZIP of Shapefiles": "shapefile_zip",
    "a .gdb that is not one": "not_a_gdb",
    "a zip holding nothing readable": "zip_nothing_readable",
    "join table with duplicate ids": "join_duplicate_ids",
    "join table and layer with unmatched ids": "join_unmatched",
    "lon/lat data reaching beyond China": "lonlat_world",
}


def sha256_tree(path):
    """{relative file: sha256} of a file or every file under a folder."""
    path = Path(path)
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return {str(p.relative_to(path.parent)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in files}


def listing(folder):
    """Every file and folder under ``folder``, relative to it, sorted (what
    ``Path(folder).rglob("*")`` lists, hidden ones included, without following links to
    folders); with os.walk, which reads each folder once, instead of pathlib's rglob, whose
    per-entry Path objects cost most of this test module's listing time (the corpus is
    listed twice by every run)."""
    folder = str(folder)
    out = []
    for root, dirs, files in os.walk(folder):
        rel = os.path.relpath(root, folder)
        out += [name if rel == "." else os.path.join(rel, name) for name in dirs + files]
    return sorted(out)


@pytest.fixture(scope="module")
def result_gpkg(tmp_path_factory):
    """A consolidation result of the clean base dataset (the input of the result commands)."""
    path = tmp_path_factory.mktemp("result") / "result.gpkg"
    code, out, err = corpus.invoke(["integrate", str(CORPUS / "base"), "--out", str(path)])
    assert code == 0, err
    return path


def _inputs(case, result):
    inp = case["input"]
    paths = [result if inp == "{result}" else CORPUS / inp]
    if case["projects"]:
        paths.append(CORPUS / case["projects"])
    return [p for p in paths if p.exists()]


def check_run(case, command, argv, out, planted, code, stdout, stderr):
    """The assertions every run of the corpus must pass."""
    spec = case["runs"][command]
    text = stdout + stderr
    assert "Traceback" not in text, text
    assert code == spec["exit"], f"exit {code}, expected {spec['exit']}:\n{text}"
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("parkgeo: error:")]
    if spec["exit"] == 2:
        # one plain line, and nothing after it
        assert len(errors) == 1, stderr
        assert lines[-1] == errors[0], stderr
        where = errors[0]
    else:
        assert errors == [], stderr
        where = text
    missing = [w for w in spec["words"] if w not in where]
    assert not missing, f"message lacks {missing}:\n{where}"
    # nothing half-written: no temporary file anywhere in the output folder
    assert not [p for p in listing(out) if ".part" in p], listing(out)
    for path, data in planted.items():
        assert path.read_bytes() == data, f"{path} was replaced"
    outputs = corpus.output_paths(argv, out)
    if code == 2:
        # nothing new on failure
        assert listing(out) == sorted(str(p.relative_to(out)) for p in planted), listing(out)
    else:
        # nothing lost: every output the command line names was written
        assert all(p.exists() for p in outputs), (outputs, listing(out))


def test_manifest_lists_every_required_input():
    missing = {what: cid for what, cid in REQUIRED_CASES.items() if cid not in CASES}
    assert not missing
    for cid, case in CASES.items():
        assert case["runs"], cid
        for cmd, spec in case["runs"].items():
            assert cmd in MANIFEST["commands"], (cid, cmd)
            assert spec["exit"] in (0, 1, 2), (cid, cmd)
            if spec["exit"] == 2:
                assert spec["words"], f"{cid} {cmd}: an error case must name its words"


def test_every_command_meets_bad_input():
    commands = {cmd for _, cmd in RUNS}
    assert commands == set(corpus.ALL_COMMANDS)
    for cmd in corpus.ALL_COMMANDS:
        failing = [cid for cid, c in RUNS if c == cmd and CASES[cid]["runs"][cmd]["exit"] == 2]
        assert len(failing) >= 5, (cmd, failing)


def test_corpus_is_small():
    size = sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file())
    assert size < 2 * 1024 * 1024, size


@pytest.mark.parametrize(("case_id", "command"), RUNS, ids=[f"{c}-{m}" for c, m in RUNS])
def test_bad_input(case_id, command, tmp_path, result_gpkg):
    case = CASES[case_id]
    out = tmp_path / corpus.OUT_FOLDERS[case["out"]]
    argv = corpus.argv_for(MANIFEST, case, command, corpus=CORPUS, out=out, result=result_gpkg)
    inputs = _inputs(case, result_gpkg)
    before = {p: sha256_tree(p) for p in inputs}
    corpus_files = listing(CORPUS)
    planted = corpus.prepare_out(case, argv, out)
    if planted is None:
        pytest.skip("cannot make a folder read-only here (root without chattr)")
    try:
        code, stdout, stderr = corpus.invoke(argv)
    finally:
        corpus.release_out(out)
    check_run(case, command, argv, out, planted, code, stdout, stderr)
    assert {p: sha256_tree(p) for p in inputs} == before, "an input file was changed"
    assert listing(CORPUS) == corpus_files, "a file appeared beside the inputs"


#: runs repeated in a real process: the user's view, through both ways of starting parkgeo
#: (``python -m parkgeo.cli.main`` and the ``parkgeo`` console script), taking turns — every
#: command and both ways run for real; every case also runs in-process in test_bad_input
SUBPROCESS_RUNS = [
    ("truncated_gpkg", "integrate", "module"),
    ("zip_as_gpkg", "map", "entry_point"),
    ("number_with_words", "integrate", "entry_point"),
    ("ring_not_closed", "validate", "module"),
    ("result_no_platforms", "report", "entry_point"),
    ("readonly_out", "integrate", "module"),
    ("not_a_result", "invest-map", "module"),
    ("csv_as_gpkg", "rank", "entry_point"),
    ("does_not_exist", "admit", "module"),
]


def _entry_point():
    exe = Path(sys.executable).with_name("parkgeo")
    return [str(exe)] if exe.exists() else None


@pytest.mark.parametrize(("case_id", "command", "how"), SUBPROCESS_RUNS,
                         ids=[f"{c}-{m}-{h}" for c, m, h in SUBPROCESS_RUNS])
def test_bad_input_in_a_real_process(case_id, command, how, tmp_path, result_gpkg):
    case = CASES[case_id]
    prefix = [sys.executable, "-m", "parkgeo.cli.main"] if how == "module" else _entry_point()
    if prefix is None:
        pytest.skip("the parkgeo console script is not installed beside this Python")
    out = tmp_path / corpus.OUT_FOLDERS[case["out"]]
    argv = corpus.argv_for(MANIFEST, case, command, corpus=CORPUS, out=out, result=result_gpkg)
    inputs = _inputs(case, result_gpkg)
    before = {p: sha256_tree(p) for p in inputs}
    planted = corpus.prepare_out(case, argv, out)
    if planted is None:
        pytest.skip("cannot make a folder read-only here (root without chattr)")
    env = {**os.environ, "PYTHONWARNINGS": "default", "COLUMNS": "100"}
    try:
        proc = subprocess.run(prefix + argv, capture_output=True, text=True, env=env,
                              cwd=tmp_path, timeout=300)
    finally:
        corpus.release_out(out)
    check_run(case, command, argv, out, planted, proc.returncode, proc.stdout, proc.stderr)
    assert {p: sha256_tree(p) for p in inputs} == before


def test_verbose_shows_the_traceback_for_developers(tmp_path):
    """-v is the one way to see a traceback (the foundation's promise)."""
    proc = subprocess.run([sys.executable, "-m", "parkgeo.cli.main", "-v", "validate",
                           str(CORPUS / "truncated.gpkg")], capture_output=True, text=True,
                          cwd=tmp_path, timeout=300)
    assert proc.returncode != 0
    assert "Traceback" in proc.stderr
    assert "truncated.gpkg" in proc.stderr


def test_manifest_is_what_the_script_writes(tmp_path):
    """cases.toml and the file list are regenerated identically (the corpus is not stale)."""
    target = tmp_path / "bad"
    assert corpus.main(["--out", str(target)]) == 0
    assert (target / "cases.toml").read_text(encoding="utf-8") == \
        (CORPUS / "cases.toml").read_text(encoding="utf-8")
    ignored = {"results.json"}
    assert [p for p in listing(target) if p not in ignored] == \
        [p for p in listing(CORPUS) if p not in ignored]


def test_template_syntax_in_the_data_stays_text(tmp_path):
    """Names holding Jinja syntax are shown, never evaluated, in every HTML output.

    folium/branca compile rendered scripts as Jinja templates a second time, so a park named
    ``{{ ... }}`` could otherwise run Python while a map is built.
    """
    layers = corpus.base_layers()
    probe = "{{ 'ssti' ~ 'hit' }}{% if true %}ssti{{ '-' }}blk{% endif %}"
    for key in ("zones", "parks"):
        layers[key]["name"] = layers[key]["name"].astype(object) + probe
    layers["parks"] = layers["parks"].assign(town=probe)
    data = corpus.write_geojson(tmp_path / "data", layers, table=corpus.monitoring_table())
    bad = {k: v.copy() for k, v in layers.items()}
    bad["parks"]["developable_mu"] = bad["parks"]["developable_mu"].astype(object)
    bad["parks"].loc[1, "developable_mu"] = probe  # echoed by the bad_value finding
    bad_data = corpus.write_geojson(tmp_path / "bad", bad)
    out = tmp_path / "out"
    out.mkdir()
    runs = [
        ["validate", str(bad_data), "--html", f"{out}/findings.html"],
        ["integrate", str(data), "--out", f"{out}/result.gpkg"],
        ["map", f"{out}/result.gpkg", "--out", f"{out}/map.html"],
        ["invest-map", f"{out}/result.gpkg", "--out", f"{out}/invest.html"],
        ["report", f"{out}/result.gpkg", "--out", f"{out}/report.html"],
    ]
    for argv in runs:
        code, stdout, stderr = corpus.invoke(argv)
        assert code in (0, 1), (argv[0], stdout + stderr)
    for page in sorted(out.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        # evaluated, the probe would read "sstihit" and "ssti-blk"
        assert "sstihit" not in text and "ssti-blk" not in text, page.name
        assert "ssti" in text, page.name  # the name is there, as text


def test_the_published_counts_are_the_manifest_s():
    """docs/robustness.md and the README carry the count of this manifest, all handled."""
    tried = sum(len(c["runs"]) for c in MANIFEST["case"] if not c["control"])
    line = corpus.COUNT_LINE.format(tried=tried, handled=tried)
    doc = (ROOT / "docs" / "robustness.md").read_text(encoding="utf-8")
    assert line in doc, "run: .venv/bin/python scripts/make_bad_corpus.py --docs"
    assert line in (ROOT / "README.md").read_text(encoding="utf-8")
    for case in MANIFEST["case"]:
        assert case["title"] in doc, case["id"]
