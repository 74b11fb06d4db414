"""Tagging speed: 10k synthetic documents through the Tagger vs a bare TF-IDF + LinearSVC fit/predict on the same
texts in the same run; prints and writes docs/s, the ratio (goal <= 3x) and peak RSS to bench/results/tagging.json."""

from __future__ import annotations

import json
import os
import platform
import random
import resource
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "tagging.json"
N_DOCS = int(os.environ.get("IPRADAR_BENCH_DOCS", "10000"))

EN = [
    "{p} sued {d} in {f}, alleging that its {prod} infringe {n} patents.",
    "The court granted an injunction against {d} over {prod}; {p} had asked for damages of ${m} million.",
    "{d} said it would appeal and that the patents were invalid.",
    "Analysts expect the dispute over {prod} to spread to other markets.",
    "The U.S. International Trade Commission instituted a Section 337 investigation into {prod}.",
    "Shares of {d} fell after the ruling, while {p} welcomed the decision.",
    "Imports of {prod} from China rose in the quarter, trade data showed.",
]
ZH = [
    "{pz}在{fz}起诉{dz},指控其{prodz}侵犯{n}项专利。", "法院对{dz}颁发禁令,{pz}请求赔偿{m}万美元。",
    "{dz}表示将提起上诉,并认为涉案专利无效。", "业内人士认为,围绕{prodz}的纠纷可能蔓延至其他市场。",
    "美国国际贸易委员会对{prodz}启动337调查。", "裁决公布后,{dz}股价下跌。",
]
PARTIES = [("Nokia", "诺基亚"), ("Ericsson", "爱立信"), ("Huawei", "华为"), ("ZTE", "中兴"), ("Samsung", "三星"),
           ("OPPO", "OPPO"), ("Xiaomi", "小米"), ("Acme Corp", "某美国公司"), ("DJI", "大疆"), ("BOE", "京东方")]
FORUMS = [("the Munich Regional Court", "慕尼黑地区法院"), ("the Eastern District of Texas", "德州东区法院"),
          ("the Unified Patent Court", "统一专利法院"), ("the Delhi High Court", "德里高等法院")]
PRODUCTS = [("smartphones", "手机"), ("drones", "无人机"), ("OLED panels", "OLED面板"), ("routers", "路由器"),
            ("battery packs", "电池组"), ("vapes", "电子烟")]


def synthetic_docs(n: int, seed: int = 7) -> list[dict[str, str]]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        (p, pz), (d, dz) = rng.sample(PARTIES, 2)
        f, fz = rng.choice(FORUMS)
        prod, prodz = rng.choice(PRODUCTS)
        vals = {"p": p, "pz": pz, "d": d, "dz": dz, "f": f, "fz": fz, "prod": prod, "prodz": prodz,
                "n": str(rng.randint(1, 12)), "m": str(rng.randint(1, 900))}
        zh = i % 3 == 0
        sents = rng.sample(ZH if zh else EN, 4)
        body = ("" if zh else " ").join(s.format(**vals) for s in sents)
        docs.append({"id": str(i), "title": (ZH if zh else EN)[0].format(**vals), "text": body,
                     "lang": "zh" if zh else "en", "label": str(sents[0] == (ZH if zh else EN)[0])})
    return docs


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    from ipradar.nlp.api import Tagger

    docs = synthetic_docs(N_DOCS)
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    tagger = Tagger.load()
    # build both pipelines (gazetteers, matchers) outside the timed loop: doc 0 is Chinese, doc 1 English
    list(tagger.classify(docs[:2]))
    load_s = time.perf_counter() - t0

    t1 = time.perf_counter()
    n_out = sum(1 for _ in tagger.classify(docs, batch_size=256))
    tag_s = time.perf_counter() - t1

    texts = [f"{d['title']}\n{d['text']}" for d in docs]
    t2 = time.perf_counter()
    # a bare baseline: word n-grams for English, character n-grams cover Chinese
    svm = make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 2)), LinearSVC())
    svm.fit(texts, [d["label"] for d in docs])
    svm.predict(texts)
    svm_s = time.perf_counter() - t2

    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures = {
        "docs": n_out, "tagger_version": tagger.version,
        "tagger_load_s": round(load_s, 2), "tagger_s": round(tag_s, 2), "tagger_docs_per_s": round(n_out / tag_s, 1),
        "tfidf_linearsvc_fit_predict_s": round(svm_s, 2),
        "tfidf_linearsvc_docs_per_s": round(n_out / svm_s, 1),
        "ratio_tagger_vs_svm": round(tag_s / svm_s, 2), "ratio_goal": 3.0,
        "peak_rss_mb": round(peak_kb / 1024, 1),
        # the machine is shared: absolute times move with the load, compare the ratio measured in the same run
        "load_avg_1m_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "machine": f"{platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} cores",
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
