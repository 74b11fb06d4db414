"""The warnings part of ``ipradar demo``: sample subscriptions, file-based mail (.eml) and Atom files in the work
dir, and a local signature-checking webhook receiver, so every channel runs offline."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import socket
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ..db.models.warnings import Subscription
from ..settings import Settings, SettingsError
from .config import load_config
from .receiver import WebhookReceiver
from .service import AlertRunStats, run_alerts
from .subscriptions import load_toml, upsert

log = logging.getLogger(__name__)

DEMO_SUBSCRIPTIONS = Path(__file__).resolve().parent.parent / "data" / "subscriptions.demo.toml"
# Only for the offline demo's own receiver; real deployments set IPRADAR_WEBHOOK_SECRET in the environment.
DEMO_WEBHOOK_SECRET = "ipradar-demo-only-not-a-secret"

# What the demo work dir's ipradar.toml needs for the warnings (the lead appends it to demo.DEMO_CONFIG).
DEMO_TOML = """\

# Warnings: mail as .eml files in ./mail, one Atom feed per subscription in ./feeds (see ipradar/warnings).
[channels]
email = "file"
mail_dir = "mail"
feeds_dir = "feeds"
feed_base_url = "https://ipradar.invalid/feeds/"

[alerts]
# the bundled snapshots span several years; count disputes first reported in the last ~3 years as new
max_age_days = 1100
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def setup_demo(engine: Engine, workdir: Path) -> None:
    """Load the sample subscriptions (their webhooks pointed at a local port) and make sure the work dir's
    ipradar.toml holds the channel settings."""
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "ipradar.toml"
    text = config.read_text(encoding="utf-8") if config.exists() else ""
    if "[channels]" not in text:
        config.write_text(text + DEMO_TOML, encoding="utf-8")
    (workdir / "mail").mkdir(exist_ok=True)
    (workdir / "feeds").mkdir(exist_ok=True)
    port = free_port()
    with Session(engine) as session:
        for spec in load_toml(DEMO_SUBSCRIPTIONS):
            if spec.webhook_url:
                spec = dataclasses.replace(spec, webhook_url=f"http://127.0.0.1:{port}/hooks/ipradar")
            upsert(session, spec)
        session.commit()


def run_demo_alerts(engine: Engine, settings: Settings, workdir: Path,
                    now: dt.datetime | None = None) -> AlertRunStats:
    """``run_alerts`` with a local webhook receiver listening where the demo subscriptions post to; the receiver
    keeps what it accepted in ``workdir/webhooks``."""
    cfg = load_config(settings)
    if cfg.delivery.webhook_secret is None:
        cfg = dataclasses.replace(cfg, delivery=dataclasses.replace(cfg.delivery,
                                                                    webhook_secret=DEMO_WEBHOOK_SECRET))
    secret = cfg.delivery.webhook_secret
    assert secret is not None
    with Session(engine) as session:
        urls = [u for u in session.scalars(select(Subscription.webhook_url).where(
            Subscription.webhook_url.is_not(None))) if u and u.startswith("http://127.0.0.1:")]
    ports = sorted({int(u.split(":")[2].split("/")[0]) for u in urls})
    receivers = []
    try:
        for port in ports:
            try:
                receivers.append(WebhookReceiver(secret, workdir / "webhooks", port=port).__enter__())
            except OSError as exc:  # the port was taken since setup: the delivery is retried on a later run
                log.warning("demo webhook receiver cannot listen on 127.0.0.1:%d: %s", port, exc)
        return run_alerts(engine, settings, now, config=cfg)
    finally:
        for r in receivers:
            r.__exit__(None, None, None)


__all__ = ["DEMO_TOML", "AlertRunStats", "SettingsError", "run_alerts", "run_demo_alerts", "setup_demo"]
