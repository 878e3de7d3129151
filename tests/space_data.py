"""A small ``parkgeo space`` GeoPackage matching tests/publish_data.py's result (R4 overlay)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from publish_data import HOSTILE, make_result_layers

#: the features given developable land, and the land's inset from their edge, metres
OWNERS = (("zones", "Z1"), ("parks", "A1"), ("parks", "B1"))


def write_space(path, *, hostile=False):
    """``space`` (one row per zone and park) and ``developable_land`` for :data:`OWNERS`."""
    layers = make_result_layers()
    rows, land = [], []
    for layer, key in (("zones", "zone_id"), ("parks", "park_id")):
        frame = layers[layer]
        for _, r in frame.iterrows():
            name = (HOSTILE[0] + r["name"]) if hostile else r["name"]
            rows.append({"layer": layer, "id": r[key], "name": name,
                         "developable_mu": 1234.5, "geometry": r.geometry})
            if (layer, r[key]) in OWNERS:
                land.append({"layer": layer, "id": r[key],
                             "geometry": r.geometry.buffer(-150.0)})
    space = gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=4549)
    gpd.GeoDataFrame(space.drop(columns="geometry"), geometry=space.geometry).to_file(
        path, layer="space", driver="GPKG", engine="pyogrio")
    gpd.GeoDataFrame(pd.DataFrame(land), geometry="geometry", crs=4549).to_file(
        path, layer="developable_land", driver="GPKG", engine="pyogrio")
    return path
