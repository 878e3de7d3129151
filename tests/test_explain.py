"""Reasons in English and Chinese: same rule ids, same figures, Chinese without English words."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely

from parkgeo.consolidate import explain as ex
from parkgeo.consolidate.integrate import integrate, result_to_json, write_result
from parkgeo.consolidate.relatedness import explain as relation
from parkgeo.scenario import scenario_from_dict

SAMPLE = Path(__file__).resolve().parents[1] / "layers" / "jiaxing.gpkg"

# ---------------------------------------------------------------- comparing the two texts

RULE = re.compile(r"(?<![A-Za-z])[RT]\d+(?!\d)")
# a figure: not part of a rule id or a GB/T code (C38), thousands separators kept
NUMBER = re.compile(r"(?<![A-Za-z\d.,])\d[\d,]*(?:\.\d+)?")
# what may stay Latin in Chinese text: rule ids and GB/T 4754 codes (C, C38, C3825)
ALLOWED_LATIN = re.compile(r"(?<![A-Za-z])(?:[RT]\d+|[A-T]\d{0,4})(?![A-Za-z])")


def _without(text, names):
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    return text


def rule_ids(text, names=()):
    return Counter(RULE.findall(_without(text, names)))


def figures(text, names=()):
    return Counter(NUMBER.findall(RULE.sub(" ", _without(text, names))))


def leftover_english(text, names=()):
    """Latin words left in a Chinese text once names, rule ids and codes are taken out."""
    return re.findall(r"[A-Za-z]+", ALLOWED_LATIN.sub(" ", _without(text, names)))


def assert_same_reason(en, zh, names=()):
    assert zh, f"no Chinese text for {en!r}"
    assert rule_ids(zh, names) == rule_ids(en, names), (en, zh)
    assert figures(zh, names) == figures(en, names), (en, zh)
    assert not leftover_english(zh, names), (zh, leftover_english(zh, names))
    # Chinese punctuation in the sentence itself (names keep their own)
    assert not re.search(r"[;:()]", _without(zh, names)), zh


def test_the_comparison_catches_a_wrong_translation():
    en = "R11 quota: 3 of 9 parks must exit"
    with pytest.raises(AssertionError):
        assert_same_reason(en, "R11配额：9个园区中须退出4个")   # a figure changed
    with pytest.raises(AssertionError):
        assert_same_reason(en, "R10配额：9个园区中须退出3个")   # a rule id changed
    with pytest.raises(AssertionError):
        assert_same_reason(en, "R11配额：9个parks中须退出3个")  # an English word left
    assert_same_reason(en, "R11配额：9个园区中须退出3个")


# ---------------------------------------------------------------- every builder, both languages

P, Q, V = "嘉兴经济技术开发区", "平湖经济技术开发区", "干窑镇工业园区"
CTY = "南湖区"
NAMES = (P, Q, V, CTY, "嘉兴港区", "甲园区", "乙园区", "丙园区", "丁园区", "戊园区", "己园区")


def _r4_args(**over):
    args = {"limit_km": 5.0, "wide_km": 20.0, "unrelated": [], "far": [], "taken": [],
            "r10": []}
    args.update(over)
    return args


#: builder name -> cases: (label, function of lang giving the text)
CASES = {
    "km": [
        ("adjacent", lambda lang: ex.km(0.0, lang)),
        ("near", lambda lang: ex.km(3.74, lang)),
        ("far", lambda lang: ex.km(13.6, lang)),
    ],
    "join_reason": [
        ("plain", lambda lang: ex.join_reason(P, 1.2, relation("C3825", "C38", lang=lang)[1],
                                              limit_km=5, lang=lang)),
        ("adjacent", lambda lang: ex.join_reason(P, 0.0, relation("C3825", "C382",
                                                                  lang=lang)[1],
                                                 limit_km=5, lang=lang)),
        ("zone", lambda lang: ex.join_reason(P, 2.7, relation("C3825", "C3825", lang=lang)[1],
                                             limit_km=5, zone=True, lang=lang)),
        ("chain", lambda lang: ex.join_reason(P, 11.3, relation("C39", "C39", lang=lang)[1],
                                              limit_km=5, via=V, lang=lang)),
        ("r8", lambda lang: ex.join_reason(P, 0.3, relation("C26", "C2614", lang=lang)[1],
                                           limit_km=5, r8_county="嘉兴港区", lang=lang)),
        ("table", lambda lang: ex.join_reason(
            P, 4.4, relation("C38", "C39", [("C38", "C39", 0.8)], lang=lang)[1], limit_km=6.5,
            lang=lang)),
    ],
    "no_platform_reason": [
        ("plain", lambda lang: ex.no_platform_reason(CTY, lang=lang)),
        ("r8", lambda lang: ex.no_platform_reason("嘉兴港区", r8=True, lang=lang)),
    ],
    "zone_no_platform_reason": [
        ("plain", lambda lang: ex.zone_no_platform_reason(CTY, lang)),
    ],
    "unreachable_reason": [
        ("every kind of option", lambda lang: ex.unreachable_reason(
            [(P, 7.6, 0.25, relation("C3825", "C26", lang=lang)[1], True),
             (Q, 2.1, 0.0, relation("C3825", "I65", lang=lang)[1], True),
             ("甲园区", None, 0.5, relation("C38", "C3811", lang=lang)[1], True),
             ("乙园区", 6.3, 0.75, relation("C382", "C3825", lang=lang)[1], True),
             ("丙园区", 3.2, 1.0, relation("C3825", "C3825", lang=lang)[1], True),
             ("丁园区", 1.9, 1.0, "", False)],
            limit_km=5, min_relatedness=0.5, wide_km=20, lang=lang)),
        ("connected zone in R8", lambda lang: ex.unreachable_reason(
            [(P, 0.0, 0.5, relation("C38", "C38", lang=lang)[1], True)], limit_km=4.5,
            min_relatedness=0.5, wide_km=18, connected=True, r8_county="嘉兴港区", zone=True,
            lang=lang)),
        ("no options", lambda lang: ex.unreachable_reason(
            [], limit_km=5, min_relatedness=0.5, wide_km=20, lang=lang)),
    ],
    "quota_reason": [
        ("weakest", lambda lang: ex.quota_reason(CTY, 0.42, 1, 12, 3, 9, True, lang=lang)),
        ("second weakest", lambda lang: ex.quota_reason(CTY, 0.57, 2, 12, 3, 9, True,
                                                        lang=lang)),
        ("kept weaker ones", lambda lang: ex.quota_reason(CTY, 1.36, 7, 11, 4, 13, False,
                                                          lang=lang)),
    ],
    "ceiling_reason": [
        ("two platforms", lambda lang: ex.ceiling_reason([(P, 170.0), (Q, 1250.0)], lang=lang)),
        ("zone", lambda lang: ex.ceiling_reason([(P, 365.0)], zone=True, lang=lang)),
    ],
    "chain_reason": [
        ("park", lambda lang: ex.chain_reason(4.5, lang=lang)),
        ("zone", lambda lang: ex.chain_reason(6.0, zone=True, lang=lang)),
    ],
    "not_joined_reason": [
        ("park", lambda lang: ex.not_joined_reason(lang=lang)),
        ("zone", lambda lang: ex.not_joined_reason(zone=True, lang=lang)),
    ],
    "r4_explanation": [
        ("every cause, larger limit enough", lambda lang: ex.r4_explanation(
            P, 3000.0, 25.0, lang=lang, **_r4_args(
                unrelated=[(n, 1.0 + k, 100.0 * (k + 1), 1.0) for k, n in
                           enumerate(NAMES[5:11])],
                r10=[("甲园区", 820.0, 3.5)], taken=[("乙园区", Q, 1240.0, 9.0)],
                far=[("丙园区", 7.0, 5000.0, 40.0), ("丁园区", None, 900.0, 2.0)]))[0]),
        ("far but not enough", lambda lang: ex.r4_explanation(
            P, 4200.0, 0.0, lang=lang, **_r4_args(far=[("丙园区", 8.2, 1300.0, 6.5)]))[0]),
        ("nothing beyond", lambda lang: ex.r4_explanation(
            P, 0.0, 17.3, lang=lang, **_r4_args())[0]),
    ],
    "r4_explanations": [
        ("every cause, one language at a time", lambda lang: ex.r4_explanations(
            P, 3000.0, 25.0, langs=(lang,), **_r4_args(
                unrelated=[(n, 1.0 + k, 100.0 * (k + 1), 1.0) for k, n in
                           enumerate(NAMES[5:11])],
                r10=[("甲园区", 820.0, 3.5)], taken=[("乙园区", Q, 1240.0, 9.0)],
                far=[("丙园区", 7.0, 5000.0, 40.0), ("丁园区", None, 900.0, 2.0)]))[0][0]),
    ],
    "forced_main_reason": [
        ("data", lambda lang: ex.forced_main_reason("data", CTY, lang)),
        ("scenario", lambda lang: ex.forced_main_reason("scenario", CTY, lang)),
    ],
    "main_reason": [
        ("national", lambda lang: ex.main_reason("national", (1.47, 1, 3), CTY, lang)),
        ("provincial, only zone", lambda lang: ex.main_reason("provincial", (0.87, 1, 1), CTY,
                                                              lang)),
        ("provincial, second", lambda lang: ex.main_reason("provincial", (0.81, 2, 3), CTY,
                                                           lang)),
    ],
    "flagged_not_main_reason": [
        ("plain", lambda lang: ex.flagged_not_main_reason(lang)),
    ],
    "r3_not_main_reason": [
        ("two", lambda lang: ex.r3_not_main_reason(CTY, 2, "", "provincial", (0.73, 3, 4), lang)),
        ("one", lambda lang: ex.r3_not_main_reason(CTY, 1, "", "national", (1.12, 2, 2), lang)),
        ("granted more", lambda lang: ex.r3_not_main_reason(CTY, 3, "省政府批复设立新区",
                                                            "provincial", (0.64, 4, 5), lang)),
    ],
    "weak_zone_reason": [
        ("plain", lambda lang: ex.weak_zone_reason((0.31, 2, 2), CTY, 0.6, lang)),
    ],
    "r4_reach_reason": [
        ("plain", lambda lang: ex.r4_reach_reason(
            "provincial", (0.52, 2, 3), CTY, distance_km=5.5, reach_mu=3270.0, reach_va=21.4,
            floor_mu=10000.0, floor_va=80.0, lang=lang)),
    ],
    "r3_forced_note": [
        ("plain", lambda lang: ex.r3_forced_note(CTY, 2, 3, lang)),
    ],
    "r3_problem": [
        ("plain", lambda lang: ex.r3_problem(CTY, 5, 4, lang)),
    ],
    "town_reason": [
        ("plain", lambda lang: ex.town_reason(CTY, lang)),
    ],
    "r10_reason": [(field, lambda lang, f=field: ex.r10_reason([f], lang))
                   for field, *_ in ex.R10_TESTS]
    + [("all four", lambda lang: ex.r10_reason([t[0] for t in ex.R10_TESTS], lang))],
    "joined_reasons": [
        ("two", lambda lang: ex.joined_reasons(ex.flagged_not_main_reason(lang),
                                               ex.chain_reason(4.5, zone=True, lang=lang),
                                               lang)),
    ],
}

PARAMS = [pytest.param(build, id=f"{name}-{label}")
          for name, cases in CASES.items() for label, build in cases]


@pytest.mark.parametrize("build", PARAMS)
def test_chinese_reason_has_the_same_rule_ids_and_figures(build):
    en, zh = build("en"), build("zh")
    assert en != zh
    assert_same_reason(en, zh, NAMES + ("省政府批复设立新区",))


R4_CASES = [
    dict(short_mu=3000.0, short_va=25.0, unrelated=[(n, 1.0 + k, 100.0 * (k + 1), 1.0)
                                                    for k, n in enumerate(NAMES[5:11])],
         r10=[("甲园区", 820.0, 3.5)], taken=[("乙园区", Q, 1240.0, 9.0)],
         far=[("丙园区", 7.0, 5000.0, 40.0), ("丁园区", None, 900.0, 2.0)]),
    dict(short_mu=4200.0, short_va=0.0, far=[("丙园区", 8.2, 1300.0, 6.5)]),
    dict(short_mu=0.0, short_va=17.3),
]


@pytest.mark.parametrize("case", R4_CASES)
def test_r4_notes_in_both_languages_at_once_match_one_at_a_time(case):
    """R4: the notes worded from figures worked out once say what each language's note says
    on its own, with the same figures."""
    case = dict(case)
    short_mu, short_va = case.pop("short_mu"), case.pop("short_va")
    both = ex.r4_explanations(P, short_mu, short_va, developable="lower", **_r4_args(**case))
    assert [note for note, _ in both] == [
        ex.r4_explanation(P, short_mu, short_va, lang=lang, developable="lower",
                          **_r4_args(**case))[0] for lang in ex.LANGS]
    assert both[0][1] == ex.r4_explanation(P, short_mu, short_va, developable="lower",
                                           **_r4_args(**case))[1]
    assert both[0][1] is both[1][1]  # one set of figures for both languages


def test_every_reason_builder_is_tested_in_both_languages():
    builders = {n for n in ex.__all__ if callable(getattr(ex, n))}
    assert builders == set(CASES)


@pytest.mark.parametrize("bad", ["fr", "ZH", ""])
def test_unknown_language_is_refused(bad):
    # the one language check (parkgeo.i18n.check_lang): an InputError, a ValueError too
    with pytest.raises(ValueError, match="one of zh, en"):
        ex.join_reason(P, 1.0, "", limit_km=5, lang=bad)
    with pytest.raises(ValueError, match="one of zh, en"):
        relation("C38", "C38", lang=bad)


def test_chinese_reasons_use_the_plan_s_terms():
    zh = {name: [build("zh") for _, build in cases] for name, cases in CASES.items()}
    assert zh["join_reason"][0] == "R7：并入嘉兴经济技术开发区——相距1.2公里，同属C38大类"
    assert zh["quota_reason"][0] == ("R11配额：南湖区剩余园区中亩均综合得分最低（0.42，12个中"
                                     "倒数第1）；9个园区中须退出3个")
    assert zh["main_reason"][0] == "R6：主平台——国家级开发区"
    assert zh["join_reason"][4].startswith("R8：嘉兴港区不再保留镇（街道）工业园区；R7：并入")
    assert "存在重大环境或安全隐患" in zh["r10_reason"][-1] and "低小散" in zh["r10_reason"][-1]
    assert "作为分区（分园）并入" in zh["join_reason"][2]
    assert "经由已并入的分区干窑镇工业园区连通，并入" in zh["join_reason"][3]
    # GB/T 4754: 小类 class, 中类 group, 大类 division, 门类 section (the weakest tie, "only")
    assert relation("C3825", "C3825", lang="zh")[1] == "同属C3825小类"
    assert relation("C3825", "C3824", lang="zh")[1] == "同属C382中类"
    assert relation("C3825", "C3811", lang="zh")[1] == "同属C38大类"
    assert relation("C3825", "C26", lang="zh")[1] == "仅同属C门类"
    assert relation("C3825", "I65", lang="zh")[1] == "无共同产业"
    r4 = zh["r4_explanation"][0]
    for term in ("可开发空间尚缺3,000亩", "规上工业增加值尚缺25.0亿元", "按R10退出",
                 "放宽到7.0公里", "等"):
        assert term in r4, term
    assert "省级开发区" in zh["r3_not_main_reason"][0]
    assert "国家级开发区" in zh["r3_not_main_reason"][1]
    assert "（省政府批复设立新区）" in zh["r3_not_main_reason"][2]
    assert "特色小镇" in zh["town_reason"][0] and "不计入R11" in zh["town_reason"][0]
    assert "公顷" in zh["ceiling_reason"][0] and zh["ceiling_reason"][1].endswith("维持现状")


def test_english_reasons_are_unchanged():
    # the English column stays as downstream readers know it
    en = {name: [build("en") for _, build in cases] for name, cases in CASES.items()}
    assert en["join_reason"][0] == "R7: joins 嘉兴经济技术开发区 — 1.2 km, same division C38"
    assert en["quota_reason"][0] == ("R11 quota: weakest remaining per-mu score in 南湖区 (0.42, "
                                     "1st lowest of 12); 3 of 9 parks must exit")
    assert en["main_reason"][0] == "R6: main platform — national development zone"
    assert en["r10_reason"][2] == "R10: major environmental or safety hazard"


# ---------------------------------------------------------------- through the consolidation

X0, Y0 = 570_000.0, 3_400_000.0  # EPSG:4549 near Jiaxing


def box_km(x, y, side):
    return shapely.box(X0 + x * 1000, Y0 + y * 1000, X0 + (x + side) * 1000,
                       Y0 + (y + side) * 1000)


def zone(zid, county=CTY, x=0.0, *, level="national", industries="C38", dev=12000.0,
         va=100.0, **extra):
    return {"zone_id": zid, "name": f"{zid}开发区", "county": county, "level": level,
            "approved_area_ha": 150.0, "industries": industries, "developable_mu": dev,
            "industrial_va_100m": va, "geometry": box_km(x, 0.0, 1.0), **extra}


def park(pid, county=CTY, x=2.0, y=0.0, *, industries="C38", dev=500.0, va=5.0, tax=0.3,
         **extra):
    return {"park_id": pid, "name": f"{pid}园区", "county": county, "town": f"{pid}镇",
            "park_type": "town_park", "industries": industries, "conforms_to_plan": True,
            "hazard": "none", "developable_mu": dev, "industrial_va_100m": va, "tax_100m": tax,
            "industrial_output_100m": 40 * tax, "geometry": box_km(x, y, 0.5), **extra}


def layers(zones, parks):
    return {"zones": gpd.GeoDataFrame(zones, geometry="geometry", crs=4549),
            "parks": gpd.GeoDataFrame(parks, geometry="geometry", crs=4549)}


def names_of(result):
    out = set()
    for frame in (result.zones, result.parks):
        out |= set(frame["name"].astype(str)) | set(frame["county"].astype(str))
    return tuple(out)


def assert_result_reasons(result):
    names = names_of(result)
    for layer in ("zones", "parks"):
        frame = getattr(result, layer)
        for en, zh in zip(frame["reason"], frame["reason_zh"], strict=True):
            assert_same_reason(en, zh, names)


CONSOLIDATIONS = {
    # R11 quota takes the weakest; R10 exits; a characteristic town; unrelated and far parks
    "quota": (layers([zone("Z1")],
                     [park("A", x=2.0, tax=1.0), park("B", x=3.0, tax=0.05),
                      park("C", x=4.0, tax=0.6), park("D", x=2.0, y=2.0, tax=0.02),
                      park("E", x=3.0, y=2.0, conforms_to_plan=False, hazard="major"),
                      park("F", x=4.0, y=2.0, park_type="characteristic_town"),
                      park("G", x=0.0, y=2.0, industries="I65"), park("H", x=12.0)]), {}),
    # the R4 floor keeps a weak park: the strong one's quota reason says so
    "floor": (layers([zone("Z1", dev=8000.0, va=90.0)],
                     [park("STRONG", x=2.0, dev=100.0, tax=2.0),
                      park("WEAK", x=3.0, dev=2500.0, tax=0.01)]), {}),
    # main platform choice: forced, forbidden, R3, a small zone that joins (R6/R4)
    "mains": (layers([zone("NAT", x=0.0, main_platform=False),
                      zone("P1", x=5.0, level="provincial", va=150.0),
                      zone("P2", x=10.0, level="provincial", va=90.0),
                      zone("P3", x=15.0, level="provincial", va=80.0, main_platform=True)],
                     [park("A", x=30.0)]), {}),
    # a provincial zone too small to be a platform joins one (R6/R4); an unrelated one stays
    "small zone": (layers([zone("NAT", x=0.0),
                           zone("SMALL", x=2.0, level="provincial", dev=1000.0, va=10.0,
                                industries="C382"),
                           zone("OTHER", x=-3.0, level="provincial", dev=900.0, va=8.0,
                                industries="I65")],
                          [park("A", x=0.0, y=2.0)]), {}),
    # area ceiling
    "ceiling": (layers([zone("Z1")], [park(f"P{k}", x=2.0 + k * 0.7, tax=1.0 - 0.1 * k)
                                      for k in range(5)]),
                {"area_cap_ha": 170.0, "exit_share": 0.0}),
    # connected mode: a chain; R8 functional zone; a county without a zone
    "connected": (layers([zone("Z1"), zone("ZG", county="嘉兴港区", x=40.0, level="provincial")],
                         [park("A", x=2.0), park("B", x=6.5), park("G1", county="嘉兴港区",
                                                                   x=41.5),
                          park("G2", county="嘉兴港区", x=48.0, industries="I65"),
                          park("Y", county="乙县", x=80.0)]),
                  {"exit_share": 0.0, "connected": True}),
    # R4 cannot be met: the note in both languages
    "r4": (layers([zone("Z1", dev=6000.0, va=50.0)],
                  [park("NEAR", x=2.0, dev=1000.0), park("FAR", x=8.0, dev=5000.0, va=40.0),
                   park("OTHER", x=0.0, y=2.0, industries="I65", dev=300.0)]), {}),
}


@pytest.mark.parametrize("case", sorted(CONSOLIDATIONS))
def test_consolidation_writes_every_reason_in_chinese(case):
    data, settings = CONSOLIDATIONS[case]
    r = integrate(data, scenario_from_dict({"consolidate": settings}))
    assert_result_reasons(r)
    names = names_of(r)
    for en, zh in zip(r.platforms["r4_note"], r.platforms["r4_note_zh"], strict=True):
        assert bool(en) == bool(zh)
        if en:
            assert_same_reason(en, zh, names)
    assert len(r.problems_zh) == len(r.problems)
    for en, zh in zip(r.problems, r.problems_zh, strict=True):
        assert_same_reason(en, zh, names)


def test_the_cases_reach_every_kind_of_reason():
    seen = set()
    for data, settings in CONSOLIDATIONS.values():
        r = integrate(data, scenario_from_dict({"consolidate": settings}))
        for text in list(r.parks["reason_zh"]) + list(r.zones["reason_zh"]):
            for clause in re.split("[；—]", text):
                seen.add(re.split("[：（]", clause)[0])
    for head in ("R7", "R8", "R10", "R11配额", "R6", "R3", "R6/R4", "面积上限", "维持现状"):
        assert head in seen, head


def test_r4_note_and_problems_in_chinese_reach_the_files(tmp_path):
    data, _ = CONSOLIDATIONS["r4"]
    r = integrate(data)
    assert r.exit_status == 1
    plat = r.platforms.set_index("platform_id").loc["Z1"]
    zh = plat["r4_note_zh"]
    assert zh.startswith("R4：Z1开发区可开发空间尚缺3,000亩，规上工业增加值尚缺25.0亿元")
    assert "OTHER园区" in zh and "放宽到7.0公里可纳入其中1个（5,000亩，40.0亿元）" in zh
    assert r.problems_zh[0] == f"{CTY}：{zh}"
    rep = json.loads(json.dumps(result_to_json(r), ensure_ascii=False))
    assert rep["problems_zh"] == list(r.problems_zh)
    assert rep["platforms"][0]["r4"]["note_zh"] == zh
    assert rep["platforms"][0]["r4"]["note"] == plat["r4_note"]
    path = write_result(r, tmp_path / "r.gpkg")
    parks = pyogrio.read_dataframe(path, layer="parks", read_geometry=False)
    zones = pyogrio.read_dataframe(path, layer="zones", read_geometry=False)
    plats = pyogrio.read_dataframe(path, layer="platforms", read_geometry=False)
    run = pyogrio.read_dataframe(path, layer="run", read_geometry=False)
    cols = list(parks.columns)
    assert cols.index("reason_zh") == cols.index("reason") + 1
    assert parks["reason_zh"].tolist() == r.parks["reason_zh"].tolist()
    assert zones["reason_zh"].tolist() == r.zones["reason_zh"].tolist()
    assert plats["r4_note_zh"].tolist() == [zh]
    assert run["problems_zh"].iloc[0] == "\n".join(r.problems_zh)


# ---------------------------------------------------------------- the bundled sample


@pytest.fixture
def sample(sample_result):
    """The sample consolidated once per session (tests/conftest.py)."""
    return sample_result


def test_sample_every_park_and_zone_has_its_reason_in_chinese(sample):
    for frame in (sample.parks, sample.zones):
        assert frame["reason_zh"].map(lambda t: isinstance(t, str) and t.strip() != "").all()
        for en, zh in zip(frame["reason"], frame["reason_zh"], strict=True):
            assert set(RULE.findall(zh)) == set(RULE.findall(en)), (en, zh)
    assert_result_reasons(sample)
    # every platform meets R4 on the sample: no note in either language
    assert (sample.platforms["r4_note_zh"] == "").all()
    assert (sample.platforms["r4_note"] == "").all()
