"""Alert rules: small pure functions over items and subscriptions, registered in one explicit list."""

from __future__ import annotations

from .base import Rule
from .deadlines import deadline
from .escalation import escalation
from .new_dispute import new_dispute
from .spike import spike
from .watchlist import watchlist
from .waves import wave

_ALL = frozenset({"company", "subcentre"})

# The registry: every rule the engine runs, in this order. A subscription that lists no rules gets the rules
# whose ``default_for`` names its kind.
RULES: tuple[Rule, ...] = (
    Rule("new_dispute", new_dispute, "a new dispute matching the subscription's filters", _ALL),
    Rule("watchlist", watchlist, "a watched company named as a party, on either side", _ALL),
    Rule("spike", spike, "this week's count against the rolling 8-week baseline", _ALL),
    Rule("deadline", deadline, "procedural deadlines with a countdown (337 response, TRO, answer)", _ALL),
    Rule("escalation", escalation, "major disputes routed to the sub-centre, with an audit trail",
         frozenset({"subcentre"})),
    Rule("wave", wave, "Schedule-A mass-defendant suits grouped into one plaintiff's wave", _ALL),
)
RULE_NAMES = tuple(r.name for r in RULES)


def default_rules(kind: str) -> frozenset[str]:
    return frozenset(r.name for r in RULES if kind in r.default_for)


__all__ = ["RULES", "RULE_NAMES", "Rule", "default_rules"]
