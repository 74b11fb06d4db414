"""Who publishes the reports and how readers reach them: the ``[reports]`` table of ipradar.toml."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class ReportConfig:
    org_zh: str = "浦东新区海外知识产权纠纷应对指导分中心"
    org_en: str = "Pudong Sub-centre for Overseas IP Dispute Response Guidance"
    editor: str = "—"
    reviewer: str = "—"
    confidentiality: str = "internal"  # public|internal|restricted
    hotline: str = "—"
    email: str = "—"
    intake_url: str = ""
    contact_within_days: int = 5  # "if your company is named, contact us within N days"

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> ReportConfig:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(section) - known)
        if unknown:
            raise ValueError(f"[reports] in ipradar.toml: unknown key(s) {', '.join(unknown)}")
        values: dict[str, Any] = {k: v for k, v in section.items() if k in known}
        return cls(**values)

    def org(self, lang: str) -> str:
        return self.org_zh if lang == "zh" else self.org_en
