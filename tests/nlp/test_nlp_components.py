"""The spaCy components on their own: gazetteer spans, identifier matchers, parties with roles."""

from __future__ import annotations

from ipradar.nlp.components import info, party_country
from ipradar.nlp.pipeline import build
from ipradar.nlp.textnorm import detect_lang, normalise


def spans(text: str, lang: str = "en") -> set[tuple[str, str]]:
    doc = build(lang)(normalise(text)[0])
    return {(s.label_, s.kb_id_) for s in doc.spans["ipradar"]}


def test_forums_map_to_jurisdictions_in_both_languages() -> None:
    assert ("FORUM", "USITC") in spans("The U.S. International Trade Commission voted to institute an investigation.")
    assert ("FORUM", "DE-LG-MUC") in spans("The Munich Regional Court granted an injunction.")
    assert ("FORUM", "UPC") in spans("The Unified Patent Court's Düsseldorf Local Division ruled.")
    assert ("FORUM", "US-DC") in spans("Filed in E.D. Tex. last week.")
    assert ("FORUM", "DE-LG-MUC") in spans("慕尼黑地区法院颁发禁令", "zh")
    assert ("FORUM", "UPC") in spans("统一专利法院作出判决", "zh")
    assert ("FORUM", "USITC") in spans("美国国际贸易委员会决定启动调查", "zh")
    assert ("FORUM", "US-DC") in spans("得克萨斯州东区联邦地区法院陪审团裁定", "zh")


def test_companies_places_and_traditional_folding() -> None:
    found = spans("華為與中興在深圳", "zh")
    assert {("CN_CO", "huawei"), ("CN_CO", "zte"), ("CN_PLACE", "CN")} <= found
    assert ("CN_CO", "oppo") in spans("Nokia sued Oppo and OPPO responded.")
    assert ("PUDONG", "PUDONG") in spans("A company in Pudong New Area, Shanghai")
    # case-sensitive brands: the verb "honor" is not the phone brand
    assert ("CN_CO", "honor") not in spans("The parties will honor the contract.")


def test_zh_latin_names_need_word_boundaries() -> None:
    assert ("CN_CO", "zte") not in spans("AZTEC公司发布新品", "zh")


def test_identifiers() -> None:
    doc = build("en")("Inv. No. 337-TA-1465 and DN 3335; IPR2025-01319; UPC_CFI_9/2023; case 1:23-cv-00646; "
                      "U.S. Patent No. 9,123,456. The complainant requests a general exclusion order and a TRO; "
                      "the jury awarded $31.5 million. Respond within 20 days.")
    data = info(doc)
    numbers = [c["number"] for c in data["case_numbers"]]
    assert {"337-TA-1465", "337-3335", "IPR2025-01319", "UPC_CFI_9/2023", "1:23-cv-00646"} <= set(numbers)
    assert "US9,123,456" in data["patents"]
    assert {"GEO", "TRO"} <= set(data["remedies"])
    assert any(abs(m["usd"] - 31.5e6) < 1 for m in data["money"])
    assert data["deadline_days"] == [20]


def test_zh_money() -> None:
    data = info(build("zh")("法院判决赔偿5000万元人民币。"))
    assert any(abs(m["usd"] - 5e7 * 0.14) < 1 for m in data["money"])


def test_respondent_list_and_complainants() -> None:
    text = ("The investigation is based on a complaint filed by Acme Robotics LLC of Austin, Texas, on May 1, 2024.\n"
            "The USITC has identified the following respondents in this investigation:\n"
            "- Shenzhen Example Technology Co., Ltd., Shenzhen, Guangdong, China\n"
            "- Example Trading Limited, Kowloon, Hong Kong\n"
            "- Example USA Inc., Irvine, California\n")
    parties = info(build("en")(text))["parties"]
    roles = {p["name"]: (p["role"], p["country"]) for p in parties}
    assert roles["Acme Robotics LLC"] == ("plaintiff", "US")
    assert roles["Shenzhen Example Technology Co., Ltd."] == ("defendant", "CN")
    assert roles["Example Trading Limited"] == ("defendant", "HK")
    assert roles["Example USA Inc."] == ("defendant", "US")


def test_v_pattern_and_zh_roles() -> None:
    parties = info(build("en")("Nokia Technologies Oy v. Guangdong Oppo Mobile Telecommunications Corp Ltd"))["parties"]
    assert [p["role"] for p in parties] == ["plaintiff", "defendant"]
    zh = info(build("zh")("惠科、海信和TCL等为列名被告。"))["parties"]
    assert {p["name"] for p in zh if p["role"] == "defendant"} >= {"惠科", "海信", "TCL"}


def test_party_country_rules() -> None:
    assert party_country("Lenovo (United States) Inc.", None)[0] == "US"
    assert party_country("Ninebot (Tianjin) Technology Co., Ltd.", None)[0] == "CN"
    assert party_country("Foxconn Interconnect", "Taipei, Taiwan")[0] == "TW"
    assert party_country("Acme Corp", "Dongguan, Guangdong, China") == ("CN", "Dongguan")


def test_text_hygiene() -> None:
    text, notes = normalise("<p>專利<b>侵權</b></p>")
    assert text == "专利 侵权" and "HTML removed" in notes
    assert detect_lang("美国ITC对中国企业发起337调查") == "zh"
    assert detect_lang("The ITC instituted an investigation of 深圳 companies") == "en"
    big, notes = normalise("x" * 5_000_000)
    assert len(big) <= 60_000 and notes


def test_taxonomy_names_cover_the_codes() -> None:
    from ipradar.nlp.resources import INDUSTRIES, RISK_TYPES, taxonomy

    tax = taxonomy()
    assert set(tax["industry"]) == set(INDUSTRIES) and set(tax["risk_type"]) == set(RISK_TYPES)
    assert all(v["zh"] and v["en"] for group in ("industry", "risk_type") for v in tax[group].values())
