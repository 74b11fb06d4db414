"""CourtListener REST v4: US federal IP dockets (nature of suit 820/830/835/840) — new filings from the search API
(which carries party names) and changed dockets from the dockets API, incremental on ``date_modified``.

Verified from real material: v4 field names, cursor pagination through ``next``, the token header. Inferred: the
FJC code inside ``suitNature``. The dockets API is stored under its API resource URL, the search result under the
docket page URL: two observations of one docket, which the case layer joins by court + docket number.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar
from urllib.parse import urlencode

from ..parsers import us_courtlistener_dockets as parser
from .base import JsonApiSpider

API = "https://www.courtlistener.com/api/rest/v4"
NATURES = ("820", "830", "835", "840")


def utc_stamp(value: str) -> str:
    """CourtListener's ``date_modified`` carries the server's offset; the cursor is kept in UTC so that later
    values compare correctly as text."""
    moment = dt.datetime.fromisoformat(value)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class UsCourtlistenerDocketsSpider(JsonApiSpider):
    name = "us_courtlistener_dockets"
    title = "CourtListener — US federal IP dockets"
    lang = "en"
    base_url = "https://www.courtlistener.com"
    schedule = "30 22 * * *"
    licence = "US court records are public domain; CourtListener terms of use apply"
    expected_items: ClassVar[tuple[int, int]] = (1, 2000)
    credential_env = "IPRADAR_COURTLISTENER_TOKEN"
    delay = 1.0  # 5,000 requests an hour with a token

    cursor_key = "date_modified"
    max_pages = 10
    backfill_from = "2016-01-01"  # the first run (no cursor, no --since) reaches back this far

    def first_urls(self, cursor: str | None) -> list[str]:
        since = cursor or self.backfill_from
        urls = []
        for nos in NATURES:
            query = {"type": "r", "nature_of_suit": nos, "filed_after": since[:10], "order_by": "dateFiled desc"}
            urls.append(f"{API}/search/?{urlencode(query)}")
        # changed dockets: the API's prefix filter "83" covers patent (830) and ANDA (835) suits
        stamp = since if "T" in since else f"{since}T00:00:00Z"
        changed = {"nature_of_suit__istartswith": "83", "date_modified__gte": stamp, "order_by": "date_modified"}
        urls.append(f"{API}/dockets/?{urlencode(changed)}")
        return urls

    def auth_headers(self) -> dict[str, str]:
        headers = super().auth_headers()
        if self.credential:
            headers["Authorization"] = f"Token {self.credential}"
        return headers

    def parse_page(self, body: str, url: str) -> tuple[list[dict[str, Any]], str | None, str | None]:
        if "/dockets/" in url:
            docs, next_url, latest = parser.parse_dockets(body, url)
            out: list[dict[str, Any]] = []
            for doc in docs:
                record: dict[str, Any] = dict(doc)
                docket_id = doc["extra"].get("docket_id")
                if docket_id is not None:
                    record["url"] = f"{API}/dockets/{docket_id}/"
                out.append(record)
            # only the IP natures of suit: the API's prefix filter also admits 8xx codes that are not IP
            out = [d for d in out if d["extra"].get("ip_type")]
            return out, next_url, utc_stamp(latest) if latest else None
        found, next_url = parser.parse_search(body, url)
        return [dict(d) for d in found], next_url, None
