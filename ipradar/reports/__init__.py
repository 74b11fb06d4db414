"""Reports: the weekly warning report, country legal-environment reports and the case-trend archive (zh/en;
HTML, PDF, CSV; charts; per-number provenance). Entry points: ``commands.register`` and ``bundle``."""
