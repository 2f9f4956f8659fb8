#!/usr/bin/env python3
"""An exec: source that cannot wait, like varnishncsa: writes "<id> seq=<n> <padding>" lines to
stdout at a steady rate and records every write that blocked longer than a limit (the edge
not reading). Usage: seq-writer.py ID RATE SECONDS REPORT_JSON [BLOCK_LIMIT_MS]. After the
last line it writes the report and sleeps until it is killed (an exec: source that exits is
restarted, which would start the sequence again)."""
import json
import os
import sys
import time

customer, rate, seconds, report = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
limit_ms = float(sys.argv[5]) if len(sys.argv) > 5 else 100.0
tick = 0.01
per_tick = max(1, round(rate * tick))
pad = "x" * 260
out = sys.stdout.buffer
seq = 0
blocked = []
worst = 0.0
start = time.monotonic()
while time.monotonic() - start < seconds:
    lines = b"".join(
        f"{customer} seq={n} {pad}\n".encode() for n in range(seq, seq + per_tick)
    )
    t0 = time.monotonic()
    out.write(lines)
    out.flush()
    took = (time.monotonic() - t0) * 1000
    worst = max(worst, took)
    if took > limit_ms:
        blocked.append(round(took, 1))
    seq += per_tick
    next_at = start + (seq / per_tick) * tick
    delay = next_at - time.monotonic()
    if delay > 0:
        time.sleep(delay)
with open(report + ".tmp", "w") as f:
    json.dump({"sent": seq, "blocked": blocked, "worstMs": round(worst, 1)}, f)
os.rename(report + ".tmp", report)
while True:
    time.sleep(3600)
