"""Unit conversions of RULES.md: 1 mu = 10000/15 m², 1 ha = 15 mu, 1 km² = 1500 mu."""

import numpy as np
import pytest

from parkgeo import units


def test_mu_definitions():
    assert units.m2_to_mu(10000 / 15) == pytest.approx(1.0)
    assert units.ha_to_mu(1) == 15
    assert units.km2_to_mu(1) == 1500
    assert units.m2_to_mu(1_000_000) == pytest.approx(units.km2_to_mu(1))
    assert units.mu_to_ha(units.ha_to_mu(7.3)) == pytest.approx(7.3)
    assert units.mu_to_km2(3000) == 2
    assert units.wan_to_yi(units.yi_to_wan(80)) == 80


def test_vectorised():
    a = np.array([0.0, 666.6666666666666, 1e6])
    assert np.allclose(units.m2_to_mu(a), [0, 1, 1500])
