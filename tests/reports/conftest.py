"""Fixtures for the report tests live in reporthelpers (a uniquely named module the tests import from)."""

from reporthelpers import *  # noqa: F403
