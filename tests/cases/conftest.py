"""Fixtures for the case tests live in casehelpers (a uniquely named module the tests import from)."""

from casehelpers import *  # noqa: F403
