"""`ipradar eval`: micro and macro precision/recall/F1 per dimension, per label and per language, with the project's
own keyword baseline beside (scoring follows the shared score tool: non-relevance dimensions on relevant items)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

DIMS = ("relevant", "jurisdictions", "industries", "risk_types", "cn_party")


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "support": self.tp + self.fn}


def labels_of(rec: Mapping[str, Any], dim: str) -> set[str]:
    if dim == "relevant":
        return {"relevant"} if rec.get("relevant", True) else set()
    if dim == "cn_party":
        return {"involved"} if (rec.get("cn_party") or {}).get("involved") else set()
    return set(rec.get(dim) or [])


def evaluate(gold: Sequence[Mapping[str, Any]], pred: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """{scope: {dim: {"micro": PRF, "macro": {...}, "labels": {label: PRF}}}} for scope in all/en/zh/..."""
    out: dict[str, Any] = {}
    langs = sorted({str(g.get("lang") or "?") for g in gold})
    for scope in ["all", *langs]:
        res: dict[str, Any] = {}
        for dim in DIMS:
            per: dict[str, PRF] = defaultdict(PRF)
            micro = PRF()
            for g in gold:
                if scope != "all" and str(g.get("lang") or "?") != scope:
                    continue
                if dim != "relevant" and not g.get("relevant", True):
                    continue
                gs, ps = labels_of(g, dim), labels_of(pred.get(str(g["id"]), {}), dim)
                for lab in gs | ps:
                    c = per[lab]
                    c.tp += lab in gs and lab in ps
                    c.fp += lab in ps and lab not in gs
                    c.fn += lab in gs and lab not in ps
                micro.tp += len(gs & ps)
                micro.fp += len(ps - gs)
                micro.fn += len(gs - ps)
            macro = {k: round(sum(getattr(c, k) for c in per.values()) / len(per), 4) if per else 1.0
                     for k in ("precision", "recall", "f1")}
            res[dim] = {"micro": micro.as_dict(), "macro": macro,
                        "labels": {k: v.as_dict() for k, v in sorted(per.items())}}
        out[scope] = res
    return out


# -- keyword baseline: the floor a real tagger must beat (same idea as the shared tool, reimplemented here) ----------
_B_JUR = {"US": r"\bU\.?S\.?\b|United States|USITC|\bITC\b|Federal Circuit|District Court|PTAB|美国|337",
          "DE": r"German|Munich|Düsseldorf|Mannheim|德国|慕尼黑|杜塞尔多夫|曼海姆",
          "UPC": r"Unified Patent Court|\bUPC\b|统一专利法院", "GB": r"\bUK\b|England|High Court|英国",
          "IN": r"India|Delhi|印度", "JP": r"Japan|日本", "EU": r"EUIPO|European Union|欧盟",
          "CN": r"China|Chinese court|中国法院|最高人民法院", "BR": r"Brazil|巴西", "CO": r"Colombia|哥伦比亚",
          "TH": r"Thailand|泰国", "FR": r"France|French|法国", "NL": r"Netherlands|Dutch|荷兰"}
_B_IND = {"semiconductors": r"semiconductor|chip|integrated circuit|memory|芯片|半导体|集成电路|存储",
          "telecom": r"5G|4G|LTE|SEP|standard.essential|Wi-?Fi|cellular|通信|标准必要",
          "consumer_electronics": r"smartphone|phone|television|TV|laptop|LED|display|手机|电视|显示",
          "biomedicine": r"pharma|drug|biolog|medical|医药|药|医疗", "aviation": r"drone|UAV|aircraft|aviation|无人机|航空",
          "new_energy_auto": r"battery|electric vehicle|\bEV\b|solar|photovoltaic|automotive|电池|新能源|光伏|汽车",
          "consumer_goods": r"apparel|shoe|footwear|toy|furniture|cosmetic|counterfeit|服装|鞋|玩具|家具|假冒",
          "ai_software": r"software|artificial intelligence|\bAI\b|app\b|platform|软件|人工智能|平台",
          "chemicals_materials": r"chemical|material|化工|材料", "machinery": r"machine|robot|rail|机械|机器人|轨道"}
_B_RISK = {"section_337": r"337", "patent_infringement": r"patent|专利",
           "trademark": r"trademark|counterfeit|商标|假冒|抢注", "copyright": r"copyright|著作权|版权",
           "trade_secret": r"trade secret|espionage|商业秘密", "customs": r"seiz|customs|CBP|海关|扣押",
           "sep_frand": r"FRAND|standard.essential|anti-suit|SEP\b|禁诉令|标准必要",
           "validity": r"inter partes review|\bIPR\b|opposition|revocation|invalid|无效|异议",
           "policy": r"rule|regulation|law|guideline|规则|法规|政策"}
_B_CN = (r"China|Chinese|Shenzhen|Shanghai|Beijing|Guangdong|Zhejiang|Hong Kong|Huawei|ZTE|Lenovo|DJI|BYD|OPPO|"
         r"Xiaomi|TCL|中国|深圳|上海|北京|广东|浙江|香港|华为|中兴")


def baseline(rec: Mapping[str, Any]) -> dict[str, Any]:
    text = f"{rec.get('title') or ''}\n{rec.get('text') or ''}"

    def hit(pattern: str) -> bool:
        return re.search(pattern, text, re.IGNORECASE) is not None

    risks = [k for k, p in _B_RISK.items() if hit(p)]
    return {"id": str(rec["id"]), "relevant": bool(risks), "jurisdictions": [k for k, p in _B_JUR.items() if hit(p)],
            "industries": [k for k, p in _B_IND.items() if hit(p)], "risk_types": risks,
            "cn_party": {"involved": hit(_B_CN), "side": None}}
