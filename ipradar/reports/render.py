"""Jinja2 environment shared by every report: autoescape on, undefined variables are errors, gettext from the
language's catalog, and filters that cite each number's query."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from . import i18n
from .provenance import Num, format_number

TEMPLATES = Path(__file__).parent / "templates"
# USITC's ip_types words (extra.ip_types) → risk-type codes, whose names the catalogs and glossary carry.
IP_TYPES = {"patent": "patent_infringement", "design_patent": "patent_infringement"}


def environment(lang: str = "zh") -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.globals["lang"] = lang
    env.filters["num"] = cite
    env.filters["industry"] = lambda code: i18n.label(i18n.INDUSTRIES, code, lang)
    env.filters["risk"] = lambda code: i18n.label(i18n.RISK_TYPES, code, lang)
    env.filters["juris"] = lambda code: i18n.label(i18n.JURISDICTIONS, code, lang)
    env.filters["iptype"] = lambda code: i18n.label(i18n.RISK_TYPES, IP_TYPES.get(str(code), str(code)), lang)
    env.filters["remedy"] = lambda code: i18n.label(i18n.REMEDIES, code, lang)
    env.filters["level"] = lambda code: i18n.label(i18n.SEVERITY, code, lang)
    env.filters["day"] = lambda d: format_day(d, lang)
    env.filters["stamp"] = format_stamp
    return env


def cite(value: Num | Any) -> Markup:
    """A number followed by a superscript link to the query that produced it (see the provenance annex)."""
    if not isinstance(value, Num):
        return Markup(escape(str(value)))
    return Markup('<span class="n">{}</span><sup class="q"><a href="#{}">{}</a></sup>').format(
        format_number(value.value), value.qid, value.qid)


def format_day(day: dt.date | None, lang: str) -> str:
    if day is None:
        return "—"
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


def format_stamp(moment: dt.datetime | None) -> str:
    """A retrieval time, always in UTC with its zone spelled out (sources live in many zones)."""
    if moment is None:
        return "—"
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
