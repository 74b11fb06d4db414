"""Rule tables: (items, subscriptions, today) → expected alerts, negatives included. Pure: no database."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from ipradar.warnings.engine import run_rules
from ipradar.warnings.rules import RULES, default_rules
from ipradar.warnings.rules.base import (
    AlertDraft,
    DatedFact,
    EscalationDraft,
    Evidence,
    Filters,
    Item,
    PartyRef,
    RuleConfig,
    RuleInput,
    SubscriptionView,
    keyword_hits,
    match_filters,
)
from ipradar.warnings.rules.deadlines import deadline
from ipradar.warnings.rules.escalation import escalation
from ipradar.warnings.rules.new_dispute import new_dispute
from ipradar.warnings.rules.spike import poisson_sf, spike
from ipradar.warnings.rules.watchlist import watchlist
from ipradar.warnings.rules.waves import wave

TODAY = dt.date(2026, 1, 10)


def party(name: str, role: str, country: str | None, key: str | None = None) -> PartyRef:
    k = key or f"entity:{name.split()[0].casefold()}"
    return PartyRef(name=name, role=role, country=country, key=k, keys=frozenset({k}))


def item(key: str = "no:337-TA-1471", **kw: Any) -> Item:
    base: dict[str, Any] = dict(
        key=key, title="USITC Institutes Section 337 Investigation of Certain Clear Aligners", day=TODAY,
        last_day=TODAY, is_new=True, jurisdictions=("US",), industries=("biomedicine",),
        risk_types=("section_337", "patent_infringement"), case_numbers=("337-TA-1471",),
        parties=(party("Align Technology, Inc.", "plaintiff", "US"),
                 party("Angelalign Technology Inc.", "defendant", "CN")),
        cn_side="defendant", level="high", score=70, reasons=("3 Chinese respondent(s) named",),
        text="clear aligners orthodontic", evidence=(Evidence(1, "USITC release", "https://www.usitc.gov/x",
                                                               "us_usitc_337", TODAY),))
    base.update(kw)
    return Item(**base)


def sub(id: int = 1, kind: str = "company", rules: frozenset[str] | None = None, watch: dict[str, str] | None = None,
        **filters: Any) -> SubscriptionView:
    return SubscriptionView(id=id, name=f"sub{id}", kind=kind, filters=Filters(**filters),
                            rules=rules or default_rules(kind), watch_keys=watch or {})


def alerts(found: list[Any]) -> list[AlertDraft]:
    return [f for f in found if isinstance(f, AlertDraft)]


# -- new dispute -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("case", "it", "s", "expected"), [
    ("jurisdiction and risk match", item(), sub(jurisdictions=("US",), risk_types=("section_337",)),
     {"jurisdictions": ["US"], "risk_types": ["section_337"]}),
    ("other jurisdiction", item(), sub(jurisdictions=("DE", "UPC")), None),
    ("keyword finds an untagged industry", item(industries=()), sub(industries=("semiconductors",),
                                                                     keywords=("aligner",)), {"keywords": ["aligner"]}),
    ("neither industry nor keyword", item(), sub(industries=("semiconductors",), keywords=("chip",)), None),
    ("severity below the minimum", item(level="medium"), sub(jurisdictions=("US",), min_severity="high"), None),
    ("severity at the minimum", item(), sub(jurisdictions=("US",), min_severity="high"),
     {"jurisdictions": ["US"], "min_severity": "high ≥ high"}),
    ("Chinese party required, none", item(cn_side=None), sub(jurisdictions=("US",), cn_party=True), None),
    ("too old to be new", item(day=TODAY - dt.timedelta(days=61)), sub(jurisdictions=("US",)), None),
    ("not new (seen before)", item(is_new=False), sub(jurisdictions=("US",)), None),
    ("not relevant", item(relevant=False), sub(jurisdictions=("US",)), None),
    ("pure watchlist subscription gets no new-dispute alerts", item(), sub(watchlist=("Angelalign",)), None),
])
def test_new_dispute(case: str, it: Item, s: SubscriptionView, expected: dict[str, Any] | None) -> None:
    out = alerts(new_dispute(RuleInput(today=TODAY, items=[it], subscriptions=[s])))
    if expected is None:
        assert out == [], case
        return
    assert len(out) == 1, case
    a = out[0]
    assert a.rule == "new_dispute" and a.key == f"new_dispute:{it.key}" and a.item_key == it.key
    assert {k: a.matched[k] for k in expected} == expected
    assert "3 Chinese respondent(s) named" in a.reasons  # the tagger's severity reasons travel with the alert
    assert a.evidence and a.evidence[0].url == "https://www.usitc.gov/x"


def test_keywords_are_whole_words_and_ignore_quotes() -> None:
    assert keyword_hits("Certain chips and wafers", ["chip", "wafer"]) == ["chip", "wafer"]
    assert keyword_hits("Guangzhoushi Chiping Dianzi; microchip", ["chip"]) == []
    assert keyword_hits('Associations Identified on Schedule "A"', ["Schedule A"]) == ["Schedule A"]
    assert keyword_hits("长江存储起诉美光", ["存储"]) == ["存储"]


# -- watchlist ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("case", "watch", "level", "role"), [
    ("watched company is the respondent", {"entity:angelalign": "Angelalign"}, "high", "defendant"),
    ("watched company is the complainant", {"entity:align": "Align Technology"}, "low", "plaintiff"),
    ("nobody watched", {"entity:micron": "Micron"}, None, None),
])
def test_watchlist(case: str, watch: dict[str, str], level: str | None, role: str | None) -> None:
    out = alerts(watchlist(RuleInput(today=TODAY, items=[item()], subscriptions=[sub(watch=watch,
                                                                                      watchlist=tuple(watch.values()))])))
    if level is None:
        assert out == [], case
        return
    assert [(a.rule, a.level) for a in out] == [("watchlist", level)], case
    assert out[0].matched["parties"][0]["role"] == role
    assert out[0].matched["watchlist"] == list(watch.values())


# -- spike -------------------------------------------------------------------------------------------------------
def week_items(counts_newest_first: list[int], *, cn: bool = True, industry: str = "semiconductors") -> list[Item]:
    """counts[0] items in the last 7 days, counts[1] in the week before, …"""
    out = []
    for w, n in enumerate(counts_newest_first):
        for i in range(n):
            out.append(item(key=f"doc:{w}-{i}", day=TODAY - dt.timedelta(days=7 * w + i % 7), is_new=w == 0,
                            industries=(industry,), cn_side="defendant" if cn else None,
                            parties=(party(f"Plaintiff{w}{i} Inc.", "plaintiff", "US"),)))
    return out


@pytest.mark.parametrize(("case", "counts", "fires", "mean"), [
    ("4 against an empty baseline", [4, 0, 0, 0, 0, 0, 0, 0, 0], True, 0.0),
    ("3 against an empty baseline (P=0.014, not below 0.01)", [3, 0, 0, 0, 0, 0, 0, 0, 0], False, 0.0),
    ("5 against a steady 1 a week", [5, 1, 1, 1, 1, 1, 1, 1, 1], True, 1.0),
    ("5 against a steady 2 a week", [5, 2, 2, 2, 2, 2, 2, 2, 2], False, 2.0),
    ("2 is below the minimum count", [2, 0, 0, 0, 0, 0, 0, 0, 0], False, 0.0),
    ("a busy past week is no spike today", [0, 6, 0, 0, 0, 0, 0, 0, 0], False, 0.0),
])
def test_spike_table(case: str, counts: list[int], fires: bool, mean: float) -> None:
    s = sub(kind="company", jurisdictions=("US",), industries=("semiconductors",))
    out = alerts(spike(RuleInput(today=TODAY, items=week_items(counts), subscriptions=[s])))
    industry = [a for a in out if a.key.startswith("spike:jurisdiction_industry:US/semiconductors")]
    assert bool(industry) is fires, case
    assert not [a for a in out if a.key.startswith("spike:jurisdiction:")]  # industry subscriber: not the country
    if fires:
        n = industry[0].numbers
        assert n["this_week"] == counts[0] and n["baseline_mean"] == mean
        assert n["baseline_weeks"] == list(reversed(counts[1:]))
        assert n["poisson_p"] < 0.01 and "Poisson" in industry[0].reasons[0]
        assert industry[0].key.endswith("2026-W02")  # one spike alert per group and ISO week


def test_spike_counts_chinese_disputes_only_by_default() -> None:
    s = sub(kind="subcentre")
    assert alerts(spike(RuleInput(today=TODAY, items=week_items([6, 0, 0, 0, 0, 0, 0, 0, 0], cn=False),
                                  subscriptions=[s]))) == []
    out = alerts(spike(RuleInput(today=TODAY, items=week_items([6, 0, 0, 0, 0, 0, 0, 0, 0]), subscriptions=[s])))
    assert {a.key.split(":")[1] for a in out} == {"jurisdiction", "jurisdiction_industry"}


def test_poisson_tail() -> None:
    assert poisson_sf(0, 2.0) == 1.0
    assert poisson_sf(1, 2.0) == pytest.approx(1 - 0.1353352832, rel=1e-9)
    assert poisson_sf(5, 1.0) == pytest.approx(0.0036598468, rel=1e-6)


# -- deadlines ---------------------------------------------------------------------------------------------------
def fact(day: str) -> DatedFact:
    return DatedFact(dt.date.fromisoformat(day), "test document")


DISTRICT = dict(key="no:ilnd:1:26-cv-00001", case_numbers=("1:26-cv-00001",), court="ilnd",
                risk_types=("trademark",), jurisdictions=("US",))


@pytest.mark.parametrize(("case", "it", "today", "expected"), [
    ("337 response, first notice", item(dates={"instituted": fact("2026-01-02")}), "2026-01-10",
     [("response_337", "2026-01-22", 12, "notice")]),
    ("337 response, seven-day reminder", item(dates={"instituted": fact("2026-01-02")}), "2026-01-17",
     [("response_337", "2026-01-22", 5, "T-7")]),
    ("337 response from a recorded service date", item(dates={"instituted": fact("2026-01-02"),
                                                              "served": fact("2026-01-05")}), "2026-01-10",
     [("response_337", "2026-01-25", 15, "notice")]),
    ("337 response already due", item(dates={"instituted": fact("2026-01-02")}), "2026-01-23", []),
    ("TRO expiry with its one extension", item(**DISTRICT, dates={"tro_granted": fact("2026-03-02")}),
     "2026-03-05", [("tro_expiry", "2026-03-16", 11, "notice"), ]),
    ("answer after service", item(**DISTRICT, dates={"served": fact("2026-02-01")}), "2026-02-10",
     [("answer", "2026-02-22", 12, "notice")]),
    ("answer estimated from filing", item(**DISTRICT, dates={"complaint_filed": fact("2026-02-01")}), "2026-02-20",
     [("answer", "2026-02-22", 2, "T-2")]),
    ("no Chinese party at risk", item(cn_side="plaintiff", dates={"instituted": fact("2026-01-02")}), "2026-01-10", []),
    ("no dates, no deadline", item(), "2026-01-10", []),
])
def test_deadline_table(case: str, it: Item, today: str, expected: list[tuple[str, str, int, str]]) -> None:
    day = dt.date.fromisoformat(today)
    out = alerts(deadline(RuleInput(today=day, items=[it], subscriptions=[sub(jurisdictions=("US",))])))
    got = [(a.numbers["deadline"], a.numbers["due_on"], a.numbers["days_left"], a.numbers["stage"]) for a in out]
    assert got == expected, case
    for a in out:
        assert a.due_on == dt.date.fromisoformat(a.numbers["due_on"])
        assert any("rule:" in r for r in a.reasons) and any("start date" in r for r in a.reasons)
    if expected and expected[0][0] == "tro_expiry":
        assert out[0].numbers["extended_to"] == "2026-03-30"
    if expected and expected[0][0] == "answer" and "estimated" in case:
        assert out[0].numbers["estimated"] is True


def test_deadline_reaches_a_watcher_without_topical_match() -> None:
    it = item(dates={"instituted": fact("2026-01-02")})
    s = sub(watch={"entity:angelalign": "Angelalign"}, watchlist=("Angelalign",))
    out = alerts(deadline(RuleInput(today=TODAY, items=[it], subscriptions=[s])))
    assert [a.matched["watchlist"] for a in out] == [["Angelalign"]]


# -- escalation --------------------------------------------------------------------------------------------------
def cn(n: int) -> tuple[PartyRef, ...]:
    return tuple(party(f"Shenzhen Seller{i} Co., Ltd.", "defendant", "CN", key=f"entity:seller{i}") for i in range(n))


@pytest.mark.parametrize(("case", "it", "criteria"), [
    ("general exclusion order requested", item(industries=(), parties=cn(1), remedies=("general_exclusion_order",)),
     ["geo_requested"]),
    ("three Chinese respondents", item(industries=(), parties=cn(3)), ["cn_respondents"]),
    ("two Chinese respondents only", item(industries=(), parties=cn(2)), []),
    ("strategic industry", item(industries=("semiconductors",), parties=cn(1)), ["strategic_industry"]),
    ("SEP/FRAND", item(industries=("telecom",), parties=cn(1), risk_types=("sep_frand",)), ["sep_frand"]),
    ("damages above the limit", item(industries=(), parties=cn(1), damages_usd=25_000_000.0), ["damages"]),
    ("damages below the limit", item(industries=(), parties=cn(1), damages_usd=5_000_000.0), []),
    ("no Chinese party", item(cn_side=None, industries=("semiconductors",), remedies=("general_exclusion_order",)),
     []),
    ("several at once", item(industries=("biomedicine",), parties=cn(4), remedies=("general_exclusion_order",)),
     ["geo_requested", "cn_respondents", "strategic_industry"]),
])
def test_escalation_table(case: str, it: Item, criteria: list[str]) -> None:
    centre, company = sub(id=1, kind="subcentre"), sub(id=2, jurisdictions=("US",))
    out = escalation(RuleInput(today=TODAY, items=[it], subscriptions=[centre, company]))
    records = [f for f in out if isinstance(f, EscalationDraft)]
    if not criteria:
        assert out == [], case
        return
    assert len(records) == 1, case
    assert [t["criterion"] for t in records[0].triggers] == criteria
    assert records[0].config["min_cn_respondents"] == 3  # the thresholds in force are kept: the audit trail
    sent = alerts(out)
    assert [(a.subscription_id, a.escalation_key) for a in sent] == [(1, records[0].key)]  # the sub-centre only


def test_escalation_thresholds_are_configurable() -> None:
    cfg = replace(RuleConfig(), escalation=replace(RuleConfig().escalation, min_cn_respondents=2, min_triggers=2))
    it = item(industries=("biomedicine",), parties=cn(2))
    out = escalation(RuleInput(today=TODAY, items=[it], subscriptions=[sub(kind="subcentre")], config=cfg))
    assert [t["criterion"] for f in out if isinstance(f, EscalationDraft) for t in f.triggers] == [
        "cn_respondents", "strategic_industry"]
    it1 = item(industries=(), parties=cn(2))
    assert escalation(RuleInput(today=TODAY, items=[it1], subscriptions=[sub(kind="subcentre")], config=cfg)) == []


# -- Schedule-A waves --------------------------------------------------------------------------------------------
def sched_a(n: int, day: dt.date, new: bool = True, plaintiff: str = "KTM AG") -> Item:
    return item(key=f"no:ilnd:1:25-cv-0{n:04d}", title=f'{plaintiff} v. The Partnerships … Schedule "A"', day=day,
                last_day=day, is_new=new, schedule_a=True, court="ilnd", cn_side=None, industries=("consumer_goods",),
                risk_types=("trademark",), parties=(party(plaintiff, "plaintiff", "AT", key="entity:ktm"),))


@pytest.mark.parametrize(("case", "items", "expected"), [
    ("a brand's first Schedule-A suit starts a wave", [sched_a(1, TODAY)], [("wave:entity:ktm:2026-01-10:1", 1)]),
    ("three suits in the window", [sched_a(1, TODAY - dt.timedelta(days=40), new=False),
                                   sched_a(2, TODAY - dt.timedelta(days=10), new=False), sched_a(3, TODAY)],
     [("wave:entity:ktm:2025-12-01:3", 3)]),
    ("nothing new since the last run", [sched_a(1, TODAY, new=False)], []),
    ("older than the window", [sched_a(1, TODAY - dt.timedelta(days=120))], []),
    ("an ordinary suit is no wave", [replace(sched_a(1, TODAY), schedule_a=False)], []),
])
def test_wave_table(case: str, items: list[Item], expected: list[tuple[str, int]]) -> None:
    out = alerts(wave(RuleInput(today=TODAY, items=items, subscriptions=[sub(risk_types=("trademark",))])))
    assert [(a.key, a.numbers["suits"]) for a in out] == expected, case


# -- the registry ------------------------------------------------------------------------------------------------
def test_registry_is_explicit_and_named_uniquely() -> None:
    names = [r.name for r in RULES]
    assert names == ["new_dispute", "watchlist", "spike", "deadline", "escalation", "wave"]
    assert "escalation" not in default_rules("company") and "escalation" in default_rules("subcentre")


def test_rules_run_together_and_every_alert_explains_itself() -> None:
    it = item(dates={"instituted": fact("2026-01-02")}, parties=cn(3))
    out = alerts(run_rules(RuleInput(today=TODAY, items=[it], subscriptions=[
        sub(id=1, kind="subcentre"), sub(id=2, jurisdictions=("US",), watch={"entity:seller0": "Seller0"},
                                         watchlist=("Seller0",))])))
    assert sorted((a.subscription_id, a.rule) for a in out) == [
        (1, "deadline"), (1, "escalation"), (1, "new_dispute"), (2, "deadline"), (2, "new_dispute"),
        (2, "watchlist")]
    for a in out:
        assert a.reasons and a.evidence and a.matched is not None and a.title


def test_match_filters_subcentre_without_filters_sees_everything() -> None:
    assert match_filters(sub(kind="subcentre"), item()) == {}
    assert match_filters(sub(kind="company", watchlist=("X",)), item()) is None
