"""Delivery channels: email (SMTP, or .eml files for offline runs), the Atom feed file of a subscription, and
signed webhooks. A channel sends one batch or raises :class:`DeliveryError` saying whether a retry can help."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import smtplib
import ssl
import tempfile
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .config import DeliveryConfig
from .render import AlertView, SubscriberInfo, atom_feed, email_message, webhook_body

SIGNATURE_HEADER = "X-IPRadar-Signature"
TIMESTAMP_HEADER = "X-IPRadar-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"


class DeliveryError(Exception):
    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class Batch:
    batch_key: str
    sub: SubscriberInfo
    alerts: Sequence[AlertView]
    now: dt.datetime
    history: Sequence[AlertView] = field(default_factory=tuple)  # Atom: earlier alerts that stay in the feed


class Channel(Protocol):
    name: str

    def send(self, batch: Batch) -> dict[str, Any]: ...


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename: readers never see half a file, reruns overwrite."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class SmtpEmail:
    name = "email"

    def __init__(self, cfg: DeliveryConfig) -> None:
        self.cfg = cfg

    def send(self, batch: Batch) -> dict[str, Any]:
        smtp = self.cfg.smtp
        msg = email_message(batch.sub, batch.alerts, batch.batch_key, sender=smtp.sender, cap=self.cfg.digest_cap,
                            now=batch.now)
        try:
            cls = smtplib.SMTP_SSL if smtp.ssl else smtplib.SMTP
            with cls(smtp.host, smtp.port, timeout=smtp.timeout) as client:
                if smtp.starttls and not smtp.ssl:
                    client.starttls(context=ssl.create_default_context())
                if smtp.user:
                    client.login(smtp.user, smtp.password or "")
                refused = client.send_message(msg)
        except smtplib.SMTPResponseException as exc:
            # 4xx is the server saying "later"; 5xx is a permanent refusal (bad address, policy)
            raise DeliveryError(f"SMTP {smtp.host}:{smtp.port} answered {exc.smtp_code} "
                                f"{exc.smtp_error!r}", retryable=exc.smtp_code < 500) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(f"SMTP refused every recipient: {sorted(exc.recipients)}", retryable=False) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"SMTP {smtp.host}:{smtp.port} unreachable: {exc}") from exc
        if refused:
            raise DeliveryError(f"SMTP refused {sorted(refused)}", retryable=False)
        return {"to": batch.sub.email, "message_id": msg["Message-ID"], "subject": msg["Subject"]}


class FileEmail:
    """Offline mail: one RFC 5322 file per message, named by the batch key (a resend overwrites it)."""

    name = "email"

    def __init__(self, cfg: DeliveryConfig) -> None:
        self.cfg = cfg

    def send(self, batch: Batch) -> dict[str, Any]:
        msg = email_message(batch.sub, batch.alerts, batch.batch_key, sender=self.cfg.smtp.sender,
                            cap=self.cfg.digest_cap, now=batch.now)
        path = self.cfg.mail_dir / f"{batch.now:%Y%m%dT%H%M%S}-{batch.sub.name}-{batch.batch_key}.eml"
        existing = sorted(self.cfg.mail_dir.glob(f"*-{batch.batch_key}.eml")) if self.cfg.mail_dir.is_dir() else []
        path = existing[0] if existing else path
        try:
            write_atomically(path, bytes(msg))
        except OSError as exc:
            raise DeliveryError(f"cannot write {path}: {exc}") from exc
        return {"to": batch.sub.email, "message_id": msg["Message-ID"], "file": str(path)}


class AtomFile:
    name = "atom"

    def __init__(self, cfg: DeliveryConfig) -> None:
        self.cfg = cfg

    def path(self, sub_name: str) -> Path:
        return self.cfg.feeds_dir / f"{sub_name}.atom"

    def send(self, batch: Batch) -> dict[str, Any]:
        alerts = {a.id: a for a in [*batch.history, *batch.alerts]}
        newest = sorted(alerts.values(), key=lambda a: (a.created_at, a.id), reverse=True)[:self.cfg.feed_entries]
        path = self.path(batch.sub.name)
        try:
            write_atomically(path, atom_feed(batch.sub, newest, self.cfg.feed_base_url, batch.now))
        except OSError as exc:
            raise DeliveryError(f"cannot write {path}: {exc}") from exc
        return {"file": str(path), "entries": len(newest)}


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_signature(secret: str, header: str, body: bytes, *, now: float, tolerance: float = 300.0) -> bool:
    """Check ``t=<unix>,v1=<hex>`` over "<t>.<body>"; reject stale timestamps (replays)."""
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        ts = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - ts) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, ts, body), f"t={ts},v1={parts.get('v1', '')}")


class Webhook:
    name = "webhook"

    def __init__(self, cfg: DeliveryConfig) -> None:
        self.cfg = cfg

    def send(self, batch: Batch) -> dict[str, Any]:
        url = batch.sub.webhook_url
        if not url:
            raise DeliveryError(f"subscription {batch.sub.name!r} has no webhook_url", retryable=False)
        secret = self.cfg.webhook_secret
        if not secret:
            # never send unsigned; retryable, since setting IPRADAR_WEBHOOK_SECRET before the next run fixes it
            raise DeliveryError("IPRADAR_WEBHOOK_SECRET is not set; webhooks are only sent signed")
        body = webhook_body(batch.sub, batch.alerts, batch.batch_key, batch.now)
        ts = int(dt.datetime.now(dt.UTC).timestamp())  # the signing time, not the run's logical clock
        req = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8", "User-Agent": "ipradar-webhook/1",
            TIMESTAMP_HEADER: str(ts), SIGNATURE_HEADER: sign(secret, ts, body), IDEMPOTENCY_HEADER: batch.batch_key})
        try:
            with urllib.request.urlopen(req, timeout=self.cfg.webhook_timeout) as resp:
                status = int(resp.status)
        except urllib.error.HTTPError as exc:
            status = exc.code
            if status != 409:  # 409: the receiver already has this idempotency key — delivered
                raise DeliveryError(f"webhook {url} answered HTTP {status}",
                                    retryable=status in (408, 425, 429) or status >= 500) from exc
        except (TimeoutError, urllib.error.URLError, OSError) as exc:
            raise DeliveryError(f"webhook {url} unreachable: {exc}") from exc
        return {"url": url, "status": status, "bytes": len(body)}


def channels_for(cfg: DeliveryConfig) -> dict[str, Channel]:
    out: dict[str, Channel] = {"atom": AtomFile(cfg), "webhook": Webhook(cfg)}
    if cfg.email == "smtp":
        out["email"] = SmtpEmail(cfg)
    elif cfg.email == "file":
        out["email"] = FileEmail(cfg)
    return out
