"""The review page's local HTTP server (standard library), on 127.0.0.1 only.

Routes: `/` the page; `/api/state` rows, progress and scores; `/api/record/N` one row's record;
`POST /api/label/N` a label, saved into the sheet before the answer; `/audio/N` the row's audio,
with byte ranges so the player can seek to the evidence.
"""

from __future__ import annotations

import json
import mimetypes
import re
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from arandu.adapters.review.page import PAGE
from arandu.adapters.review.records import RecordFinder
from arandu.adapters.review.scores import state_of
from arandu.adapters.review.sheet_file import ReviewSheet
from arandu.application.score_audit import InvalidSheet

HOST = "127.0.0.1"
_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")
_MAX_BODY = 64 * 1024


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, sheet: ReviewSheet, finder: RecordFinder, port: int = 0) -> None:
        self.sheet = sheet
        self.finder = finder
        self.audio_files: dict[int, Path] = {}
        super().__init__((HOST, port), _Handler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


class _Handler(BaseHTTPRequestHandler):
    server: ReviewServer

    def log_message(self, format: str, *args: Any) -> None:  # the terminal stays quiet
        pass

    def _trusted(self) -> bool:
        # A page of another site may point a browser at this port (DNS rebinding): only our own names pass.
        host = (self.headers.get("Host") or "").lower()
        port = self.server.server_address[1]
        if host not in (f"127.0.0.1:{port}", f"localhost:{port}"):
            self._send(HTTPStatus.FORBIDDEN, b"forbidden", "text/plain")
            return False
        return True

    def do_GET(self) -> None:
        if not self._trusted():
            return
        path = self.path.split("?", 1)[0]
        routes: dict[str, Callable[[], None]] = {
            "/": lambda: self._send(HTTPStatus.OK, PAGE.encode(), "text/html; charset=utf-8"),
            "/api/state": lambda: self._json(state_of(self.server.sheet)),
        }
        if path in routes:
            routes[path]()
        elif (index := _index(path, "/api/record/")) is not None:
            self._record(index)
        elif (index := _index(path, "/audio/")) is not None:
            self._audio(index)
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain")

    def do_POST(self) -> None:
        if not self._trusted():
            return
        index = _index(self.path, "/api/label/")
        length = int(self.headers.get("Content-Length") or 0)
        # A JSON body cannot be sent across sites without the browser asking first (CORS), a form can.
        if index is None or "application/json" not in (self.headers.get("Content-Type") or "") or length > _MAX_BODY:
            self._send(HTTPStatus.BAD_REQUEST, b"bad request", "text/plain")
            return
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
            note = body.get("note")
            self.server.sheet.set_label(index, str(body.get("label") or ""), None if note is None else str(note))
        except (ValueError, AttributeError, InvalidSheet) as exc:
            self._json({"error": str(exc)}, HTTPStatus.BAD_REQUEST)
            return
        except IndexError:
            self._json({"error": f"no row {index}"}, HTTPStatus.NOT_FOUND)
            return
        except OSError as exc:
            self._json({"error": f"the sheet could not be written: {exc}"}, HTTPStatus.INTERNAL_SERVER_ERROR)
            return
        self._json(state_of(self.server.sheet))

    def _record(self, index: int) -> None:
        rows = self.server.sheet.rows
        if not 0 <= index < len(rows):
            self._json({"error": f"no row {index}"}, HTTPStatus.NOT_FOUND)
            return
        row = rows[index]
        view = self.server.finder.view(row.path)
        audio = view.pop("audio", None)
        if audio is not None:
            self.server.audio_files[index] = Path(audio)
            view["audio_url"] = f"/audio/{index}"
            view["audio_name"] = Path(audio).name
        view.update(index=index, klass=row.klass, path=row.path, label=row.label, note=row.note)
        view["sheet"] = {k: row.cells.get(k, "") for k in ("failing_criteria", "evidence", "excerpt", "text_head")}
        self._json(view)

    def _audio(self, index: int) -> None:
        file = self.server.audio_files.get(index)  # only files a record view named are served
        if file is None or not file.is_file():
            self._send(HTTPStatus.NOT_FOUND, b"no audio", "text/plain")
            return
        size = file.stat().st_size
        start, end = 0, size - 1
        match = _RANGE.match(self.headers.get("Range") or "")
        if match and (match[1] or match[2]):
            if match[1]:
                start, end = int(match[1]), min(size - 1, int(match[2]) if match[2] else size - 1)
            else:
                start = max(0, size - int(match[2]))
        if start > end:
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{size}")
            self.end_headers()
            return
        self.send_response(HTTPStatus.PARTIAL_CONTENT if match else HTTPStatus.OK)
        self.send_header("Content-Type", mimetypes.guess_type(file.name)[0] or "application/octet-stream")
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(end - start + 1))
        if match:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        with file.open("rb") as stream:
            stream.seek(start)
            left = end - start + 1
            while left > 0:
                chunk = stream.read(min(left, 1 << 16))
                if not chunk:
                    break
                try:
                    self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):  # the player seeks elsewhere
                    return
                left -= len(chunk)

    def _json(self, value: object, status: HTTPStatus = HTTPStatus.OK) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def _send(self, status: HTTPStatus, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def _index(path: str, prefix: str) -> int | None:
    rest = path.split("?", 1)[0].removeprefix(prefix)
    return int(rest) if path.startswith(prefix) and rest.isdigit() else None
