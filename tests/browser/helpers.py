"""Drive Debian's headless Chromium through Playwright, with the network blocked.

Shared by the browser tests and ``scripts/screenshots.py``.
"""

from __future__ import annotations

import contextlib
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
            b.close()


#: a phone as the maps are opened on one (from a WeChat link): 390 x 844 CSS pixels, 3 device
#: pixels each, touch screen, mobile viewport rules
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "has_touch": True,
         "is_mobile": True}


@contextlib.contextmanager
def open_map(b, html_path, *, block_network=True, width=1280, height=800, wait_leaflet=True,
             phone=False, fragment=""):
    """Open a local HTML file in a new page; every non-file request aborted when blocked.

    ``phone=True`` opens it in a :data:`PHONE` context instead of a ``width`` x ``height``
    desktop window. Yields ``(page, log)``.
    """
    log = PageLog()
    context = b.new_context(**(PHONE if phone else {"viewport": {"width": width,
                                                                 "height": height}}))
    page = context.new_page()
    if block_network:
        def route(r):
            if r.request.url.startswith(("file://", "data:", "about:")):
                r.continue_()
            else:
                log.blocked.append(r.request.url)
                r.abort()
        page.route("**/*", route)
    page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)

    def on_dialog(d):
        log.dialogs.append(d.message)
        d.dismiss()
    page.on("dialog", on_dialog)
    try:
        page.goto(Path(html_path).resolve().as_uri() + fragment, wait_until="load")
        if wait_leaflet:
            page.wait_for_function("() => !!window.L && !!document.querySelector('.leaflet-pane')",
                                   timeout=15_000)
        yield page, log
    finally:
        context.close()


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
