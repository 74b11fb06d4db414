"""CLI (on a local Typer app, as the lead will wire it), TOML import, settings, the demo setup, and items."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import feedparser
import pytest
import typer
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner
from warnhelpers import add_doc, add_story, aligners_337, aligners_edis, ktm_schedule_a

from ipradar.db.models.warnings import Alert, Subscription
from ipradar.settings import Settings, SettingsError, load_settings
from ipradar.warnings.commands import register
from ipradar.warnings.config import load_config
from ipradar.warnings.demo import DEMO_SUBSCRIPTIONS, DEMO_TOML, run_demo_alerts, setup_demo
from ipradar.warnings.entities import EntityKeys
from ipradar.warnings.items import damages_usd, load_items
from ipradar.warnings.subscriptions import SubscriptionError, load_toml

NOW = "2025-12-22T09:00:00+08:00"


def app() -> typer.Typer:
    root = typer.Typer()

    @root.callback()
    def main() -> None:
        """test root"""

    register(root)
    return root


def invoke(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app(), [*args[:2], "--db", db, *args[2:]] if len(args) >= 2 else list(args))
    return result.exit_code, result.stdout, result.stderr


def test_subscriptions_import_list_add_remove(initialised_db: str, tmp_path: Path) -> None:
    code, _, err = invoke(initialised_db, "subscriptions", "import", str(DEMO_SUBSCRIPTIONS))
    assert code == 0 and "3 new" in err
    code, _, err = invoke(initialised_db, "subscriptions", "import", str(DEMO_SUBSCRIPTIONS))
    assert code == 0 and "0 new, 3 updated" in err  # rerunning an import changes nothing
    code, out, _ = invoke(initialised_db, "subscriptions", "list", "--json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert rows["pudong-semiconductor-us-upc"]["filters"]["jurisdictions"] == ["US", "UPC"]
    assert rows["consumer-goods-trademark-customs"]["frequency"] == "weekly"
    code, _, err = invoke(initialised_db, "subscriptions", "add", "huawei-watch", "--subscriber", "Test Co",
                          "--email", "a@b.example", "--watch", "华为", "--watch", "ZTE", "--channel", "email",
                          "--channel", "atom")
    assert code == 0, err
    code, _, err = invoke(initialised_db, "subscriptions", "add", "bad", "--subscriber", "X", "--email", "a@b.c",
                          "--industry", "chips")
    assert code == 2 and "'chips' is not one of" in err
    code, _, _ = invoke(initialised_db, "subscriptions", "remove", "huawei-watch")
    assert code == 0
    code, _, err = invoke(initialised_db, "subscriptions", "remove", "huawei-watch")
    assert code == 2 and "no subscription named" in err


@pytest.mark.parametrize(("body", "message"), [
    ('[[subscription]]\nname = "x"\nsubscriber = "X"\nemail = "a@b.c"\n[subscription.filters]\nindustry = ["a"]\n',
     "filters: unknown field(s) industry"),
    ('[[subscription]]\nname = "x"\nsubscriber = "X"\nchannels = ["email"]\n[subscription.filters]\n'
     'risk_types = ["trademark"]\n', "x'.email: the email channel needs an address"),
    ('[[subscription]]\nname = "x"\nsubscriber = "X"\nemail = "a@b.c"\nfrequency = "hourly"\n'
     '[subscription.filters]\nkeywords = ["a"]\n', "frequency: 'hourly' is not one of instant, daily, weekly"),
    ('[[subscription]]\nname = "x"\nsubscriber = "X"\nemail = "a@b.c"\n', "needs at least one filter or a watchlist"),
    ('[[subscriptions]]\nname = "x"\n', "unknown top-level key(s) subscriptions"),
])
def test_bad_subscription_files_name_the_field(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "subs.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(SubscriptionError, match="subs.toml") as err:
        load_toml(path)
    assert message in str(err.value)


def test_demo_subscriptions_are_valid() -> None:
    specs = {s.name: s for s in load_toml(DEMO_SUBSCRIPTIONS)}
    assert specs["pudong-semiconductor-us-upc"].channels == ("email", "atom", "webhook")
    assert specs["consumer-goods-trademark-customs"].filters.risk_types == ("trademark", "customs")
    assert specs["pudong-subcentre-escalations"].kind == "subcentre"


def test_alerts_run_twice_sends_nothing_the_second_time(initialised_db: str, engine: Engine, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    with Session(engine) as s:
        story = add_story(s, "337-TA-1471")
        aligners_337(s).story_id = story
        aligners_edis(s).story_id = story
        s.commit()
    (tmp_path / "ipradar.toml").write_text('[channels]\nemail = "file"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    invoke(initialised_db, "subscriptions", "add", "medtech", "--subscriber", "T", "--email", "t@t.example",
           "--jurisdiction", "US", "--risk", "section_337", "--frequency", "instant", "--channel", "email",
           "--channel", "atom")
    code, _, err = invoke(initialised_db, "alerts", "run", "--dry-run", "--now", NOW)
    assert code == 0 and "[dry run]" in err and "medtech · new_dispute" in err
    assert not (tmp_path / "mail").exists()
    code, _, err = invoke(initialised_db, "alerts", "run", "--now", NOW)
    assert code == 0, err
    assert "email 1 message(s)" in err and "atom 1 message(s)" in err
    mails = list((tmp_path / "mail").glob("*.eml"))
    feed = tmp_path / "feeds" / "medtech.atom"
    before = feed.read_bytes()
    code, _, err = invoke(initialised_db, "alerts", "run", "--now", "2025-12-23T09:00:00+08:00")
    assert code == 0 and "delivered: nothing" in err
    assert list((tmp_path / "mail").glob("*.eml")) == mails and feed.read_bytes() == before
    code, _, err = invoke(initialised_db, "alerts", "run", "--now", "2025-12-22")
    assert code == 2 and "needs a UTC offset" in err


def test_demo_setup_delivers_on_every_channel_then_nothing(engine: Engine, initialised_db: str,
                                                           tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "ipradar.toml").write_text(f'db_url = "{initialised_db}"\n', encoding="utf-8")
    setup_demo(engine, work)
    setup_demo(engine, work)  # twice: no second [channels] table, no duplicate subscriptions
    text = (work / "ipradar.toml").read_text(encoding="utf-8")
    assert text.count("[channels]") == 1 and DEMO_TOML.strip() in text
    settings = load_settings(work / "ipradar.toml", env={})
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Subscription)) == 3
        aligners_337(s, published=dt.date(2025, 12, 16))
        add_doc(s, source_id="us_courtlistener_dockets", url="https://www.courtlistener.com/docket/68001275/",
                title="Yangtze Memory Technologies Company, Ltd. v. Micron Technology, Inc.",
                published=dt.date(2025, 12, 10), case_numbers=["3:23-cv-05792"], doc_type="docket",
                parties=[{"name": "Yangtze Memory Technologies Company, Ltd.", "role": "plaintiff", "country": "CN"},
                         {"name": "Micron Technology, Inc.", "role": "defendant", "country": "US"}],
                extra={"court_id": "cand", "jurisdiction": "US-DCT:cand", "ip_types": ["patent"]},
                analysis={"risk_types": ["patent_infringement"], "industries": ["semiconductors"]})
        ktm_schedule_a(s, published=dt.date(2025, 12, 1))
        s.commit()
    now = dt.datetime(2025, 12, 22, 1, 0, tzinfo=dt.UTC)
    first = run_demo_alerts(engine, settings, work, now)
    assert first.delivery is not None and not first.delivery.failures
    assert set(first.delivery.messages) == {"email", "atom", "webhook"}
    with Session(engine) as s:
        per_sub = dict(s.execute(select(Subscription.name, func.count(Alert.id)).join(Alert).group_by(
            Subscription.name)).all())
    assert set(per_sub) == {"pudong-semiconductor-us-upc", "consumer-goods-trademark-customs",
                            "pudong-subcentre-escalations"}
    mails = sorted((work / "mail").glob("*.eml"))
    assert len(mails) == 3 and any("Yangtze" in m.read_text(encoding="utf-8") for m in mails)
    feeds = sorted(p.name for p in (work / "feeds").glob("*.atom"))
    assert len(feeds) == 3
    for f in (work / "feeds").glob("*.atom"):
        assert not feedparser.parse(f.read_bytes()).bozo
    assert len(list((work / "webhooks").glob("*.json"))) == 1
    second = run_demo_alerts(engine, settings, work, now + dt.timedelta(hours=1))
    assert second.alerts_created == 0 and second.messages_sent == 0


def test_config_is_strict_and_reads_smtp_from_the_environment(tmp_path: Path) -> None:
    (tmp_path / "ipradar.toml").write_text('[smtp]\nhost = "mail.example"\nport = 2525\n[alerts]\nmax_age_days = 9\n'
                                           '[alerts.spike]\nmin_count = 5\n[channels]\nemail = "file"\n')
    s = load_settings(env={"IPRADAR_SMTP_PASSWORD": "pw"}, cwd=tmp_path)
    cfg = load_config(s, {"IPRADAR_SMTP_HOST": "relay.example", "IPRADAR_SMTP_STARTTLS": "true"})
    assert cfg.delivery.smtp.host == "relay.example" and cfg.delivery.smtp.port == 2525
    assert cfg.delivery.smtp.password == "pw" and cfg.delivery.smtp.starttls is True
    assert cfg.rules.max_age_days == 9 and cfg.rules.spike.min_count == 5
    assert cfg.delivery.mail_dir == tmp_path / "mail"
    for bad, message in (('[smtp]\npassword = "x"\n', "a secret"), ('[alerts.spike]\nmin_cuont = 1\n', "min_cuont"),
                         ('[channels]\nemail = "pigeon"\n', "pigeon")):
        (tmp_path / "ipradar.toml").write_text(bad)
        with pytest.raises(SettingsError, match=message):
            load_config(load_settings(env={}, cwd=tmp_path))


def test_items_join_sources_and_keep_district_dockets_apart(engine: Engine, settings: Settings) -> None:
    with Session(engine) as s:
        aligners_337(s)
        aligners_edis(s)  # same case number, different source, no story: still one item
        for court, docket in (("ilnd", 1), ("txed", 2)):  # the same docket number in two courts: two disputes
            add_doc(s, source_id="us_courtlistener_dockets", url=f"https://www.courtlistener.com/docket/{docket}/",
                    title=f"Case {docket}", published=dt.date(2025, 12, 20), case_numbers=["1:25-cv-00042"],
                    doc_type="docket", extra={"court_id": court})
        add_doc(s, source_id="news_ipwatchdog", url="https://ipwatchdog.com/roundup", title="Weekly roundup",
                published=dt.date(2025, 12, 21), case_numbers=["337-TA-1471", "1:25-cv-00042", "IPR2025-01319",
                                                               "UPC_CFI_317/2024"])
        s.commit()
        loaded = load_items(s, dt.date(2025, 12, 22), 90, EntityKeys(s))
    keys = sorted(i.key for i in loaded.items)
    assert keys == ["doc:5", "no:337-TA-1471", "no:ilnd:1:25-cv-00042", "no:txed:1:25-cv-00042"]
    aligners = next(i for i in loaded.items if i.key == "no:337-TA-1471")
    assert len(aligners.evidence) == 2 and aligners.cn_side == "defendant" and aligners.is_new
    assert aligners.dates["instituted"].on == dt.date(2025, 12, 19)
    assert "institution_date" in aligners.dates["instituted"].basis
    assert len(aligners.cn_defendants) == 3


@pytest.mark.parametrize(("extra", "text", "expected"), [
    ({"damages": 12_500_000}, "", 12_500_000.0),
    ({}, "The jury awarded $1.2 billion in damages to the plaintiff.", 1.2e9),
    ({}, "seeking damages of US$25 million", 25e6),
    ({}, "The court set a trial date.", None),
])
def test_damages(extra: dict[str, object], text: str, expected: float | None) -> None:
    assert damages_usd(extra, text) == expected
