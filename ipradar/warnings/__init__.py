"""Warnings: subscriptions, explained alert rules (new disputes, watchlists, spikes, deadlines, escalation, waves)
and exactly-once-per-key delivery through an outbox (email, Atom, webhook). Import it qualified: ipradar.warnings."""
