"""Reading layers: formats, encodings, field names and values, and CRS (the data contract)."""

from .crs import areas_mu, county_crs, gk_epsg_for_lon, guess_crs, local_epsg, to_local
from .dataset import Dataset, LayerSource, list_dataset_layers, read_dataset
from .fields import LAYERS, Problem, parse_bool, parse_number

__all__ = [
    "Dataset",
    "LayerSource",
    "LAYERS",
    "Problem",
    "read_dataset",
    "list_dataset_layers",
    "areas_mu",
    "county_crs",
    "gk_epsg_for_lon",
    "guess_crs",
    "local_epsg",
    "to_local",
    "parse_bool",
    "parse_number",
]
