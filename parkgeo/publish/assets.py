"""Offline web maps: every script and style sheet folium references, inlined into the HTML.

folium writes ``<script src="https://cdn...">`` and ``<link href="https://cdn...">`` tags; a map
published on an intranet with no internet would load blank. :func:`inline_assets` replaces each of
those tags with the file's content, taken from packages installed with parkgeo:

- Leaflet, jQuery and Font Awesome from the XStatic packages (``xstatic.pkg.*.BASE_DIR``);
- Bootstrap 5 from ``bootstrap-flask`` (``flask_bootstrap/static/bootstrap5``, MIT);
- the Leaflet plugins that have no Python package from ``parkgeo/publish/vendor/`` (see its
  README for versions, sources and licences).

Images and fonts that style sheets point to (``url(images/layers.png)``) become ``data:`` URIs.
A remote script or style sheet with no local copy is an error, never silently left online.
No library does this for folium output (folium's own ``Map`` has no offline mode), hence this
module.
"""

from __future__ import annotations

import base64
import functools
import importlib.util
import mimetypes
import re
from pathlib import Path

from ..errors import OutputError

__all__ = [
    "VENDOR_DIR",
    "OFFLINE_JS",
    "OFFLINE_CSS",
    "local_files",
    "inline_css",
    "inline_js",
    "inline_assets",
    "remote_urls",
]

VENDOR_DIR = Path(__file__).parent / "vendor"

#: the scripts every parkgeo web map loads (folium's names, URLs as folium writes them);
#: jQuery is not among them: folium needs it only for ``folium.Popup`` HTML, which the maps do
#: not use (their popups are built by templates/parkgeo.js)
OFFLINE_JS = [
    ("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"),
]
#: the style sheets every parkgeo web map loads; Bootstrap and Font Awesome are left out
#: because no parkgeo map uses them (they would add ~0.4 MB to every file)
OFFLINE_CSS = [
    ("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"),
]


@functools.cache
def _package_dir(module):
    """Folder of an installed package, found without importing it.

    (Importing bootstrap-flask would import Flask.)
    """
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise OutputError(f"package '{module}' is not installed; reinstall parkgeo "
                          "(pip install -e .) to get the offline map assets")
    return Path(list(spec.submodule_search_locations)[0])


def _xstatic(name, *parts):
    return _package_dir(f"xstatic.pkg.{name}") / "data" / Path(*parts)


def _bootstrap(*parts):
    return _package_dir("flask_bootstrap") / "static" / "bootstrap5" / Path(*parts)


# (pattern on the URL's path, files whose concatenation replaces it). Patterns match file
# names, not versions: the versions in use are the installed packages' and vendor/README.md's.
_TABLE = [
    (r"(^|/)leaflet(\.min)?\.js$", lambda: [_xstatic("leaflet", "leaflet.js")]),
    (r"(^|/)leaflet(\.min)?\.css$", lambda: [_xstatic("leaflet", "leaflet.css")]),
    (r"(^|/)jquery-[\d.]+(\.min)?\.js$", lambda: [_xstatic("jquery", "jquery.min.js")]),
    # bootstrap.bundle = Popper + Bootstrap
    (r"(^|/)bootstrap\.bundle(\.min)?\.js$",
     lambda: [_bootstrap("umd", "popper.min.js"), _bootstrap("js", "bootstrap.min.js")]),
    (r"(^|/)bootstrap(\.min)?\.js$", lambda: [_bootstrap("js", "bootstrap.min.js")]),
    (r"(^|/)bootstrap(\.min)?\.css$", lambda: [_bootstrap("css", "bootstrap.min.css")]),
    (r"fontawesome[^/]*/.*(^|/)all(\.min)?\.css$",
     lambda: [_xstatic("font_awesome", "css", "all.min.css")]),
    (r"(^|/)leaflet-search(\.min)?\.js$",
     lambda: [VENDOR_DIR / "leaflet-search" / "dist" / "leaflet-search.min.js"]),
    (r"(^|/)leaflet-search(\.min)?\.css$",
     lambda: [VENDOR_DIR / "leaflet-search" / "dist" / "leaflet-search.min.css"]),
    (r"(^|/)Control\.FullScreen(\.min)?\.js$",
     lambda: [VENDOR_DIR / "leaflet-fullscreen" / "Control.FullScreen.js"]),
    (r"(^|/)Control\.FullScreen(\.min)?\.css$",
     lambda: [VENDOR_DIR / "leaflet-fullscreen" / "Control.FullScreen.css"]),
    (r"(^|/)leaflet-measure(\.min)?\.js$",
     lambda: [VENDOR_DIR / "leaflet-measure" / "dist" / "leaflet-measure.min.js"]),
    (r"(^|/)leaflet-measure(\.min)?\.css$",
     lambda: [VENDOR_DIR / "leaflet-measure" / "dist" / "leaflet-measure.css"]),
    (r"(^|/)Control\.MiniMap(\.min)?\.js$",
     lambda: [VENDOR_DIR / "leaflet-minimap" / "dist" / "Control.MiniMap.min.js"]),
    (r"(^|/)Control\.MiniMap(\.min)?\.css$",
     lambda: [VENDOR_DIR / "leaflet-minimap" / "dist" / "Control.MiniMap.min.css"]),
    (r"(^|/)leaflet\.groupedlayercontrol(\.min)?\.js$",
     lambda: [VENDOR_DIR / "leaflet-groupedlayercontrol" / "dist"
              / "leaflet.groupedlayercontrol.min.js"]),
    (r"(^|/)leaflet\.groupedlayercontrol(\.min)?\.css$",
     lambda: [VENDOR_DIR / "leaflet-groupedlayercontrol" / "dist"
              / "leaflet.groupedlayercontrol.min.css"]),
]
_COMPILED = [(re.compile(p), f) for p, f in _TABLE]


def local_files(url):
    """The installed or vendored files that stand for a CDN ``url``; ``None`` if unknown.

    Examples
    --------
    >>> [p.name for p in local_files("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")]
    ['leaflet.js']
    """
    path = re.sub(r"^[a-z]+:", "", url).split("?")[0].split("#")[0]
    for pattern, files in _COMPILED:
        if pattern.search(path):
            found = files()
            for f in found:
                if not f.is_file():
                    raise OutputError(f"offline asset {f} for {url} is missing; "
                                      "reinstall parkgeo (pip install -e .)")
            return found
    return None


def _data_uri(path):
    mime = mimetypes.guess_type(path.name)[0] or {
        ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf",
    }.get(path.suffix, "application/octet-stream")
    if path.suffix == ".svg":
        mime = "image/svg+xml"
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


# source maps are not shipped; a reference to one would only make developer tools ask for it
_SOURCE_MAP_RE = re.compile(r"^\s*(//|/\*)# sourceMappingURL=\S+(\s*\*/)?\s*$", re.MULTILINE)
_URL_RE = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_FONT_FALLBACK_RE = re.compile(
    r""",\s*url\(\s*['"]?[^'")]+\.(?:ttf|woff|eot|svg)(?:[?#][^'")]*)?['"]?\s*\)\s*"""
    r"""format\(\s*['"](?:truetype|woff|embedded-opentype|svg)['"]\s*\)""")


def inline_css(path):
    """A style sheet's text with every local ``url(...)`` turned into a ``data:`` URI.

    Web fonts keep only their WOFF2 source (every browser that runs Leaflet 1.9 reads WOFF2);
    the TrueType fallbacks would double the size of Font Awesome.
    """
    path = Path(path)
    css = path.read_text(encoding="utf-8")
    css = _SOURCE_MAP_RE.sub("", css)
    css = _FONT_FALLBACK_RE.sub("", css)

    def repl(match):
        ref = match.group(2).strip()
        if ref.startswith(("data:", "#")) or re.match(r"^[a-z]+://", ref):
            return match.group(0)
        target = (path.parent / ref.split("?")[0].split("#")[0]).resolve()
        if not target.is_file():
            raise OutputError(f"style sheet {path} refers to {ref}, which is not installed")
        return f'url("{_data_uri(target)}")'

    css = _URL_RE.sub(repl, css)
    return re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)


def inline_js(path):
    """A script's text, made safe to sit inside ``<script>`` (no ``</script`` or ``<!--``)."""
    js = Path(path).read_text(encoding="utf-8")
    js = _SOURCE_MAP_RE.sub("", js)
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    return js.replace("<!--", "<\\!--")


_SCRIPT_TAG = re.compile(r"""<script\s+src=(["'])([^"']+)\1\s*>\s*</script>""", re.IGNORECASE)
_LINK_TAG = re.compile(
    r"""<link\s+rel=(["'])stylesheet\1\s+href=(["'])([^"']+)\2\s*/?>""", re.IGNORECASE)


def inline_assets(html):
    """Replace every remote ``<script src>``/``<link rel=stylesheet>`` in ``html`` by its content.

    Raises :class:`~parkgeo.errors.OutputError` naming the URL when a script or style sheet has
    no local copy, so a map never silently depends on the internet.

    Examples
    --------
    >>> import folium
    >>> html = inline_assets(folium.Map(tiles=None).get_root().render())  # doctest: +SKIP
    >>> "cdn.jsdelivr.net" in html                                        # doctest: +SKIP
    False
    """
    cache = {}

    def content(url, kind):
        if url not in cache:
            files = local_files(url)
            if files is None:
                raise OutputError(
                    f"the map refers to {url}, which parkgeo has no offline copy of; "
                    "add it to parkgeo/publish/assets.py and vendor/")
            reader = inline_js if kind == "js" else inline_css
            cache[url] = "\n".join(reader(f) for f in files)
        return cache[url]

    def script(match):
        url = match.group(2)
        if not re.match(r"^(https?:)?//", url):
            return match.group(0)
        # a function replacement: backslashes in the library's code are kept as they are
        return f"<script>/* {_origin(url)} */\n{content(url, 'js')}\n</script>"

    def link(match):
        url = match.group(3)
        if not re.match(r"^(https?:)?//", url):
            return match.group(0)
        return f"<style>/* {_origin(url)} */\n{content(url, 'css')}\n</style>"

    html = _SCRIPT_TAG.sub(script, html)
    return _LINK_TAG.sub(link, html)


def _origin(url):
    """The file name a CDN URL stands for, for a comment above inlined code."""
    return re.sub(r"[^A-Za-z0-9@._/-]", "", url.rsplit("/", 1)[-1])


_REMOTE_RE = re.compile(r"""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s"'<>)\\]*""")


def remote_urls(html):
    """Every ``http(s)://`` or protocol-relative URL left in ``html`` (scripts, links, tiles).

    Leaflet's own attribution link and licence comments are text, not requests; callers that
    check for network use filter on what they expect (tile templates).
    """
    return sorted(set(m.group(0) for m in _REMOTE_RE.finditer(html)))
