"""Case numbers in every form sources write them normalise to one (kind, court, number)."""

import pytest

from ipradar.cases.numbers import CaseNo, extract, normalise


@pytest.mark.parametrize(("raw", "expected"), [
    ("337-TA-1443", CaseNo("usitc_337", "337-TA-1443")),
    ("Inv. No. 337-TA-1443", CaseNo("usitc_337", "337-TA-1443")),
    ("337-ta-0985", CaseNo("usitc_337", "337-TA-985")),
    ("３３７－ＴＡ－１４４３", CaseNo("usitc_337", "337-TA-1443")),  # full-width, as Chinese pages write it
    ("337-1145", CaseNo("usitc_337", "337-TA-1145")),  # EDIS short form of an instituted investigation
    ("337-3335", CaseNo("usitc_docket", "DN 3335")),  # EDIS form of a pre-institution docket
    ("DN 3335 (Section 337)", CaseNo("usitc_docket", "DN 3335")),
    ("IPR2025-01319", CaseNo("ptab", "IPR2025-01319")),
    ("ipr2025-1319", CaseNo("ptab", "IPR2025-01319")),
    ("PGR2024-00012", CaseNo("ptab", "PGR2024-00012")),
    ("UPC_CFI_317/2024", CaseNo("upc", "UPC_CFI_317/2024")),
    ("UPC CoA 335/2024", CaseNo("upc", "UPC_CoA_335/2024")),
    ("1:23-cv-00646", CaseNo("us_district", "23-cv-00646")),
    ("2:24-cv-123-JRG", CaseNo("us_district", "24-cv-00123")),
    ("CS(COMM) 303/2021", CaseNo("in_court", "CS(COMM) 303/2021")),
    ("（2020）鄂01知民初169号", CaseNo("cn_court", "(2020)鄂01知民初169号")),
])
def test_normalise(raw: str, expected: CaseNo) -> None:
    assert normalise(raw) == expected


def test_district_dockets_carry_their_court() -> None:
    assert normalise("1:23-cv-00646", court="US-DIST:ded") == CaseNo("us_district", "23-cv-00646", "US-DIST:ded")
    assert CaseNo("us_district", "23-cv-00646").needs_court


def test_bare_docket_numbers_need_a_337_context() -> None:
    assert extract("Docket No. 3335 was filed") == []
    assert extract("USITC: Docket No. 3335 was filed") == [CaseNo("usitc_docket", "DN 3335")]


def test_extract_from_english_and_chinese_text() -> None:
    text = ("美国国际贸易委员会投票决定发起337调查（调查编码：337-TA-1297），此前的投诉案卷号为DN 3590。"
            "A parallel IPR2022-00123 petition was filed.")
    assert extract(text) == [CaseNo("usitc_337", "337-TA-1297"), CaseNo("usitc_docket", "DN 3590"),
                             CaseNo("ptab", "IPR2022-00123")]


def test_phone_numbers_and_years_are_no_case_numbers() -> None:
    assert extract("Contact: 202-337-1819, 2025-2026 budget, section 337 of the Tariff Act") == []


def test_a_requested_exclusion_order_is_not_an_order() -> None:
    from ipradar.cases.events import TEXT_RULES

    rules = dict(TEXT_RULES)
    assert not rules["exclusion_order"].search("申请人请求ITC发布有限排除令和禁止令")
    assert rules["exclusion_order"].search("美国ITC于2021年发布了普遍排除令")
    assert not rules["complaint_filed"].search("起诉书称被告侵犯其专利")
