"""End-to-end timing of the offline demo (crawl of every bundled snapshot → tag → report), first run and rerun."""

from __future__ import annotations

import json
import platform
import tempfile
import time
from pathlib import Path

from ipradar.demo import run_demo

RESULTS = Path(__file__).parent / "results" / "pipeline.json"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "demo"
        t0 = time.perf_counter()
        result = run_demo(work)
        first = time.perf_counter() - t0
        t1 = time.perf_counter()
        run_demo(work)
        rerun = time.perf_counter() - t1
    figures = {"demo_first_run_s": round(first, 2), "demo_rerun_s": round(rerun, 2),
               "sources": sorted(result.crawled), "machine": f"{platform.machine()}, {platform.python_version()}"}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
