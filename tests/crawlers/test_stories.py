"""Near-duplicates across sources join one story; same-template documents about different cases do not."""

from sqlalchemy.orm import Session

from ipradar.crawlers.stories import StoryIndex, assign_story
from ipradar.db import make_engine
from ipradar.db.models import Document, Source

BODY = ("The U.S. International Trade Commission has voted to institute an investigation of certain {p}. The "
        "investigation is based on a complaint filed by {c} alleging violations of section 337 through the "
        "importation and sale of products that infringe its patents. The Commission will set a target date.")


def _doc(session: Session, n: int, source: str, product: str, complainant: str, case: str) -> Document:
    doc = Document(source_id=source, url=f"https://x/{n}", canonical_url=f"https://x/{n}", content_hash=str(n) * 8,
                   title=f"Institution of investigation of certain {product}", lang="en", doc_type="news",
                   text=BODY.format(p=product, c=complainant), case_numbers=[case] if case else [])
    session.add(doc)
    session.flush()
    return doc


def test_stories(initialised_db: str) -> None:
    engine = make_engine(initialised_db)
    with Session(engine) as session:
        for sid in ("a", "b"):
            session.add(Source(id=sid, kind="feed", name=sid, lang="en", base_url="https://x", schedule="* * * * *"))
        index = StoryIndex()
        first = _doc(session, 1, "a", "lithium batteries", "Acme Energy", "337-TA-1401")
        copy = _doc(session, 2, "b", "lithium batteries", "Acme Energy", "")  # syndicated copy, no number
        other = _doc(session, 3, "b", "lithium batteries", "Acme Energy", "337-TA-1402")  # same words, other case
        s1, s2, s3 = (assign_story(session, index, d) for d in (first, copy, other))
        assert s1 == s2 != s3
        session.commit()
    engine.dispose()
