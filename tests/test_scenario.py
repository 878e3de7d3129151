"""The scenario file: typed settings, policy defaults, errors that name the key."""

from __future__ import annotations

import pytest
import tomllib
from click.testing import CliRunner

from parkgeo.cli.main import cli
from parkgeo.errors import ScenarioError
from parkgeo.scenario import Scenario, load_scenario, scenario_from_dict, template


def test_defaults_are_the_policy_numbers():
    s = Scenario()
    c = s.consolidate
    assert (c.max_platforms, c.max_platforms_limit) == (2, 4)  # R3
    assert (c.min_developable_mu, c.min_va_100m) == (10000.0, 80.0)  # R4
    assert c.distance_km == 5.0  # R7 default reading
    assert c.exit_share == 0.30  # R11
    assert set(c.functional_zones) == {"嘉兴经济技术开发区(国际商务区)", "嘉兴港区"}  # R8
    t = s.targets
    assert (t.high_tech_share, t.rd_share) == (0.45, 0.03)  # T2
    assert (t.output_per_mu_10k, t.tax_per_mu_10k) == (500.0, 30.0)  # T3
    assert (t.va_100m, t.firms_over_10bn, t.listed_firms) == (100.0, 1, 3)  # T4
    assert (t.t6_projects_national, t.t6_projects_other) == (20, 15)  # T6
    r = s.ranking
    assert [r.tax_per_mu, r.va_per_mu, r.labour_productivity, r.va_per_energy,
            r.va_per_emission, r.rd_share] == [0.3, 0.2, 0.2, 0.1, 0.1, 0.1]
    assert set(s.admission.high_energy_industries) == {"C25", "C26", "C30", "C31", "C32", "D44"}


def test_template_parses_to_the_defaults_and_names_rules():
    text = template()
    parsed = scenario_from_dict(tomllib.loads(text))
    assert parsed.consolidate == Scenario().consolidate
    assert parsed.targets == Scenario().targets
    for rule in ("R2", "R3", "R4", "R7", "R8", "R11", "T2", "T3", "T4", "R17"):
        assert rule in text


def test_round_trip_through_toml(tmp_path):
    s = scenario_from_dict({"consolidate": {"distance_km": 8, "county": [
        {"name": "海宁市", "max_platforms": 3, "reason": "尖山新区"}]}})
    path = tmp_path / "s.toml"
    path.write_text(s.to_toml(), encoding="utf-8")
    back = load_scenario(path)
    assert back.consolidate == s.consolidate
    assert back.county("海宁市").max_platforms == 3
    assert back.county("南湖区").max_platforms == 2


@pytest.mark.parametrize("data,words", [
    ({"consolidate": {"distanc_km": 3}}, "unknown key 'consolidate.distanc_km'"),
    ({"consolidat": {}}, "unknown key 'consolidat'"),
    ({"consolidate": {"distance_km": "five"}}, "consolidate.distance_km: expected a number"),
    ({"consolidate": {"distance_km": -1}}, "consolidate.distance_km: must be ≥ 0"),
    ({"consolidate": {"exit_share": 1.5}}, "consolidate.exit_share"),
    ({"consolidate": {"connected": "yes"}}, "consolidate.connected: expected true or false"),
    ({"consolidate": {"county": [{"name": "A", "max_platforms": 3}]}}, "need a stated reason"),
    ({"consolidate": {"county": [{"name": "A", "max_platforms": 5, "reason": "x"}]}},
     "between 1 and 4"),
    ({"targets": {"high_tech_share": 45}}, "targets.high_tech_share"),
    ({"ranking": {"benchmark": "max"}}, "ranking.benchmark"),
    ({"variant": [{"name": "x", "consolidate": {"bogus": 1}}]},
     "unknown key 'variant.consolidate.bogus'"),
    ({"fields": {"name": 3}}, "fields.name"),
])
def test_bad_scenarios_name_the_key(data, words):
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data, source="my.toml")
    assert words in str(info.value)
    assert str(info.value).startswith("my.toml: ")


def test_variants_override_the_base():
    s = scenario_from_dict({"consolidate": {"exit_share": 0.4},
                            "variant": [{"name": "5 km"},
                                        {"name": "8 km", "consolidate": {"distance_km": 8.0}}]})
    (n1, s1), (n2, s2) = s.variants()
    assert (n1, s1.consolidate.distance_km, s1.consolidate.exit_share) == ("5 km", 5.0, 0.4)
    assert (n2, s2.consolidate.distance_km, s2.consolidate.exit_share) == ("8 km", 8.0, 0.4)


def test_field_map_global_and_per_layer():
    s = scenario_from_dict({"fields": {"name": "名称", "parks": {"name": "园区名", "town": "镇"}}})
    assert s.field_map("zones") == {"name": "名称"}
    assert s.field_map("parks") == {"name": "园区名", "town": "镇"}


def test_not_toml_and_missing_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("consolidate = [", encoding="utf-8")
    with pytest.raises(ScenarioError, match="not valid TOML"):
        load_scenario(bad)
    with pytest.raises(ScenarioError, match="does not exist"):
        load_scenario(tmp_path / "none.toml")


def test_cli_scenario_template_and_check(tmp_path):
    runner = CliRunner()
    out = tmp_path / "s.toml"
    result = runner.invoke(cli, ["scenario", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(cli, ["scenario", "--check", str(out)]).exit_code == 0
    again = runner.invoke(cli, ["scenario", "--out", str(out)])
    assert again.exit_code == 2 and "--overwrite" in again.output
    out.write_text("[consolidate]\nquota = 0.3\n", encoding="utf-8")
    bad = runner.invoke(cli, ["scenario", "--check", str(out)])
    assert bad.exit_code == 2 and "unknown key 'consolidate.quota'" in bad.output
