#!/usr/bin/env python3
"""Cold searches: distinct questions, each asked once, so no kept answer can help.

    python3 bench/cold.py --base http://127.0.0.1:8080 --corpus bench/out/corpus-100k.ndjson \\
        --requests 20000 --connections 8 [--mode lexical|hybrid|semantic] [--seed 7]

Questions are one to five words drawn from the corpus's own titles and summaries, a third of
them with a filter (quadrant, sector or country) and one in ten filter-only; every one is
distinct. Prints throughput, latency percentiles, status counts and the search cache's hit
ratio seen in /metrics during the run (near zero when the run is cold). Standard library only.
"""

import argparse
import http.client
import json
import random
import re
import sys
import threading
import time
import urllib.parse

QUADRANTS = ["co-commissioning", "co-design", "co-delivery", "co-assessment"]
SECTORS = ["health", "social-care", "housing", "youth-work", "community-learning",
           "parks-and-environment", "older-people", "disability", "children-and-families"]
COUNTRIES = ["Scotland", "England", "Wales", "Northern Ireland"]


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
        if kind < 0.1 or rng.random() < 0.33:
            name, values = rng.choice([("quadrant", QUADRANTS), ("sector", SECTORS),
                                       ("country", COUNTRIES)])
            params.append((name, rng.choice(values)))
            if kind < 0.1:
                params.append(("year_from", str(rng.randint(2005, 2024))))
        if mode and any(name == "q" for name, _ in params):
            params.append(("mode", mode))
        path = "/api/v1/case-studies?" + urllib.parse.urlencode(params)
        if path not in seen:
            seen.add(path)
            paths.append(path)
    return paths


def metric(base: urllib.parse.SplitResult, name: str) -> int:
    connection = http.client.HTTPConnection(base.hostname, base.port, timeout=30)
    connection.request("GET", "/metrics")
    text = connection.getresponse().read().decode()
    for line in text.splitlines():
        if line.startswith(name + " "):
            return int(float(line.split()[1]))
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8080")
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--mode", choices=["lexical", "hybrid", "semantic"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--vocabulary-lines", type=int, default=20000)
    args = parser.parse_args()

    base = urllib.parse.urlsplit(args.base)
    rng = random.Random(args.seed)
    paths = questions(vocabulary(args.corpus, args.vocabulary_lines), args.requests, args.mode, rng)
    shares = [paths[i::args.connections] for i in range(args.connections)]
    latencies, statuses, lock = [], {}, threading.Lock()

    def worker(share: list[str]) -> None:
        connection = http.client.HTTPConnection(base.hostname, base.port, timeout=60)
        for path in share:
            started = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            took = time.perf_counter() - started
            with lock:
                latencies.append(took)
                statuses[response.status] = statuses.get(response.status, 0) + 1

    hits = metric(base, "casebook_search_cache_hits_total")
    misses = metric(base, "casebook_search_cache_misses_total")
    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    hits = metric(base, "casebook_search_cache_hits_total") - hits
    misses = metric(base, "casebook_search_cache_misses_total") - misses

    latencies.sort()
    def at(share: float) -> float:
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000
    print(json.dumps({
        "requests": len(latencies), "distinct": len(set(paths)),
        "connections": args.connections, "mode": args.mode or "default",
        "seconds": round(elapsed, 1), "per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(at(0.50), 1), "p90_ms": round(at(0.90), 1),
        "p99_ms": round(at(0.99), 1), "max_ms": round(latencies[-1] * 1000, 1),
        "statuses": statuses,
        "cache_hit_ratio": round(hits / max(1, hits + misses), 4),
    }))


if __name__ == "__main__":
    sys.exit(main())
