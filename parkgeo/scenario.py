"""The scenario: every setting of the policy in one typed, frozen object loaded from TOML.

Each default is the policy's number (``docs/rules.md``) and names the rule it comes
from. ``parkgeo scenario`` prints a commented template of this file; unknown keys
and bad values are :class:`~parkgeo.errors.ScenarioError` naming the key.

Examples
--------
>>> from parkgeo.scenario import Scenario, load_scenario
>>> s = Scenario()
>>> s.consolidate.distance_km, s.consolidate.min_developable_mu
(5.0, 10000.0)
>>> s.county("南湖区").max_platforms
2
"""

from __future__ import annotations

import dataclasses
import logging
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path

import tomllib

from .errors import ScenarioError

log = logging.getLogger(__name__)

__all__ = [
    "Scenario",
    "ValidateSettings",
    "SpaceSettings",
    "ConsolidateSettings",
    "CountyRule",
    "RelatedPair",
    "TargetSettings",
    "RankingSettings",
    "AdmissionSettings",
    "PlatformThresholds",
    "Variant",
    "load_scenario",
    "scenario_from_dict",
    "scenario_to_toml",
    "template",
]

#: the six high-energy-consuming industries of the National Bureau of Statistics (GB/T 4754-2017)
HIGH_ENERGY_INDUSTRIES = ("C25", "C26", "C30", "C31", "C32", "D44")
#: Zhejiang's six "traditional industries" whose capacity expansion R17 limits: textiles, apparel,
#: leather, paper, chemicals, non-metallic minerals (浙江省传统制造业改造提升, parkgeo's reading)
TRADITIONAL_INDUSTRIES = ("C17", "C18", "C19", "C22", "C26", "C30")
#: the two functional zones of Jiaxing whose towns keep no parks of their own (R8)
JIAXING_FUNCTIONAL_ZONES = ("嘉兴经济技术开发区(国际商务区)", "嘉兴港区")


@dataclass(frozen=True)
class ValidateSettings:
    """Settings of ``parkgeo validate``."""

    #: R2: measured statutory area may exceed the approved area by this share (survey/projection)
    area_tolerance: float = 0.01
    #: geometry: polygons (or polygon parts) smaller than this, in mu, are reported as slivers
    sliver_mu: float = 1.0
    #: topology: overlaps smaller than this, in mu, are ignored (digitising noise)
    overlap_min_mu: float = 0.01
    #: place: a feature may lie outside its county by at most this share before it is reported
    outside_county_tolerance: float = 0.001
    #: R1: a zone whose polygon moved by less than this Hausdorff distance (m) is unchanged
    boundary_tolerance_m: float = 0.5
    #: R2: compare approved areas with the national catalogue (2018) and take it where missing
    check_catalogue: bool = True
    #: R2: zone ids whose approved area a later approval changed: not compared with the catalogue
    catalogue_exceptions: tuple[str, ...] = ()
    #: R2: severity of a difference found by the zone's name alone ("error" or "warning"); a
    #: zone_id that is a catalogue code is always checked as an error. Local names may denote a
    #: zone after merges (海宁经济开发区(尖山新区)): "warning" when the catalogue's figure is not
    #: the one your zone is held to
    catalogue_name_severity: str = "error"
    #: R4: a declared developable_mu may exceed the area measured from the landuse survey by
    #: this share before it is reported (warning)
    developable_tolerance: float = 0.05
    #: R4: ... and by this share before the report is an error
    developable_error: float = 0.20


#: R4: survey codes (DLBM prefixes, GB/T 21010-2017 and the 三调 working classes) of unbuilt land
#: that may be built: cropland, orchards, woodland and grassland (not their wetland classes:
#: 0303 红树林地, 0304 森林沼泽, 0306 灌丛沼泽, 0402 沼泽草地) and other land (12). Built-up land
#: (05–09), transport (10) and water (11) never count. Permanent basic farmland and ecological
#: red lines are taken out through ``excluded_layers``.
DEVELOPABLE_CLASSES = ("01", "02", "0301", "0302", "0305", "0307", "0401", "0403", "0404", "12")


@dataclass(frozen=True)
class SpaceSettings:
    """How developable space (可开发空间, R4) is measured from the ``landuse`` survey."""

    #: R4: DLBM prefixes of the survey classes that count as developable
    developable_classes: tuple[str, ...] = DEVELOPABLE_CLASSES
    #: R4: layers whose land is never developable (basic farmland, ecological red lines)
    excluded_layers: tuple[str, ...] = ("protected",)
    #: R4: when true, only land inside the development_boundary layer (城镇开发边界) counts
    within_boundary: bool = False


@dataclass(frozen=True)
class CountyRule:
    """Exceptions the scenario grants one county (R3, R7, R11)."""

    name: str
    #: R3: platforms kept in this county; 3 or 4 only with a ``reason``
    max_platforms: int = 2
    #: R3: why this county may keep more than two platforms (printed in reports)
    reason: str = ""
    #: R7: whether this county includes its characteristic towns in the consolidation
    include_characteristic_towns: bool | None = None
    #: R2 defaults: an explicit ceiling on zone + sub-zones per platform, hectares
    area_cap_ha: float | None = None
    #: R6: zone ids forced to be main platforms in this county (in addition to ``main_platform``)
    main_zones: tuple[str, ...] = ()


@dataclass(frozen=True)
class RelatedPair:
    """A user-supplied industry relation (R7): ``a`` and ``b`` are related with ``strength`` 0–1."""

    a: str
    b: str
    strength: float = 1.0


@dataclass(frozen=True)
class ConsolidateSettings:
    """Settings of ``parkgeo integrate`` (R3–R11)."""

    #: R3: major platforms per county, in principle
    max_platforms: int = 2
    #: R3: the most any county may be granted (2 + "1–2 more")
    max_platforms_limit: int = 4
    #: R7: "adjacent or near": edge-to-edge distance limit, km
    distance_km: float = 5.0
    #: R7: "industry-related": minimum relatedness (1 class, 0.75 group, 0.5 division, 0.25 section)
    min_relatedness: float = 0.5
    #: R7: the user's related-industries table, added to the GB/T 4754 prefix relatedness
    related: tuple[RelatedPair, ...] = ()
    #: R4: developable space floor per major platform, mu
    min_developable_mu: float = 10000.0
    #: R4: above-scale industrial value added floor per major platform, 亿元
    min_va_100m: float = 80.0
    #: R4: which developable figure the floor is checked with: "declared" (developable_mu),
    #: "measured" (from the landuse survey, see [space]) or "lower" (the smaller of the two)
    developable: str = "declared"
    #: R11: share of the county's industrial platforms (parks) that must exit
    exit_share: float = 0.30
    #: R7: characteristic towns are left out unless included here or by their county
    include_characteristic_towns: bool = False
    #: R8: county-level functional zones whose towns keep no parks of their own
    functional_zones: tuple[str, ...] = JIAXING_FUNCTIONAL_ZONES
    #: R7 scope: pairs of counties between which parks may join across the county line
    cross_county: tuple[tuple[str, str], ...] = ()
    #: R2 defaults: ceiling on zone + sub-zones per platform, hectares (none by default)
    area_cap_ha: float | None = None
    #: connected mode: every sub-zone reaches its main platform through a chain of its parks
    connected: bool = False
    #: objective: weight of tax per mu in a park's score
    weight_tax_per_mu: float = 0.4
    #: objective: weight of output per mu in a park's score
    weight_output_per_mu: float = 0.3
    #: objective: weight of developable space in a park's score
    weight_developable: float = 0.3
    #: solver: time limit per county, seconds
    time_limit_s: float = 30.0
    #: solver: relative MIP gap accepted (0 = proven optimal)
    mip_gap: float = 0.0
    #: R3/R6: a provincial zone becomes a main platform when its development score reaches this
    #: share of the county's best zone (national zones always qualify)
    min_main_score_share: float = 0.0
    #: R6/R4: a provincial zone beyond the county's first platform becomes a main platform only
    #: when its own figures plus every related park within reach could reach the R4 floors
    main_needs_r4_reach: bool = True
    #: R6 (parkgeo's reading): zone types that are not main platforms unless main_platform =
    #: true — customs special zones (综合保税区 …) and tourism resorts (旅游度假区) are not
    #: industrial platforms. Kinds: economic_technological, high_tech, customs_special,
    #: border_cooperation, other_national, economic, industrial_park, tourism_resort, other
    not_main_zone_types: tuple[str, ...] = ("customs_special", "tourism_resort")
    #: per-county exceptions
    county: tuple[CountyRule, ...] = ()


@dataclass(frozen=True)
class TargetSettings:
    """The 2020 targets (T1–T6)."""

    #: T1: leading industry chains per platform (at least)
    leading_chains: int = 1
    #: T1: featured industries per platform (at least)
    featured_industries: int = 2
    #: T1: a leading chain is a GB/T 4754 division with at least this share of the platform's
    #: value added (parkgeo's reading)
    leading_share: float = 0.20
    #: T1: a featured industry is another division with at least this share (parkgeo's reading)
    featured_share: float = 0.10
    #: T2: high-tech share of above-scale industrial value added
    high_tech_share: float = 0.45
    #: T2: R&D spending share
    rd_share: float = 0.03
    #: T3: above-scale industrial output per mu, 万元
    output_per_mu_10k: float = 500.0
    #: T3: tax per mu, 万元
    tax_per_mu_10k: float = 30.0
    #: T4: above-scale industrial value added, 亿元
    va_100m: float = 100.0
    #: T4: firms with revenue over 100亿元
    firms_over_10bn: int = 1
    #: T4: listed firms
    listed_firms: int = 3
    #: T5: platforms with output over this, 亿元 ...
    t5_output_100m: float = 1000.0
    #: T5: ... at least this many, city-wide
    t5_platforms: int = 3
    #: T6: large projects attracted by 2020 in a county with a national zone
    t6_projects_national: int = 20
    #: T6: large projects attracted by 2020 in other counties
    t6_projects_other: int = 15
    #: T6: a "large project" invests at least this, 万元 (parkgeo's reading: 1亿元)
    t6_min_investment_10k: float = 10000.0
    #: T6: projects signed in these years count ("by 2020", from the plan's adoption in 2018)
    t6_from_year: int = 2018
    t6_to_year: int = 2020


@dataclass(frozen=True)
class RankingSettings:
    """Year-end composite ranking (R15), Zhejiang's per-mu evaluation (亩均论英雄)."""

    #: weights of the six indicators (one county's published weights: 30/20/20/10/10/10)
    tax_per_mu: float = 0.30
    va_per_mu: float = 0.20
    labour_productivity: float = 0.20
    va_per_energy: float = 0.10
    va_per_emission: float = 0.10
    rd_share: float = 0.10
    #: each indicator is divided by this benchmark across platforms: "median" or "mean"
    benchmark: str = "median"
    #: sensitivity: each weight perturbed by ± this share (then renormalised)
    sensitivity: float = 0.20


@dataclass(frozen=True)
class PlatformThresholds:
    """Standard-land (标准地) thresholds of one platform (R17), overriding the defaults."""

    platform_id: str
    min_investment_10k_per_mu: float | None = None
    min_tax_10k_per_mu: float | None = None
    min_output_10k_per_mu: float | None = None
    max_energy_tce_per_10k_output: float | None = None


@dataclass(frozen=True)
class AdmissionSettings:
    """Project admission (R16, R17): standard-land thresholds, Zhejiang-style defaults."""

    #: R17: new projects in these industries are banned (six high-energy-consuming industries)
    high_energy_industries: tuple[str, ...] = HIGH_ENERGY_INDUSTRIES
    #: R17: capacity expansion in these industries goes to review
    traditional_industries: tuple[str, ...] = TRADITIONAL_INDUSTRIES
    #: R17 standard land: fixed-asset investment intensity, 万元/亩
    min_investment_10k_per_mu: float = 300.0
    #: R17 standard land: tax per mu, 万元/亩
    min_tax_10k_per_mu: float = 30.0
    #: R17 standard land: output per mu, 万元/亩
    min_output_10k_per_mu: float = 500.0
    #: R17 standard land: energy use per 万元 of output, tce
    max_energy_tce_per_10k_output: float = 0.05
    #: a figure within this share below a threshold goes to review rather than reject
    review_margin: float = 0.2
    #: per-platform overrides
    platform: tuple[PlatformThresholds, ...] = ()


@dataclass(frozen=True)
class Variant:
    """A named variant of the scenario: its settings override the base scenario's."""

    name: str
    overrides: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Scenario:
    """Every setting RULES.md names, with the policy's numbers as defaults."""

    #: a name shown in reports
    name: str = "Jiaxing 2018 platform plan (defaults)"
    #: field mappings: contract name -> source name, for every layer ...
    fields: dict = field(default_factory=dict, hash=False, compare=False)
    #: layer names: contract layer -> the layer or feature class that holds it
    layers: dict = field(default_factory=dict, hash=False, compare=False)
    #: statistics tables joined to a layer by id: layer -> {table, on, sheet, table_on}
    join: dict = field(default_factory=dict, hash=False, compare=False)
    validate: ValidateSettings = ValidateSettings()
    space: SpaceSettings = SpaceSettings()
    consolidate: ConsolidateSettings = ConsolidateSettings()
    targets: TargetSettings = TargetSettings()
    ranking: RankingSettings = RankingSettings()
    admission: AdmissionSettings = AdmissionSettings()
    variant: tuple[Variant, ...] = ()
    #: where it was loaded from (None: the defaults)
    source: str | None = None

    # -- lookups ---------------------------------------------------------------------------
    def county(self, name):
        """The :class:`CountyRule` for county ``name`` (the defaults when none is given)."""
        for rule in self.consolidate.county:
            if rule.name == name:
                return rule
        return CountyRule(name=name, max_platforms=self.consolidate.max_platforms)

    def includes_characteristic_towns(self, county):
        """R7: whether ``county`` includes its characteristic towns."""
        rule = self.county(county)
        if rule.include_characteristic_towns is not None:
            return rule.include_characteristic_towns
        return self.consolidate.include_characteristic_towns

    def area_cap_ha(self, county):
        """The per-platform area ceiling in ``county``, hectares, or None."""
        rule = self.county(county)
        return rule.area_cap_ha if rule.area_cap_ha is not None else self.consolidate.area_cap_ha

    def field_map(self, layer):
        """Contract name -> source name for ``layer`` (``[fields]`` and ``[fields.LAYER]``)."""
        out = {k: v for k, v in self.fields.items() if isinstance(v, str)}
        per_layer = self.fields.get(layer)
        if isinstance(per_layer, dict):
            out.update(per_layer)
        return out

    def layer_name(self, layer):
        """The name of the layer (or feature class) in the data that holds contract ``layer``."""
        return self.layers.get(layer, layer)

    def join_for(self, layer):
        """The ``[join.LAYER]`` table for ``layer``: a dict with ``table`` as a Path, or None.

        A relative ``table`` is taken relative to the scenario file's folder.
        """
        spec = self.join.get(layer)
        if spec is None:
            return None
        table = Path(spec["table"])
        if not table.is_absolute() and self.source:
            table = Path(self.source).parent / table
        return {**spec, "table": table}

    def thresholds(self, platform_id):
        """Standard-land thresholds for ``platform_id`` (R17), defaults overridden per platform."""
        a = self.admission
        values = {
            "min_investment_10k_per_mu": a.min_investment_10k_per_mu,
            "min_tax_10k_per_mu": a.min_tax_10k_per_mu,
            "min_output_10k_per_mu": a.min_output_10k_per_mu,
            "max_energy_tce_per_10k_output": a.max_energy_tce_per_10k_output,
        }
        for p in a.platform:
            if p.platform_id == platform_id:
                for k in values:
                    v = getattr(p, k)
                    if v is not None:
                        values[k] = v
        return values

    def variants(self):
        """``(name, Scenario)`` for each ``[[variant]]``; just ``self`` when there are none."""
        if not self.variant:
            return [(None, self)]
        base = scenario_to_dict(self)
        base.pop("variant", None)
        out = []
        for v in self.variant:
            merged = _deep_merge(base, v.overrides)
            merged["name"] = f"{self.name} — {v.name}"
            out.append((v.name, scenario_from_dict(merged, source=self.source)))
        return out

    def to_toml(self):
        """The scenario as TOML text (round-trips through :func:`load_scenario`)."""
        return scenario_to_toml(self)


# ------------------------------------------------------------------------------------------------
# loading: a small typed loader over the dataclasses, so every key is checked and named on error.
# (No dependency for this: tomllib parses, and the dataclasses above are the schema.)
# ------------------------------------------------------------------------------------------------

_SECTIONS = {
    "validate": ValidateSettings,
    "space": SpaceSettings,
    "consolidate": ConsolidateSettings,
    "targets": TargetSettings,
    "ranking": RankingSettings,
    "admission": AdmissionSettings,
}


def load_scenario(path):
    """Load a scenario TOML file.

    Parameters
    ----------
    path : str or Path
        The TOML file. ``None`` gives the defaults.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        The file is missing or not TOML, or a key is unknown or a value bad (the message names
        the file and the key).

    Examples
    --------
    >>> s = load_scenario(None)
    >>> s.consolidate.exit_share
    0.3
    """
    if path is None:
        return Scenario()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: scenario file does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read the scenario file ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML: {exc}") from None
    return scenario_from_dict(data, source=str(path))


def scenario_from_dict(data, *, source=None):
    """Build a :class:`Scenario` from a dict (as parsed from TOML), checking every key."""
    where = f"{source}: " if source else ""
    data = dict(data)
    kwargs = {"source": source}
    for key, value in data.items():
        if key == "name":
            kwargs["name"] = _coerce(str, value, where, "name")
        elif key == "fields":
            kwargs["fields"] = _check_fields(value, where)
        elif key == "layers":
            kwargs["layers"] = _check_layers(value, where)
        elif key == "join":
            kwargs["join"] = _check_join(value, where)
        elif key in _SECTIONS:
            kwargs[key] = _build(_SECTIONS[key], value, where, key)
        elif key == "variant":
            if not isinstance(value, list):
                raise ScenarioError(f"{where}[[variant]] must be an array of tables")
            variants = []
            for i, item in enumerate(value):
                if not isinstance(item, dict) or "name" not in item:
                    raise ScenarioError(f"{where}variant[{i}]: needs a 'name'")
                overrides = {k: v for k, v in item.items() if k != "name"}
                # check the overrides now, so a typo in a variant is caught when loading
                for sect, vals in overrides.items():
                    if sect not in _SECTIONS:
                        raise ScenarioError(f"{where}variant '{item['name']}': unknown key '{sect}'"
                                            f" (expected one of {', '.join(_SECTIONS)})")
                    _build(_SECTIONS[sect], vals, where, f"variant.{sect}")
                variants.append(Variant(name=str(item["name"]), overrides=overrides))
            kwargs["variant"] = tuple(variants)
        else:
            raise ScenarioError(f"{where}unknown key '{key}' (expected one of name, fields, "
                                f"layers, join, {', '.join(_SECTIONS)}, variant)")
    scenario = Scenario(**kwargs)
    _check_semantics(scenario, where)
    return scenario


def _check_fields(value, where):
    if not isinstance(value, dict):
        raise ScenarioError(f"{where}[fields] must be a table of contract_name = \"source name\"")
    for k, v in value.items():
        if isinstance(v, dict):
            for kk, vv in v.items():
                if not isinstance(vv, str):
                    raise ScenarioError(f"{where}fields.{k}.{kk}: expected a field name (text), "
                                        f"got {vv!r}")
        elif not isinstance(v, str):
            raise ScenarioError(f"{where}fields.{k}: expected a field name (text), got {v!r}")
    return dict(value)


def _check_layers(value, where):
    if not isinstance(value, dict) or not all(isinstance(v, str) and v.strip()
                                              for v in value.values()):
        raise ScenarioError(f"{where}[layers] must be a table of contract_layer = \"layer or "
                            "feature class name\" (e.g. zones = \"开发区\")")
    return dict(value)


_JOIN_KEYS = ("table", "on", "sheet", "table_on")


def _check_join(value, where):
    if not isinstance(value, dict):
        raise ScenarioError(f"{where}[join] must hold one table per layer, e.g. [join.parks] "
                            "with table = \"园区统计.xlsx\" and on = \"park_id\"")
    out = {}
    for layer, spec in value.items():
        if not isinstance(spec, dict):
            raise ScenarioError(f"{where}join.{layer}: expected a table with 'table' and 'on'")
        unknown = sorted(set(spec) - set(_JOIN_KEYS))
        if unknown:
            raise ScenarioError(f"{where}unknown key 'join.{layer}.{unknown[0]}' (expected one of "
                                f"{', '.join(_JOIN_KEYS)})")
        for k in ("table", "on"):
            if not isinstance(spec.get(k), str) or not spec[k].strip():
                raise ScenarioError(f"{where}join.{layer}.{k}: required, a text "
                                    + ("(a .csv or .xlsx file)" if k == "table"
                                       else "(the id field both sides share, e.g. park_id)"))
        for k in ("sheet", "table_on"):
            if k in spec and not isinstance(spec[k], str | int):
                raise ScenarioError(f"{where}join.{layer}.{k}: expected a text, got {spec[k]!r}")
        out[layer] = dict(spec)
    return out


#: keys of earlier versions that no longer mean anything: read with a warning, then ignored
#: (a result's stored scenario, or an old scenario file, still loads)
RETIRED_KEYS = {
    "consolidate.weight_affinity": "the objective is lexicographic and affinity only breaks "
                                   "ties (docs/consolidation.md)",
    "consolidate.slack_penalty": "an R4 floor that can be met is always met, and otherwise the "
                                 "shortfall is minimised first (docs/consolidation.md)",
}


def _build(cls, value, where, key):
    if not isinstance(value, dict):
        raise ScenarioError(f"{where}{key}: expected a table, got {value!r}")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    kwargs = {}
    for k, v in value.items():
        retired = RETIRED_KEYS.get(f"{key.removeprefix('variant.')}.{k}")
        if retired and k not in names:
            log.warning("%s'%s.%s' is no longer used and is ignored: %s", where, key, k, retired)
            continue
        if k not in names:
            raise ScenarioError(f"{where}unknown key '{key}.{k}' (expected one of "
                                f"{', '.join(sorted(names))})")
        kwargs[k] = _coerce(hints[k], v, where, f"{key}.{k}")
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise ScenarioError(f"{where}{key}: {exc}") from None


def _coerce(tp, value, where, key):
    """Check ``value`` against the type hint ``tp``; return it converted (lists to tuples)."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _coerce(arg, value, where, key)
            except ScenarioError as exc:
                errors.append(exc)
        raise errors[0]
    if dataclasses.is_dataclass(tp):
        return _build(tp, value, where, key)
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise ScenarioError(f"{where}{key}: expected a list, got {value!r}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_coerce(args[0], v, where, f"{key}[{i}]") for i, v in enumerate(value))
        if len(value) != len(args):
            raise ScenarioError(f"{where}{key}: expected {len(args)} items, got {value!r}")
        pairs = enumerate(zip(args, value, strict=True))
        return tuple(_coerce(a, v, where, f"{key}[{i}]") for i, (a, v) in pairs)
    if tp is bool:
        if not isinstance(value, bool):
            raise ScenarioError(f"{where}{key}: expected true or false, got {value!r}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ScenarioError(f"{where}{key}: expected a whole number, got {value!r}")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ScenarioError(f"{where}{key}: expected a number, got {value!r}")
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise ScenarioError(f"{where}{key}: expected text, got {value!r}")
        return value
    if tp is dict or origin is dict:
        if not isinstance(value, dict):
            raise ScenarioError(f"{where}{key}: expected a table, got {value!r}")
        return value
    raise ScenarioError(f"{where}{key}: unsupported setting type {tp}")  # pragma: no cover


def _check_semantics(s, where):
    """Ranges and cross-field rules; each error names its key."""
    c = s.consolidate

    def bad(key, msg):
        raise ScenarioError(f"{where}{key}: {msg}")

    if c.distance_km < 0:
        bad("consolidate.distance_km", f"must be ≥ 0 km (R7), got {c.distance_km}")
    if not 0 <= c.min_relatedness <= 1:
        bad("consolidate.min_relatedness", f"must be between 0 and 1 (R7), got {c.min_relatedness}")
    if not 0 <= c.exit_share <= 1:
        bad("consolidate.exit_share", f"must be between 0 and 1 (R11), got {c.exit_share}")
    if c.min_developable_mu < 0 or c.min_va_100m < 0:
        bad("consolidate.min_developable_mu", "R4 floors must be ≥ 0")
    if not 1 <= c.max_platforms <= c.max_platforms_limit:
        bad("consolidate.max_platforms",
            f"must be between 1 and {c.max_platforms_limit} (R3), got {c.max_platforms}")
    if c.area_cap_ha is not None and c.area_cap_ha <= 0:
        bad("consolidate.area_cap_ha", f"must be > 0 ha, got {c.area_cap_ha}")
    if c.time_limit_s <= 0:
        bad("consolidate.time_limit_s", f"must be > 0 s, got {c.time_limit_s}")
    if not 0 <= c.mip_gap < 1:
        bad("consolidate.mip_gap", f"must be in [0, 1), got {c.mip_gap}")
    from .catalogue import ZONE_KINDS, zone_kind

    if s.validate.catalogue_name_severity not in ("warning", "error"):
        bad("validate.catalogue_name_severity",
            f"expected 'warning' or 'error', got {s.validate.catalogue_name_severity!r}")

    for kind in c.not_main_zone_types:
        if zone_kind(kind) is None:
            bad("consolidate.not_main_zone_types",
                f"'{kind}' is not a zone type; expected one of {', '.join(ZONE_KINDS)} "
                "(or the catalogue's Chinese names, e.g. 海关特殊监管区域)")
    for p in c.related:
        if not 0 <= p.strength <= 1:
            bad("consolidate.related", f"strength of {p.a}–{p.b} must be between 0 and 1")
    seen = set()
    for rule in c.county:
        if rule.name in seen:
            bad("consolidate.county", f"county '{rule.name}' is listed twice")
        seen.add(rule.name)
        if not 1 <= rule.max_platforms <= c.max_platforms_limit:
            bad(f"consolidate.county '{rule.name}'.max_platforms",
                f"must be between 1 and {c.max_platforms_limit} (R3), got {rule.max_platforms}")
        if rule.max_platforms > 2 and not rule.reason.strip():
            bad(f"consolidate.county '{rule.name}'.reason",
                f"R3: {rule.max_platforms} platforms need a stated reason")
        if rule.area_cap_ha is not None and rule.area_cap_ha <= 0:
            bad(f"consolidate.county '{rule.name}'.area_cap_ha", "must be > 0 ha")
    for key in ("high_tech_share", "rd_share"):
        v = getattr(s.targets, key)
        if not 0 <= v <= 1:
            bad(f"targets.{key}", f"must be a share between 0 and 1, got {v}")
    r = s.ranking
    weights = [r.tax_per_mu, r.va_per_mu, r.labour_productivity, r.va_per_energy,
               r.va_per_emission, r.rd_share]
    if any(w < 0 for w in weights) or sum(weights) <= 0:
        bad("ranking", "weights must be ≥ 0 and not all zero")
    if r.benchmark not in ("median", "mean"):
        bad("ranking.benchmark", f"expected 'median' or 'mean', got {r.benchmark!r}")
    if not 0 <= r.sensitivity < 1:
        bad("ranking.sensitivity", f"must be in [0, 1), got {r.sensitivity}")
    if s.validate.area_tolerance < 0:
        bad("validate.area_tolerance", "must be ≥ 0")
    if not 0 <= s.admission.review_margin < 1:
        bad("admission.review_margin", "must be in [0, 1)")
    if c.developable not in ("declared", "measured", "lower"):
        bad("consolidate.developable",
            f"expected 'declared', 'measured' or 'lower' (R4), got {c.developable!r}")
    v = s.validate
    if not 0 <= v.developable_tolerance <= v.developable_error:
        bad("validate.developable_tolerance",
            f"must be ≥ 0 and ≤ validate.developable_error ({v.developable_error}), "
            f"got {v.developable_tolerance}")
    import re

    for code in s.space.developable_classes:
        if not re.fullmatch(r"(0[1-9]|1[0-2])(\d{2}|H[1-9])?[A-Z]?", code):
            bad("space.developable_classes",
                f"{code!r} is not a GB/T 21010-2017 class code or prefix (e.g. '01', '0301', "
                "'05H1')")
    for name in s.space.excluded_layers:
        if name in ("zones", "parks", "landuse"):
            bad("space.excluded_layers", f"'{name}' cannot be an excluded layer")


def _deep_merge(base, over):
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _deep_merge(out[k], v)
        else:
            out[k] = v
    return out


def scenario_to_dict(s):
    """The scenario as plain TOML-able data (None values left out)."""

    def conv(obj):
        if dataclasses.is_dataclass(obj):
            out = {}
            for f in dataclasses.fields(obj):
                if f.name == "source":
                    continue
                v = getattr(obj, f.name)
                if v is None:
                    continue
                if isinstance(obj, Variant) and f.name == "overrides":
                    out.update(v)
                    continue
                out[f.name] = conv(v)
            return out
        if isinstance(obj, tuple | list):
            return [conv(v) for v in obj]
        if isinstance(obj, dict):
            return {k: conv(v) for k, v in obj.items()}
        return obj

    return conv(s)


def scenario_to_toml(s):
    """The scenario as TOML text."""
    import tomli_w

    return tomli_w.dumps(scenario_to_dict(s))


def template():
    """A commented TOML template of every setting with its default and rule id.

    The comments are the ``#:`` comments of the dataclasses above, so the template and the
    code cannot drift apart.
    """
    import inspect

    import tomli_w

    lines = [
        "# parkgeo scenario — every setting of the policy, with its default and rule id.",
        "# Rule ids refer to docs/rules.md. Delete what you do not change.",
        "",
        'name = "My city, 2018 platform plan"',
        "",
        "# Field mappings: contract name = \"name in your data\" (all layers), or per layer:",
        "[fields]",
        '# name = "园区名称"',
        "",
        "# [fields.zones]",
        '# approved_area_ha = "核准面积"',
        "",
        "# Layer names: contract layer = \"layer or feature class in your data\"",
        "# [layers]",
        '# zones = "开发区"',
        "",
        "# Statistics kept apart from the shapes: a CSV or Excel sheet joined to a layer by id",
        "# [join.parks]",
        '# table = "园区统计.xlsx"    # relative to this file',
        '# on = "park_id"',
        '# sheet = "2020"           # Excel: the sheet (default: the first)',
        '# table_on = "园区编码"     # the id column in the table, when it is named otherwise',
        "",
    ]
    for section, cls in _SECTIONS.items():
        comments = _field_comments(inspect.getsource(cls))
        lines.append(f"[{section}]")
        for f in dataclasses.fields(cls):
            if f.name in ("county", "platform", "related"):
                continue
            for c in comments.get(f.name, []):
                lines.append(f"# {c}")
            default = f.default
            if default is None:
                lines.append(f"# {f.name} =")
            else:
                text = tomli_w.dumps({f.name: list(default) if isinstance(default, tuple)
                                      else default}).strip()
                lines.append(text)
        lines.append("")
        if section == "consolidate":
            lines += [
                "# R7: your own related-industries table, added to GB/T 4754 prefix relatedness",
                "# [[consolidate.related]]",
                '# a = "C38"',
                '# b = "C39"',
                "# strength = 0.8",
                "",
                "# R3/R7/R2: exceptions for one county",
                "# [[consolidate.county]]",
                '# name = "海宁市"',
                "# max_platforms = 3",
                '# reason = "尖山新区 is a separate provincial strategic platform"',
                "# include_characteristic_towns = true",
                "# area_cap_ha = 3000",
                "",
            ]
        if section == "admission":
            lines += [
                "# R17: standard-land thresholds for one platform",
                "# [[admission.platform]]",
                '# platform_id = "G331112"',
                "# min_investment_10k_per_mu = 400",
                "",
            ]
    lines += [
        "# Variants: one result per variant, compared in a table (integrate)",
        "# [[variant]]",
        '# name = "8 km"',
        "# [variant.consolidate]",
        "# distance_km = 8.0",
        "",
    ]
    return "\n".join(lines)


def _field_comments(source):
    comments, pending = {}, []
    for line in source.splitlines():
        s = line.strip()
        if s.startswith("#:"):
            pending.append(s[2:].strip())
        elif ":" in s and pending and not s.startswith("#"):
            comments[s.split(":")[0].strip()] = pending
            pending = []
        elif s and not s.startswith("#"):
            pending = []
    return comments
