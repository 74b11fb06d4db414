"""Generic extraction helpers: main text when a known template is gone, dates, language."""

import datetime as dt
from pathlib import Path

import pytest

from ipradar.crawlers.errors import ParseError
from ipradar.crawlers.extract import detect_lang, main_text, parse_date
from ipradar.crawlers.parsers import cn_mofcom_ipr

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_mofcom_article_with_a_changed_template_falls_back_to_main_text_with_a_warning() -> None:
    page = (FIXTURES / "cn_mofcom_ipr" / "article_huawei_netgear.html").read_bytes().decode("utf-8")
    # the same article after a redesign: the artCon section is gone, the text sits in a plain <div>
    redesigned = page.replace('<section class="artCon"', '<div class="content-main"').replace("</section>", "</div>")
    entry = {"url": "https://ipr.mofcom.gov.cn/article/x/1.html", "published": "2025-10-10", "title": "t"}
    original = cn_mofcom_ipr.parse_article(page.encode(), entry["url"], entry)
    doc = cn_mofcom_ipr.parse_article(redesigned.encode(), entry["url"], entry)
    assert any("generic main-text extraction" in w for w in doc["warnings"])
    assert original["text"].split("\n\n")[0][:40] in doc["text"]


def test_main_text_refuses_error_pages() -> None:
    with pytest.raises(ParseError, match="not an article"):
        main_text("<html><body><nav>首页 > 国际新闻</nav><p>您访问的页面不存在或已被删除。</p></body></html>")


@pytest.mark.parametrize(("text", "day"), [
    ("2024年3月5日", dt.date(2024, 3, 5)),
    ("March 5, 2024", dt.date(2024, 3, 5)),
    ("03-30-2017", dt.date(2017, 3, 30)),  # USITC IDS writes month first
    ("5. März 2024", dt.date(2024, 3, 5)),  # dateparser fallback
])
def test_parse_date(text: str, day: dt.date) -> None:
    assert parse_date(text, languages=("en", "zh", "de")) == day


def test_unknown_date_is_named() -> None:
    with pytest.raises(ParseError, match="unrecognised date 'Smarch 3, 2022'"):
        parse_date("Smarch 3, 2022")


@pytest.mark.parametrize(("text", "lang"), [
    ("诺基亚在德国曼海姆地区法院起诉OPPO侵犯其标准必要专利", "zh"),
    ("Nokia sued OPPO at the Mannheim Regional Court over SEPs", "en"),
    ("OPPO", None),
])
def test_detect_lang(text: str, lang: str | None) -> None:
    assert detect_lang(text) == lang
