"""USITC EDIS document notifications (RSS): new Section 337 complaints before institution (dockets ``337-3xxx``)
and notices of investigation.

Verified from a real feed: channel title, item title pattern, guid = EDIS document id, the filed-by sentence in
``content:encoded``. The EDIS edge is bot-managed and known to be fickle: polled hourly, slowly.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..parsers import us_usitc_edis_rss as parser
from .base import FeedSpider


class UsUsitcEdisRssSpider(FeedSpider):
    name = "us_usitc_edis_rss"
    title = "USITC EDIS — complaints and notices (RSS)"
    lang = "en"
    base_url = "https://edis.usitc.gov"
    feed_url = "https://edis.usitc.gov/external/rss/render.rss?criteria=CRITERIONAOIDEL:8:13:CRITERIONANOTIFY:true"
    schedule = "5 * * * *"
    licence = "US federal government data, public domain"
    expected_items: ClassVar[tuple[int, int]] = (0, 200)  # a quiet hour is normal
    delay = 5.0

    def parse_feed_body(self, body: bytes, url: str) -> list[dict[str, Any]]:
        return [dict(doc) for doc in parser.parse_feed(body, url)]
