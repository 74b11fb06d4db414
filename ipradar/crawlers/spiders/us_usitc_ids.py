"""USITC IDS ``investigations.json``: the Commission's daily dump of every investigation, one row per phase.

Verified: the root shape, both key styles (Title Case and legacy snake_case), month-first dates. Inferred: the keys
inside "Participants". Each run compares the dump with the previous one (kept in the raw archive) and logs what is
new, changed and gone; the store turns new and changed phases into new and updated documents.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from ..parsers import us_usitc_ids as parser
from .base import SourceSpider

DUMP = "https://ids.usitc.gov/investigations.json"


class UsUsitcIdsSpider(SourceSpider):
    name = "us_usitc_ids"
    title = "USITC IDS — investigations.json (Section 337 phases)"
    kind = "json_dump"
    lang = "en"
    base_url = "https://ids.usitc.gov"
    schedule = "0 22 * * *"
    licence = "US federal government data, public domain"
    expected_items: ClassVar[tuple[int, int]] = (20, 5000)
    delay = 2.0

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.request(DUMP, self.parse_dump)

    def parse_dump(self, response: Response) -> Iterator[Any]:
        def steps() -> Iterator[Any]:
            meta, rows = parser.parse_dump(response.body, DUMP)
            for warning in meta["warnings"]:
                self.report_warning(DUMP, warning)
            self.log_diff(rows, meta)
            for doc in parser.rows_to_documents(rows, meta["snapshot_date"]):
                record: dict[str, Any] = dict(doc)
                # the dump has no page per record; a query form keeps phases distinct once fragments are dropped
                if record["url"].startswith(DUMP + "#"):
                    number, _, phase = record["url"].split("#", 1)[1].partition("/")
                    record["url"] = f"{DUMP}?{urlencode({'investigation': number, 'phase': phase})}"
                yield self.item(record, response)

        yield from self.guarded(response, steps)

    def log_diff(self, rows: list[Any], meta: dict[str, Any]) -> None:
        recorder = self.recorder
        if recorder is None:
            return
        previous_sha = recorder.cursor_get("snapshot_sha256")
        if previous_sha:
            try:
                _old_meta, old_rows = parser.parse_dump(recorder.archive.get(previous_sha), DUMP)
            except (FileNotFoundError, ValueError) as exc:
                self.report_warning(DUMP, f"previous snapshot {previous_sha[:12]} unreadable: {exc}")
            else:
                diff = parser.diff_snapshots(old_rows, rows)
                self.logger.info("IDS snapshot %s: %d new, %d changed, %d removed phases", meta["snapshot_date"],
                                 len(diff["new"]), len(diff["changed"]), len(diff["removed"]))
                for row in diff["removed"]:  # a phase vanishing from the dump is itself worth a look
                    self.report_warning(DUMP, f"{row['number']} {row['phase']} is no longer in the dump")
        sha = getattr(self, "_dump_sha", None)
        if sha:
            recorder.cursor_stage("snapshot_sha256", sha)

    def guarded(self, response: Response, parse: Any) -> Iterator[Any]:
        self._dump_sha = response.meta.get("raw_sha256")
        yield from super().guarded(response, parse)
