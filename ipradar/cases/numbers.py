"""Case numbers: find them in structured fields and free text (EN/ZH) and normalise each to (kind, court, number).

A number is only an identity together with its kind, and for court dockets together with the court: district
docket "1:23-cv-00646" exists in dozens of US courts, "7 O 1234/21" in every German Landgericht.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# USITC assigns 337 investigation numbers from 1 upwards (≈1,500 by 2026) and complaint docket numbers from 2,000
# upwards (DN 3335 in 2018, DN 3800s in 2025). EDIS writes both as "337-NNNN"; the size tells which one it is.
DOCKET_FLOOR = 2000


@dataclass(frozen=True, order=True)
class CaseNo:
    kind: str  # usitc_337|usitc_docket|ptab|upc|us_district|cafc|cn_court|de_court|uk_claim|in_court
    number: str  # canonical text, e.g. "337-TA-1443", "DN 3335", "IPR2025-01319", "23-cv-00646"
    court: str = ""  # needed where the number repeats across courts ("" = unique on its own, or court unknown)

    @property
    def needs_court(self) -> bool:
        return self.kind in COURT_SCOPED

    def label(self) -> str:
        return f"{self.number} ({self.court})" if self.court else self.number


COURT_SCOPED = frozenset({"us_district", "de_court"})

# Which forum a number kind belongs to (court-scoped kinds take the court code instead).
KIND_FORUM = {"usitc_337": "USITC", "usitc_docket": "USITC", "ptab": "PTAB", "upc": "UPC", "cafc": "CAFC",
              "uk_claim": "GB-HC", "in_court": "IN-DHC"}


def _clean(text: str) -> str:
    # Full-width digits, brackets and dashes are common in Chinese pages ("３３７－ＴＡ－１４４３", "（2020）").
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[‐-―−﹣－]", "-", text)


# CJK characters count as word characters for \b, so "编号337-TA-1443" needs explicit ASCII boundaries.
_L, _R = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"
_INV = re.compile(rf"{_L}337\s*-\s*TA\s*-\s*(\d{{1,4}})(?!\d)", re.I)
_EDIS = re.compile(r"(?<![\w-])337\s*-\s*(\d{3,4})(?![\d-])")
_DN = re.compile(rf"{_L}(?:DN|Docket\s+No\.?|Docket\s+Number)\s*(\d{{4}}){_R}|(?:案卷号|案号|立案号)\s*[:：]?\s*(\d{{4}}){_R}", re.I)
_PTAB = re.compile(rf"{_L}(IPR|PGR|CBM|DER)\s*(\d{{4}})\s*-\s*(\d{{1,5}}){_R}", re.I)
_UPC = re.compile(rf"{_L}(UPC)[_\s]?(CFI|CoA)[_\s]?(\d{{1,6}})\s*/\s*(\d{{4}}){_R}", re.I)
_ACT = re.compile(rf"{_L}ACT[_\s](\d{{3,7}})\s*/\s*(\d{{4}}){_R}")
_DISTRICT = re.compile(r"(?<![A-Za-z0-9:])(?:(\d):)?(\d{2})\s*-\s*(cv|cr|mc)\s*-\s*(\d{1,6})(?:-[A-Z]{2,4})*(?![A-Za-z0-9])",
                       re.I)
_CAFC = re.compile(r"(?:Fed(?:eral|\.)\s*Cir(?:cuit|\.)?[^.\n]{0,40}?No\.?\s*|联邦巡回上诉法院[^。\n]{0,20}?)(\d{4})-(\d{4})(?![A-Za-z0-9])")
_CN = re.compile(r"[(](\d{4})[)]\s*([\u4e00-\u9fff]{1,3}\d{0,4}[\u4e00-\u9fff]{1,6}\d{1,6})号")
_DE = re.compile(rf"{_L}(\d{{1,2}})\s+O\s+(\d{{1,5}})\s*/\s*(\d{{2}}){_R}")
_UK = re.compile(rf"{_L}(HP|IL|CH)-(\d{{4}})-(\d{{6}}){_R}")
_IN = re.compile(rf"{_L}CS\s*\(\s*COMM\s*\)\s*(?:No\.?\s*)?(\d{{1,5}})\s*(?:/|of)\s*(\d{{4}}){_R}", re.I)
_337_CONTEXT = re.compile(r"337|USITC|International Trade Commission|国际贸易委员会", re.I)


def normalise(raw: str, *, court: str = "", context: str = "") -> CaseNo | None:
    """Normalise one case number as a source wrote it; None when it is no number we know.

    ``context`` is the surrounding text: a bare "Docket No. 3335" is a USITC complaint docket only next to 337.
    """
    found = extract(raw, court=court, context=context or raw)
    return found[0] if found else None


def extract(text: str, *, court: str = "", context: str | None = None) -> list[CaseNo]:
    """Every case number in ``text``, normalised, in order of first appearance, without repeats."""
    text = _clean(text)
    ctx = _clean(context) if context is not None else text
    hits: list[tuple[int, CaseNo]] = []
    for m in _INV.finditer(text):
        hits.append((m.start(), CaseNo("usitc_337", f"337-TA-{int(m.group(1))}")))
    for m in _EDIS.finditer(text):
        n = int(m.group(1))
        hits.append((m.start(), CaseNo("usitc_docket", f"DN {n}") if n >= DOCKET_FLOOR
                     else CaseNo("usitc_337", f"337-TA-{n}")))
    if _337_CONTEXT.search(ctx):
        for m in _DN.finditer(text):
            n = int(m.group(1) or m.group(2))
            if n >= DOCKET_FLOOR:
                hits.append((m.start(), CaseNo("usitc_docket", f"DN {n}")))
    for m in _PTAB.finditer(text):
        hits.append((m.start(), CaseNo("ptab", f"{m.group(1).upper()}{m.group(2)}-{int(m.group(3)):05d}")))
    for m in _UPC.finditer(text):
        division = "CoA" if m.group(2).lower() == "coa" else "CFI"
        hits.append((m.start(), CaseNo("upc", f"UPC_{division}_{int(m.group(3))}/{m.group(4)}")))
    for m in _ACT.finditer(text):
        hits.append((m.start(), CaseNo("upc", f"ACT_{int(m.group(1))}/{m.group(2)}")))
    for m in _DISTRICT.finditer(text):
        # The office digit ("1:") is dropped: sources omit it as often as they give it, and year + sequence
        # already identify the case within its court.
        num = f"{m.group(2)}-{m.group(3).lower()}-{int(m.group(4)):05d}"
        hits.append((m.start(), CaseNo("us_district", num, court)))
    for m in _CAFC.finditer(text):
        hits.append((m.start(), CaseNo("cafc", f"{m.group(1)}-{m.group(2)}")))
    for m in _CN.finditer(text):
        hits.append((m.start(), CaseNo("cn_court", f"({m.group(1)}){m.group(2)}号")))
    for m in _DE.finditer(text):
        hits.append((m.start(), CaseNo("de_court", f"{int(m.group(1))} O {int(m.group(2))}/{m.group(3)}", court)))
    for m in _UK.finditer(text):
        hits.append((m.start(), CaseNo("uk_claim", f"{m.group(1)}-{m.group(2)}-{m.group(3)}")))
    for m in _IN.finditer(text):
        hits.append((m.start(), CaseNo("in_court", f"CS(COMM) {int(m.group(1))}/{m.group(2)}")))
    hits.sort(key=lambda h: h[0])
    return list(dict.fromkeys(no for _, no in hits))


def numbers_from_fields(values: Iterable[str], *, court: str = "", context: str = "") -> list[CaseNo]:
    out: list[CaseNo] = []
    for value in values:
        out += extract(str(value), court=court, context=f"{value}\n{context}")
    return list(dict.fromkeys(out))
