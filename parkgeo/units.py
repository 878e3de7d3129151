"""Area units of the policy (RULES.md "Units").

1 mu (亩) = 10000/15 m²; 1 ha = 15 mu; 1 km² = 1500 mu; 亿元 = 10⁸ yuan; 万元 = 10⁴ yuan.
"""

from __future__ import annotations

__all__ = [
    "M2_PER_MU",
    "MU_PER_HA",
    "MU_PER_KM2",
    "m2_to_mu",
    "mu_to_m2",
    "mu_to_ha",
    "ha_to_mu",
    "mu_to_km2",
    "km2_to_mu",
    "yi_to_wan",
    "wan_to_yi",
]

M2_PER_MU = 10000.0 / 15.0
MU_PER_HA = 15.0
MU_PER_KM2 = 1500.0
WAN_PER_YI = 10000.0


def m2_to_mu(m2):
    """Square metres to mu (works on scalars, arrays and Series)."""
    return m2 / M2_PER_MU


def mu_to_m2(mu):
    """Mu to square metres."""
    return mu * M2_PER_MU


def mu_to_ha(mu):
    """Mu to hectares (1 ha = 15 mu)."""
    return mu / MU_PER_HA


def ha_to_mu(ha):
    """Hectares to mu."""
    return ha * MU_PER_HA


def mu_to_km2(mu):
    """Mu to square kilometres (1 km² = 1500 mu)."""
    return mu / MU_PER_KM2


def km2_to_mu(km2):
    """Square kilometres to mu."""
    return km2 * MU_PER_KM2


def yi_to_wan(yi):
    """亿元 to 万元 (× 10,000)."""
    return yi * WAN_PER_YI


def wan_to_yi(wan):
    """万元 to 亿元 (÷ 10,000)."""
    return wan / WAN_PER_YI
