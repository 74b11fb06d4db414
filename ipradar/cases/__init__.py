"""Cases: one record per dispute across sources and languages (linking, provenance, lifecycle, campaigns)."""
