"""A real model for the tests: llama.cpp's server (the `xllamacpp` wheel) with SmolLM2-135M, and fronts for it.

`LlamaServer` runs the server in a child process (`python -m tests.integration.real_llm`),
bound to 127.0.0.1 on a free port. `Front` is a loopback HTTP server in front of it that
speaks Ollama's native API (`/api/tags`, `/api/show`, `/api/chat`, translated to the
server's OpenAI-compatible chat) and passes `/v1/*` through, recording every chat call;
it can also report a context larger than the server's, as a misconfigured server would.
The model file comes from `scripts/fetch_test_model.py`; without it the tests skip.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MODEL_FILE = Path(os.environ.get("ARANDU_TEST_GGUF", ROOT / ".cache" / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf"))
ALIAS = "smollm2-135m"


def model_missing() -> str | None:
    """Why the real-model tests cannot run here, or None."""
    if not MODEL_FILE.is_file():
        return f"no test model at {MODEL_FILE}; run `python scripts/fetch_test_model.py`"
    return None


class LlamaServer:
    """The llama.cpp server in a child process; `url` is its root, `openai_url` its `/v1`."""

    def __init__(self, log: Path, *, context: int = 2048, slots: int = 2, threads: int = 2) -> None:
        self._log = log.open("wb")
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.integration.real_llm",
                str(MODEL_FILE),
                str(context),
                str(slots),
                str(threads),
            ],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline().decode().strip()
        if not line.startswith("http://127.0.0.1:"):
            self.stop()
            raise RuntimeError(f"the llama.cpp server did not start (see {log}): {line!r}")
        self.url = line
        self.openai_url = f"{line}/v1"
        self.context = context

    def stop(self) -> None:
        if self._process.poll() is None:
            assert self._process.stdin is not None
            self._process.stdin.close()  # the child stops when its standard input closes
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._log.close()


@dataclass
class Front:
    """Ollama's API and a `/v1` pass-through in front of a llama.cpp server, recording the chat calls."""

    upstream: str
    calls: list[dict[str, Any]] = field(default_factory=list)
    # When set, `/api/show` and `/v1/models` report this context instead of the server's.
    claimed_context: int | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Front:
        handler = type("Handler", (_Handler,), {"front": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="llm-front", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def record(self, call: dict[str, Any]) -> None:
        with self._lock:
            self.calls.append(call)

    def forward(self, method: str, path: str, body: bytes | None = None) -> tuple[int, dict[str, Any]]:
        request = urllib.request.Request(
            f"{self.upstream}{path}", data=body, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=600) as reply:
                return reply.status, json.loads(reply.read() or b"{}")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    def served_context(self) -> int:
        _, models = self.forward("GET", "/v1/models")
        return int(models["data"][0]["meta"]["n_ctx"])


class _Handler(BaseHTTPRequestHandler):
    front: Front
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self) -> None:
        if self.path == "/api/tags":
            self._json(200, {"models": [{"name": ALIAS, "model": ALIAS, "size": 1, "digest": "0"}]})
            return
        status, payload = self.front.forward("GET", self.path)
        if self.path == "/v1/models" and status == 200 and self.front.claimed_context:
            for entry in payload.get("data", []):
                entry.setdefault("meta", {})["n_ctx"] = self.front.claimed_context
        self._json(status, payload)

    def do_POST(self) -> None:
        body = self._body()
        if self.path == "/api/show":
            self._show(json.loads(body or b"{}"))
        elif self.path == "/api/chat":
            self._chat(json.loads(body or b"{}"))
        else:
            if self.path.endswith("/chat/completions"):
                self.front.record({"protocol": "openai", **json.loads(body)})
            status, payload = self.front.forward("POST", self.path, body)
            self._json(status, payload)

    def _show(self, body: dict[str, Any]) -> None:
        if body.get("model") != ALIAS:
            self._json(404, {"error": f"model '{body.get('model')}' not found"})
            return
        context = self.front.claimed_context or self.front.served_context()
        self._json(
            200,
            {
                "modelfile": "",
                "parameters": "",
                "template": "{{ .Prompt }}",
                "details": {
                    "format": "gguf",
                    "family": "llama",
                    "parameter_size": "135M",
                    "quantization_level": "Q4_1",
                },
                "model_info": {"general.architecture": "llama", "llama.context_length": context},
                "capabilities": ["completion"],
            },
        )

    def _chat(self, body: dict[str, Any]) -> None:
        self.front.record({"protocol": "ollama", **body})
        if body.get("model") != ALIAS:
            self._json(404, {"error": f"model '{body.get('model')}' not found, try pulling it first"})
            return
        if body.get("think"):
            self._json(400, {"error": f'"{ALIAS}" does not support thinking'})
            return
        options = body.get("options") or {}
        request: dict[str, Any] = {"model": ALIAS, "messages": body["messages"], "stream": False}
        if "temperature" in options:
            request["temperature"] = options["temperature"]
        if "num_predict" in options:
            request["max_tokens"] = options["num_predict"]
        if isinstance(body.get("format"), dict):
            request["response_format"] = {"type": "json_schema", "json_schema": {"schema": body["format"]}}
        status, reply = self.front.forward("POST", "/v1/chat/completions", json.dumps(request).encode())
        if status != 200:
            self._json(status, {"error": (reply.get("error") or {}).get("message", "upstream error")})
            return
        choice = reply["choices"][0]
        usage = reply.get("usage") or {}
        cached = (usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0
        self._json(
            200,
            {
                "model": ALIAS,
                "created_at": "2026-01-01T00:00:00Z",
                "message": {"role": "assistant", "content": choice["message"].get("content") or ""},
                "done": True,
                "done_reason": "length" if choice.get("finish_reason") == "length" else "stop",
                # Like Ollama: only the prompt tokens it had to evaluate (the cached prefix is not counted).
                "prompt_eval_count": int(usage.get("prompt_tokens", 0)) - int(cached),
                "eval_count": usage.get("completion_tokens", 0),
            },
        )

    def _json(self, status: int, payload: object) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _serve(model: str, context: int, slots: int, threads: int) -> None:
    """Child process: start the server, print its address, run until standard input closes."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = model
    params.model_alias = {ALIAS}
    params.n_ctx = context * slots  # the server splits its context between its slots
    params.n_parallel = slots
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.hostnames = ["127.0.0.1"]
    params.port = 0
    params.endpoint_props = True
    params.sampling.seed = 7
    server = xllamacpp.Server(params)
    print(server.listening_address, flush=True)
    sys.stdin.read()
    del server


if __name__ == "__main__":
    _serve(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
