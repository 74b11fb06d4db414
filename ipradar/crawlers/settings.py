"""Scrapy settings for IP Radar crawls, built from :class:`ipradar.settings.Settings` (no settings module globals)."""

from __future__ import annotations

from typing import Any

from ..settings import Settings


def scrapy_settings(settings: Settings, *, base_url: str | None = None,
                    mirrors: dict[str, str] | None = None) -> dict[str, Any]:
    """Polite defaults: robots.txt obeyed, AutoThrottle, a User-Agent naming the project and a contact."""
    return {
        "BOT_NAME": "ipradar",
        "SPIDER_LOADER_CLASS": "ipradar.crawlers.registry.RegistrySpiderLoader",
        "USER_AGENT": settings.user_agent,
        "ROBOTSTXT_OBEY": True,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": settings.download_delay,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "DOWNLOAD_DELAY": settings.download_delay,
        "CONCURRENT_REQUESTS_PER_DOMAIN": settings.concurrency_per_domain,
        "DOWNLOAD_TIMEOUT": settings.download_timeout,
        "DOWNLOAD_MAXSIZE": settings.max_response_bytes,
        "DOWNLOAD_WARNSIZE": settings.max_response_bytes // 2,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": settings.retry_times,
        "RETRY_GIVE_UP_LOG_LEVEL": "DEBUG",  # the page error we report is the one clear line; no echo from Scrapy
        "IPRADAR_BACKOFF_BASE": settings.retry_backoff_base,
        "IPRADAR_BACKOFF_MAX": settings.retry_backoff_max,
        "IPRADAR_RETRY_AFTER_MAX": settings.retry_after_max,
        "RETRY_HTTP_CODES": [429, 500, 502, 503, 504, 522, 524, 408],
        "REDIRECT_MAX_TIMES": 5,
        "HTTPERROR_ALLOW_ALL": True,  # callbacks see 4xx/5xx answers and report them as one clear page error
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": settings.log_level,
        "LOG_INSTALL_ROOT_HANDLER": False,  # our Rich handler on the root logger shows Scrapy's records too
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        "EXTENSIONS": {"ipradar.crawlers.recorder.RunRecorder": 0},
        "DOWNLOADER_MIDDLEWARES": {
            "ipradar.crawlers.middlewares.BaseUrlMiddleware": 50,
            "ipradar.crawlers.middlewares.ConditionalGetMiddleware": 560,
            "ipradar.crawlers.middlewares.ArchiveMiddleware": 580,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "ipradar.crawlers.middlewares.BackoffRetryMiddleware": 550,
        },
        "ITEM_PIPELINES": {
            "ipradar.crawlers.pipelines.ValidatePipeline": 100,
            "ipradar.crawlers.pipelines.NormalisePipeline": 200,
            "ipradar.crawlers.pipelines.DedupePipeline": 300,
            "ipradar.crawlers.pipelines.StorePipeline": 900,
        },
        "IPRADAR_DB_URL": settings.db_url,
        "IPRADAR_ARCHIVE_DIR": settings.archive_dir,
        "IPRADAR_BASE_URL": base_url,
        "IPRADAR_MIRRORS": dict(mirrors or {}),
    }
