"""Load over HTTP with wrk (Debian's `wrk`, a load generator written in C), for the benchmarks
that measure a server: a Python client would cap the trivial view before the server does.

`run()` sends requests to one or more paths in turn (a Lua script rotates them) and returns
requests per second, p50 and p95 latency, and the responses with an unexpected status.
"""

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

WRK = shutil.which("wrk") or "/usr/bin/wrk"

SCRIPT = """
local paths = {%(paths)s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
local unexpected = 0
response = function(status, headers, body)
  if (%(expected)d == 0 and status >= 500) or (%(expected)d ~= 0 and status ~= %(expected)d) then
    unexpected = unexpected + 1
  end
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%.3f %%.3f\\n", summary.requests,
    summary.duration, unexpected, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""
RESULT = re.compile(r"RESULT (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+)")


@dataclass
class Result:
    rate: float  # requests per second
    p50: float  # milliseconds
    p95: float
    requests: int
    unexpected: int


def available() -> bool:
    return Path(WRK).exists()


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run(
    port: int,
    paths: list[str],
    *,
    seconds: float = 3,
    connections: int = 1,
    threads: int = 1,
    headers: dict | None = None,
    expected: int = 200,
) -> Result:
    """wrk against http://127.0.0.1:`port`, `connections` at a time (1: one request at a
    time, for latency), rotating through `paths`. `expected` 0 accepts any status below 500."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            SCRIPT % {"paths": ", ".join(lua_string(p) for p in paths), "expected": expected}
        )
    command = [
        WRK,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        script.name,
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}/")
    try:
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        Path(script.name).unlink(missing_ok=True)
    match = RESULT.search(out)
    if not match:
        raise RuntimeError(f"wrk printed no result:\n{out}")
    requests, micros, unexpected = int(match[1]), int(match[2]), int(match[3])
    return Result(
        rate=requests / (micros / 1e6),
        p50=float(match[4]),
        p95=float(match[5]),
        requests=requests,
        unexpected=unexpected,
    )
