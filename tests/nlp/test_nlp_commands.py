"""The NLP commands through a local Typer app: classify (incl. bad input), eval, train."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from ipradar.nlp.commands import register

GOOD = {"id": "ok", "title": "Nokia sues OPPO in Mannheim", "text": "Nokia sued OPPO at the Mannheim Regional Court "
        "over 5G standard-essential patents."}


def app() -> typer.Typer:
    a = typer.Typer()

    @a.callback()
    def root() -> None:
        """Test app."""

    register(a)
    return a


def lines(*items: bytes) -> bytes:
    return b"\n".join(items) + b"\n"


def test_classify_bad_lines_are_reported_and_the_rest_tagged(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(lines(
        json.dumps(GOOD).encode(),
        b"[1, 2, 3]",                                   # line 2: not an object
        json.dumps({"id": "empty", "text": ""}).encode(),  # line 3: empty text
        b"\xff\xfe not utf-8",                          # line 4: invalid UTF-8
        b"{not json",                                   # line 5
        json.dumps({"id": "html", "text": "<div><p>华为在<b>慕尼黑地区法院</b>起诉一家德国公司侵犯其专利。</p>"
                    "<script>var x=1;</script></div>"}, ensure_ascii=False).encode(),
        json.dumps({"id": "mixed", "title": "ITC 337调查: Certain LCD Modules", "text": "美国ITC对TCL和Hisense "
                    "发起337调查 (Inv. No. 337-TA-1462)."}, ensure_ascii=False).encode(),
        json.dumps({"id": "big", "title": "Big page", "text": "patent infringement lawsuit. " * 180_000}).encode(),
    ))
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app(), ["classify", str(src), "-o", str(out)])
    assert result.exit_code == 2
    for n in (2, 3, 4, 5):
        assert f"line {n}:" in result.output
    got = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [g["id"] for g in got] == ["ok", "html", "mixed", "big"]
    assert got[1]["jurisdictions"] == ["DE"] and got[1]["cn_party"]["side"] == "plaintiff"
    assert "section_337" in got[2]["risk_types"] and got[2]["cn_party"]["involved"]
    assert any("cut" in n for n in got[3]["entities"]["notes"])


def test_classify_stdin_ok() -> None:
    result = CliRunner().invoke(app(), ["classify", "-"], input=json.dumps(GOOD) + "\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip().splitlines()[-1])["id"] == "ok"


def test_classify_missing_file() -> None:
    assert CliRunner().invoke(app(), ["classify", "/nonexistent/in.jsonl"]).exit_code == 2


def test_eval_prints_baseline_beside(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({**GOOD, "lang": "en", "relevant": True, "jurisdictions": ["DE"],
                                "industries": ["telecom"], "risk_types": ["patent_infringement", "sep_frand"],
                                "cn_party": {"involved": True, "side": "defendant"}}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app(), ["eval", str(gold), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout[result.stdout.index("{"):])
    assert report["tagger"]["all"]["jurisdictions"]["micro"]["f1"] == 1.0
    assert "baseline" in report and "en" in report["tagger"]


def test_train_writes_models_and_metrics(tmp_path: Path) -> None:
    data = Path(__file__).resolve().parents[2] / "ipradar" / "data" / "training" / "templated.jsonl"
    out = tmp_path / "models"
    result = CliRunner().invoke(app(), ["train", "--data", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "meta.json").read_text())
    assert meta["format"] == "skops" and meta["version"].startswith("ipradar-nlp-")
    assert (out / "metrics.json").exists() and (out / "risk_type.skops").exists()
    result = CliRunner().invoke(app(), ["classify", "-", "--models", str(out)], input=json.dumps(GOOD) + "\n")
    assert result.exit_code == 0, result.output
    assert CliRunner().invoke(app(), ["train", "--data", str(tmp_path / "nope.jsonl")]).exit_code == 2
