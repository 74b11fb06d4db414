"""The local snapshot server answers exactly the recorded routes (and nothing else)."""

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ipradar.crawlers.mirror import Mirror, SnapshotError, load_routes


def _snapshot(tmp_path: Path) -> Path:
    (tmp_path / "a.html").write_text("<p>page one</p>", encoding="utf-8")
    (tmp_path / "b.json").write_text('{"ok": true}', encoding="utf-8")
    routes = {"routes": [
        {"path": "/list", "query": {}, "file": "a.html"},
        {"path": "/list", "query": {"page": "1"}, "body": "second", "headers": {"ETag": '"v1"'}},
        {"method": "POST", "path": "/api", "form": {"cid": "x"}, "file": "b.json",
         "content_type": "application/json"},
        {"path": "/gone", "status": 503, "body": "busy"},
    ]}
    (tmp_path / "routes.json").write_text(json.dumps(routes), encoding="utf-8")
    return tmp_path


def _get(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_routes_match_path_query_and_form(tmp_path: Path) -> None:
    with Mirror(_snapshot(tmp_path)) as m:
        assert _get(m.base_url + "/list") == (200, b"<p>page one</p>")
        assert _get(m.base_url + "/list?page=1") == (200, b"second")
        assert _get(m.base_url + "/list?page=2")[0] == 404
        assert _get(m.base_url + "/api", data=b"cid=x") == (200, b'{"ok": true}')
        assert _get(m.base_url + "/api", data=b"cid=y")[0] == 404
        assert _get(m.base_url + "/gone") == (503, b"busy")
        assert _get(m.base_url + "/list?page=1", headers={"If-None-Match": '"v1"'})[0] == 304


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "routes.json").write_text('{"routes": [{"path": "/", "file": "nope.html"}]}')
    with pytest.raises(SnapshotError, match="nope.html missing"):
        load_routes(tmp_path)


def test_only_loopback(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="loopback"):
        Mirror(_snapshot(tmp_path), host="0.0.0.0")
