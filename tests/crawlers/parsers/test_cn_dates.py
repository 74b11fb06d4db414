"""Chinese date strings → aware Asia/Shanghai datetimes; unknown formats are ParseErrors naming the text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ipradar.crawlers.errors import ParseError
from ipradar.crawlers.parsers.cn_dates import cn_published, parse_cn_datetime


@pytest.mark.parametrize(("text", "ref_year", "expected"), [
    ("2024年3月5日", None, "2024-03-05T00:00:00+08:00"),
    ("2024年03月05日 10:20", None, "2024-03-05T10:20:00+08:00"),
    ("2024-03-05 10:20:00", None, "2024-03-05T10:20:00+08:00"),
    ("2024-03-05", None, "2024-03-05T00:00:00+08:00"),
    ("2024/03/05", None, "2024-03-05T00:00:00+08:00"),
    ("2024/3/5 23:59", None, "2024-03-05T23:59:00+08:00"),
    ("2024.03.05", None, "2024-03-05T00:00:00+08:00"),
    ("2024-03-05T08:00:00", None, "2024-03-05T08:00:00+08:00"),
    ("03-05", 2024, "2024-03-05T00:00:00+08:00"),
    ("3月5日", 2023, "2023-03-05T00:00:00+08:00"),
    ("[2025-03-12]", None, "2025-03-12T00:00:00+08:00"),
    ("发布时间：2025-03-12 16:30", None, "2025-03-12T16:30:00+08:00"),
    ("２０２４－０３－０５", None, "2024-03-05T00:00:00+08:00"),  # full-width digits from some CMS templates
    ("  2024年3月5日  ", None, "2024-03-05T00:00:00+08:00"),
])
def test_known_formats_become_aware_shanghai_times(text: str, ref_year: int | None, expected: str) -> None:
    value = parse_cn_datetime(text, ref_year=ref_year)
    assert value.isoformat() == expected
    assert value.utcoffset() == timedelta(hours=8)


def test_early_morning_beijing_time_is_the_previous_day_in_utc() -> None:
    # the bug class behind RSSHub #16959: a naive or UTC reading would move this item to the wrong day
    value = parse_cn_datetime("2024-03-05 00:30")
    assert value.astimezone(UTC) == datetime(2024, 3, 4, 16, 30, tzinfo=UTC)


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-05", "2024-03-05"),
    ("2024年3月5日", "2024-03-05"),
    ("2024-03-05 10:20:00", "2024-03-05T10:20:00+08:00"),
    ("2024-03-05 10:20", "2024-03-05T10:20:00+08:00"),
])
def test_published_keeps_bare_dates_as_dates(text: str, expected: str) -> None:
    assert cn_published(text) == expected


@pytest.mark.parametrize(("text", "ref_year", "message"), [
    ("05/03/2024", None, "unrecognised date '05/03/2024'"),  # day-first: never guessed
    ("2024年3月", None, "unrecognised date '2024年3月'"),
    ("三月五日", None, "unrecognised date '三月五日'"),
    ("yesterday", None, "unrecognised date 'yesterday'"),
    ("", None, "unrecognised date ''"),
    ("03-05", None, "date '03-05' has no year and no reference year was given"),
    ("2024-02-30", None, "impossible date '2024-02-30'"),
    ("2024-03-05 25:00", None, "impossible date '2024-03-05 25:00'"),
    ("13-40", 2024, "impossible date '13-40'"),
])
def test_unknown_or_impossible_dates_raise_naming_the_text(text: str, ref_year: int | None, message: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_cn_datetime(text, ref_year=ref_year)
    assert message in str(info.value)
