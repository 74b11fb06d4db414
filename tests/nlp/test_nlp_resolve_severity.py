"""Party-name resolution (pure) and severity (explainable) as tables of input -> expected."""

from __future__ import annotations

import pytest

from ipradar.nlp.resolve import normalise_name, resolve, same_entity
from ipradar.nlp.severity import assess, level_for


@pytest.mark.parametrize(("name", "key", "methods"), [
    ("OnePlus Technology (Shenzhen) Co., Ltd.", "oneplus", {"exact"}),
    ("OnePlus", "oneplus", {"exact"}),
    ("一加", "oneplus", {"exact"}),
    ("華為技術有限公司", "huawei", {"exact"}),
    ("HUAWEI TECHNOLOGIES CO LTD", "huawei", {"exact", "normalised"}),
    ("Guangdong Oppo Mobile Telecom. Corp.", "oppo", {"alias"}),
    ("Xiaomi Comunications Co Ltd", "xiaomi", {"alias", "fuzzy"}),
    ("Hisence Group", "hisense", {"fuzzy"}),
    ("长江存储科技有限责任公司", "ymtc", {"exact"}),
])
def test_resolve_known(name: str, key: str, methods: set[str]) -> None:
    r = resolve(name)
    assert r.key == key and r.method in methods and r.score >= 85


def test_resolve_unknown_is_stable_and_recorded() -> None:
    a, b = resolve("Acme Widgets LLC"), resolve("ACME WIDGETS, Inc.")
    assert a.method == "new" and a.key == b.key == "new:acme-widgets"
    assert not same_entity("Nokia", "Ericsson")
    assert same_entity("OnePlus Technology (Shenzhen) Co., Ltd.", "OnePlus")


def test_normalise_name() -> None:
    assert normalise_name("OnePlus Technology (Shenzhen) Co., Ltd.") == "oneplus"
    assert normalise_name("深圳市大疆创新科技有限公司") == "深圳市大疆创新科技"


def base(**kw: object) -> dict[str, object]:
    args: dict[str, object] = dict(relevant=True, risk_types=["patent_infringement"], industries=[],
                                   cn_involved=False, cn_side=None, cn_defendants=0, remedies=[], money_usd=[],
                                   deadline_days=[], jurisdictions=["US"])
    args.update(kw)
    return args


def test_severity_factors_add_up_with_reasons() -> None:
    low = assess(**base())  # type: ignore[arg-type]
    high = assess(**base(risk_types=["section_337", "patent_infringement"], industries=["semiconductors"],
                         cn_involved=True, cn_side="defendant", cn_defendants=3, remedies=["GEO"],
                         money_usd=[2e8], deadline_days=[20]))  # type: ignore[arg-type]
    assert low.level == "low" and high.level == "high" and high.score > low.score
    text = " ".join(high.reasons)
    for needle in ("general exclusion order", "3 Chinese respondents", "strategic industry", "Section 337",
                   "million", "deadline"):
        assert needle in text


def test_severity_sep_and_irrelevant() -> None:
    sep = assess(**base(risk_types=["sep_frand", "patent_infringement"], cn_involved=True,
                        cn_side="defendant", remedies=["INJUNCTION"]))  # type: ignore[arg-type]
    assert sep.level in ("medium", "high") and any("standard-essential" in r for r in sep.reasons)
    off = assess(**base(relevant=False))  # type: ignore[arg-type]
    assert off.score == 0 and off.level == "low"
    assert (level_for(0), level_for(35), level_for(60), level_for(100)) == ("low", "medium", "high", "high")
