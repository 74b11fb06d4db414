"""Settings module for Scrapy's own command line (`scrapy list`, `scrapy crawl`), built from ipradar settings."""

from __future__ import annotations

from ..settings import load_settings
from .settings import scrapy_settings

globals().update(scrapy_settings(load_settings()))
SPIDER_LOADER_CLASS = "ipradar.crawlers.registry.RegistrySpiderLoader"
