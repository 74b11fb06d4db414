"""USITC news releases announcing new Section 337 investigations (complainants, respondents with city/country).

Verified from real pages: the release text template (date, "News Release YY-NNN", "Inv. No(s).", the complaint
sentence, the respondent list). Inferred: the listing markup, so the listing parser leans on links and titles only.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..parsers import us_usitc_337 as parser
from .base import ListingDetailSpider


class UsUsitc337Spider(ListingDetailSpider):
    name = "us_usitc_337"
    title = "USITC news releases — Section 337 institutions"
    kind = "html"
    lang = "en"
    base_url = "https://www.usitc.gov"
    schedule = "0 22 * * *"
    licence = "US federal government work, public domain (17 U.S.C. 105)"
    expected_items: ClassVar[tuple[int, int]] = (0, 60)  # 0–5 institutions a week; a quiet day is normal
    delay = 2.0

    # ListingDetailSpider
    listing_path = "/news_releases"
    max_pages = 3

    def parse_listing_page(self, body: str, url: str) -> list[dict[str, Any]]:
        return [dict(entry) for entry in parser.parse_listing(body, url)]

    def follow_entry(self, entry: dict[str, Any]) -> bool:
        return parser.is_337_institution(entry["title"])

    def next_page(self, body: str, url: str) -> str | None:
        return parser.next_page_url(body, url)

    def parse_detail_page(self, body: str, url: str, entry: dict[str, Any]) -> dict[str, Any]:
        return parser.parse_release(body, url)
