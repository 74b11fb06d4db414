"""End-to-end tagging decisions per dimension, in English and Chinese (the analyst's examples from the issue)."""

from __future__ import annotations

from typing import Any


def test_german_sep_injunction_against_chinese_phone_maker_en(tag: Any) -> None:
    out = tag("Munich court bans OPPO phones", "The Munich Regional Court granted Nokia an injunction against OPPO, "
              "finding that OPPO's smartphones infringe a 5G standard-essential patent.")
    assert out["relevant"] and out["jurisdictions"] == ["DE"]
    assert "telecom" in out["industries"] and "sep_frand" in out["risk_types"]
    assert out["cn_party"] == {"involved": True, "side": "defendant"}


def test_german_sep_injunction_against_chinese_phone_maker_zh(tag: Any) -> None:
    out = tag("德国法院对OPPO颁发禁令", "诺基亚在慕尼黑地区法院起诉OPPO,法院认定OPPO手机侵犯其5G标准必要专利并颁发禁令。")
    assert out["relevant"] and out["jurisdictions"] == ["DE"]
    assert "telecom" in out["industries"] and "sep_frand" in out["risk_types"]
    assert out["cn_party"] == {"involved": True, "side": "defendant"}


def test_337_rule_and_structured_parties(tag: Any) -> None:
    out = tag("Certain Widgets; Institution of Investigation", "Notice of institution of investigation No. 337-TA-1500.",
              parties=[{"name": "Widget Co", "role": "plaintiff", "country": "US"},
                       {"name": "Ningbo Widget Co., Ltd.", "role": "defendant", "country": "CN"}])
    assert "section_337" in out["risk_types"] and out["jurisdictions"] == ["US"]
    assert out["cn_party"] == {"involved": True, "side": "defendant"}
    assert "337-TA-1500" in out["case_numbers"]


def test_chinese_plaintiff(tag: Any) -> None:
    out = tag("长江存储起诉美光", "长江存储在美国加州北区联邦地区法院起诉美光,指控其侵犯8项美国专利。")
    assert out["cn_party"] == {"involved": True, "side": "plaintiff"}
    assert out["jurisdictions"] == ["US"] and out["industries"] == ["semiconductors"]


def test_negatives(tag: Any) -> None:
    ad = tag("USITC votes on antidumping duties", "The USITC found that imports of steel wire from China injure a "
             "U.S. industry; antidumping duties will follow.")
    assert ad["relevant"] is False and ad["risk_types"] == [] and ad["industries"] == []
    domestic = tag("国内两家企业专利纠纷", "深圳两家企业在深圳市中级人民法院打专利官司,双方均为国内企业。")
    assert domestic["relevant"] is False


def test_taiwan_alone_is_not_chinese(tag: Any) -> None:
    out = tag("Taiwanese chip maker sued", "A Taiwanese chip designer based in Hsinchu, Taiwan was sued for patent "
              "infringement in the Western District of Texas.")
    assert out["cn_party"]["involved"] is False


def test_entities_and_scores(tag: Any) -> None:
    out = tag("UPC injunction for a Pudong chip company", "The Unified Patent Court (UPC_CFI_9/2023) granted an "
              "injunction to a semiconductor company from Pudong New Area, Shanghai, against a German rival.")
    assert "UPC_CFI_9/2023" in out["entities"]["case_numbers"]
    assert out["entities"]["places"]["shanghai_pudong"] is True
    assert set(out["scores"]) == {"relevant", "jurisdiction", "industry", "risk_type", "cn_party"}
    assert all(0.0 <= v <= 1.0 for d in out["scores"].values() for v in d.values())
