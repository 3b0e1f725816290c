#!/usr/bin/env python3
"""Record wire samples and timings from the real local llama-server (stdlib only).

Starts the server through ``engine.py`` (on ``--port``, default 18080, so as not to clash
with a server on 8080), runs a fixed scenario and writes small JSON fixtures into
``samples/`` next to this file:

* ``models.json``            GET /v1/models (and /health)
* ``stream_chat.json``       a streamed chat completion with include_usage: response
                             headers, the first 3 and last 2 SSE data chunks, the terminator
* ``chat_nonstream.json``    the same request without streaming
* ``prefix_cache.json``      ~2000-token shared prefix: cold, warm (other suffix), usage
                             and timings of each, TTFT
* ``slots.json``             slot save -> restart -> restore -> same prompt: the slot API
                             bodies, cache_n / prompt_n and TTFT cold vs restored
* ``errors.json``            status + body of error cases (unknown model, over-long
                             context, bad JSON, missing file for restore, ...)

Long prompts are not stored, only their token counts and how they were generated.

Usage: ``python3 scripts/local-engine/record_samples.py [--cache DIR] [--port 18080]``
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENGINE = HERE / "engine.py"
SAMPLES = HERE / "samples"
sys.path.insert(0, str(HERE))
import engine  # noqa: E402  (for the cache layout)


class Server:
    """Start/stop the engine and talk HTTP to it."""

    def __init__(self, port: int, cache: str | None) -> None:
        self.port = port
        self.base_args = [sys.executable, str(ENGINE)] + (["--cache", cache] if cache else [])
        self.model = "smollm2-135m-instruct"
        self.paths = engine.Paths(Path(cache) if cache else engine.default_cache())

    def start(self) -> float:
        """Start detached; return seconds until healthy (as measured from outside)."""
        t0 = time.monotonic()
        out = subprocess.run(self.base_args + ["start", "--port", str(self.port)],
                             check=True, capture_output=True, text=True)
        dt = time.monotonic() - t0
        for line in out.stdout.splitlines():
            if line.startswith("LOCAL_ENGINE_MODEL="):
                self.model = line.split("=", 1)[1]
        return dt

    def cpu_seconds(self) -> float:
        """user+system CPU seconds used so far by the running server (Linux /proc)."""
        pid = int((self.paths.pid_file).read_text())
        f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        subprocess.run(self.base_args + ["stop"], check=True, capture_output=True, text=True)

    def request(self, method: str, path: str, body=None, raw: bytes | None = None,
                timeout: float = 300) -> tuple[int, dict, object]:
        """Plain request; returns (status, selected headers, parsed JSON or text)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None
                                            else None)
        headers = {"Content-Type": "application/json"} if data is not None else {}
        conn.request(method, path, body=data, headers=headers)
        r = conn.getresponse()
        text = r.read().decode("utf-8", "replace")
        conn.close()
        try:
            parsed: object = json.loads(text)
        except ValueError:
            parsed = text
        return r.status, {"content-type": r.getheader("Content-Type")}, parsed

    def stream(self, body: dict, timeout: float = 300) -> dict:
        """POST a streamed chat completion; collect SSE events and time them."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        t0 = time.monotonic()
        conn.request("POST", "/v1/chat/completions", body=json.dumps(body).encode(),
                     headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        status = r.status
        headers = {k.lower(): v for k, v in r.getheaders()
                   if k.lower() in ("content-type", "cache-control", "transfer-encoding")}
        events: list[object] = []
        other_lines: list[str] = []
        t_first_chunk = t_first_content = None
        while True:
            line = r.readline()
            if not line:
                break
            s = line.decode("utf-8", "replace").rstrip("\r\n")
            if not s:
                continue
            if s.startswith("data: "):
                payload = s[6:]
                now = time.monotonic() - t0
                if payload == "[DONE]":
                    events.append("[DONE]")
                    continue
                try:
                    obj = json.loads(payload)
                except ValueError:
                    other_lines.append(s)
                    continue
                if t_first_chunk is None:
                    t_first_chunk = now
                ch = (obj.get("choices") or [{}])[0] if isinstance(obj, dict) else {}
                if t_first_content is None and (ch.get("delta") or {}).get("content"):
                    t_first_content = now
                events.append(obj)
            else:
                other_lines.append(s)
        total = time.monotonic() - t0
        conn.close()
        text = "".join(((e.get("choices") or [{}])[0].get("delta") or {}).get("content") or ""
                       for e in events if isinstance(e, dict) and e.get("choices"))
        usage = next((e["usage"] for e in reversed(events)
                      if isinstance(e, dict) and e.get("usage")), None)
        timings = next((e["timings"] for e in reversed(events)
                        if isinstance(e, dict) and e.get("timings")), None)
        return {"status": status, "headers": headers, "events": events,
                "other_lines": other_lines, "text": text, "usage": usage, "timings": timings,
                "ttft_first_chunk_s": t_first_chunk, "ttft_first_content_s": t_first_content,
                "total_s": total}


def long_prefix(server: Server, target_tokens: int = 2000) -> tuple[str, int]:
    """A deterministic notebook-like system prompt of about ``target_tokens`` tokens."""
    lines = []
    i = 0
    text = ""
    while True:
        i += 1
        lines.append(f"# Cell {i}: df_{i} = df_{i - 1}.groupby('col_{i % 7}')"
                     f".agg(total_{i}=('value_{i % 5}', 'sum')).reset_index()  "
                     f"# rows={i * 37 % 1000}")
        if i % 2 == 0 and i >= 30:
            text = "You are a data science assistant. Notebook so far:\n" + "\n".join(lines)
            _, _, tok = server.request("POST", "/tokenize", {"content": text})
            n = len(tok["tokens"])  # type: ignore[index]
            if n >= target_tokens:
                return text, n


def summarize(res: dict) -> dict:
    """Trim a stream() result to what a fixture needs."""
    ev = res["events"]
    return {
        "status": res["status"],
        "headers": res["headers"],
        "n_events": len(ev),
        "first_3": ev[:3],
        "last_2_before_done": [e for e in ev if e != "[DONE]"][-2:],
        "terminator": ev[-1] if ev else None,
        "non_data_lines": res["other_lines"][:5],
        "text": res["text"],
        "usage": res["usage"],
        "timings": res["timings"],
        "ttft_first_chunk_s": res["ttft_first_chunk_s"],
        "ttft_first_content_s": res["ttft_first_content_s"],
        "total_s": round(res["total_s"], 3),
    }


def brief(res: dict) -> dict:
    """Only timing-related fields of a stream() result."""
    return {k: res[k] for k in ("usage", "timings", "ttft_first_chunk_s",
                                "ttft_first_content_s")} | {"total_s": round(res["total_s"], 3),
                                                            "text": res["text"]}


def write(name: str, obj: object) -> None:
    SAMPLES.mkdir(exist_ok=True)
    (SAMPLES / name).write_text(json.dumps(obj, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote samples/{name}", file=sys.stderr)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", default=None)
    ap.add_argument("--port", type=int, default=18080)
    args = ap.parse_args()
    srv = Server(args.port, args.cache)
    srv.stop()  # in case a previous run left one
    load_start = open("/proc/loadavg").read().split()[:3]
    starts = [srv.start()]
    try:
        M = srv.model
        prefix, n_prefix = long_prefix(srv)
        qa = "Question: which cell computes total_3? Answer in one short sentence."
        qb = "Question: how many cells are there? Answer with a number."
        req_a = {"model": M, "stream": True, "stream_options": {"include_usage": True},
                 "temperature": 0, "max_tokens": 16,
                 "messages": [{"role": "system", "content": prefix},
                              {"role": "user", "content": qa}]}
        req_b = json.loads(json.dumps(req_a))
        req_b["messages"][1]["content"] = qb

        # 1. cold (first request on a fresh server), then save the slot
        cold1 = srv.stream(req_a)
        st_save, _, save_body = srv.request("POST", "/slots/0?action=save",
                                            {"filename": "x.bin"})
        # 2. warm: other suffix, same prefix; then the exact same prompt again
        warm_b = srv.stream(req_b)
        warm_a = srv.stream(req_a)

        # 3. shapes: models, health, short stream, non-stream
        models = srv.request("GET", "/v1/models")
        health = srv.request("GET", "/health")
        short = {"model": M, "stream": True, "stream_options": {"include_usage": True},
                 "temperature": 0, "max_tokens": 12,
                 "messages": [{"role": "user", "content": "Say hello in three words."}]}
        short_res = srv.stream(short)
        nonstream = dict(short, stream=False)
        nonstream.pop("stream_options")
        ns = srv.request("POST", "/v1/chat/completions", nonstream)
        short_no_usage = srv.stream({k: v for k, v in short.items() if k != "stream_options"})

        # 4. errors
        errors = {}
        errors["unknown_model_name"] = srv.request(
            "POST", "/v1/chat/completions", dict(nonstream, model="no-such-model"))
        long_text = prefix * 5  # > 8192 tokens
        over = {"model": M, "max_tokens": 8,
                "messages": [{"role": "user", "content": long_text}]}
        errors["over_context_nonstream"] = srv.request("POST", "/v1/chat/completions", over)
        over_stream = srv.stream(dict(over, stream=True,
                                      stream_options={"include_usage": True}))
        errors["over_context_stream"] = _trim({k: over_stream[k] for k in
                                               ("status", "headers", "events", "other_lines")})
        errors["bad_json"] = srv.request("POST", "/v1/chat/completions", raw=b"{not json")
        errors["missing_messages"] = srv.request("POST", "/v1/chat/completions", {"model": M})
        errors["empty_messages"] = srv.request("POST", "/v1/chat/completions",
                                               {"model": M, "messages": []})
        errors["unknown_path"] = srv.request("GET", "/v1/nope")
        errors["restore_missing_file"] = srv.request("POST", "/slots/0?action=restore",
                                                     {"filename": "does-not-exist.bin"})
        errors["save_bad_filename"] = srv.request("POST", "/slots/0?action=save",
                                                  {"filename": "../escape.bin"})
        errors["slot_out_of_range"] = srv.request("POST", "/slots/5?action=save",
                                                  {"filename": "y.bin"})
        errors["bad_slot_action"] = srv.request("POST", "/slots/0?action=frobnicate",
                                                {"filename": "x.bin"})
        for k, v in list(errors.items()):
            if isinstance(v, tuple):
                errors[k] = {"status": v[0], "headers": v[1], "body": _trim(v[2])}

        # 5. restart, restore the saved slot, same prompt
        srv.stop()
        starts.append(srv.start())
        t0 = time.monotonic()
        st_rest, _, rest_body = srv.request("POST", "/slots/0?action=restore",
                                            {"filename": "x.bin"})
        restore_wall = time.monotonic() - t0
        restored = srv.stream(req_a)
        st_slots, _, slots_list = srv.request("GET", "/slots")
        st_erase, _, erase_body = srv.request("POST", "/slots/0?action=erase")

        # 6. a second cold measurement on a fresh server, for comparison
        srv.stop()
        starts.append(srv.start())
        c0 = srv.cpu_seconds()
        cold2 = srv.stream(req_a)
        cold_cpu = round(srv.cpu_seconds() - c0, 2)
    finally:
        srv.stop()
        for name in ("x.bin", "y.bin"):  # slot files this scenario wrote (x.bin is ~50 MB)
            (srv.paths.slots / name).unlink(missing_ok=True)

    write("models.json", {"GET /v1/models": {"status": models[0], "headers": models[1],
                                             "body": models[2]},
                          "GET /health": {"status": health[0], "body": health[2]}})
    write("stream_chat.json", {"request": short, "response": summarize(short_res),
                               "without_include_usage": {
                                   "n_events": len(short_no_usage["events"]),
                                   "last_2_before_done": [e for e in short_no_usage["events"]
                                                          if e != "[DONE]"][-2:]}})
    write("chat_nonstream.json", {"request": nonstream, "status": ns[0], "headers": ns[1],
                                  "body": ns[2]})
    req_desc = {k: v for k, v in req_a.items() if k != "messages"} | {
        "messages": [{"role": "system", "content": f"<{n_prefix}-token notebook listing, "
                                                   "see long_prefix() in record_samples.py>"},
                     {"role": "user", "content": qa}]}
    write("prefix_cache.json", {"prefix_tokens_by_tokenize": n_prefix, "request_a": req_desc,
                                "suffix_b": qb, "cold_first_request": brief(cold1),
                                "cold_after_fresh_start": brief(cold2),
                                "warm_other_suffix": brief(warm_b),
                                "warm_same_prompt": brief(warm_a),
                                "server_start_s": [round(s, 2) for s in starts],
                                "loadavg_1_5_15_at_start": load_start,
                                "loadavg_1_5_15_at_end": open("/proc/loadavg").read().split()[:3],
                                "server_cpu_s_cold_prefill": cold_cpu})
    slot0 = slots_list[0] if isinstance(slots_list, list) and slots_list else slots_list
    write("slots.json", {
        "save": {"request": "POST /slots/0?action=save {\"filename\":\"x.bin\"}",
                 "status": st_save, "body": save_body},
        "restore_after_restart": {"request": "POST /slots/0?action=restore "
                                             "{\"filename\":\"x.bin\"}",
                                  "status": st_rest, "body": rest_body,
                                  "wall_s": round(restore_wall, 4)},
        "same_prompt_after_restore": brief(restored),
        "same_prompt_cold": brief(cold1),
        "erase": {"status": st_erase, "body": erase_body},
        "GET /slots (slot 0, trimmed)": _trim(slot0),
    })
    write("errors.json", errors)
    return 0


def _trim(obj: object, depth: int = 0) -> object:
    """Shorten long strings/lists so that fixtures stay small."""
    if isinstance(obj, dict):
        return {k: _trim(v, depth + 1) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_trim(v, depth + 1) for v in obj[:8]] + (["..."] if len(obj) > 8 else [])
    if isinstance(obj, str) and len(obj) > 300:
        return obj[:300] + f"...<{len(obj)} chars>"
    return obj


if __name__ == "__main__":
    sys.exit(main())
