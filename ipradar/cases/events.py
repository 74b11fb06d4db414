"""Lifecycle events from documents (structured fields first, then EN/ZH wording), and the status they imply.

A structured date ("complaint_filed": "2025-03-12") is an event on that date (basis "stated"); a sentence such as
"issued a final determination" in a notice dated D is an event on D (basis "published"), since notices and news
report what happened at or just before their date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Event:
    kind: str
    on: dt.date
    basis: str  # stated|published
    detail: str


# Lifecycle order: later stages win when two events share a date. Terminal kinds end the case.
STAGES = ("complaint_filed", "instituted", "institution_denied", "initial_determination", "injunction",
          "final_determination", "exclusion_order", "default_judgment", "appeal", "settlement", "dismissal",
          "terminated")
TERMINAL = {"settlement": "settled", "dismissal": "dismissed", "terminated": "terminated",
            "institution_denied": "denied"}
STATUS_OF = {"complaint_filed": "filed", "instituted": "active", "initial_determination": "initial_determination",
             "injunction": "injunction", "final_determination": "final_determination",
             "exclusion_order": "exclusion_order", "default_judgment": "default_judgment", "appeal": "on_appeal",
             **TERMINAL}
STATUSES = ("unknown", *dict.fromkeys(STATUS_OF.values()))

# Wording → event kind, EN and ZH. A sentence must name the act, not just the topic: "may issue an exclusion
# order" is no order, so the exclusion-order pattern wants "issued"/"issues" or 发布/签发.
TEXT_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((kind, re.compile(p, re.I)) for kind, p in (
    ("complaint_filed", r"receipt of complaint|complaint (?:was )?filed|filed (?:a|its) complaint|filed suit|"
                        r"files? (?:a )?(?:patent )?(?:infringement )?(?:lawsuit|suit)|sued|提起诉讼|提交(?:了)?(?:337)?申请|起诉(?!书)|提起337"),
    ("instituted", r"institut(?:ion of|ed|es) (?:an? |the )?(?:Section 337 )?investigation|voted to institute|"
                   r"institution of inter partes review|instituted (?:an? )?(?:inter partes )?review|"
                   r"(?:决定|投票决定)?(?:对[^。]{0,60})?(?:发起|启动)(?:了)?337调查|立案调查"),
    ("institution_denied", r"denie[sd] institution|discretionary denial|不予立案|驳回(?:复审)?请求"),
    ("initial_determination", r"initial determination|\bID\b finding|初裁|初步裁决"),
    ("injunction", r"(?:granted|grants|issued|won|wins|obtained) (?:an? )?(?:preliminary |permanent )?injunction|"
                   r"sales? ban|禁令"),
    ("final_determination", r"final determination|final written decision|终裁|最终裁决|终审判决"),
    ("exclusion_order", r"issu(?:ed|es|ing) (?:a |an )?(?:limited|general) exclusion order|"
                        # "请求ITC发布有限排除令" is a request, not an order: no 请求/要求/申请/寻求 just before
                        r"(?<!求)(?<!请)(?<!求ITC)(?<!请ITC)(?<!求美国ITC)(?<!求委员会)(?<!求美国国际贸易委员会)"
                        r"(?:发布|签发|颁布)(?:了)?(?:有限|普遍)排除令"),
    ("default_judgment", r"default judgment|in default|缺席判决"),
    ("appeal", r"notice of appeal|appeal(?:ed|s)? to the|filed an appeal|提起上诉|提出上诉|上诉至"),
    ("settlement", r"settle(?:d|ment|s)|licen[cs]e agreement|consent order|和解|达成(?:专利)?许可"),
    ("dismissal", r"dismiss(?:ed|es|al)|驳回(?:起诉|诉讼)"),
    ("terminated", r"terminat(?:ed|es|ion of) (?:the )?investigation|withdrawal of (?:the )?complaint|"
                   r"rescission|rescinded|终止(?:了)?(?:该)?(?:337)?调查"),
))

# Crawler ``extra`` keys that carry dates of lifecycle steps (USITC releases, PTAB proceedings, dockets).
EXTRA_DATES = {"complaint_filed": "complaint_filed", "filed_on": "complaint_filed", "date_filed": "complaint_filed",
               "petition_filing_date": "complaint_filed", "petitionFilingDate": "complaint_filed",
               "institution_date": "instituted", "instituted_on": "instituted",
               "institutionDecisionDate": "instituted", "institution_decision_date": "instituted",
               "termination_date": "terminated", "terminationDate": "terminated", "date_terminated": "terminated",
               "final_determination_date": "final_determination"}
# doc_type values that are events in themselves, dated by their publication.
DOC_TYPE_EVENTS = {"fr_notice_receipt_of_complaint": "complaint_filed", "fr_notice_institution": "instituted",
                   "fr_notice_final_determination": "final_determination", "fr_notice_rescission": "terminated",
                   "fr_notice_termination": "terminated", "court_filing_complaint": "complaint_filed"}


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    m = re.match(r"(\d{4})[-/](\d{2})[-/](\d{2})", value.strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _flat(extra: Mapping[str, Any]) -> Iterable[tuple[str, Any]]:
    for key, value in extra.items():
        if isinstance(value, Mapping):
            yield from _flat(value)
        else:
            yield key, value


def extract_events(*, title: str, text: str, doc_type: str, extra: Mapping[str, Any],
                   published: dt.date | None) -> list[Event]:
    """Events one document states. Structured dates first; wording adds events dated by publication."""
    events: dict[str, Event] = {}
    ptab_status = str(extra.get("trialStatusCategory") or extra.get("trial_status") or "").lower()
    for key, value in _flat(extra):
        kind = EXTRA_DATES.get(key)
        day = parse_date(value)
        if kind and day:
            if kind == "instituted" and ("denial" in ptab_status or "denied" in ptab_status):
                kind = "institution_denied"
            events.setdefault(kind, Event(kind, day, "stated", f"{key}: {value}"))
    if published is None:
        return sorted(events.values(), key=lambda e: (e.on, STAGES.index(e.kind)))
    kind = DOC_TYPE_EVENTS.get(doc_type)
    if kind:
        events.setdefault(kind, Event(kind, published, "published", f"document type {doc_type}"))
    # The headline says what this document is about; the body of a release repeats the whole procedure
    # ("the ALJ will make an initial determination …"), so body wording only counts in the first paragraph.
    lead = f"{title}\n{text[:400]}"
    future = re.compile(r"\b(?:will|would|may|could|shall)\b[^.。]{0,60}$|将|拟|可能", re.I)
    for kind, pattern in TEXT_RULES:
        if kind in events:
            continue
        m = pattern.search(lead)
        if not m:
            continue
        if future.search(lead[max(0, m.start() - 60):m.start()]):
            continue
        if kind == "complaint_filed" and doc_type in ("news_release",) and "instituted" not in events:
            # A 337 institution release names the complaint date in the text; the release itself is institution.
            continue
        events[kind] = Event(kind, published, "published", m.group(0)[:80])
    if doc_type == "news_release" and "instituted" not in events and re.search(r"Institutes Section 337", title):
        events["instituted"] = Event("instituted", published, "published", "institution release")
    return sorted(events.values(), key=lambda e: (e.on, STAGES.index(e.kind)))


def derive_status(events: Iterable[tuple[str, dt.date]]) -> str:
    """The status implied by the latest event (ties broken by lifecycle order); "unknown" without events."""
    latest = max(events, key=lambda e: (e[1], STAGES.index(e[0]) if e[0] in STAGES else -1), default=None)
    return STATUS_OF.get(latest[0], "unknown") if latest else "unknown"
