#!/usr/bin/env python3
"""Cold searches and reads: distinct requests, each sent once, so no kept answer can help.

    python3 bench/cold.py --base http://127.0.0.1:8080 --corpus bench/out/corpus-100k.ndjson \\
        --requests 20000 --connections 8 [--kind search|read] [--mode lexical|hybrid|semantic] [--seed 7]

Searches (the default kind) are one to five words drawn from the corpus's own titles and
summaries, a third of them with a filter (quadrant, sector or country) and one in ten
filter-only; every one is distinct. Reads fetch published case studies by slug, sampled over
the whole corpus, each once. Prints throughput, latency percentiles, status counts and the
hit ratio of the cache in front of that kind of request, seen in /metrics during the run
(near zero when the run is cold). Standard library only.
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


def measure(base_url: str, paths: list[str], connections: int, kind: str) -> dict:
    """Sends every path once over `connections` connections; latencies, statuses and the
    hit ratio of the `kind` cache ("search" or "read") during the run. Searches are also
    reported apart by whether they had words (`q`) or filters alone."""
    base = urllib.parse.urlsplit(base_url)
    cache = f"casebook_{kind}_cache"
    shares = [paths[i::connections] for i in range(connections)]
    latencies: dict[str, list[float]] = {}
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def worker(share: list[str]) -> None:
        connection = http.client.HTTPConnection(base.hostname, base.port, timeout=60)
        for path in share:
            started = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            took = time.perf_counter() - started
            part = kind if kind != "search" else ("text" if "q=" in path else "filters")
            with lock:
                latencies.setdefault(part, []).append(took)
                statuses[response.status] = statuses.get(response.status, 0) + 1

    hits = metric(base, f"{cache}_hits_total")
    misses = metric(base, f"{cache}_misses_total")
    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    hits = metric(base, f"{cache}_hits_total") - hits
    misses = metric(base, f"{cache}_misses_total") - misses
    every = [took for part in latencies.values() for took in part]
    result = {
        "requests": len(every), "distinct": len(set(paths)), "kind": kind,
        "connections": connections, "seconds": round(elapsed, 1),
        "per_second": round(len(every) / elapsed, 1), **percentiles(every),
        "statuses": {str(k): v for k, v in statuses.items()},
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
