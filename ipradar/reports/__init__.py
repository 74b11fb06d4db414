"""Reports: weekly warning report (more kinds arrive with the reports issue)."""
