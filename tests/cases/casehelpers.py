"""Helpers for case tests: load documents through `ingest`, tag them with the stand-in tagger, link them."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine

from ipradar.cases.ingest import ingest_lines
from ipradar.db import make_engine
from ipradar.nlp.api import Tagger
from ipradar.tagging import tag_documents

Loader = Callable[..., None]


@functools.lru_cache(maxsize=1)
def tagger() -> Tagger:
    """The production tagger, loaded once for the whole session."""
    return Tagger.load()


@pytest.fixture
def engine(initialised_db: str) -> Iterator[Engine]:
    eng = make_engine(initialised_db)
    yield eng
    eng.dispose()


@pytest.fixture
def load(engine: Engine) -> Loader:
    """load(doc, doc, …): ingest these ingest-format dicts and tag them (as `ipradar ingest && ipradar tag`)."""

    def _load(*docs: dict[str, Any]) -> None:
        stats = ingest_lines(engine, [json.dumps(d, ensure_ascii=False) for d in docs])
        assert not stats.errors, stats.errors
        tag_documents(engine, tagger())

    return _load


def release_1297() -> dict[str, Any]:
    return {"id": "nr-1297", "source": "us_usitc_337", "doc_type": "news_release", "lang": "en",
            "published": "2022-01-31", "url": "https://www.usitc.gov/press_room/news_release/2022/er0131ll1297.htm",
            "title": "USITC Institutes Section 337 Investigation of Certain Video Processing Devices, Components "
                     "Thereof, and Digital Smart Televisions Containing the Same II",
            "text": "Inv. No. 337-TA-1297. DivX, LLC filed the complaint on November 24, 2021.",
            "case_numbers": ["337-TA-1297"],
            "parties": [{"name": "DivX, LLC", "role": "plaintiff", "role_raw": "complainant", "country": "US"},
                        {"name": "TCL Technology Group Corporation", "role": "defendant", "role_raw": "respondent",
                         "country": "CN"},
                        {"name": "TCL MOKA International Limited", "role": "defendant", "role_raw": "respondent",
                         "country": "HK"}],
            "extra": {"complaint_filed": "2021-11-24", "remedies_requested": ["limited_exclusion_order"],
                      "ip_types": ["patent"]}}


def fr_1297() -> dict[str, Any]:
    return {"id": "fr-1297", "source": "us_federalregister", "doc_type": "fr_notice_institution", "lang": "en",
            "published": "2022-02-03", "url": "https://www.federalregister.gov/d/2022-02222",
            "title": "Certain Video Processing Devices and Digital Smart Televisions II; Institution of Investigation",
            "text": "An investigation is instituted under section 337. Investigation No. 337-TA-1297."}


def zh_1297() -> dict[str, Any]:
    return {"id": "zh-1297", "source": "cn_news", "lang": "zh", "published": "2022-02-07",
            "url": "https://news.example.cn/2022/02/07/tcl-337.html",
            "title": "美国ITC对TCL智能电视发起337调查",
            "text": "美国国际贸易委员会决定对特定视频处理设备及智能电视发起337调查（调查编码：337-TA-1297），申请人为DivX公司。"}


def en_news_1297() -> dict[str, Any]:
    return {"id": "en-1297", "source": "en_news", "lang": "en", "published": "2022-02-10",
            "url": "https://news.example.com/divx-tcl-itc",
            "title": "DivX v. TCL: the ITC will look at smart TV imports",
            "text": "The US International Trade Commission agreed to hear DivX's complaint about TCL televisions."}
