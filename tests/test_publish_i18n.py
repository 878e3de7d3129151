"""Every map string exists in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import parkgeo.publish as publish
from parkgeo.errors import InputError
from parkgeo.publish.i18n import LANGS, STRINGS, strings


def test_every_string_has_both_languages():
    for key, pair in STRINGS.items():
        assert len(pair) == len(LANGS) and all(p.strip() for p in pair), key
        zh, en = pair
        assert not re.search(r"[\u4e00-\u9fff]", en), key


def test_every_key_used_by_the_maps_exists():
    folder = Path(publish.__file__).parent
    used = set()
    for f in list(folder.glob("*.py")) + list((folder / "templates").glob("*.js")):
        text = f.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bs\[["']([a-z0-9_]+)["']\]""", text))
        used |= set(re.findall(r"""\bS\.([a-z0-9_]+)""", text))
    missing = sorted(k for k in used if k not in STRINGS and not k.startswith(("status_", "f_")))
    assert not missing


def test_unknown_language_refused():
    with pytest.raises(InputError, match="--lang"):
        strings("fr")
