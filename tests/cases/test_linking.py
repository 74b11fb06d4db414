"""Linking: one case per dispute across sources and languages, evidence kept, decisions survive reruns."""

from __future__ import annotations

import datetime as dt

from casehelpers import Loader, en_news_1297, fr_1297, release_1297, zh_1297
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from ipradar.cases.linking import link_documents
from ipradar.cases.query import CaseFilter, case_detail, changes_since, list_cases
from ipradar.db.models import Document
from ipradar.db.models.cases import Case, CaseDocument, CaseField, PartyAlias
from ipradar.db.models.stories import Story


def _live(engine: Engine) -> list[dict[str, object]]:
    with Session(engine) as session:
        return list_cases(session, CaseFilter(limit=100))


def test_one_337_investigation_from_four_sources_in_two_languages_is_one_case(engine: Engine, load: Loader) -> None:
    load(release_1297(), fr_1297(), zh_1297(), en_news_1297())
    stats = link_documents(engine)
    assert stats.documents == 4 and stats.linked == 4
    cases = _live(engine)
    assert len(cases) == 1
    case = cases[0]
    assert case["case_numbers"] == ["337-TA-1297"] and case["forum"] == "USITC" and case["jurisdiction"] == "US"
    assert len(case["documents"]) == 4  # type: ignore[arg-type]
    with Session(engine) as session:
        detail = case_detail(session, int(case["id"]))  # type: ignore[call-overload]
    assert detail is not None
    assert detail["filed_on"] == "2021-11-24" and detail["instituted_on"] == "2022-01-31"
    assert detail["status"] == "active"
    kinds = [(e["date"], e["event"]) for e in detail["timeline"]]
    assert ("2021-11-24", "complaint_filed") in kinds and ("2022-01-31", "instituted") in kinds
    assert {p["entity"] for p in detail["parties"]} == {"divx", "tcl"}
    methods = {d["source_id"]: (d["method"], d["evidence"]) for d in detail["documents"]}
    assert methods["cn_news"][0] == "case_number" and methods["cn_news"][1]["number"] == "337-TA-1297"
    assert methods["en_news"][0] == "parties_forum"  # no number: DivX + TCL + USITC in the window
    assert detail["title"].startswith("Certain Video Processing Devices")


def test_linking_is_idempotent_and_a_full_rerun_rebuilds_the_same_cases(engine: Engine, load: Loader) -> None:
    load(release_1297(), zh_1297(), en_news_1297())
    link_documents(engine)
    again = link_documents(engine)
    assert again.documents == 0
    before = {(c["key"], len(c["documents"])) for c in _live(engine)}  # type: ignore[arg-type]
    link_documents(engine, only_new=False)
    assert {(c["key"], len(c["documents"])) for c in _live(engine)} == before  # type: ignore[arg-type]


def test_news_before_the_institution_is_adopted_by_the_numbered_case(engine: Engine, load: Loader) -> None:
    early = {"id": "early", "source": "en_news", "lang": "en", "published": "2021-11-30",
             "url": "https://news.example.com/divx-complaint", "title": "DivX v. TCL at the ITC",
             "text": "DivX has filed a Section 337 complaint asking the US International Trade Commission to bar "
                     "imports of TCL smart televisions that it says infringe its video patents."}
    load(early)
    link_documents(engine)
    assert [c["case_numbers"] for c in _live(engine)] == [[]]
    load(release_1297())
    link_documents(engine)
    cases = _live(engine)
    assert len(cases) == 1 and cases[0]["case_numbers"] == ["337-TA-1297"]
    assert len(cases[0]["documents"]) == 2  # type: ignore[arg-type]


def test_pre_institution_docket_and_investigation_number_merge(engine: Engine, load: Loader) -> None:
    receipt = {"id": "dn", "source": "us_federalregister", "doc_type": "fr_notice_receipt_of_complaint",
               "lang": "en", "published": "2018-09-05", "url": "https://www.federalregister.gov/d/2018-19187",
               "title": "Certain Unmanned Aerial Vehicles; Notice of Receipt of Complaint",
               "text": "The Commission received a complaint under section 337, Docket No. 3335."}
    inst = {"id": "ta", "source": "us_federalregister", "doc_type": "fr_notice_institution", "lang": "en",
            "published": "2018-10-02", "url": "https://www.federalregister.gov/d/2018-21362",
            "title": "Certain Unmanned Aerial Vehicles; Institution of Investigation",
            "text": "Investigation No. 337-TA-1133 is instituted on the complaint docketed as DN 3335."}
    load(receipt, inst)
    link_documents(engine)
    cases = _live(engine)
    assert len(cases) == 1
    assert sorted(cases[0]["case_numbers"]) == ["337-TA-1133", "DN 3335"]  # type: ignore[type-var]


def test_different_investigations_of_the_same_parties_stay_apart_but_are_related(engine: Engine,
                                                                                load: Loader) -> None:
    a, b = release_1297(), release_1297()
    b.update(id="nr-1298", url="https://www.usitc.gov/x/1298", case_numbers=["337-TA-1298"],
             title="USITC Institutes Section 337 Investigation of Certain Media Players",
             text="Inv. No. 337-TA-1298.")
    load(a, b)
    link_documents(engine)
    cases = _live(engine)
    assert len(cases) == 2
    with Session(engine) as session:
        detail = case_detail(session, int(cases[0]["id"]))  # type: ignore[call-overload]
    assert detail is not None
    assert [r["campaign"] for r in detail["related"]] == ["parallel:divx|tcl"]
    assert detail["related"][0]["cases"] == [int(cases[1]["id"])]  # type: ignore[call-overload]


def test_docket_numbers_are_unique_only_with_their_court(engine: Engine, load: Loader) -> None:
    def suit(ident: str, court: str, plaintiff: str, defendant: str) -> dict[str, object]:
        return {"id": ident, "source_id": "us_courtlistener_dockets", "doc_type": "docket", "lang": "en",
                "published": "2023-06-13", "url": f"https://www.courtlistener.com/docket/{ident}/",
                "title": f"{plaintiff} v. {defendant}", "text": "Complaint for patent infringement.",
                "case_numbers": ["1:23-cv-00646"], "extra": {"court_id": court},
                "parties": [{"name": plaintiff, "role": "plaintiff"}, {"name": defendant, "role": "defendant"}]}

    load(suit("1", "ded", "Pharmacyclics LLC", "BeiGene, Ltd."), suit("2", "txed", "Acme Corp", "Widget Inc"))
    link_documents(engine)
    cases = _live(engine)
    assert sorted(str(c["forum"]) for c in cases) == ["US-DIST:ded", "US-DIST:txed"]
    assert sorted(c["case_numbers"][0] for c in cases) == ["23-cv-00646 (US-DIST:ded)",  # type: ignore[index]
                                                           "23-cv-00646 (US-DIST:txed)"]


def test_schedule_a_wave_is_one_campaign(engine: Engine, load: Loader) -> None:
    docs = []
    sellers = ("Yiwu Sunny Trading Co., Ltd.", "Dongguan Brightlamp Co., Ltd.", "Hangzhou Bluefox Store")
    for n, day in enumerate(("2024-02-01", "2024-03-04", "2024-05-06")):
        docs.append({"id": f"sa{n}", "source_id": "us_courtlistener_dockets", "doc_type": "docket", "lang": "en",
                     "published": day, "url": f"https://www.courtlistener.com/docket/9{n}/",
                     "title": "Brand Owner LLC v. The Partnerships and Unincorporated Associations Identified on "
                              "Schedule A", "text": f"Trademark counterfeiting by {sellers[n]}.",
                     "case_numbers": [f"1:24-cv-0{n + 1}000"], "extra": {"court_id": "ilnd"},
                     "parties": [{"name": "Brand Owner LLC", "role": "plaintiff"},
                                 {"name": sellers[n], "role": "defendant", "country": "CN"}]})
    load(*docs)
    link_documents(engine)
    with Session(engine) as session:
        first = session.scalar(select(Case.id).order_by(Case.id))
        assert first is not None
        detail = case_detail(session, first)
    assert detail is not None
    waves = [r for r in detail["related"] if r["kind"] == "wave"]
    assert [w["campaign"] for w in waves] == ["wave:brand:US-DIST:ilnd:2024"] and len(waves[0]["cases"]) == 2


def test_conflicting_values_are_kept_with_their_sources(engine: Engine, load: Loader) -> None:
    other = fr_1297()
    other["extra"] = {"remedies_requested": ["general_exclusion_order"]}
    load(release_1297(), other)
    link_documents(engine)
    with Session(engine) as session:
        rows = list(session.scalars(select(CaseField).where(CaseField.field == "remedies_requested")))
        assert sorted(str(r.value) for r in rows) == ["['general_exclusion_order']", "['limited_exclusion_order']"]
        assert {r.source_id for r in rows} == {"us_usitc_337", "us_federalregister"}
        aliases = list(session.scalars(select(PartyAlias)))
        assert aliases and all(a.method and a.decided_by.startswith("resolver:") and a.decided_at for a in aliases)


def test_status_follows_the_events_and_changes_since_a_date(engine: Engine, load: Loader) -> None:
    final = {"id": "fd", "source": "us_federalregister", "doc_type": "fr_notice_final_determination", "lang": "en",
             "published": "2023-03-01", "url": "https://www.federalregister.gov/d/2023-04444",
             "title": "Certain Video Processing Devices II; Final Determination; Termination of the Investigation",
             "text": "Inv. No. 337-TA-1297. The Commission has terminated the investigation."}
    load(release_1297(), final)
    link_documents(engine)
    with Session(engine) as session:
        for doc in session.scalars(select(Document)):  # as if each was crawled on its publication day
            assert doc.published_on is not None
            doc.first_seen_at = dt.datetime.combine(doc.published_on, dt.time(12), tzinfo=dt.UTC)
        session.commit()
        cid = session.scalar(select(Case.id))
        assert cid is not None
        case = session.get(Case, cid)
        assert case is not None and case.status == "terminated" and case.terminated_on == dt.date(2023, 3, 1)
        ch = changes_since(session, cid, dt.date(2023, 1, 1))
    assert ch["status_before"] == "active" and ch["status_now"] == "terminated"
    assert {e["event"] for e in ch["events"]} >= {"final_determination", "terminated"}
    assert [d["published"] for d in ch["documents"]] == ["2023-03-01"]


def test_policy_items_without_parties_stay_unlinked(engine: Engine, load: Loader) -> None:
    load({"id": "p", "source": "cn_news", "lang": "zh", "published": "2024-03-01",
          "url": "https://news.example.cn/policy", "title": "国家知识产权局发布海外纠纷应对指引",
          "text": "指引介绍了美国337调查和欧洲统一专利法院的基本程序。"})
    stats = link_documents(engine)
    assert stats.unlinked == 1
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(CaseDocument)) == 0


def test_a_syndicated_copy_follows_its_story(engine: Engine, load: Loader) -> None:
    copy = {"id": "copy", "source": "en_news", "lang": "en", "published": "2022-02-08",
            "url": "https://mirror.example.com/tv-probe", "title": "Smart TV probe opens",
            "text": "A US trade agency opened a probe into imported smart televisions."}
    load(zh_1297(), copy)
    with Session(engine) as session:
        story = Story(title="TV probe")
        session.add(story)
        session.flush()
        for doc in session.scalars(select(Document)):
            doc.story_id = story.id
        session.commit()
    link_documents(engine)
    cases = _live(engine)
    assert len(cases) == 1 and len(cases[0]["documents"]) == 2  # type: ignore[arg-type]
    with Session(engine) as session:
        methods = set(session.scalars(select(CaseDocument.method)))
    assert methods == {"case_number", "story"}
