"""End to end on SQLite and PostgreSQL: documents → alerts → outbox → a real SMTP server (aiosmtpd), a local
webhook receiver that checks the signature, Atom files read back with feedparser. Reruns send nothing twice;
a channel that is down delivers later; a worker killed between send and mark resends under the same key."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import feedparser
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from warnhelpers import SmtpSink, add_doc, add_story, aligners_337, aligners_edis, free_port, ktm_schedule_a

from ipradar.db.models.warnings import Alert, AlertEvaluation, Delivery, DeliveryAttempt, Escalation
from ipradar.settings import Settings
from ipradar.warnings.channels import Batch, Channel, SmtpEmail, channels_for, sign, verify_signature
from ipradar.warnings.config import WarningsConfig, load_config
from ipradar.warnings.receiver import WebhookReceiver
from ipradar.warnings.service import run_alerts
from ipradar.warnings.subscriptions import parse_subscription, upsert

NOW = dt.datetime(2025, 12, 22, 1, 0, tzinfo=dt.UTC)  # 09:00 in Shanghai, three days after 337-TA-1471
SECRET = "test-webhook-secret"


def subscribe(engine: Engine, **over: Any) -> None:
    raw: dict[str, Any] = {
        "name": "pudong-medtech", "subscriber": "Pudong medical-device maker (test)", "email": "ip@medtech.example",
        "lang": "en", "frequency": "daily", "channels": ["email", "atom"],
        "filters": {"jurisdictions": ["US"], "risk_types": ["section_337"], "watchlist": ["Angelalign"]}}
    raw.update(over)
    with Session(engine) as s:
        upsert(s, parse_subscription(raw))
        s.commit()


def config(settings: Settings, tmp_path: Path, smtp: SmtpSink | None = None, **delivery: Any) -> WarningsConfig:
    cfg = load_config(settings)
    d = dataclasses.replace(cfg.delivery, feeds_dir=tmp_path / "feeds", mail_dir=tmp_path / "mail",
                            webhook_secret=SECRET, retry_base_seconds=60, **delivery)
    if smtp is not None:
        d = dataclasses.replace(d, smtp=dataclasses.replace(d.smtp, host=smtp.host, port=smtp.port, timeout=5))
    return dataclasses.replace(cfg, delivery=d)


def seed(engine: Engine) -> None:
    with Session(engine) as s:
        story = add_story(s, "337-TA-1471")
        aligners_337(s).story_id = story
        aligners_edis(s).story_id = story
        s.commit()


def statuses(engine: Engine) -> dict[str, int]:
    with Session(engine) as s:
        return {f"{c}:{st}": n for c, st, n in s.execute(
            select(Delivery.channel, Delivery.status, func.count()).group_by(Delivery.channel, Delivery.status))}


def test_alerts_reach_smtp_atom_and_webhook_once(engine: Engine, settings: Settings, tmp_path: Path,
                                                smtp_server: SmtpSink) -> None:
    seed(engine)
    with WebhookReceiver(SECRET) as hook:
        subscribe(engine, channels=["email", "atom", "webhook"], webhook_url=hook.url)
        cfg = config(settings, tmp_path, smtp_server)
        first = run_alerts(engine, settings, NOW, config=cfg)
        # two sources, one story: one alert per rule (the 337 response falls due on 2026-01-08)
        assert first.evaluation.alerts == {"new_dispute": 1, "watchlist": 1, "deadline": 1}
        assert dict(first.delivery.messages) == {"email": 1, "atom": 1, "webhook": 1}  # type: ignore[union-attr]
        second = run_alerts(engine, settings, NOW + dt.timedelta(days=2), config=cfg)
        assert second.alerts_created == 0 and second.messages_sent == 0
        assert len(hook.accepted) == 1 and hook.duplicates == 0 and hook.rejected == 0
        body = next(iter(hook.accepted.values()))
    assert len(smtp_server.messages) == 1
    mail = smtp_server.messages[0]
    assert "pudong-medtech" in mail["Subject"] and mail["To"] == "ip@medtech.example"
    assert {p.get_content_type() for p in mail.iter_parts()} == {"text/plain", "text/html"}
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Clear Aligners" in text and "watched company 'Angelalign'" in text
    assert "https://www.usitc.gov/press_room/news_release/2025/er1219_25-130.htm" in text
    assert "edis.usitc.gov" in text  # the second source is evidence of the same alert
    assert "<li>" in html and "&lt;" not in mail["Subject"]
    # the webhook body carries the explanation, grouped by story
    assert body["subscription"]["name"] == "pudong-medtech"
    assert len(body["stories"]) == 1
    assert {a["rule"] for a in body["alerts"]} == {"new_dispute", "watchlist", "deadline"}
    assert all(a["reasons"] and a["evidence"] for a in body["alerts"])
    feed = feedparser.parse((tmp_path / "feeds" / "pudong-medtech.atom").read_bytes())
    assert not feed.bozo and feed.feed.title == "IP Radar — pudong-medtech"
    assert len(feed.entries) == 3 and all(e.link.startswith("https://www.usitc.gov/") for e in feed.entries)
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(AlertEvaluation)) == 2
        assert s.scalar(select(func.count()).select_from(DeliveryAttempt)) == 3


def test_smtp_down_then_up_delivers_later_and_loses_nothing(engine: Engine, settings: Settings, tmp_path: Path,
                                                            smtp_server: SmtpSink) -> None:
    seed(engine)
    subscribe(engine, frequency="instant")
    down = config(settings, tmp_path, SmtpSink("127.0.0.1", free_port()))  # nothing listens there
    first = run_alerts(engine, settings, NOW, config=down)
    assert first.alerts_created == 3 and dict(first.delivery.messages) == {"atom": 1}  # type: ignore[union-attr]
    assert [f.channel for f in first.delivery.retrying] == ["email"]  # type: ignore[union-attr]
    assert statuses(engine) == {"email:retry": 3, "atom:sent": 3}
    # before the backoff has passed nothing is tried, even with the server back
    up = config(settings, tmp_path, smtp_server)
    early = run_alerts(engine, settings, NOW + dt.timedelta(seconds=30), config=up)
    assert early.messages_sent == 0 and smtp_server.messages == []
    later = run_alerts(engine, settings, NOW + dt.timedelta(minutes=2), config=up)
    assert dict(later.delivery.messages) == {"email": 1}  # type: ignore[union-attr]
    assert statuses(engine) == {"email:sent": 3, "atom:sent": 3}
    assert len(smtp_server.messages) == 1 and smtp_server.messages[0]["X-IPRadar-Key"]
    with Session(engine) as s:
        attempts = list(s.scalars(select(DeliveryAttempt).where(DeliveryAttempt.channel == "email")
                                  .order_by(DeliveryAttempt.id)))
    assert [(a.attempt, a.ok) for a in attempts] == [(1, False), (2, True)]
    assert attempts[0].batch_key == attempts[1].batch_key  # retried as the same message


def test_a_channel_that_keeps_failing_is_reported_after_max_attempts(engine: Engine, settings: Settings,
                                                                     tmp_path: Path) -> None:
    seed(engine)
    subscribe(engine, frequency="instant", channels=["email"])
    cfg = config(settings, tmp_path, SmtpSink("127.0.0.1", free_port()), max_attempts=3)
    now = NOW
    results = []
    for _ in range(4):
        results.append(run_alerts(engine, settings, now, config=cfg))
        now += dt.timedelta(hours=1)
    assert [len(r.delivery.retrying) for r in results] == [1, 1, 0, 0]  # type: ignore[union-attr]
    assert [len(r.delivery.failed) for r in results] == [0, 0, 1, 0]  # type: ignore[union-attr]
    assert results[2].delivery.failed[0].attempts == 3  # type: ignore[union-attr]
    assert statuses(engine) == {"email:failed": 3}
    assert any("FAILED for good" in line for line in results[2].lines())


class DiesAfterSending:
    """Sends for real, then dies before the outbox can mark the batch (what kill -9 does between send and mark)."""

    name = "email"

    def __init__(self, inner: Channel) -> None:
        self.inner = inner

    def send(self, batch: Batch) -> dict[str, Any]:
        self.inner.send(batch)
        raise SystemExit("killed")


def test_killed_between_send_and_mark_resends_with_the_same_key(engine: Engine, settings: Settings,
                                                                 tmp_path: Path, smtp_server: SmtpSink) -> None:
    seed(engine)
    subscribe(engine, frequency="instant", channels=["email"])
    cfg = config(settings, tmp_path, smtp_server)
    real = SmtpEmail(cfg.delivery)
    with pytest.raises(SystemExit):
        run_alerts(engine, settings, NOW, config=cfg, channels={"email": DiesAfterSending(real)})
    assert len(smtp_server.messages) == 1 and statuses(engine) == {"email:sending": 3}
    # a run within the lease leaves the batch alone (its worker could still be alive) …
    assert run_alerts(engine, settings, NOW + dt.timedelta(minutes=5), config=cfg).messages_sent == 0
    # … after the lease it is sent again, as the same message: the duplicate is recognisable by Message-ID
    after = run_alerts(engine, settings, NOW + dt.timedelta(minutes=11), config=cfg)
    assert after.messages_sent == 1 and statuses(engine) == {"email:sent": 3}
    first, again = smtp_server.messages
    assert first["Message-ID"] == again["Message-ID"] and first["X-IPRadar-Key"] == again["X-IPRadar-Key"]
    assert run_alerts(engine, settings, NOW + dt.timedelta(hours=1), config=cfg).messages_sent == 0


def test_webhook_signature_is_checked_and_a_bad_one_rejected(engine: Engine, settings: Settings,
                                                             tmp_path: Path) -> None:
    seed(engine)
    with WebhookReceiver("another-secret") as hook:
        subscribe(engine, frequency="instant", channels=["webhook"], webhook_url=hook.url)
        out = run_alerts(engine, settings, NOW, config=config(settings, tmp_path))
        assert hook.rejected == 1 and hook.accepted == {}
    assert [(f.channel, f.final) for f in out.delivery.failures] == [("webhook", True)]  # type: ignore[union-attr]
    body = b'{"a":1}'
    header = sign(SECRET, 1_700_000_000, body)
    assert verify_signature(SECRET, header, body, now=1_700_000_010)
    assert not verify_signature(SECRET, header, body + b" ", now=1_700_000_010)  # tampered body
    assert not verify_signature(SECRET, header, body, now=1_700_009_999)  # stale timestamp: a replay


def test_webhook_without_a_secret_is_never_sent_unsigned(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    seed(engine)
    with WebhookReceiver(SECRET) as hook:
        subscribe(engine, frequency="instant", channels=["webhook"], webhook_url=hook.url)
        cfg = config(settings, tmp_path)
        cfg = dataclasses.replace(cfg, delivery=dataclasses.replace(cfg.delivery, webhook_secret=None))
        out = run_alerts(engine, settings, NOW, config=cfg)
        assert hook.accepted == {} and hook.rejected == 0
    assert "IPRADAR_WEBHOOK_SECRET" in out.delivery.retrying[0].error  # type: ignore[union-attr]


def test_daily_digest_waits_for_its_period_and_caps_the_list(engine: Engine, settings: Settings, tmp_path: Path,
                                                             smtp_server: SmtpSink) -> None:
    subscribe(engine, channels=["email"], lang="zh", filters={"jurisdictions": ["US"], "risk_types": ["trademark"]})
    cfg = config(settings, tmp_path, smtp_server, digest_cap=3)
    with Session(engine) as s:
        ktm_schedule_a(s, published=dt.date(2025, 12, 18))
        s.commit()
    assert run_alerts(engine, settings, NOW, config=cfg).messages_sent == 1
    with Session(engine) as s:
        for n in range(5):  # five more suits the same day: they wait for tomorrow's digest
            add_doc(s, source_id="us_courtlistener_dockets", url=f"https://www.courtlistener.com/docket/9{n}/",
                    title=f"Brand{n} Ltd. v. Shenzhen Seller{n} Trading Co., Ltd.", published=dt.date(2025, 12, 21),
                    case_numbers=[f"1:25-cv-1{n:04d}"], doc_type="docket", extra={"court_id": "ilnd"},
                    analysis={"risk_types": ["trademark"]})
        s.commit()
    noon = NOW + dt.timedelta(hours=4)
    waiting = run_alerts(engine, settings, noon, config=cfg)
    assert waiting.messages_sent == 0 and waiting.delivery.waiting_digest == 5  # type: ignore[union-attr]
    next_day = run_alerts(engine, settings, NOW + dt.timedelta(days=1), config=cfg)
    assert next_day.messages_sent == 1 and len(smtp_server.messages) == 2
    digest = smtp_server.messages[1]
    assert digest["Subject"].startswith("【IP Radar】pudong-medtech：每日汇总 5 条预警")
    assert "以及另外 2 起纠纷" in digest.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_escalation_is_recorded_with_its_audit_trail(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    seed(engine)
    subscribe(engine, name="subcentre", subscriber="Pudong sub-centre", kind="subcentre", frequency="instant", lang="zh",
              channels=["atom"], filters={}, rules=["escalation"])
    run_alerts(engine, settings, NOW, config=config(settings, tmp_path))
    with Session(engine) as s:
        esc = s.scalars(select(Escalation)).one()
        alert = s.scalars(select(Alert)).one()
    assert esc.item_key == "no:337-TA-1471" and esc.status == "open" and esc.rule_version == "escalation-1"
    assert [t["criterion"] for t in esc.triggers] == ["cn_respondents", "strategic_industry"]
    assert esc.config["min_cn_respondents"] == 3 and len(esc.evidence) == 2
    assert alert.escalation_id == esc.id and alert.rule == "escalation"
    assert feedparser.parse((tmp_path / "feeds" / "subcentre.atom").read_bytes()).entries[0].title.startswith(
        "[高] 重大纠纷上报")


def test_dry_run_writes_and_sends_nothing(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    seed(engine)
    subscribe(engine, channels=["atom"])
    out = run_alerts(engine, settings, NOW, config=config(settings, tmp_path), dry_run=True)
    assert out.alerts_created == 3 and out.delivery is None
    assert any("pudong-medtech · new_dispute" in line for line in out.lines())
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Alert)) == 0
        assert s.scalar(select(func.count()).select_from(AlertEvaluation)) == 0
    assert not (tmp_path / "feeds").exists()


def test_file_mail_is_idempotent_per_batch(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    seed(engine)
    subscribe(engine, frequency="instant", channels=["email"])
    cfg = config(settings, tmp_path, email="file")
    assert set(channels_for(cfg.delivery)) == {"email", "atom", "webhook"}
    run_alerts(engine, settings, NOW, config=cfg)
    files = list((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 1 and b"Clear Aligners" in files[0].read_bytes()


KILLER = """
import datetime as dt, os, signal, sys
from pathlib import Path
from ipradar.db import make_engine
from ipradar.settings import load_settings
from ipradar.warnings.channels import FileEmail
from ipradar.warnings.config import load_config
from ipradar.warnings.service import run_alerts

class SendThenDie(FileEmail):
    def send(self, batch):
        super().send(batch)
        os.kill(os.getpid(), signal.SIGKILL)  # kill -9 after the send, before the outbox marks it

work = Path(sys.argv[1])
settings = load_settings(work / "ipradar.toml", env={})
cfg = load_config(settings)
run_alerts(make_engine(settings.db_url), settings, dt.datetime.fromisoformat(sys.argv[2]), config=cfg,
           channels={"email": SendThenDie(cfg.delivery)})
"""


def test_kill_9_between_send_and_mark(engine: Engine, initialised_db: str, tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    from ipradar.settings import load_settings

    seed(engine)
    subscribe(engine, frequency="instant", channels=["email"])
    (tmp_path / "ipradar.toml").write_text(f'db_url = "{initialised_db}"\n[channels]\nemail = "file"\n')
    proc = subprocess.run([sys.executable, "-c", KILLER, str(tmp_path), NOW.isoformat()], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    mails = list((tmp_path / "mail").glob("*.eml"))
    assert len(mails) == 1 and statuses(engine) == {"email:sending": 3}
    settings = load_settings(tmp_path / "ipradar.toml", env={})
    after = run_alerts(engine, settings, NOW + dt.timedelta(minutes=15))
    assert after.alerts_created == 0 and after.messages_sent == 1 and statuses(engine) == {"email:sent": 3}
    assert list((tmp_path / "mail").glob("*.eml")) == mails  # the resend rewrote the same file: one message
    assert run_alerts(engine, settings, NOW + dt.timedelta(hours=2)).messages_sent == 0
