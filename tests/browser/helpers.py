"""Drive Debian's headless Chromium through Playwright, with the network blocked.

Shared by the browser tests and ``scripts/screenshots.py``.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_missing_reason():
    """Why browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: pip install -e '.[test]'"
    return None


@dataclass
class PageLog:
    """What a page did: errors, console errors, dialogs, and requests that were blocked."""

    page_errors: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)
    dialogs: list = field(default_factory=list)
    blocked: list = field(default_factory=list)


@contextlib.contextmanager
def browser():
    """A headless Chromium browser (Playwright's sync API)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield b
        finally:
            for key in [k for k in _CONTEXTS if k[0] == id(b)]:
                del _CONTEXTS[key]
                _TABS.pop(key, None)
            b.close()


#: a phone as the maps are opened on one (from a WeChat link): 390 x 844 CSS pixels, 3 device
#: pixels each, touch screen, mobile viewport rules
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "has_touch": True,
         "is_mobile": True}

#: every URL that is not the local file itself or inline content: matched by Playwright's
#: driver (a regular expression is sent to it), so a ``file://`` load never waits on Python
REMOTE = re.compile(r"^(?!(?:file|data|about|blob):)")

#: one browser context per browser and window (desktop size or phone), and in it one tab that
#: each :func:`open_map` loads its file into (a new tab would start a new renderer process);
#: the published pages keep no state in the context or the tab (no cookies, no storage)
_CONTEXTS = {}
_TABS = {}


def _tab(b, options):
    key = (id(b), repr(sorted(options.items())))
    if key not in _CONTEXTS:
        _CONTEXTS[key] = b.new_context(**options)
    if key not in _TABS or _TABS[key].is_closed():
        _TABS[key] = _CONTEXTS[key].new_page()
    return key, _TABS[key]


def _leave(key, page, options):
    """Leave the tab as a new one: blank, the mouse at its starting point, the window and the
    media the context gives; a tab whose window or media a test changed is closed instead."""
    try:
        page.mouse.move(0, 0)
        page.goto("about:blank")
        if (page.viewport_size != options["viewport"]
                or page.evaluate("() => matchMedia('print').matches")):
            page.close()
    except Exception:
        page.close()
        raise


@contextlib.contextmanager
def open_map(b, html_path, *, block_network=True, width=1280, height=800, wait_leaflet=True,
             phone=False, fragment=""):
    """Open a local HTML file; every request for anything but the file itself and inline
    content (:data:`REMOTE`) recorded in ``log.blocked`` and aborted when blocked.

    ``phone=True`` opens it in a :data:`PHONE` window instead of a ``width`` x ``height``
    desktop window. Yields ``(page, log)``.
    """
    log = PageLog()
    options = PHONE if phone else {"viewport": {"width": width, "height": height}}
    key, page = _tab(b, options)

    def route(r):
        log.blocked.append(r.request.url)
        r.abort()

    def on_error(exc):
        log.page_errors.append(str(exc))

    def on_console(m):
        if m.type == "error":
            log.console_errors.append(m.text)

    def on_dialog(d):
        log.dialogs.append(d.message)
        d.dismiss()

    if block_network:
        page.route(REMOTE, route)
    page.on("pageerror", on_error)
    page.on("console", on_console)
    page.on("dialog", on_dialog)
    try:
        page.goto(Path(html_path).resolve().as_uri() + fragment, wait_until="load")
        if wait_leaflet:
            page.wait_for_function("() => !!window.L && !!document.querySelector('.leaflet-pane')",
                                   timeout=15_000)
        yield page, log
    finally:
        if not page.is_closed():
            if block_network:
                page.unroute(REMOTE, route)
            page.remove_listener("pageerror", on_error)
            page.remove_listener("console", on_console)
            page.remove_listener("dialog", on_dialog)
            _leave(key, page, options)


#: the page's Leaflet map (folium names it ``map_<hex>``)
MAP = "Object.values(window).find(v => window.L && v instanceof L.Map)"


def settled(page_or_frame, timeout=5_000):
    """Wait until the page has run the timers it has queued so far, finished every CSS
    transition and animation under way (Leaflet's zoom, a sheet sliding up) and painted twice
    since: what its scripts do once loaded (or after an input) is then drawn, every request it
    makes for what it draws issued, and (one more round trip) reported to Python."""
    page_or_frame.evaluate("() => new Promise(done => setTimeout(done, 0))")
    page_or_frame.wait_for_function(
        "() => document.getAnimations().every(a => a.playState !== 'running')",
        timeout=timeout)
    page_or_frame.evaluate(
        "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page_or_frame.evaluate("() => true")


def map_at_rest(page_or_frame, timeout=5_000):
    """Wait until the page's map has finished moving (no pan or zoom animation under way, none
    queued for the next frame), then :func:`settled`."""
    page_or_frame.evaluate("() => new Promise(done => requestAnimationFrame(() => done(true)))")
    page_or_frame.wait_for_function(
        f"() => {{ const m = {MAP}; return !!m && !m._animatingZoom && !m._flyToFrame"
        " && !(m._panAnim && m._panAnim._inProgress); }", timeout=timeout)
    settled(page_or_frame)


def wait_until(page, condition, timeout=5.0):
    """Wait (letting Playwright deliver the page's events) until ``condition()`` is true;
    for conditions on what Python has recorded (:class:`PageLog`), not on the page."""
    import time

    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"not true after {timeout} s: {condition}")
        page.wait_for_timeout(20)


def screenshot(page, path):
    """Write a PNG screenshot; return the fraction of pixels that differ from the most common."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    return non_background_share(path)


def non_background_share(path):
    """Share of pixels not equal to the image's most common colour (0 for a blank image)."""
    import matplotlib.image as mpimg
    import numpy as np

    img = mpimg.imread(str(path))[..., :3]
    flat = (img.reshape(-1, 3) * 255).round().astype(np.int64)
    keys = flat[:, 0] * 65536 + flat[:, 1] * 256 + flat[:, 2]
    _, counts = np.unique(keys, return_counts=True)
    return 1.0 - counts.max() / keys.size
