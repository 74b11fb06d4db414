"""What a batch of alerts looks like on each channel: a zh or en email digest grouped by story (text and HTML
parts, "and N more"), the webhook's JSON body, and the Atom feed of a subscription."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).parent / "templates"
LEVEL_ORDER = {"high": 0, "medium": 1, "low": 2}

TEXT: dict[str, dict[str, Any]] = {
    "en": {"greeting": "Dear", "intro": "New IP risk alerts for your subscription", "alerts": "alerts",
           "stories": "disputes", "matched": "matched filters", "numbers": "numbers", "evidence": "Sources",
           "documents": "documents", "and_more": "… and {n} more disputes (see the Atom feed or ask the sub-centre).",
           "and_more_docs": "… and {n} more documents",
           "footer": "IP Radar · Overseas IP dispute guidance sub-centre, Shanghai Pudong. Not legal advice.",
           "key": "message key", "subject": "[IP Radar] {name}: {n} new alert(s)",
           "subject_digest": "[IP Radar] {name}: {freq} digest, {n} alert(s) — {top}",
           "freq": {"instant": "instant", "daily": "daily", "weekly": "weekly"},
           "level": {"high": "HIGH", "medium": "MEDIUM", "low": "LOW"},
           "rule": {"new_dispute": "New dispute", "watchlist": "Watched company", "spike": "Spike",
                    "deadline": "Deadline", "escalation": "Major dispute (escalated)", "wave": "Schedule-A wave"}},
    "zh": {"greeting": "尊敬的", "intro": "您订阅的海外知识产权风险预警有更新，订阅", "alerts": "条预警",
           "stories": "起纠纷", "matched": "命中条件", "numbers": "数据", "evidence": "信息来源", "documents": "篇",
           "and_more": "……以及另外 {n} 起纠纷（详见 Atom 订阅源或联系分中心）。", "and_more_docs": "……以及另外 {n} 篇",
           "footer": "IP Radar · 海外知识产权纠纷应对指导浦东分中心。仅供参考，不构成法律意见。",
           "key": "消息编号", "subject": "【IP Radar】{name}：{n} 条新预警",
           "subject_digest": "【IP Radar】{name}：{freq}汇总 {n} 条预警 — {top}",
           "freq": {"instant": "即时", "daily": "每日", "weekly": "每周"},
           "level": {"high": "高", "medium": "中", "low": "低"},
           "rule": {"new_dispute": "新纠纷", "watchlist": "关注企业", "spike": "案件激增", "deadline": "应诉期限",
                    "escalation": "重大纠纷上报", "wave": "Schedule A 批量诉讼"}},
}


@dataclass(frozen=True)
class SubscriberInfo:
    id: int
    name: str
    subscriber: str
    lang: str
    frequency: str
    email: str | None
    webhook_url: str | None


@dataclass(frozen=True)
class AlertView:
    id: int
    key: str
    rule: str
    item_key: str
    title: str
    level: str
    score: int
    created_at: dt.datetime
    due_on: dt.date | None
    explanation: Mapping[str, Any]
    evidence: Sequence[Mapping[str, Any]]

    @property
    def reasons(self) -> list[str]:
        return [str(r) for r in self.explanation.get("reasons", [])]

    @property
    def matched(self) -> dict[str, Any]:
        return dict(self.explanation.get("matched", {}))

    @property
    def numbers(self) -> dict[str, Any]:
        return dict(self.explanation.get("numbers", {}))

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "key": self.key, "rule": self.rule, "item_key": self.item_key, "title": self.title,
                "severity": {"level": self.level, "score": self.score}, "created_at": self.created_at.isoformat(),
                "due_on": self.due_on.isoformat() if self.due_on else None, "matched": self.matched,
                "reasons": self.reasons, "numbers": self.numbers, "evidence": list(self.evidence)}


@dataclass
class StoryGroup:
    item_key: str
    title: str
    alerts: list[AlertView] = field(default_factory=list)
    evidence: list[Mapping[str, Any]] = field(default_factory=list)


def group_by_story(alerts: Sequence[AlertView]) -> list[StoryGroup]:
    """One group per story (item key), most severe first; evidence merged without repeats."""
    groups: dict[str, StoryGroup] = {}
    for a in alerts:
        g = groups.setdefault(a.item_key, StoryGroup(a.item_key, a.title))
        g.alerts.append(a)
        urls = {e.get("url") for e in g.evidence}
        g.evidence += [e for e in a.evidence if e.get("url") not in urls]
        if a.rule == "new_dispute":
            g.title = a.title
    for g in groups.values():
        g.alerts.sort(key=lambda a: (LEVEL_ORDER.get(a.level, 3), -a.score, a.id))
    return sorted(groups.values(), key=lambda g: (min(LEVEL_ORDER.get(a.level, 3) for a in g.alerts),
                                                  -max(a.score for a in g.alerts), g.item_key))


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["kv"] = _text_kv
    return env


def subject(sub: SubscriberInfo, alerts: Sequence[AlertView]) -> str:
    t = TEXT[sub.lang]
    groups = group_by_story(alerts)
    top = groups[0].title if groups else ""
    top = top if len(top) <= 70 else top[:67] + "…"
    if sub.frequency == "instant" and len(alerts) == 1:
        return f"{t['subject'].format(name=sub.name, n=1)} — {top}"
    return str(t["subject_digest"].format(name=sub.name, freq=t["freq"][sub.frequency], n=len(alerts), top=top))


def _text_kv(d: Mapping[str, Any]) -> str:
    return "; ".join(f"{k}={json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v}" for k, v in d.items())


def email_message(sub: SubscriberInfo, alerts: Sequence[AlertView], batch_key: str, *, sender: str, cap: int,
                  now: dt.datetime) -> EmailMessage:
    """The digest mail: text and HTML alternatives; Message-ID derived from the batch key, so a resend after a
    crash carries the same Message-ID (and the same X-IPRadar-Key) and can be recognised as a duplicate."""
    if not sub.email:
        raise ValueError(f"subscription {sub.name!r} has no email address")
    t = TEXT[sub.lang]
    groups = group_by_story(alerts)
    shown, more = groups[:cap], max(0, len(groups) - cap)
    subj = subject(sub, alerts)
    ctx = {"t": t, "sub": sub, "groups": shown, "more": more, "count": len(alerts), "batch_key": batch_key,
           "subject": subj}
    env = _env()
    text = env.get_template("digest.txt").render(**ctx)
    html = env.get_template("digest.html").render(**ctx)
    msg = EmailMessage()
    msg["Subject"] = subj
    msg["From"] = sender
    msg["To"] = sub.email
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = f"<{batch_key}@ipradar.invalid>"
    msg["X-IPRadar-Key"] = batch_key
    msg["X-IPRadar-Subscription"] = sub.name
    msg["Content-Language"] = "zh-CN" if sub.lang == "zh" else "en"
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg


def webhook_body(sub: SubscriberInfo, alerts: Sequence[AlertView], batch_key: str, now: dt.datetime) -> bytes:
    body = {"id": batch_key, "type": "ipradar.alerts", "created_at": now.isoformat(),
            "subscription": {"name": sub.name, "subscriber": sub.subscriber, "lang": sub.lang},
            "stories": [{"item_key": g.item_key, "title": g.title, "alerts": [a.id for a in g.alerts]}
                        for g in group_by_story(alerts)],
            "alerts": [a.as_json() for a in alerts]}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def atom_feed(sub: SubscriberInfo, alerts: Sequence[AlertView], base_url: str, now: dt.datetime) -> bytes:
    """The subscription's feed: newest alerts first; entry ids are stable (the alert key), so readers dedupe."""
    from feedgen.feed import FeedGenerator

    t = TEXT[sub.lang]
    fg = FeedGenerator()
    fg.id(f"urn:ipradar:subscription:{sub.name}")
    fg.title(f"IP Radar — {sub.name}")
    fg.subtitle(f"{t['intro']} «{sub.name}» ({sub.subscriber})")
    fg.link(href=f"{base_url.rstrip('/')}/{sub.name}.atom", rel="self")
    fg.language("zh-CN" if sub.lang == "zh" else "en")
    fg.updated(max((a.created_at for a in alerts), default=now))
    for a in sorted(alerts, key=lambda a: (a.created_at, a.id)):
        e = fg.add_entry()
        e.id(f"urn:ipradar:alert:{sub.name}:{a.key}")
        e.title(f"[{t['level'][a.level]}] {t['rule'][a.rule]}: {a.title}")
        e.updated(a.created_at)
        e.published(a.created_at)
        if a.evidence:
            e.link(href=str(a.evidence[0].get("url")), rel="alternate")
        # one link only: feedgen 1.0 writes every <link> without its rel, so "related" links would all read as
        # alternates; the other sources are listed in the summary instead
        e.category(term=a.rule, label=t["rule"][a.rule])
        e.category(term=f"severity:{a.level}")
        lines = [*a.reasons]
        if a.matched:
            lines.append(f"{t['matched']}: {_text_kv(a.matched)}")
        if a.numbers:
            lines.append(f"{t['numbers']}: {_text_kv(a.numbers)}")
        lines += [f"{t['evidence']}: {ev.get('title')} — {ev.get('url')}" for ev in a.evidence[:5]]
        e.summary("\n".join(lines))
    return bytes(fg.atom_str(pretty=True))
