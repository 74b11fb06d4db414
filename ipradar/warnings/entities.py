"""Entity keys for party names, shared by watchlists and items so both sides compare alike: the NLP resolver's key
(when it knows the entity), the cases resolver's key for known companies, the party-alias table's decisions, and
the normalised name itself."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models.cases import Party, PartyAlias


def _nlp() -> tuple[Callable[[str], Any], Callable[[str], str]] | None:
    try:
        mod = importlib.import_module("ipradar.nlp.resolve")
        return mod.resolve, mod.normalise_name
    except Exception:  # the NLP package or its data is missing: fall back to the cases resolver alone
        return None


class EntityKeys:
    """``keys(name)``: every key under which ``name`` is known. Cached per instance (one per rule run)."""

    def __init__(self, session: Session | None = None) -> None:
        from ..cases.parties import default_resolver
        from ..cases.parties import normalise_name as alias_norm

        self.session = session
        self.nlp = _nlp()
        self.cases = default_resolver()
        self.alias_norm = alias_norm
        self.cache: dict[str, frozenset[str]] = {}

    def keys(self, name: str) -> frozenset[str]:
        if name in self.cache:
            return self.cache[name]
        out: set[str] = set()
        if self.nlp is not None:
            resolve, norm = self.nlp
            res = resolve(name)
            if getattr(res, "method", "new") != "new":
                out.add(f"entity:{res.key}")
            n = norm(name)
            if len(n) >= 2:
                out.add(f"name:{n}")
        known = self.cases.resolve(name)
        # the cases fallback's "normalised" family key is a guess ("EA Medical" → "ea"); only its known entities count
        if known is not None and known.method not in ("normalised", "new"):
            out.add(f"entity:{known.key}")
        an = self.alias_norm(name)
        if an:
            out.add(f"name:{an}")
            if self.session is not None:
                out |= {f"entity:{k}" for k in self.session.scalars(
                    select(Party.key).join(PartyAlias, PartyAlias.party_id == Party.id)
                    .where(PartyAlias.alias_norm == an))}
        result = frozenset(out)
        self.cache[name] = result
        return result

    def primary(self, name: str) -> str | None:
        """One stable key for grouping (waves, plaintiff spikes): an entity key when known, else the name."""
        keys = sorted(self.keys(name))
        ent = [k for k in keys if k.startswith("entity:")]
        return (ent or keys)[0] if keys else None
