"""The explicit list of sources: spider classes written as code, plus news feeds defined as data
(``ipradar/data/feeds.toml``, and feeds added with ``ipradar sources add``, stored in the database)."""

from __future__ import annotations

import builtins
import re
import tomllib
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Session

from ..db.models import Source
from .recorder import upsert_source
from .spiders.base import FeedSpider, SourceSpider
from .spiders.cn_cnipa_news import CnCnipaNewsSpider
from .spiders.cn_mofcom_ipr import CnMofcomIprSpider
from .spiders.upc_decisions import UpcDecisionsSpider
from .spiders.us_courtlistener_dockets import UsCourtlistenerDocketsSpider
from .spiders.us_federalregister_337 import UsFederalregister337Spider
from .spiders.us_usitc_337 import UsUsitc337Spider
from .spiders.us_usitc_edis_rss import UsUsitcEdisRssSpider
from .spiders.us_usitc_ids import UsUsitcIdsSpider
from .spiders.us_uspto_ptab import UsUsptoPtabSpider

FEEDS_FILE = Path(__file__).resolve().parent.parent / "data" / "feeds.toml"
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{2,63}$")

CODE_SPIDERS: tuple[type[SourceSpider], ...] = (
    UsUsitc337Spider,
    UsUsitcIdsSpider,
    UsUsitcEdisRssSpider,
    UsFederalregister337Spider,
    UsCourtlistenerDocketsSpider,
    UsUsptoPtabSpider,
    UpcDecisionsSpider,
    CnMofcomIprSpider,
    CnCnipaNewsSpider,
)


class UnknownSource(KeyError):
    def __str__(self) -> str:
        return f"unknown source {self.args[0]!r}; `ipradar sources list` shows the known ones"


class SourceDefinitionError(ValueError):
    """A feed definition (file entry or `sources add`) is incomplete or invalid."""


def feed_spider(definition: dict[str, Any]) -> type[FeedSpider]:
    """Build the spider class for one feed definition (strict: unknown or missing keys are errors)."""
    allowed = {"id", "name", "url", "lang", "schedule", "licence", "expected_min", "expected_max", "paywalled",
               "platform", "notes"}
    unknown = set(definition) - allowed
    if unknown:
        raise SourceDefinitionError(f"feed {definition.get('id')!r}: unknown keys {sorted(unknown)}")
    for key in ("id", "url"):
        if not definition.get(key):
            raise SourceDefinitionError(f"feed definition without {key!r}: {definition}")
    sid = str(definition["id"])
    if not ID_PATTERN.match(sid):
        raise SourceDefinitionError(f"feed id {sid!r} must be lower-case letters, digits and underscores")
    url = str(definition["url"])
    if not url.startswith(("http://", "https://")):
        raise SourceDefinitionError(f"feed {sid}: url {url!r} is not http(s)")
    lang = str(definition.get("lang", "en"))
    if lang not in ("en", "zh"):
        raise SourceDefinitionError(f"feed {sid}: lang {lang!r} must be en or zh")
    scheme_host = re.match(r"^(https?://[^/]+)", url)
    assert scheme_host is not None
    attrs: dict[str, Any] = {
        "name": sid,
        "title": str(definition.get("name") or sid),
        "lang": lang,
        "base_url": scheme_host.group(1),
        "feed_url": url,
        "schedule": str(definition.get("schedule") or FeedSpider.schedule),
        "licence": str(definition.get("licence") or "publisher copyright: metadata and excerpt only"),
        "expected_items": (int(definition.get("expected_min", 1)), int(definition.get("expected_max", 100))),
        "paywalled": bool(definition.get("paywalled", False)),
        "platform": str(definition.get("platform") or "rss/atom"),
        "__module__": __name__,
        "__doc__": f"News feed {definition.get('name') or sid} (generic feed spider, defined as data).",
    }
    return type(f"Feed_{sid}", (FeedSpider,), attrs)


def file_feeds(path: Path = FEEDS_FILE) -> list[type[FeedSpider]]:
    if not path.is_file():
        return []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [feed_spider(dict(entry)) for entry in data.get("feed", [])]


def db_feeds(engine: Engine) -> list[type[FeedSpider]]:
    """Feeds added with `ipradar sources add` (rows of kind 'feed' whose metadata says so)."""
    if "source" not in inspect(engine).get_table_names():
        return []
    with Session(engine) as session:
        rows = session.scalars(select(Source).where(Source.kind == "feed")).all()
    return [feed_spider(dict(row.meta["definition"])) for row in rows if (row.meta or {}).get("definition")]


def all_spiders(engine: Engine | None = None) -> dict[str, type[SourceSpider]]:
    spiders: dict[str, type[SourceSpider]] = {cls.name: cls for cls in CODE_SPIDERS}
    for cls in file_feeds() + (db_feeds(engine) if engine is not None else []):
        spiders.setdefault(cls.name, cls)
    return spiders


def get_spider(source_id: str, engine: Engine | None = None) -> type[SourceSpider]:
    try:
        return all_spiders(engine)[source_id]
    except KeyError:
        raise UnknownSource(source_id) from None


def add_feed_source(engine: Engine, *, source_id: str, kind: str, url: str, lang: str, schedule: str,
                    name: str | None) -> type[FeedSpider]:
    if kind != "feed":
        raise SourceDefinitionError(f"--kind {kind!r}: only feeds can be added without code (write a spider)")
    if source_id in all_spiders(engine):
        raise SourceDefinitionError(f"source {source_id!r} exists already")
    from apscheduler.triggers.cron import CronTrigger

    try:
        CronTrigger.from_crontab(schedule)
    except ValueError as exc:
        raise SourceDefinitionError(f"--schedule {schedule!r} is not a cron expression: {exc}") from exc
    definition = {"id": source_id, "url": url, "lang": lang, "schedule": schedule, "name": name or source_id}
    cls = feed_spider(definition)
    with Session(engine) as session:
        meta = cls.metadata()
        meta["definition"] = definition
        upsert_source(session, meta)
        session.commit()
    return cls


class RegistrySpiderLoader:
    """Scrapy's spider loader over this registry, so `scrapy list` / `scrapy crawl` see the same sources."""

    def __init__(self, settings: Any) -> None:
        from ..db import make_engine

        url = settings.get("IPRADAR_DB_URL")
        engine = make_engine(url) if url else None
        try:
            self._spiders = all_spiders(engine)
        finally:
            if engine is not None:
                engine.dispose()

    @classmethod
    def from_settings(cls, settings: Any) -> RegistrySpiderLoader:
        return cls(settings)

    def load(self, spider_name: str) -> type[SourceSpider]:
        try:
            return self._spiders[spider_name]
        except KeyError:
            raise KeyError(f"Spider not found: {spider_name}") from None

    def list(self) -> list[str]:
        return sorted(self._spiders)

    def find_by_request(self, request: Any) -> builtins.list[str]:
        return [name for name, cls in self._spiders.items() if request.url.startswith(cls.base_url)]
