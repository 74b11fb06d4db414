"""PDF through WeasyPrint, after checking that a CJK font is installed (otherwise Chinese prints as empty boxes).

Byte-for-byte determinism: the PDF identifier is derived from the HTML, the creation date comes from the report's
``dcterms.created`` meta (the injected clock), and the font subsetter's timestamp is pinned via SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class ReportError(RuntimeError):
    """A report cannot be produced; the message says why and what to do."""


CJK_HELP = ("no CJK font is installed, so Chinese text would print as empty boxes; install one "
            "(Debian/Ubuntu: `apt-get install fonts-noto-cjk`, Fedora: `dnf install google-noto-sans-cjk-fonts`) "
            "or write HTML only (--format html)")


def cjk_fonts() -> list[str]:
    """Font families that cover Chinese, as fontconfig (which WeasyPrint uses) sees them."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    command = [fc_list, ":lang=zh", "family"]
    proc = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    return sorted({line.split(",")[0].strip() for line in proc.stdout.splitlines() if line.strip()})


def require_cjk_font(finder: Callable[[], list[str]] = cjk_fonts) -> str:
    fonts = finder()
    if not fonts:
        raise ReportError(CJK_HELP)
    preferred = [f for f in fonts if "Sans CJK SC" in f]
    return (preferred or fonts)[0]


@contextmanager
def _pinned_epoch(epoch: int) -> Iterator[None]:
    # fontTools stamps subset fonts with "now" unless SOURCE_DATE_EPOCH is set; only this call needs it.
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def write_pdf(html: str, path: Path, *, epoch: int, finder: Callable[[], list[str]] = cjk_fonts) -> Path:
    """Render ``html`` (self-contained) to ``path``; raises ReportError when no CJK font is installed."""
    require_cjk_font(finder)
    from weasyprint import HTML

    identifier = hashlib.sha256(html.encode("utf-8")).digest()[:16]
    with _pinned_epoch(epoch):
        data = HTML(string=html).write_pdf(pdf_identifier=identifier)
    if data is None:  # pragma: no cover — write_pdf without a target always returns bytes
        raise ReportError(f"WeasyPrint returned no PDF for {path.name}")
    path.write_bytes(data)
    return path
