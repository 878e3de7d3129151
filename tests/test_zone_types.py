"""R6 by zone type: customs special zones and tourism resorts are not main platforms by default
(parkgeo's reading, the scenario's ``consolidate.not_main_zone_types``)."""

from __future__ import annotations

import pytest
from test_integrate import integrate, layers, park, scenario, zone

from parkgeo.errors import ScenarioError
from parkgeo.scenario import Scenario


# the zones carry real catalogue names with illustrative approved areas, which validation
# (R2) would refuse: these tests consolidate with check=False, the engine alone
def _data(customs_type="海关特殊监管区域", customs_name="嘉兴综合保税区", **customs):
    # the customs zone is national and strong; the provincial zone is weaker but industrial
    zones = [zone("ZB", x=0.0, industries="C39", dev=20000.0, va=150.0, name=customs_name,
                  zone_type=customs_type, **customs),
             zone("ZP", x=8.0, level="provincial", industries="C39", dev=12000.0, va=90.0,
                  zone_type="经济开发区")]
    parks = [park("A", x=2.5, industries="C39"), park("B", x=10.0, industries="C39")]
    return layers(zones, parks)


def _roles(result):
    return result.zones.set_index("zone_id")["role"].to_dict()


def test_a_customs_special_zone_is_not_a_main_platform():
    r = integrate(_data(), check=False)
    roles = _roles(r)
    assert roles["ZB"] != "main_platform" and roles["ZP"] == "main_platform"
    reason = r.zones.set_index("zone_id").loc["ZB", "reason"]
    assert reason.startswith("R6") and "customs special" in reason
    assert "ZB" not in set(r.platforms["main_zone_id"])


def test_a_tourism_resort_named_so_under_other_types_is_not_main_either():
    r = integrate(_data(customs_type="其他类型开发区", customs_name="杭州之江国家旅游度假区"),
                  check=False)
    assert _roles(r)["ZB"] != "main_platform"
    assert "tourism resort" in r.zones.set_index("zone_id").loc["ZB", "reason"]


def test_main_platform_true_in_the_data_still_forces_it():
    assert _roles(integrate(_data(main_platform=True), check=False))["ZB"] == "main_platform"


def test_the_scenario_decides_which_types():
    r = integrate(_data(), scenario=scenario(not_main_zone_types=[]), check=False)
    assert _roles(r)["ZB"] == "main_platform"
    # Chinese names of the types are accepted in the scenario too
    r = integrate(_data(customs_type="经济开发区"),
                  scenario=scenario(not_main_zone_types=["经济开发区"]), check=False)
    assert _roles(r)["ZB"] != "main_platform" and _roles(r)["ZP"] != "main_platform"


def test_an_unknown_type_in_the_scenario_is_refused():
    with pytest.raises(ScenarioError, match="not_main_zone_types.*customs_special"):
        scenario(not_main_zone_types=["duty_free"])
    assert Scenario().consolidate.not_main_zone_types == ("customs_special", "tourism_resort")
