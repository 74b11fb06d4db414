"""Crawl of a ≥10k-page local mirror (us_usitc_337, real format) through the real CLI, against a bare lxml parse,
the project's pure parser and a bare Scrapy crawl of the same pages, in one run; figures in bench/results/crawl.json.

Knobs (environment, for experiments): IPRADAR_BENCH_RELEASES (default 10000 release pages), IPRADAR_BENCH_KEEP (a
directory to keep the generated mirror, database, archive and logs in, instead of a temporary directory).
"""

from __future__ import annotations

import gc
import http.client
import json
import multiprocessing
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.html

RESULTS = Path(__file__).parent / "results" / "crawl.json"
REPO = Path(__file__).resolve().parent.parent
SOURCE = "us_usitc_337"
HOST = "https://www.usitc.gov"
RELEASES = int(os.environ.get("IPRADAR_BENCH_RELEASES", "10000"))
ROWS_337 = 8  # institution releases per listing page, plus ROWS_OTHER releases the spider must skip: 10 rows a
ROWS_OTHER = 2  # page, as on the real listing
FIRST_NUMBER = 20000  # investigation numbers of the variants: above every real one, so none passes for a real case
MIRROR_SAMPLE = 2000  # requests of the mirror-alone measurement
GOAL_RATIO = 2.0
_ROW = re.compile(r'    <div class="news-release-row views-row">.*?\n    </div>\n', re.S)


@dataclass
class Page:
    path: str  # URL path (+ query) on the real host
    file: Path
    kind: str  # "listing" | "release"


# -- the mirror --------------------------------------------------------------------------------------------------
def build_mirror(dest: Path, releases: int) -> list[Page]:
    """Write ``releases`` variants of the bundled release pages, the listing pages linking them, and routes.json.

    A variant is a bundled page with another investigation number and URL; the real release date stays in the URL
    (the parser checks it) and everything else is the bundled page byte for byte, quirks included.
    """
    from ipradar.crawlers.mirror import snapshot_dir

    src = snapshot_dir(SOURCE)
    spec = json.loads((src / "routes.json").read_text(encoding="utf-8"))
    templates: list[tuple[str, str, str]] = []  # (real path, investigation number, page)
    for route in spec["routes"]:
        if str(route.get("file", "")).startswith("releases/"):
            inv = re.search(r"337-TA-(\d+)", route["file"])
            assert inv is not None, route["file"]
            templates.append((route["path"], inv[1], (src / route["file"]).read_text(encoding="utf-8")))
    routed = {path for path, _n, _t in templates}
    rows: dict[str, str] = {}
    others: list[str] = []
    for name in ("listing.html", "listing_p1.html", "listing_p2.html"):
        for row in _ROW.findall((src / name).read_text(encoding="utf-8")):
            href = re.search(r'href="([^"]+)"', row)
            assert href is not None
            if href[1] in routed:
                rows[href[1]] = row
            else:
                others.append(row)  # not routed: a spider that follows it gets a 404, as in the bundled snapshot
    assert len(rows) == len(templates) and others, "bundled listing rows do not match the routed releases"
    listing = (src / "listing_p1.html").read_text(encoding="utf-8")
    first_row = _ROW.search(listing)
    assert first_row is not None
    head, tail = listing[:first_row.start()], listing[listing.index('      </div>\n      <nav class="pager"'):]
    pager = re.search(r'(?s)<ul class="pager__items js-pager__items">.*?</ul>', tail)
    assert pager is not None

    (dest / "releases").mkdir(parents=True)
    (dest / "listings").mkdir()
    shutil.copy(src / "robots.txt", dest / "robots.txt")
    routes: list[dict[str, Any]] = [{"method": "GET", "path": "/robots.txt", "query": {}, "file": "robots.txt",
                                     "content_type": "text/plain; charset=utf-8"}]
    pages: list[Page] = []
    entries: list[str] = []
    for k in range(releases):
        path, number, text = templates[k % len(templates)]
        new = str(FIRST_NUMBER + k)
        new_path = re.sub(r"\d+(?=\.htm$)", new, path)
        # "TA-<n>" covers the header ("Inv. No(s). 337-TA-n", and the real typo "37-TA-1057") and the body
        body = text.replace(f"TA-{number}", f"TA-{new}").replace(path, new_path)
        rel = f"releases/{new}.html"
        (dest / rel).write_text(body, encoding="utf-8")
        routes.append({"method": "GET", "path": new_path, "query": {}, "file": rel})
        pages.append(Page(new_path, dest / rel, "release"))
        entries.append(rows[path].replace(path, new_path))
    n_listings = -(-releases // ROWS_337)
    for p in range(n_listings):
        chunk = entries[p * ROWS_337:(p + 1) * ROWS_337]
        for j in range(ROWS_OTHER):  # spread the skipped rows through the page
            chunk.insert(min(len(chunk), (j + 1) * ROWS_337 // (ROWS_OTHER + 1) + j),
                         others[(p * ROWS_OTHER + j) % len(others)])
        html = head + "".join(chunk) + tail.replace(pager[0], _pager(p, n_listings))
        rel = f"listings/p{p}.html"
        (dest / rel).write_text(html, encoding="utf-8")
        routes.append({"method": "GET", "path": "/news_releases", "query": {"page": str(p)} if p else {},
                       "file": rel})
        pages.append(Page("/news_releases" + (f"?page={p}" if p else ""), dest / rel, "listing"))
    (dest / "routes.json").write_text(json.dumps({"source_id": SOURCE, "routes": routes}), encoding="utf-8")
    return pages


def _pager(p: int, last: int) -> str:
    """The Drupal pager of listing page ``p`` (0-based) of ``last``, in the bundled listing's markup."""
    items = ['<li class="pager__item pager__item--first"><a href="?page=0" title="Go to first page">« First</a></li>']
    if p > 0:
        items.append(f'<li class="pager__item pager__item--previous"><a href="?page={p - 1}" title="Go to previous '
                     'page" rel="prev">‹ Previous</a></li>')
    items.append(f'<li class="pager__item is-active"><a href="?page={p}" title="Current page">Current page {p + 1}'
                 "</a></li>")
    if p < last - 1:
        items.append(f'<li class="pager__item pager__item--next"><a href="?page={p + 1}" title="Go to next page" '
                     'rel="next">Next ›</a></li>')
    items.append(f'<li class="pager__item pager__item--last"><a href="?page={last - 1}" title="Go to last page">'
                 "Last »</a></li>")
    return '<ul class="pager__items js-pager__items">\n          ' + "\n          ".join(items) + "\n        </ul>"


@dataclass
class ChildRun:
    wall_s: float
    cpu_s: float
    maxrss_mib: float
    returncode: int
    output: str


def run_child(cmd: list[str], env: dict[str, str], cwd: Path, log: Path) -> ChildRun:
    """Run a command; os.wait4 gives this child's own rusage (the RUSAGE_CHILDREN figures of exactly this child:
    CPU time and peak RSS), where getrusage(RUSAGE_CHILDREN) would mix in every child reaped before it."""
    with log.open("wb") as fh:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=fh, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4: tell Popen, so it never waits again
    return ChildRun(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode,
                    log.read_text(encoding="utf-8", errors="replace"))


def child_env(work: Path) -> dict[str, str]:
    env = {**os.environ, "IPRADAR_ARCHIVE_DIR": str(work / "archive"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    env.pop("IPRADAR_CONFIG", None)  # the children run in the temp dir: no ipradar.toml applies
    return env


# -- the crawl: the real CLI in a child process --------------------------------------------------------------------
def crawl_child(argv: list[str]) -> None:
    """``python -m bench.bench_crawl --crawl crawl us_usitc_337 …`` = ``python -m ipradar crawl us_usitc_337 …``,
    with the spider's page cap raised by a subclass registered under the same source id (the bundled spider
    stops after 3 listing pages; the CLI has no spider arguments)."""
    from ipradar.cli import main
    from ipradar.crawlers import registry
    from ipradar.crawlers.spiders.us_usitc_337 import UsUsitc337Spider

    class BenchUsUsitc337Spider(UsUsitc337Spider):
        max_pages = 1_000_000

    registry.CODE_SPIDERS = tuple(BenchUsUsitc337Spider if cls is UsUsitc337Spider else cls
                                  for cls in registry.CODE_SPIDERS)
    sys.argv = ["ipradar", *argv]
    main()


def crawl(work: Path, base_url: str) -> tuple[ChildRun, ChildRun, dict[str, Any]]:
    db = f"sqlite:///{work / 'bench.db'}"
    env = child_env(work)
    init = run_child([sys.executable, "-m", "ipradar", "init", "--db", db], env, work, work / "init.log")
    if init.returncode:
        raise SystemExit(f"ipradar init failed:\n{init.output}")
    run = run_child([sys.executable, "-m", "bench.bench_crawl", "--crawl", "crawl", SOURCE, "--base-url", base_url,
                     "--db", db], env, work, work / "crawl.log")
    return init, run, db_figures(db)


def db_figures(db: str) -> dict[str, Any]:
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from ipradar.db import make_engine
    from ipradar.db.models import CrawlRun, Document, Story

    engine = make_engine(db)
    try:
        with Session(engine) as session:
            run = session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc())).first()
            if run is None or run.finished_at is None:
                return {"status": "no finished crawl run", "pages": 0, "run_s": float("nan"), "documents": 0}
            return {"status": run.status, "pages": run.pages, "items_seen": run.items_seen,
                    "items_new": run.items_new, "items_duplicate": run.items_duplicate,
                    "errors": len(run.errors or []), "first_errors": (run.errors or [])[:3],
                    "run_s": (run.finished_at - run.started_at).total_seconds(),
                    "documents": session.scalar(select(func.count(Document.id))),
                    "stories": session.scalar(select(func.count(Story.id)))}
    finally:
        engine.dispose()


# -- the framework floor: bare Scrapy fetching the same pages ------------------------------------------------------
def floor_child(base_url: str, url_file: str) -> None:
    """``python -m bench.bench_crawl --scrapy-floor BASE FILE``: a plain Scrapy spider (no ipradar middlewares,
    pipelines, database or archive) fetches every page of FILE and parses it as the raw lxml measurement does."""
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.http import Response

    paths = Path(url_file).read_text(encoding="utf-8").split()
    done = [0]

    class FloorSpider(scrapy.Spider):
        name = "floor"

        async def start(self) -> Any:
            for path in paths:
                yield scrapy.Request(base_url + path, dont_filter=True)

        def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
            _main_text(response.body)
            done[0] += 1
            yield from ()

    process = CrawlerProcess({
        "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False, "ROBOTSTXT_OBEY": False, "COOKIES_ENABLED": False,
        "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,  # as SourceSpider sets for a loopback mirror
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7"})
    process.crawl(FloorSpider)
    process.start()
    print(json.dumps({"pages": done[0]}))


# -- the mirror alone ---------------------------------------------------------------------------------------------
def _fetch_all(base_url: str, paths: list[str], clients: int) -> tuple[int, int, float]:
    """GET every path over ``clients`` keep-alive connections (threads); returns (200 answers, bytes, seconds)."""
    parts = urlsplit(base_url)
    ok = [0] * clients
    size = [0] * clients

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection(str(parts.hostname), parts.port, timeout=30)
        for path in paths[i::clients]:
            conn.request("GET", path)
            resp = conn.getresponse()
            size[i] += len(resp.read())
            ok[i] += resp.status == 200
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(ok), sum(size), time.perf_counter() - t0


def _client_process(base_url: str, paths: list[str], clients: int, out: Any) -> None:
    out.send(_fetch_all(base_url, paths, clients))


def mirror_alone(base_url: str, paths: list[str], clients: int = 8) -> dict[str, Any]:
    """Requests/s of the mirror under a plain http.client load from another process (so the load generator does
    not share the mirror's GIL). Low mirror CPU at a low rate means the mirror waits, not works."""
    ctx = multiprocessing.get_context("spawn")
    recv, send = ctx.Pipe(duplex=False)
    cpu0 = time.process_time()
    proc = ctx.Process(target=_client_process, args=(base_url, paths, clients, send))
    proc.start()
    ok, size, seconds = recv.recv()
    proc.join()
    return {"requests": len(paths), "ok": ok, "clients": clients, "seconds": round(seconds, 2),
            "requests_per_s": round(len(paths) / seconds), "mib_per_s": round(size / seconds / 2**20, 1),
            "mirror_cpu_ms_per_request": round((time.process_time() - cpu0) / len(paths) * 1e3, 3)}


# -- parsing the same payloads outside the crawler ------------------------------------------------------------------
def _main_text(body: bytes) -> str:
    """The floor of parsing: lxml.html.fromstring + the text of the main container, nothing else."""
    doc = lxml.html.fromstring(body)
    root = (doc.xpath("//main") or [doc])[0]
    return str(root.text_content())


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one call."""
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def best_of(n: int, fn: Callable[[], object]) -> tuple[float, float]:
    runs = [timed(fn) for _ in range(n)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def pure_parser(pages: list[Page], bodies: list[bytes]) -> tuple[int, dict[str, float]]:
    """The project's pure parser as the spider calls it (decoded text + real URL); returns (ParseErrors, seconds by
    page kind). Listings run parse_listing and next_page_url, releases parse_release."""
    from ipradar.crawlers.errors import ParseError
    from ipradar.crawlers.parsers import us_usitc_337 as parser

    seconds = {"release": 0.0, "listing": 0.0}
    failures = 0
    for page, body in zip(pages, bodies, strict=True):
        url = HOST + page.path
        t0 = time.perf_counter()
        text = body.decode("utf-8")
        try:
            if page.kind == "release":
                parser.parse_release(text, url)
            else:
                parser.parse_listing(text, url)
                parser.next_page_url(text, url)
        except ParseError:
            failures += 1
        seconds[page.kind] += time.perf_counter() - t0
    return failures, seconds


# -- main ---------------------------------------------------------------------------------------------------------
def main() -> None:
    from ipradar.crawlers.mirror import Mirror

    keep = os.environ.get("IPRADAR_BENCH_KEEP")
    tmp = tempfile.TemporaryDirectory(prefix="ipradar-bench-crawl-")
    work = Path(keep) if keep else Path(tmp.name)
    if keep:
        shutil.rmtree(work, ignore_errors=True)
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    pages = build_mirror(work / "mirror", RELEASES)
    build_s = time.perf_counter() - t0
    n, n_release = len(pages), sum(p.kind == "release" for p in pages)
    print(f"mirror: {n_release} release + {n - n_release} listing pages in {build_s:.1f}s", flush=True)
    # every page in a mirror-route order that includes the last routes (the mirror scans its route list)
    sample = [p.path for p in pages[:: max(1, n // MIRROR_SAMPLE)]][:MIRROR_SAMPLE]

    with Mirror(work / "mirror") as mirror:
        cpu0, w0 = time.process_time(), time.perf_counter()
        init, run, db = crawl(work, mirror.base_url)
        # this process only serves while the child crawls: its CPU time is the mirror's
        mirror_cpu = time.process_time() - cpu0
        serve_s = time.perf_counter() - w0
        print(f"crawl: exit {run.returncode}, {run.wall_s:.1f}s wall, {run.cpu_s:.1f}s CPU; {db}", flush=True)
        if run.returncode or db["documents"] != n_release:
            print(run.output[-4000:], file=sys.stderr)
        alone = mirror_alone(mirror.base_url, sample)
        print(f"mirror alone: {alone}", flush=True)
        url_file = work / "urls.txt"
        url_file.write_text("\n".join(p.path for p in pages), encoding="utf-8")
        floor = run_child([sys.executable, "-m", "bench.bench_crawl", "--scrapy-floor", mirror.base_url,
                           str(url_file)], child_env(work), work, work / "floor.log")
        floor_pages = json.loads(floor.output.strip().splitlines()[-1])["pages"] if not floor.returncode else 0
        print(f"scrapy floor: exit {floor.returncode}, {floor_pages} pages, {floor.wall_s:.1f}s wall, "
              f"{floor.cpu_s:.1f}s CPU", flush=True)

    bodies = [p.file.read_bytes() for p in pages]
    gc.collect()
    raw_wall, raw_cpu = best_of(3, lambda: [_main_text(b) for b in bodies])
    failures, pure = pure_parser(pages, bodies)
    pure_s = pure["release"] + pure["listing"]
    fetched = int(db["pages"])
    run_s = float(db["run_s"])
    figures: dict[str, Any] = {
        "source": SOURCE,
        "pages": {"release": n_release, "listing": n - n_release, "total": n, "fetched_by_crawl": fetched,
                  "payload_mib": round(sum(map(len, bodies)) / 2**20, 1)},
        "ratio_crawl_to_raw_lxml": round(run.wall_s / raw_wall, 1),  # the recorded figure: wall / wall
        "goal_ratio": GOAL_RATIO,
        "goal_met": run.wall_s / raw_wall <= GOAL_RATIO,
        "ratio_crawl_cpu_to_raw_lxml_cpu": round(run.cpu_s / raw_cpu, 1),  # robust to other load on the machine
        "ratio_scrapy_floor_cpu_to_raw_lxml_cpu": round(floor.cpu_s / raw_cpu, 1),
        "ratio_pure_parser_to_raw_lxml": round(pure_s / raw_wall, 1),
        "crawl": {
            "command": "python -m ipradar crawl us_usitc_337 --base-url <mirror> --db sqlite:///<tmp>/bench.db "
                       "(after ipradar init; page cap raised by a subclass in this module)",
            "exit_code": run.returncode, "status": db["status"], "wall_s": round(run.wall_s, 1),
            "cpu_s": round(run.cpu_s, 1), "cpu_ms_per_page": round(run.cpu_s / max(fetched, 1) * 1e3, 2),
            "run_s": round(run_s, 1), "startup_and_shutdown_s": round(run.wall_s - run_s, 1),
            "pages_per_s": round(fetched / run.wall_s, 1), "pages_per_s_in_run": round(fetched / run_s, 1),
            "peak_rss_mib": round(run.maxrss_mib, 1),
            **{k: db.get(k) for k in ("items_seen", "items_new", "items_duplicate", "errors", "first_errors",
                                      "documents", "stories")},
            "init_wall_s": round(init.wall_s, 2),
        },
        "scrapy_floor": {
            "what": "plain scrapy.Spider, same pages, lxml parse as raw_lxml, no ipradar middleware/pipeline/db/"
                    "archive, CONCURRENT_REQUESTS_PER_DOMAIN 8, same mirror",
            "exit_code": floor.returncode, "pages": floor_pages, "wall_s": round(floor.wall_s, 1),
            "cpu_s": round(floor.cpu_s, 1), "cpu_ms_per_page": round(floor.cpu_s / max(floor_pages, 1) * 1e3, 2),
            "pages_per_s": round(floor_pages / floor.wall_s, 1), "peak_rss_mib": round(floor.maxrss_mib, 1)},
        "mirror": {
            "cpu_s_during_crawl": round(mirror_cpu, 1), "busy_share_during_crawl": round(mirror_cpu / serve_s, 2),
            "alone": alone},
        "parse": {
            "raw_lxml_s": round(raw_wall, 3), "raw_lxml_cpu_s": round(raw_cpu, 3),
            "raw_lxml_ms_per_page": round(raw_wall / n * 1e3, 3), "pure_parser_s": round(pure_s, 2),
            "parse_release_ms_per_page": round(pure["release"] / n_release * 1e3, 3),
            "parse_listing_ms_per_page": round(pure["listing"] / (n - n_release) * 1e3, 3),
            "pure_parser_failures": failures},
        "load_average_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "mirror_build_s": round(build_s, 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    }
    tmp.cleanup()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if run.returncode or db["documents"] != n_release or floor_pages != n:
        raise SystemExit(f"incomplete: crawl exit {run.returncode}, {db['documents']} documents of {n_release}; "
                         f"scrapy floor {floor_pages} pages of {n}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--crawl"]:
        crawl_child(sys.argv[2:])
    elif sys.argv[1:2] == ["--scrapy-floor"]:
        floor_child(sys.argv[2], sys.argv[3])
    else:
        main()
