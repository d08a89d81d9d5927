#!/usr/bin/env python3
"""Cold searches and reads: distinct requests, each sent once, so no kept answer can help.

    python3 bench/cold.py --base http://127.0.0.1:8080 --corpus bench/out/corpus-100k.ndjson \\
        --requests 20000 --connections 8 [--kind search|read] [--mode lexical|hybrid|semantic] [--seed 7]

Searches (the default kind) are one to five words drawn from the corpus's own titles and
summaries, a third of them with a filter (quadrant, sector or country), and one in ten
filters alone (one or two of those and a span of years); every one is distinct. Reads fetch published case studies by slug, sampled over
the whole corpus, each once. Prints throughput, latency percentiles, status counts and the
hit ratio of the cache in front of that kind of request, seen in /metrics during the run
(near zero when the run is cold). Needs wrk (`apt-get install -y wrk`), which sends the
requests (`bench/wrk/once.lua`); otherwise the standard library only.
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

QUADRANTS = ["co-commissioning", "co-design", "co-delivery", "co-assessment"]
SECTORS = ["health", "social-care", "housing", "youth-work", "community-learning",
           "parks-and-environment", "older-people", "disability", "children-and-families"]
COUNTRIES = ["Scotland", "England", "Wales", "Northern Ireland"]
FILTERS = [("quadrant", QUADRANTS), ("sector", SECTORS), ("country", COUNTRIES)]
ONCE = Path(__file__).resolve().parent / "wrk" / "once.lua"


def vocabulary(corpus: str, limit: int) -> list[str]:
    words = set()
    with open(corpus, encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number >= limit:
                break
            record = json.loads(line)
            for text in (record["title"], record["summary"]):
                words.update(w.lower() for w in re.findall(r"[A-Za-z]{4,}", text))
    return sorted(words)


def questions(words: list[str], n: int, mode: str | None, rng: random.Random) -> list[str]:
    seen, paths = set(), []
    while len(paths) < n:
        params = []
        kind = rng.random()
        if kind >= 0.1:
            params.append(("q", " ".join(rng.sample(words, rng.randint(1, 5)))))
        if kind < 0.1:
            # Filters alone: one or two dimensions and a span of years, so that a tenth of
            # a run's questions can be distinct (one dimension and a first year give 340).
            for name, values in rng.sample(FILTERS, rng.randint(1, 2)):
                params.append((name, rng.choice(values)))
            first = rng.randint(2005, 2024)
            params.append(("year_from", str(first)))
            if rng.random() < 0.5:
                params.append(("year_to", str(rng.randint(first, 2025))))
        elif rng.random() < 0.33:
            name, values = rng.choice(FILTERS)
            params.append((name, rng.choice(values)))
        if mode and any(name == "q" for name, _ in params):
            params.append(("mode", mode))
        path = "/api/v1/case-studies?" + urllib.parse.urlencode(params)
        if path not in seen:
            seen.add(path)
            paths.append(path)
    return paths


def published_slugs(corpus: str, n: int, rng: random.Random) -> list[str]:
    """A uniform sample of the published case studies' slugs (reservoir sampling: one pass,
    little memory, however large the corpus)."""
    sample: list[str] = []
    seen = 0
    with open(corpus, encoding="utf-8") as lines:
        for line in lines:
            if '"status":"published"' not in line:
                continue
            seen += 1
            slot = len(sample) if len(sample) < n else rng.randrange(seen)
            if slot < n:
                slug = json.loads(line)["slug"]
                if slot == len(sample):
                    sample.append(slug)
                else:
                    sample[slot] = slug
    rng.shuffle(sample)
    return ["/api/v1/case-studies/" + urllib.parse.quote(slug) for slug in sample]


def metric(base: urllib.parse.SplitResult, name: str) -> int:
    connection = http.client.HTTPConnection(base.hostname, base.port, timeout=30)
    connection.request("GET", "/metrics")
    text = connection.getresponse().read().decode()
    for line in text.splitlines():
        if line.startswith(name + " "):
            return int(float(line.split()[1]))
    return 0


def percentiles(latencies: list[float]) -> dict:
    """p50, p90, p99 and max of latencies in seconds, in milliseconds."""
    ordered = sorted(latencies)
    if not ordered:
        return {}
    def at(share: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 1)
    return {"p50_ms": at(0.50), "p90_ms": at(0.90), "p99_ms": at(0.99),
            "max_ms": round(ordered[-1] * 1000, 1)}


def send_once(base_url: str, paths: list[str], connections: int,
              timeout: float = 1800) -> tuple[list[tuple[int, int, float]], float]:
    """Sends every path once with wrk (`bench/wrk/once.lua`), one connection per thread, and
    returns (path index, status, seconds) for each answered request and the run's length.
    wrk is the load generator because a Python client on the same two cores costs about as
    much CPU as the request it times, and its threads wait for the interpreter lock before
    they read the clock."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    connections = max(1, min(connections, len(paths)))
    with tempfile.TemporaryDirectory(prefix="casebook-cold-") as folder:
        listing = os.path.join(folder, "paths")
        with open(listing, "w", encoding="utf-8") as out:
            out.write("\n".join(paths) + "\n")
        prefix = os.path.join(folder, "answered")
        done = [f"{prefix}.{n}" for n in range(1, connections + 1)]
        wrk = subprocess.Popen(
            ["wrk", "-t", str(connections), "-c", str(connections), "-d", f"{int(timeout)}s",
             "--timeout", "30s", "-s", str(ONCE), base_url, "--", listing, prefix, str(connections)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + timeout
        # wrk sleeps for its whole duration; SIGINT ends it once every thread is done.
        while not all(os.path.exists(name) for name in done):
            if wrk.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        wrk.send_signal(signal.SIGINT)
        _, errors = wrk.communicate(timeout=60)
        answered, starts, ends = [], [], []
        for name in done:
            finished = os.path.exists(name)
            if not finished and not os.path.exists(name + ".part"):
                raise SystemExit(f"wrk answered nothing: {errors.strip()}")
            with open(name if finished else name + ".part", encoding="utf-8") as lines:
                for line in lines:
                    fields = line.split()
                    if fields[0] == "span":
                        starts.append(float(fields[1]))
                        ends.append(float(fields[2]))
                    else:
                        answered.append((int(fields[0]) - 1, int(fields[1]), float(fields[2]) / 1e6))
    seconds = (max(ends) - min(starts)) / 1e6 if starts else timeout
    return answered, seconds


def measure(base_url: str, paths: list[str], connections: int, kind: str) -> dict:
    """Sends every path once over `connections` connections; latencies, statuses and the
    hit ratio of the `kind` cache ("search" or "read") during the run. Searches are also
    reported apart by whether they had words (`q`) or filters alone. A request wrk did not
    get an answer to counts under the status "none"."""
    base = urllib.parse.urlsplit(base_url)
    cache = f"casebook_{kind}_cache"
    hits = metric(base, f"{cache}_hits_total")
    misses = metric(base, f"{cache}_misses_total")
    answered, elapsed = send_once(base_url, paths, connections)
    hits = metric(base, f"{cache}_hits_total") - hits
    misses = metric(base, f"{cache}_misses_total") - misses
    latencies: dict[str, list[float]] = {}
    statuses: dict[str, int] = {}
    for index, status, took in answered:
        path = paths[index]
        part = kind if kind != "search" else ("text" if "q=" in path else "filters")
        latencies.setdefault(part, []).append(took)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    if len(answered) < len(paths):
        statuses["none"] = len(paths) - len(answered)
    every = [took for part in latencies.values() for took in part]
    result = {
        "requests": len(every), "distinct": len(set(paths)), "kind": kind,
        "connections": connections, "client": "wrk", "seconds": round(elapsed, 1),
        "per_second": round(len(every) / elapsed, 1), **percentiles(every),
        "statuses": statuses,
        "cache_hit_ratio": round(hits / max(1, hits + misses), 4),
    }
    if kind == "search":
        result["parts"] = {part: {"requests": len(took), **percentiles(took)}
                           for part, took in latencies.items()}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8080")
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--kind", choices=["search", "read"], default="search")
    parser.add_argument("--mode", choices=["lexical", "hybrid", "semantic"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--vocabulary-lines", type=int, default=20000)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    if args.kind == "search":
        paths = questions(vocabulary(args.corpus, args.vocabulary_lines), args.requests, args.mode, rng)
    else:
        paths = published_slugs(args.corpus, args.requests, rng)
    result = measure(args.base, paths, args.connections, args.kind)
    if args.kind == "search":
        result["mode"] = args.mode or "default"
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
