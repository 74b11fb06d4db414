"""Near-duplicate detection across sources (MinHash LSH): syndicated copies of one item join one story, and the
story keeps every source's document."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
from datasketch import MinHash, MinHashLSH
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import Document, Story, utcnow

NUM_PERM = 64
SCHEME = "affine32"  # datasketch's hashing scheme; stored signatures are only comparable within one scheme
THRESHOLD = 0.7  # estimated Jaccard similarity of shingle sets above which two documents are one story
WINDOW_DAYS = 60  # only recent documents can be syndicated copies of a new one
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str) -> set[str]:
    """Word 3-grams for alphabetic text, character 4-grams for Chinese (which has no spaces)."""
    text = text.casefold()
    if len(_CJK.findall(text)) > len(text) / 5:
        chars = re.sub(r"\s+", "", text)
        return {chars[i:i + 4] for i in range(max(1, len(chars) - 3))}
    words = _WORD.findall(text)
    return {" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))}


def signature(title: str, text: str) -> MinHash:
    mh = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    mh.update_batch([sh.encode("utf-8") for sh in shingles(f"{title}\n{text}")])  # 4x faster than one by one
    return mh


def to_bytes(mh: MinHash) -> bytes:
    return bytes(np.asarray(mh.hashvalues, dtype=np.uint64).astype("<u8").tobytes())


def from_bytes(blob: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, hashvalues=np.frombuffer(blob, dtype="<u8").astype(np.uint64), scheme=SCHEME)


class StoryIndex:
    """An LSH index over recent documents, loaded once per crawl run and updated as documents arrive."""

    def __init__(self) -> None:
        self.lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        self.story_of: dict[int, int | None] = {}
        self.numbers_of: dict[int, frozenset[str]] = {}
        self.story_numbers: dict[int, set[str]] = {}

    @classmethod
    def load(cls, session: Session, now: dt.datetime | None = None) -> StoryIndex:
        index = cls()
        since = (now or utcnow()) - dt.timedelta(days=WINDOW_DAYS)
        rows = session.execute(select(Document.id, Document.minhash, Document.story_id, Document.case_numbers).where(
            Document.minhash.is_not(None), Document.first_seen_at >= since))
        for doc_id, blob, story_id, numbers in rows:
            if blob is not None:
                index.add(doc_id, from_bytes(blob), story_id, numbers or [])
        return index

    def add(self, doc_id: int, mh: MinHash, story_id: int | None, case_numbers: list[str]) -> None:
        key = str(doc_id)
        if key in self.lsh.keys:
            self.lsh.remove(key)
        self.lsh.insert(key, mh)
        self.story_of[doc_id] = story_id
        self.numbers_of[doc_id] = frozenset(case_numbers)
        if story_id is not None:
            self.story_numbers.setdefault(story_id, set()).update(case_numbers)

    def match(self, doc_id: int, mh: MinHash, case_numbers: list[str]) -> int | None:
        """The oldest near-duplicate already indexed, if any. Two releases of one template about different cases
        look alike word for word; documents naming disjoint case numbers are never the same story."""
        mine = frozenset(case_numbers)
        for other in sorted(int(k) for k in self.lsh.query(mh) if int(k) != doc_id):
            story = self.story_of.get(other)
            theirs = self.story_numbers.get(story, set()) if story is not None else set(self.numbers_of.get(other, ()))
            if not (mine and theirs and not (mine & theirs)):
                return other
        return None


def assign_story(session: Session, index: StoryIndex, doc: Document) -> int:
    """Give ``doc`` its signature and a story (a near-duplicate's, or a new one); returns the story id."""
    mh = signature(doc.title, doc.text)
    doc.minhash = to_bytes(mh)
    twin_id = index.match(doc.id, mh, doc.case_numbers or [])
    story_id = index.story_of.get(twin_id) if twin_id is not None else None
    if twin_id is not None and story_id is None:
        twin = session.get(Document, twin_id)
        assert twin is not None
        story = Story(title=twin.title, first_seen_at=twin.first_seen_at)
        session.add(story)
        session.flush()
        twin.story_id = story_id = story.id
        index.story_of[twin_id] = story_id
        index.story_numbers.setdefault(story_id, set()).update(index.numbers_of.get(twin_id, ()))
    if story_id is None:
        story_id = doc.story_id
    if story_id is None:
        story = Story(title=doc.title, first_seen_at=doc.first_seen_at)
        session.add(story)
        session.flush()
        story_id = story.id
    doc.story_id = story_id
    current = session.get(Story, story_id)
    if current is not None:
        current.last_seen_at = utcnow()
    index.add(doc.id, mh, story_id, doc.case_numbers or [])
    return story_id
