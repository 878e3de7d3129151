#!/usr/bin/env bash
# Set parkgeo up on a fresh machine: system packages, a virtual environment, the package.
#
#   bash scripts/install.sh
#
# System packages (Debian/Ubuntu, as root): fonts-noto-cjk for Chinese labels in static maps
# and reports, chromium for the browser tests and screenshots, python3-gdal to run GDAL's
# GeoPackage validator (validate_gpkg.py, from the gdal-utils wheel) in the tests. Without root
# they are listed for you to install; everything else still works (static maps fall back to a
# font without CJK).
set -euo pipefail
cd "$(dirname "$0")/.."

system_packages=(fonts-noto-cjk chromium python3-gdal)
missing=()
if command -v dpkg >/dev/null 2>&1; then
  for p in "${system_packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "parkgeo: warning: please install: sudo apt-get install ${missing[*]}" >&2
  fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
# gdal-utils (the test extra's GeoPackage validator) declares the GDAL Python bindings as a
# dependency, which pip would build from source; the tests run its validate_gpkg.py with
# Debian's python3-gdal instead, so the wheel is installed without its dependencies.
.venv/bin/python -m pip install -q --no-deps 'gdal-utils>=3.6'
# an editable install leaves parkgeo's own modules uncompiled (pip byte-compiles only what it
# copies); compile them now, as a regular install would, so that no run pays for it (with
# PYTHONDONTWRITEBYTECODE set, every run would); a changed module is recompiled on import
.venv/bin/python -m compileall -q parkgeo >/dev/null
echo "parkgeo installed: $(.venv/bin/parkgeo --version)"
