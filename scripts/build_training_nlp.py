"""Write the project's training set: real dispute facts rendered through the project's own sentence templates (EN and
ZH, several styles), hand-written negatives, and rule-labelled public-domain US court records.

Outputs ipradar/data/training/{templated,court_records}.jsonl (hand-written examples live in handwritten.jsonl).
Never reads /work/shared/data/dev.jsonl. Deterministic (seeded), so reruns give the same files.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "ipradar" / "data" / "training"
COURT_RECORDS = Path("/work/shared/data/court_records.jsonl")

# Real disputes (public facts). fields: plaintiff, defendant (EN, ZH), forum phrases, jurisdiction codes, product,
# industries, risk types, Chinese side.
FACTS: list[dict[str, Any]] = [
    {"p": "Nokia", "pz": "诺基亚", "d": "OPPO", "dz": "OPPO", "f": "the Mannheim Regional Court", "fz": "德国曼海姆地区法院", "j": ["DE"], "prod": "5G smartphones", "prodz": "5G手机", "ind": ["telecom", "consumer_electronics"], "risk": ["patent_infringement", "sep_frand"], "side": "defendant"},
    {"p": "Nokia", "pz": "诺基亚", "d": "vivo", "dz": "vivo", "f": "the Munich Regional Court", "fz": "慕尼黑地区法院", "j": ["DE"], "prod": "smartphones", "prodz": "智能手机", "ind": ["telecom", "consumer_electronics"], "risk": ["patent_infringement", "sep_frand"], "side": "defendant"},
    {"p": "Ericsson", "pz": "爱立信", "d": "Xiaomi", "dz": "小米", "f": "the Delhi High Court", "fz": "印度德里高等法院", "j": ["IN"], "prod": "mobile phones", "prodz": "手机", "ind": ["telecom", "consumer_electronics"], "risk": ["patent_infringement", "sep_frand"], "side": "defendant"},
    {"p": "Ericsson", "pz": "爱立信", "d": "Lenovo", "dz": "联想", "f": "the U.S. International Trade Commission", "fz": "美国国际贸易委员会", "j": ["US"], "prod": "laptops and phones", "prodz": "笔记本电脑和手机", "ind": ["telecom", "consumer_electronics"], "risk": ["patent_infringement", "section_337", "sep_frand"], "side": "defendant"},
    {"p": "InterDigital", "pz": "InterDigital", "d": "Lenovo", "dz": "联想", "f": "the High Court in London", "fz": "英国高等法院", "j": ["GB"], "prod": "cellular devices", "prodz": "移动终端", "ind": ["telecom"], "risk": ["sep_frand"], "side": "defendant"},
    {"p": "Huawei", "pz": "华为", "d": "Netgear", "dz": "网件", "f": "the Unified Patent Court's Munich Local Division", "fz": "统一专利法院慕尼黑地方分庭", "j": ["UPC"], "prod": "Wi-Fi 6 routers", "prodz": "Wi-Fi 6路由器", "ind": ["telecom"], "risk": ["patent_infringement", "sep_frand"], "side": "plaintiff"},
    {"p": "Huawei", "pz": "华为", "d": "AVM", "dz": "AVM", "f": "the Unified Patent Court", "fz": "统一专利法院", "j": ["UPC"], "prod": "Wi-Fi routers", "prodz": "路由器", "ind": ["telecom"], "risk": ["patent_infringement", "sep_frand"], "side": "plaintiff"},
    {"p": "ZTE", "pz": "中兴", "d": "Samsung", "dz": "三星", "f": "the Munich Regional Court", "fz": "慕尼黑地区法院", "j": ["DE"], "prod": "smartphones", "prodz": "智能手机", "ind": ["telecom", "consumer_electronics"], "risk": ["patent_infringement", "sep_frand"], "side": "plaintiff"},
    {"p": "Yangtze Memory Technologies", "pz": "长江存储", "d": "Micron", "dz": "美光", "f": "the U.S. District Court for the Northern District of California", "fz": "美国加州北区联邦地区法院", "j": ["US"], "prod": "3D NAND memory chips", "prodz": "3D NAND闪存芯片", "ind": ["semiconductors"], "risk": ["patent_infringement"], "side": "plaintiff"},
    {"p": "Netlist", "pz": "Netlist", "d": "Samsung", "dz": "三星", "f": "a federal jury in the Eastern District of Texas", "fz": "美国得克萨斯州东区联邦地区法院陪审团", "j": ["US"], "prod": "memory modules", "prodz": "内存模组", "ind": ["semiconductors"], "risk": ["patent_infringement"], "side": None},
    {"p": "Autel Robotics USA", "pz": "道通智能美国子公司", "d": "DJI", "dz": "大疆", "f": "the USITC", "fz": "美国ITC", "j": ["US"], "prod": "drones", "prodz": "无人机", "ind": ["aviation"], "risk": ["patent_infringement", "section_337"], "side": "both"},
    {"p": "Pharmacyclics", "pz": "Pharmacyclics", "d": "BeiGene", "dz": "百济神州", "f": "the District of Delaware", "fz": "美国特拉华州联邦地区法院", "j": ["US"], "prod": "the cancer drug Brukinsa", "prodz": "抗癌药百悦泽", "ind": ["biomedicine"], "risk": ["patent_infringement"], "side": "defendant"},
    {"p": "Motorola Solutions", "pz": "摩托罗拉系统", "d": "Hytera", "dz": "海能达", "f": "a federal jury in Chicago", "fz": "美国芝加哥联邦法院陪审团", "j": ["US"], "prod": "two-way radios", "prodz": "数字对讲机", "ind": ["telecom"], "risk": ["trade_secret", "copyright"], "side": "defendant"},
    {"p": "AMSC", "pz": "美国超导", "d": "Sinovel", "dz": "华锐风电", "f": "a federal court in Wisconsin", "fz": "美国威斯康星州联邦法院", "j": ["US"], "prod": "wind turbine control software", "prodz": "风电机组控制软件", "ind": ["new_energy_auto"], "risk": ["trade_secret"], "side": "defendant"},
    {"p": "Samsung Display", "pz": "三星显示", "d": "BOE", "dz": "京东方", "f": "the USITC", "fz": "美国国际贸易委员会", "j": ["US"], "prod": "OLED display panels", "prodz": "OLED显示面板", "ind": ["consumer_electronics"], "risk": ["patent_infringement", "section_337"], "side": "defendant"},
    {"p": "Dyson", "pz": "戴森", "d": "Dreame", "dz": "追觅", "f": "the Düsseldorf Regional Court", "fz": "杜塞尔多夫地区法院", "j": ["DE"], "prod": "hair dryers", "prodz": "吹风机", "ind": ["consumer_electronics"], "risk": ["patent_infringement"], "side": "defendant"},
    {"p": "iRobot", "pz": "iRobot", "d": "SharkNinja", "dz": "尚科宁家", "f": "the USITC", "fz": "美国ITC", "j": ["US"], "prod": "robotic vacuum cleaners", "prodz": "扫地机器人", "ind": ["consumer_electronics"], "risk": ["patent_infringement", "section_337"], "side": None},
    {"p": "Roborock", "pz": "石头科技", "d": "a rival vacuum maker", "dz": "竞争对手", "f": "the Unified Patent Court", "fz": "统一专利法院", "j": ["UPC"], "prod": "robot vacuums", "prodz": "扫地机器人", "ind": ["consumer_electronics"], "risk": ["patent_infringement"], "side": "plaintiff"},
    {"p": "Juul Labs", "pz": "Juul", "d": "Shenzhen-based vape makers", "dz": "深圳电子烟企业", "f": "the USITC", "fz": "美国国际贸易委员会", "j": ["US"], "prod": "disposable vapes", "prodz": "一次性电子烟", "ind": ["consumer_goods"], "risk": ["patent_infringement", "section_337"], "side": "defendant"},
    {"p": "Lumileds", "pz": "亮锐", "d": "Chinese LED makers", "dz": "中国LED企业", "f": "the USITC", "fz": "美国ITC", "j": ["US"], "prod": "LED lighting products", "prodz": "LED照明产品", "ind": ["consumer_electronics"], "risk": ["patent_infringement", "section_337"], "side": "defendant"},
    {"p": "Therabody", "pz": "Therabody", "d": "Chinese online sellers", "dz": "中国跨境卖家", "f": "the USITC", "fz": "美国国际贸易委员会", "j": ["US"], "prod": "massage guns", "prodz": "筋膜枪", "ind": ["consumer_electronics"], "risk": ["patent_infringement", "section_337"], "side": "defendant"},
    {"p": "a toy brand", "pz": "某玩具品牌", "d": "hundreds of Chinese e-commerce sellers", "dz": "数百家中国电商卖家", "f": "the Northern District of Illinois", "fz": "美国伊利诺伊州北区联邦地区法院", "j": ["US"], "prod": "plush toys", "prodz": "毛绒玩具", "ind": ["consumer_goods"], "risk": ["trademark", "copyright"], "side": "defendant"},
    {"p": "independent artists", "pz": "独立设计师", "d": "Shein", "dz": "SHEIN", "f": "a federal court in California", "fz": "美国加州联邦法院", "j": ["US"], "prod": "apparel designs", "prodz": "服装设计", "ind": ["consumer_goods"], "risk": ["copyright"], "side": "defendant"},
    {"p": "Temu", "pz": "Temu", "d": "Shein", "dz": "SHEIN", "f": "a federal court in Boston", "fz": "美国波士顿联邦法院", "j": ["US"], "prod": "fast-fashion listings", "prodz": "快时尚商品", "ind": ["consumer_goods"], "risk": ["copyright", "trademark"], "side": "both"},
    {"p": "GE Aviation", "pz": "GE航空", "d": "a Chinese intelligence officer", "dz": "一名中国情报官员", "f": "a federal court in Cincinnati", "fz": "美国辛辛那提联邦法院", "j": ["US"], "prod": "composite fan blade technology", "prodz": "复合材料风扇叶片技术", "ind": ["aviation"], "risk": ["trade_secret"], "side": "defendant"},
    {"p": "Micron", "pz": "美光", "d": "Fujian Jinhua", "dz": "福建晋华", "f": "the U.S. Department of Justice", "fz": "美国司法部", "j": ["US"], "prod": "DRAM technology", "prodz": "DRAM技术", "ind": ["semiconductors"], "risk": ["trade_secret"], "side": "defendant"},
    {"p": "Pop Mart", "pz": "泡泡玛特", "d": "counterfeiters", "dz": "假冒商品卖家", "f": "the Central Intellectual Property and International Trade Court of Thailand", "fz": "泰国中央知识产权和国际贸易法院", "j": ["TH"], "prod": "Labubu figures", "prodz": "Labubu潮玩", "ind": ["consumer_goods"], "risk": ["trademark", "copyright"], "side": "plaintiff"},
    {"p": "Anker", "pz": "安克创新", "d": "copycat charger sellers", "dz": "仿冒充电器卖家", "f": "the Northern District of Illinois", "fz": "美国伊利诺伊州北区法院", "j": ["US"], "prod": "power banks", "prodz": "充电宝", "ind": ["consumer_electronics"], "risk": ["trademark"], "side": "plaintiff"},
    {"p": "BYD", "pz": "比亚迪", "d": "a trademark squatter", "dz": "商标抢注者", "f": "the Brazilian patent and trademark office", "fz": "巴西国家工业产权局", "j": ["BR"], "prod": "electric cars", "prodz": "电动汽车", "ind": ["new_energy_auto"], "risk": ["trademark", "validity"], "side": "plaintiff"},
    {"p": "Nokia", "pz": "诺基亚", "d": "Geely", "dz": "吉利", "f": "the Munich Regional Court", "fz": "慕尼黑地区法院", "j": ["DE"], "prod": "connected cars", "prodz": "联网汽车", "ind": ["new_energy_auto", "telecom"], "risk": ["patent_infringement", "sep_frand"], "side": "defendant"},
    {"p": "Avanci licensors", "pz": "Avanci许可方", "d": "Chinese carmakers", "dz": "中国车企", "f": "German courts", "fz": "德国法院", "j": ["DE"], "prod": "4G modules in cars", "prodz": "车载4G模块", "ind": ["new_energy_auto", "telecom"], "risk": ["sep_frand"], "side": "defendant"},
    {"p": "Maxell", "pz": "麦克赛尔", "d": "Hisense", "dz": "海信", "f": "the Mannheim Regional Court", "fz": "曼海姆地区法院", "j": ["DE"], "prod": "smart TVs", "prodz": "智能电视", "ind": ["consumer_electronics"], "risk": ["patent_infringement"], "side": "defendant"},
    {"p": "Abbott", "pz": "雅培", "d": "Sinocare", "dz": "三诺生物", "f": "the Düsseldorf Local Division of the UPC", "fz": "统一专利法院杜塞尔多夫地方分庭", "j": ["UPC"], "prod": "glucose monitors", "prodz": "血糖监测仪", "ind": ["biomedicine"], "risk": ["patent_infringement"], "side": "defendant"},
    {"p": "10x Genomics", "pz": "10x Genomics", "d": "MGI Tech", "dz": "华大智造", "f": "the Munich Local Division of the UPC", "fz": "统一专利法院慕尼黑地方分庭", "j": ["UPC"], "prod": "gene sequencers", "prodz": "基因测序仪", "ind": ["biomedicine"], "risk": ["patent_infringement"], "side": "defendant"},
    {"p": "Koch Agronomic", "pz": "科赫农业", "d": "Chinese fertilizer makers", "dz": "中国化肥企业", "f": "the USITC", "fz": "美国国际贸易委员会", "j": ["US"], "prod": "fertilizer additives", "prodz": "化肥添加剂", "ind": ["chemicals_materials"], "risk": ["patent_infringement", "section_337"], "side": "defendant"},
    {"p": "Chervon", "pz": "泉峰", "d": "a US tool retailer", "dz": "美国工具零售商", "f": "the District of Delaware", "fz": "美国特拉华州联邦地区法院", "j": ["US"], "prod": "cordless power tools", "prodz": "无绳电动工具", "ind": ["machinery"], "risk": ["patent_infringement"], "side": "plaintiff"},
    {"p": "Segway", "pz": "赛格威", "d": "Chinese scooter makers", "dz": "中国滑板车企业", "f": "the USITC", "fz": "美国ITC", "j": ["US"], "prod": "personal transporters", "prodz": "平衡车", "ind": ["other"], "risk": ["patent_infringement", "section_337"], "side": "defendant"},
    {"p": "Sisvel", "pz": "Sisvel", "d": "Tecno", "dz": "传音", "f": "the Delhi High Court", "fz": "德里高等法院", "j": ["IN"], "prod": "feature phones", "prodz": "功能手机", "ind": ["telecom", "consumer_electronics"], "risk": ["patent_infringement", "sep_frand"], "side": "defendant"},
    {"p": "Ericsson", "pz": "爱立信", "d": "Lenovo", "dz": "联想", "f": "the Colombian courts", "fz": "哥伦比亚法院", "j": ["CO"], "prod": "5G phones", "prodz": "5G手机", "ind": ["telecom", "consumer_electronics"], "risk": ["patent_infringement", "sep_frand"], "side": "defendant"},
    {"p": "Panasonic", "pz": "松下", "d": "Xiaomi and OPPO", "dz": "小米和OPPO", "f": "the Unified Patent Court", "fz": "统一专利法院", "j": ["UPC"], "prod": "4G smartphones", "prodz": "4G手机", "ind": ["telecom", "consumer_electronics"], "risk": ["patent_infringement", "sep_frand"], "side": "defendant"},
]

EN_TEMPLATES = [
    ("{p} sues {d} over {prod} in {f}", "{p} has filed an infringement action against {d} before {f}, targeting {d}'s {prod}. {extra}"),
    ("Court ruling: {p} v. {d}", "In {p} v. {d}, {f} considered claims concerning {prod}. {extra} The decision may be appealed."),
    ("{d} faces {p} lawsuit", "{d} said it would defend itself after {p} brought proceedings before {f} concerning {prod}. {extra}"),
    ("Analysis: what {p}'s case against {d} means for exporters", "Our comment on the dispute between {p} and {d} at {f}: {extra} Companies selling {prod} should review their exposure."),
]
ZH_TEMPLATES = [
    ("{pz}起诉{dz}", "据报道,{pz}近日在{fz}起诉{dz},涉及{prodz}。{extraz}"),
    ("{fz}审理{pz}诉{dz}案", "{fz}日前就{pz}诉{dz}一案作出裁决,案件涉及{prodz}。{extraz}"),
    ("{dz}回应与{pz}的纠纷", "针对{pz}在{fz}提起的诉讼,{dz}表示将积极应诉。该案涉及{prodz}。{extraz}"),
]
EXTRA_EN = {
    "patent_infringement": "The complaint alleges infringement of several patents.",
    "sep_frand": "The patents are said to be essential to cellular standards, and the parties disagree on FRAND terms.",
    "section_337": "The complainant asks for an exclusion order under Section 337.",
    "trade_secret": "Prosecutors say confidential technical files were taken in a scheme of trade secret theft.",
    "copyright": "The plaintiffs claim their copyrighted works were copied without permission.",
    "trademark": "The complaint also accuses the defendants of selling counterfeit goods under infringing trademarks.",
    "validity": "The other side has asked for the patents to be declared invalid.",
    "customs": "Customs officers have detained shipments at the border.",
    "policy": "",
}
EXTRA_ZH = {
    "patent_infringement": "原告指控被告侵犯其多项专利。", "sep_frand": "涉案专利为通信标准必要专利,双方在FRAND许可费率上存在分歧。",
    "section_337": "申请人请求发布337调查排除令。", "trade_secret": "检方指控其窃取商业秘密。",
    "copyright": "原告称其作品著作权遭到侵犯。", "trademark": "原告还指控被告销售假冒商标商品。",
    "validity": "被告已提出专利无效宣告请求。", "customs": "海关已扣押相关货物。", "policy": "",
}

NEGATIVES_EN = [
    ("USITC votes to continue anti-dumping probe on {x} from China", "The U.S. International Trade Commission determined that there is a reasonable indication that a U.S. industry is materially injured by imports of {x} from China that are allegedly sold at less than fair value and subsidized. The Commerce Department will continue its antidumping and countervailing duty investigations."),
    ("Commerce sets preliminary countervailing duties on {x}", "The U.S. Department of Commerce announced preliminary countervailing duty rates on imports of {x} from China and Vietnam, following petitions by domestic producers."),
    ("Tariffs on {x} rise under Section 301", "The Office of the U.S. Trade Representative said tariffs on Chinese {x} will rise next year under Section 301, as part of a review of trade measures."),
    ("{c} reports record quarterly revenue", "{c} reported a strong quarter, with revenue up on demand for {x}. The company plans new factories in Southeast Asia."),
    ("EU opens safeguard investigation into {x} imports", "The European Commission opened a safeguard investigation into rising imports of {x}, saying domestic producers face serious injury."),
]
NEGATIVES_ZH = [
    ("商务部对原产于美国的{x}发起反倾销调查", "商务部公告称,应国内产业申请,决定对原产于美国的{x}进行反倾销立案调查,调查期限一般为一年。"),
    ("美国对华{x}征收反补贴税", "美国商务部宣布对自中国进口的{x}作出反补贴初裁,企业面临较高关税。"),
    ("{c}发布年度业绩", "{c}发布年度报告,营业收入同比增长,{x}业务表现亮眼,公司将继续加大研发投入。"),
    ("{c}与国内同行专利纠纷在{city}中院开庭", "{c}与另一家国内企业之间的专利侵权纠纷日前在{city}市中级人民法院开庭审理,双方均为国内企业,案件涉及{x}。"),
    ("知识产权研讨会在{city}举行", "近日,知识产权保护研讨会在{city}举行,与会专家围绕企业创新发展作主旨演讲,多所高校师生出席会议。"),
]
NEG_PRODUCTS = [("aluminum extrusions", "铝型材"), ("steel wire", "钢丝"), ("solar cells", "太阳能电池"),
                ("corrugated boxes", "瓦楞纸箱"), ("hardwood plywood", "硬木胶合板"), ("brake drums", "制动鼓"),
                ("paper plates", "纸盘"), ("quartz countertops", "石英台面")]
NEG_COMPANIES = [("Xiaomi", "小米"), ("BYD", "比亚迪"), ("Haier", "海尔"), ("CATL", "宁德时代"), ("Midea", "美的")]
CN_CITIES = ["深圳", "杭州", "南京", "武汉", "成都"]

POLICY = [
    ("en", "USPTO proposes new rules for inter partes review", "The USPTO published proposed rules that would limit when the Patent Trial and Appeal Board institutes inter partes review, a change that would make it harder for accused infringers to challenge patents.", ["US"], ["policy", "validity"]),
    ("en", "EU adopts new design protection rules", "The European Union adopted a reform of its design legislation, extending protection to digital designs and 3D printing files.", ["EU"], ["policy"]),
    ("en", "UPC publishes guidance on security for costs", "The Unified Patent Court issued practice guidance on security for costs that foreign claimants may have to provide.", ["UPC"], ["policy"]),
    ("en", "India updates patent rules on working statements", "India's amended Patents Rules reduce the burden of filing working statements and shorten examination timelines.", ["IN"], ["policy"]),
    ("en", "USTR Special 301 Report names China on priority watch list", "The annual Special 301 Report again placed China on the priority watch list, citing trade secret theft and online counterfeiting.", ["US"], ["policy", "trade_secret", "trademark"]),
    ("zh", "国务院发布涉外知识产权纠纷处理规定", "国务院公布《关于涉外知识产权纠纷处理的规定》,明确对外国在知识产权领域对我国企业的不当限制可采取反制措施,并指导企业海外应诉。", ["CN"], ["policy"]),
    ("zh", "美国专利商标局拟修改双方复审规则", "美国专利商标局发布拟议规则,拟收紧专利审判和上诉委员会启动双方复审(IPR)的条件,中国企业在美应对专利诉讼时提起无效挑战的难度可能增加。", ["US"], ["policy", "validity"]),
    ("zh", "欧盟标准必要专利条例草案进展", "欧盟委员会提出的标准必要专利条例草案拟设立专利登记和FRAND费率评估程序,对中国通信企业在欧许可谈判影响较大。", ["EU"], ["policy", "sep_frand"]),
    ("zh", "企业应对美国337调查指引发布", "商务部发布企业应对美国337调查工作指引,提醒出口企业建立知识产权风险防控体系,及时应诉。", ["US"], ["policy", "section_337"]),
    ("zh", "德国修订专利法禁令条款", "德国专利法修订后,法院在颁发禁令时须考虑比例原则,外国企业在德国专利诉讼中的风险有所变化。", ["DE"], ["policy"]),
]


def labels(fact: dict[str, Any]) -> dict[str, Any]:
    side = fact["side"]
    return {"relevant": True, "jurisdictions": fact["j"], "industries": fact["ind"], "risk_types": fact["risk"],
            "cn_party": {"involved": side is not None, "side": side}}


def templated(rng: random.Random) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for n, fact in enumerate(FACTS):
        extra = " ".join(EXTRA_EN[r] for r in fact["risk"] if EXTRA_EN[r])
        extraz = "".join(EXTRA_ZH[r] for r in fact["risk"] if EXTRA_ZH[r])
        for k, (title, body) in enumerate(rng.sample(EN_TEMPLATES, 2)):
            rows.append({"id": f"tpl-en-{n}-{k}", "lang": "en", "title": title.format(**fact),
                         "text": body.format(extra=extra, **fact), **labels(fact)})
        for k, (title, body) in enumerate(rng.sample(ZH_TEMPLATES, 2)):
            rows.append({"id": f"tpl-zh-{n}-{k}", "lang": "zh", "title": title.format(**fact),
                         "text": body.format(extraz=extraz, **fact), **labels(fact)})
    for n, (title, body) in enumerate(NEGATIVES_EN):
        for k in range(3):
            x = rng.choice(NEG_PRODUCTS)[0]
            c = rng.choice(NEG_COMPANIES)[0]
            rows.append({"id": f"neg-en-{n}-{k}", "lang": "en", "title": title.format(x=x, c=c),
                         "text": body.format(x=x, c=c), "relevant": False,
                         "jurisdictions": ["US"] if "U.S." in body or "USITC" in title else [],
                         "industries": [], "risk_types": [], "cn_party": {"involved": False, "side": None}})
    for n, (title, body) in enumerate(NEGATIVES_ZH):
        for k in range(3):
            x = rng.choice(NEG_PRODUCTS)[1]
            c = rng.choice(NEG_COMPANIES)[1]
            city = rng.choice(CN_CITIES)
            rows.append({"id": f"neg-zh-{n}-{k}", "lang": "zh", "title": title.format(x=x, c=c, city=city),
                         "text": body.format(x=x, c=c, city=city), "relevant": False, "jurisdictions": ["CN"],
                         "industries": [], "risk_types": [], "cn_party": {"involved": "{c}" in body, "side": None}})
    for n, (lang, title, text, jur, risks) in enumerate(POLICY):
        rows.append({"id": f"policy-{n}", "lang": lang, "title": title, "text": text, "relevant": True,
                     "jurisdictions": jur, "industries": [], "risk_types": risks,
                     "cn_party": {"involved": False, "side": None}})
    return rows


NOS_RISK = {"830": "patent_infringement", "840": "trademark", "820": "copyright", "835": "patent_infringement"}


def court_records(rng: random.Random, n_negative: int = 160) -> list[dict[str, Any]]:
    """Public-domain GovInfo metadata: IP by nature-of-suit code (820/830/835/840) vs a sample of non-IP suits."""
    if not COURT_RECORDS.exists():
        print(f"warning: {COURT_RECORDS} missing; court-record examples skipped", file=sys.stderr)
        return []
    ip, non_ip = [], []
    for line in COURT_RECORDS.open(encoding="utf-8"):
        rec = json.loads(line)
        code = rec.get("nature_suit_code")
        docs = " ".join(d.get("docket_text", "") for d in rec.get("documents", [])[:3])
        docs = re.sub(r"\[\d+\]", "", docs)[:600]
        text = f"{rec.get('court_name')}. Case {rec.get('case_number')}. Nature of suit: {rec.get('nature_suit')}. {docs}"
        row = {"id": rec["id"], "lang": "en", "title": rec.get("title") or "", "text": text,
               "jurisdictions": ["US"], "industries": [], "cn_party": {"involved": False, "side": None}}
        if code in NOS_RISK:
            ip.append({**row, "relevant": True, "risk_types": [NOS_RISK[code]]})
        elif code:
            non_ip.append({**row, "relevant": False, "risk_types": []})
    rng.shuffle(non_ip)
    return ip + non_ip[:n_negative]


def main() -> None:
    rng = random.Random(20251125)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, rows in (("templated", templated(rng)), ("court_records", court_records(rng))):
        with (OUT / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"{name}: {len(rows)} rows")


if __name__ == "__main__":
    main()
