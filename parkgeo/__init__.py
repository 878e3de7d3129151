"""parkgeo: consolidate industrial parks into major platforms.

The package reads like the pipeline it implements:

``parkgeo.read``         read layers, fields, encodings and CRS (DATA-CONTRACT)
``parkgeo.validate``     boundary and schema checks that GIS staff answer for (R1, R2, R12)
``parkgeo.consolidate``  classification and exact assignment of parks to platforms (R3-R11)
``parkgeo.measure``      targets, monitoring, ranking and project admission (T1-T6, R15-R17)
``parkgeo.publish``      web maps, static maps and reports (T7)

Rule ids (``R1`` ... ``R17``, ``T1`` ... ``T7``) refer to the policy as numbered in
``docs/rules.md``.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
