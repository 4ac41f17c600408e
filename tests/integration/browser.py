"""A real headless Chromium (Debian's `chromium`) driven by playwright, for the report and review tests.

No browser is downloaded: playwright is pointed at /usr/bin/chromium, with a fresh profile per test.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
)


@contextmanager
def open_page(tmp_path: Path) -> Iterator[Any]:
    """A new page in a headless Chromium with its own profile; every request it makes is in `page.requests`."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            headless=True,  # playwright adds --headless
            args=FLAGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            tab = context.new_page()
            tab.requests = []  # type: ignore[attr-defined]
            tab.on("request", lambda request: tab.requests.append(request.url))  # type: ignore[attr-defined]
            yield tab
        finally:
            context.close()


def boxes_overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and (a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])
    )


def pixels_of(page: Any, png: bytes, rgb: tuple[int, int, int], tolerance: int = 12) -> int:
    """How many pixels of a screenshot are of colour `rgb` (counted by the browser, on a canvas)."""
    source = "data:image/png;base64," + base64.b64encode(png).decode()
    script = """async ([source, rgb, tolerance]) => {
        const image = new Image(); image.src = source; await image.decode();
        const canvas = document.createElement('canvas'); canvas.width = image.width; canvas.height = image.height;
        const context = canvas.getContext('2d'); context.drawImage(image, 0, 0);
        const data = context.getImageData(0, 0, image.width, image.height).data;
        let count = 0;
        for (let i = 0; i < data.length; i += 4) {
            if (Math.abs(data[i] - rgb[0]) <= tolerance && Math.abs(data[i + 1] - rgb[1]) <= tolerance
                && Math.abs(data[i + 2] - rgb[2]) <= tolerance) count++;
        }
        return count;
    }"""
    return int(page.evaluate(script, [source, list(rgb), tolerance]))


def rgb_of(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
