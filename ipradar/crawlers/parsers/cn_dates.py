"""Strict parsing of the date formats Chinese government and news sites print, into Asia/Shanghai time.

Chinese sites print local (Beijing) time without an offset; storing such a value as naive or UTC shifts late-evening
items to the wrong day (RSSHub #16959, #6115), so every value here is made aware in Asia/Shanghai.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import ParseError


def _shanghai() -> tzinfo:
    try:
        return ZoneInfo("Asia/Shanghai")
    except ZoneInfoNotFoundError:  # no tz database on the host: China has kept UTC+8 without DST since 1991
        return timezone(timedelta(hours=8), "CST")


SHANGHAI = _shanghai()

_TIME = r"(?:\s*[T ]?\s*(?P<H>\d{1,2})[:：](?P<M>\d{2})(?:[:：](?P<S>\d{2}))?)?"
# Explicit formats only; anything else is a ParseError naming the text (no guessing of day-first dates).
_FULL = [
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日" + _TIME),
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _TIME),
    re.compile(r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})" + _TIME),
    re.compile(r"(?P<y>\d{4})\.(?P<m>\d{1,2})\.(?P<d>\d{1,2})" + _TIME),
]
# Listings often drop the year ("03-05", "3月5日"); those need the caller's reference year.
_NO_YEAR = [
    re.compile(r"(?P<m>\d{1,2})月(?P<d>\d{1,2})日" + _TIME),
    re.compile(r"(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _TIME),
]


def _clean(text: str) -> str:
    # NFKC folds full-width digits and colons (２０２４－０３－０５) that some CMS templates emit
    cleaned = unicodedata.normalize("NFKC", text).strip().strip("[]()（）【】")
    return re.sub(r"^(?:发布时间|发布日期|时间|日期)\s*[:：]\s*", "", cleaned).strip()


def parse_cn_datetime_ex(text: str, *, ref_year: int | None = None) -> tuple[datetime, bool]:
    """(aware datetime in Asia/Shanghai, whether the text carried a time of day)."""
    cleaned = _clean(text)
    match = None
    for pattern in _FULL:
        match = pattern.fullmatch(cleaned)
        if match:
            year = int(match["y"])
            break
    else:
        for pattern in _NO_YEAR:
            match = pattern.fullmatch(cleaned)
            if match:
                if ref_year is None:
                    raise ParseError(f"date {text!r} has no year and no reference year was given")
                year = ref_year
                break
    if match is None:
        raise ParseError(f"unrecognised date {text!r}")
    has_time = match["H"] is not None
    try:
        value = datetime(year, int(match["m"]), int(match["d"]), int(match["H"] or 0), int(match["M"] or 0),
                         int(match["S"] or 0), tzinfo=SHANGHAI)
    except ValueError as exc:
        raise ParseError(f"impossible date {text!r}: {exc}") from None
    return value, has_time


def parse_cn_datetime(text: str, *, ref_year: int | None = None) -> datetime:
    """Parse "2024年3月5日", "2024-03-05 10:20:00", "2024/03/05", "03-05" (with ref_year) → aware Asia/Shanghai."""
    return parse_cn_datetime_ex(text, ref_year=ref_year)[0]


def cn_published(text: str, *, ref_year: int | None = None) -> str:
    """DocDict ``published``: "YYYY-MM-DD" for a bare date, "YYYY-MM-DDTHH:MM:SS+08:00" when a time was given.

    A bare date stays a date: inventing midnight would move it to the previous day once converted to UTC.
    """
    value, has_time = parse_cn_datetime_ex(text, ref_year=ref_year)
    return value.isoformat(timespec="seconds") if has_time else value.date().isoformat()
