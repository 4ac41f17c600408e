"""A loopback HTTP server that speaks enough of the Ollama and OpenAI APIs to stand in for a model.

It answers like a tiny, predictable judge: English sentences in a transcript
mean language drift, video outro formulas mean a hallucination loop. Latency,
server errors and invalid answers can be injected, and every chat call is
counted, with the highest number of calls in flight at once.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODEL = "judge-model"
OPEN, CLOSE = "<<<TRANSCRIPT\n", "\nTRANSCRIPT>>>"
_ENGLISH = re.compile(r"\b(the|and|you|this|that|with|what|is|are|we)\b", re.IGNORECASE)
_FORMULAS = ("obrigado por assistir", "inscreva-se", "ative o sininho", "thanks for watching", "amara.org")


@dataclass
class Call:
    """One chat call as the server saw it."""

    protocol: str
    model: str
    criterion: str
    transcript: str
    response_format: Any = None


def criterion_of(prompt: str) -> str:
    lowered = prompt.lower()
    return "hallucination_loop" if ("hallucinat" in lowered or "alucina" in lowered) else "language_drift"


def transcript_of(prompt: str) -> str:
    start = prompt.find(OPEN)
    end = prompt.rfind(CLOSE)
    return prompt[start + len(OPEN) : end] if start != -1 and end > start else ""


def judge(criterion: str, transcript: str) -> dict[str, Any]:
    """The fake model's verdict, rationale first, as a real model is asked to write it."""
    if criterion == "language_drift":
        english = len(_ENGLISH.findall(transcript))
        if english >= 5:
            return {"rationale": f"Found {english} English function words.", "score": 0.2, "issues": ["english"]}
        return {"rationale": "The transcript stays in the expected language.", "score": 0.95, "issues": []}
    lowered = transcript.lower()
    found = [formula for formula in _FORMULAS if formula in lowered]
    if found:
        return {"rationale": f"Stock video formula: {found[0]}.", "score": 0.1, "issues": ["video_outro"]}
    return {"rationale": "No formulaic insertion.", "score": 0.9, "issues": []}


@dataclass
class FakeModelServer:
    """Start with `start()` (or as a context manager); the base URLs are `ollama_url` and `openai_url`.

    Knobs, settable while running: `latency` (seconds per chat call),
    `fail_first_per_prompt` (each distinct prompt first gets that many 503s),
    `status_every` (every n-th chat call gets a 500), `invalid_if` (a substring:
    transcripts holding it always get an unreadable answer), `reject_json_schema`
    (the OpenAI side answers 400 to json_schema response formats), `wrap_answer`
    (answers come inside a <think> preamble and a fenced block), `echo_credentials` and
    `echo_chat_credentials` (a status: every request, or every chat call, gets it with the
    request's Authorization header quoted back in the error body, as careless servers do),
    `retry_after` (each prompt first gets a 429 with this Retry-After header).
    """

    models: tuple[str, ...] = (MODEL,)
    latency: float = 0.0
    fail_first_per_prompt: int = 0
    status_every: int = 0
    invalid_if: str | None = None
    reject_json_schema: bool = False
    wrap_answer: bool = False
    echo_credentials: int = 0
    echo_chat_credentials: int = 0
    retry_after: str | None = None
    calls: list[Call] = field(default_factory=list)
    errors_sent: int = 0
    max_in_flight: int = 0
    _in_flight: int = 0
    _seen: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _chat_count: int = 0

    @property
    def url(self) -> str:
        assert self._server is not None, "the server is not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def ollama_url(self) -> str:
        return self.url

    @property
    def openai_url(self) -> str:
        return f"{self.url}/v1"

    def start(self) -> FakeModelServer:
        handler = type("Handler", (_Handler,), {"fake": self})
        server = _Server(("127.0.0.1", 0), handler)
        self._server = server
        threading.Thread(target=server.serve_forever, name="fake-model-server", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeModelServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def chat(self, protocol: str, model: str, prompt: str, response_format: Any) -> tuple[int, str]:
        """Status and answer text for one chat call; sleeps `latency` with the call counted in flight."""
        criterion, transcript = criterion_of(prompt), transcript_of(prompt)
        with self._lock:
            self.calls.append(Call(protocol, model, criterion, transcript, response_format))
            self._chat_count += 1
            ordinal = self._chat_count
            self._seen[prompt] += 1
            seen = self._seen[prompt]
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            if self.latency:
                time.sleep(self.latency)
            status = 0
            if seen <= self.fail_first_per_prompt:
                status = 503
            elif self.status_every and ordinal % self.status_every == 0:
                status = 500
            if status:
                with self._lock:
                    self.errors_sent += 1
                return status, "the model is overloaded, try again"
            if self.invalid_if is not None and self.invalid_if in transcript:
                return 200, "I think this transcript is fine, more or less."
            answer = json.dumps(judge(criterion, transcript), ensure_ascii=False)
            if self.wrap_answer:
                answer = f"<think>Let me look at it. Score 7/10?</think>\n```json\n{answer}\n```"
            return 200, answer
        finally:
            with self._lock:
                self._in_flight -= 1

    def chat_calls(self) -> int:
        with self._lock:
            return len(self.calls)


_SHOW = {
    "modelfile": "",
    "parameters": "",
    "template": "{{ .Prompt }}",
    "details": {"format": "gguf", "family": "test", "parameter_size": "1B", "quantization_level": "Q4_0"},
    "model_info": {"general.architecture": "test"},
    "capabilities": ["completion"],
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # many clients connect at once; a short backlog would stall them


class _Handler(BaseHTTPRequestHandler):
    fake: FakeModelServer
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers do; clients pool connections
    # Headers and body leave in one segment; otherwise Nagle and delayed ACKs add ~40 ms to every call.
    disable_nagle_algorithm = True
    wbufsize = -1

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _echoed(self) -> bool:
        chat = self.path.endswith("/chat/completions") or self.path == "/api/chat"
        status = self.fake.echo_credentials or (self.fake.echo_chat_credentials if chat else 0)
        if not status:
            return False
        said = self.headers.get("Authorization", "")
        message = f"credentials refused: Authorization: {said} (api_key={said.split()[-1] if said else ''})"
        self._json(
            status, {"error": {"message": message, "type": "auth_error"}} if "/v1/" in self.path else {"error": message}
        )
        return True

    def do_GET(self) -> None:
        if self._echoed():
            return
        if self.path == "/api/tags":
            models = [
                {"name": m, "model": m, "modified_at": "2026-01-01T00:00:00Z", "size": 1, "digest": "0"}
                for m in self.fake.models
            ]
            self._json(200, {"models": models})
        elif self.path == "/v1/models":
            data = [{"id": m, "object": "model", "created": 0, "owned_by": "arandu-tests"} for m in self.fake.models]
            self._json(200, {"object": "list", "data": data})
        else:
            self._json(404, {"error": "not found"})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        if self._echoed():
            return
        if self.fake.retry_after is not None and self.path.endswith("/chat/completions"):
            prompt = body["messages"][-1]["content"]
            with self.fake._lock:
                self.fake._seen["429:" + prompt] += 1
                first = self.fake._seen["429:" + prompt] == 1
            if first:
                self._json(
                    429,
                    {"error": {"message": "slow down", "type": "rate_limit"}},
                    {"Retry-After": self.fake.retry_after},
                )
                return
        if self.path == "/api/show":
            if body.get("model") in self.fake.models:
                self._json(200, _SHOW)
            else:
                self._json(404, {"error": f"model '{body.get('model')}' not found"})
        elif self.path == "/api/chat":
            self._ollama_chat(body)
        elif self.path == "/v1/chat/completions":
            self._openai_chat(body)
        else:
            self._json(404, {"error": "not found"})

    def _ollama_chat(self, body: dict[str, Any]) -> None:
        model = body.get("model", "")
        if model not in self.fake.models:
            self._json(404, {"error": f"model '{model}' not found, try pulling it first"})
            return
        prompt = body["messages"][-1]["content"]
        status, text = self.fake.chat("ollama", model, prompt, body.get("format"))
        if status != 200:
            self._json(status, {"error": text})
            return
        self._json(
            200,
            {
                "model": model,
                "created_at": "2026-01-01T00:00:00Z",
                "message": {"role": "assistant", "content": text},
                "done": True,
                "done_reason": "stop",
            },
        )

    def _openai_chat(self, body: dict[str, Any]) -> None:
        model = body.get("model", "")
        response_format = body.get("response_format") or {}
        if self.fake.reject_json_schema and response_format.get("type") == "json_schema":
            self._json(
                400,
                {"error": {"message": "response_format json_schema is not supported", "type": "invalid_request_error"}},
            )
            return
        if model not in self.fake.models:
            self._json(404, {"error": {"message": f"model {model} does not exist", "type": "invalid_request_error"}})
            return
        prompt = body["messages"][-1]["content"]
        status, text = self.fake.chat("openai", model, prompt, response_format)
        if status != 200:
            self._json(status, {"error": {"message": text, "type": "server_error"}})
            return
        self._json(
            200,
            {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "created": 0,
                "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            },
        )

    def _json(self, status: int, payload: object, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
