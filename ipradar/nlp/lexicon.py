"""Keyword lexicons matched in one pass per doc: plain-word entries go into a spaCy PhraseMatcher, the rest stay regexes.

The pattern files keep their regex syntax; at load time every entry that is a finite set of literal strings
(``chips?``, ``(?:jet|aero) engines?``, ``专利侵权``) is expanded and matched on tokens (attr LOWER), which costs one
hash lookup per token instead of one regex attempt per entry and character. Entries that need real regex power
(windows like ``(?: \\w+){0,6}``, lookarounds) are compiled once per group into one alternation.
"""

from __future__ import annotations

import itertools
import re

# the standard library's regex parser (re._parser since Python 3.11; the project targets 3.11)
import re._constants as _c
import re._parser as _p
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from spacy.attrs import IDX, LOWER
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .resources import t2s_table

MAX_EXPANSIONS = 24
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@dataclass(frozen=True)
class Plain:
    """A regex entry that is a finite set of literals. ``open_end``: the regex had no closing \\b, so a literal also
    matches the start of a longer word ("diagnostic" in "diagnostics", "infring" in "infringement")."""

    literals: tuple[str, ...]
    open_end: bool


def _expand(items: Any) -> list[str] | None:
    """Literal strings a parsed (sub)pattern matches, or None when it is not a small finite literal set."""
    out = [""]
    for op, av in items:
        alts: list[str] | None
        if op is _c.LITERAL:
            alts = [chr(av)]
        elif op is _c.IN:
            if not all(o is _c.LITERAL for o, _ in av):
                return None
            alts = [chr(v) for _, v in av]
        elif op is _c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                return None
            alts = _expand(sub)
        elif op is _c.BRANCH:
            alts = []
            for branch in av[1]:
                got = _expand(branch)
                if got is None:
                    return None
                alts += got
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            lo, hi, sub = av
            got = _expand(sub)
            if got is None or (lo, hi) != (0, 1):
                return None
            alts = ["", *got]
        else:
            return None
        if alts is None:
            return None
        out = [a + b for a, b in itertools.product(out, alts)]
        if len(out) > MAX_EXPANSIONS:
            return None
    return out


def plain(regex: str) -> Plain | None:
    """The literal form of a regex entry, or None when it needs the regex engine."""
    try:
        parsed = list(_p.parse(regex))
    except re.error:
        return None
    closed_end = False
    if parsed and parsed[0] == (_c.AT, _c.AT_BOUNDARY):
        parsed = parsed[1:]
    if parsed and parsed[-1] == (_c.AT, _c.AT_BOUNDARY):
        parsed, closed_end = parsed[:-1], True
    literals = _expand(parsed)
    if not literals or any(not lit.strip() or lit != lit.strip() for lit in literals):
        return None
    literals = sorted({lit.lower() for lit in literals})
    return Plain(tuple(literals), open_end=not closed_end and any(lit[-1].isalnum() for lit in literals))


def _leads_of(items: list[Any]) -> list[str] | None:
    """Literal prefixes one of which every match of the parsed sequence starts with (None when unknown): the
    expansions of the longest finite-literal run at the start, after zero-width assertions."""
    while items and (items[0][0] is _c.AT or (items[0][0] is _c.ASSERT_NOT and items[0][1][0] < 0)):
        items = items[1:]  # \b, ^ and negative lookbehinds consume nothing
    if len(items) == 1 and items[0][0] is _c.BRANCH:
        out: list[str] = []
        for branch in items[0][1][1]:
            got = _leads_of(list(branch))
            if got is None:
                return None
            out += got
        return out
    best: list[str] | None = None
    for k in range(1, len(items) + 1):
        got = _expand(items[:k])
        if got is None:
            break
        best = got
        if min(map(len, got)) >= 3:
            break  # long enough to be selective; longer runs only multiply the alternatives to check
    if best is None or len(items) == 0:
        return None
    return [x.lower() for x in best]


def leads(regex: str) -> tuple[str, ...] | None:
    """Lowercase literals at least one of which occurs in any text the regex matches (a cheap pre-check: when none
    of them is in the lowercased text, the regex cannot match). None when the regex has no such literal start."""
    try:
        parsed = _p.parse(regex)
    except re.error:
        return None
    got = _leads_of(list(parsed))
    if not got or any(len(x) < 2 for x in got):
        return None
    return _minimal(got)


def _minimal(items: Iterable[str]) -> tuple[str, ...]:
    """Drop literals that contain another one of the set as prefix ("5g" already covers "5g ")."""
    out: list[str] = []
    for x in sorted(set(items), key=len):
        if not any(x.startswith(y) for y in out):
            out.append(x)
    return tuple(sorted(out))


def gate_all(regexes: Iterable[str]) -> tuple[str, ...] | None:
    """The union of the leads of several regexes (None if any of them has none)."""
    out: set[str] = set()
    for r in regexes:
        got = leads(r)
        if got is None:
            return None
        out |= set(got)
    return _minimal(out)


def may_match(gate: tuple[str, ...] | None, lowered: str) -> bool:
    return gate is None or any(x in lowered for x in gate)


@dataclass(frozen=True)
class Hit:
    start: int  # character offsets into the doc text
    end: int
    key: str  # the literal (or the lowercased regex match): distinct keys are distinct cues


@dataclass
class _Group:
    regex: re.Pattern[str] | None = None
    gate: tuple[str, ...] | None = None


@dataclass
class LexiconMatcher:
    """Named groups of regex entries (e.g. "ind:telecom:strong"), all matched in one pass per doc."""

    nlp: Language
    groups: Mapping[str, Iterable[str]]
    flags: int = re.IGNORECASE
    _compiled: dict[str, _Group] = field(default_factory=dict, init=False)
    _literal_groups: dict[str, list[tuple[str, bool]]] = field(default_factory=dict, init=False)
    _matcher: PhraseMatcher = field(init=False)
    _cjk_rx: re.Pattern[str] | None = field(default=None, init=False)
    # EN: open-ended one-token literals, matched as token prefixes (longest first) -> their groups
    _prefixes: tuple[str, ...] = field(default=(), init=False)
    _prefix_groups: dict[str, list[str]] = field(default_factory=dict, init=False)
    _prefix_lengths: tuple[int, ...] = field(default=(), init=False)
    _lexeme_prefix: dict[int, list[tuple[str, str]]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        zh = self.nlp.lang == "zh"
        # texts are folded to simplified characters before tagging (textnorm), so the entries must be too:
        # "特許侵害" in a pattern file would otherwise never meet the folded "特许侵害"
        fold = t2s_table()
        self.groups = {name: [e.translate(fold) for e in entries] for name, entries in self.groups.items()}
        self._matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        phrases: dict[str, bool] = {}  # literal -> open_end (zh: checked against ASCII word boundaries)
        cjk: set[str] = set()
        for name, entries in self.groups.items():
            residual: list[str] = []
            for entry in entries:
                form = plain(entry)
                if form is None:
                    residual.append(entry)
                    continue
                for lit in form.literals:
                    if _CJK.search(lit):
                        cjk.add(lit)
                    one_token = len(self.nlp.make_doc(lit)) == 1
                    if not zh and form.open_end and one_token:
                        self._prefix_groups.setdefault(lit, []).append(name)
                        continue
                    self._literal_groups.setdefault(lit, []).append((name, form.open_end))
                    phrases[lit] = phrases.get(lit, False) or form.open_end
            self._compiled[name] = _Group(
                re.compile("|".join(f"(?:{r})" for r in residual), self.flags) if residual else None,
                gate_all(residual))
        self._prefixes = tuple(sorted(self._prefix_groups, key=len, reverse=True))
        self._prefix_lengths = tuple(sorted({len(p) for p in self._prefixes}, reverse=True))
        for lit in sorted(phrases):
            self._matcher.add(lit, [self.nlp.make_doc(lit)])
        if not zh and cjk:
            # the English tokenizer keeps a run of Chinese characters as one token, so a Chinese cue inside an
            # English text (a quoted name, a bilingual headline) is found by a literal alternation instead
            self._cjk_rx = re.compile("|".join(re.escape(x) for x in sorted(cjk, key=len, reverse=True)))

    def __call__(self, doc: Doc, text: str) -> dict[str, list[Hit]]:
        """Group name -> hits, leftmost-longest and non-overlapping within a group (as one regex alternation would)."""
        zh = self.nlp.lang == "zh"
        raw: dict[str, list[Hit]] = {name: [] for name in self.groups}
        strings = doc.vocab.strings
        for match_id, start, end in self._matcher(doc):
            lit = strings[match_id]
            a, b = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
            for name, open_end in self._literal_groups[lit]:
                if zh and not _ascii_bounded(text, a, b, open_end):
                    continue  # zh splits Latin words into letters: "LED" must not match inside "LEDGER"
                raw[name].append(Hit(a, b, lit))
        if self._prefixes:
            prefixes, groups_of, lengths = self._prefixes, self._prefix_groups, self._prefix_lengths
            cache = self._lexeme_prefix
            arr = doc.to_array([LOWER, IDX]).tolist() if len(doc) else []
            for lower_id, idx in arr:
                found = cache.get(lower_id)
                if found is None:
                    # once per distinct word form: which open-ended literals does it start with?
                    low = strings[lower_id]
                    found = []
                    if low.startswith(prefixes):
                        done: set[str] = set()  # per group only the longest literal, as a regex alternation would
                        for n in lengths:
                            if n > len(low):
                                continue
                            for name in groups_of.get(low[:n], ()):
                                if name not in done:
                                    done.add(name)
                                    found.append((name, low[:n]))
                    if len(cache) < 200_000:
                        cache[lower_id] = found
                for name, lit in found:
                    raw[name].append(Hit(idx, idx + len(lit), lit))
        if self._cjk_rx is not None and _CJK.search(text):
            for m in self._cjk_rx.finditer(text):
                for name, _open in self._literal_groups.get(m.group(0), []):
                    raw[name].append(Hit(m.start(), m.end(), m.group(0)))
        lowered = text.lower()
        for name, g in self._compiled.items():
            if g.regex is not None and may_match(g.gate, lowered):
                raw[name] += [Hit(m.start(), m.end(), m.group(0).lower()) for m in g.regex.finditer(text)
                              if m.end() > m.start()]
        return {name: _leftmost_longest(hits) for name, hits in raw.items()}


def _ascii_bounded(text: str, start: int, end: int, open_end: bool) -> bool:
    def alnum(ch: str) -> bool:
        return ch.isascii() and ch.isalnum()

    if alnum(text[start]) and start > 0 and alnum(text[start - 1]):
        return False
    return open_end or not (alnum(text[end - 1]) and end < len(text) and alnum(text[end]))


def _leftmost_longest(hits: list[Hit]) -> list[Hit]:
    if len(hits) < 2:
        return hits
    hits.sort(key=lambda h: (h.start, -h.end))
    out: list[Hit] = []
    reach = -1
    for h in hits:
        if h.start >= reach:
            out.append(h)
            reach = h.end
    return out


def outside(hits: list[Hit], blocked: list[Hit]) -> list[Hit]:
    """Hits that do not overlap any blocked span (the old code blanked blocked text out before matching)."""
    if not blocked:
        return hits
    return [h for h in hits if not any(b.start < h.end and h.start < b.end for b in blocked)]
