#!/usr/bin/env python3
"""How soon a new case study is found: by its words and by its meaning, after its commit.

    python3 bench/fresh.py --base http://127.0.0.1:8080 --email E --password P \\
        --organisation SLUG [--rounds 5]

Signs in, then each round publishes a case study whose words are new to the collection and
asks, every 50 ms, for its own words (lexical) and for a question that shares no word with it
but means the same (semantic), until both find it. Prints, per round and at the median, the
seconds from the publish to each first find, and how many case studies had a vector at the
time (so a run during the first embedding of a large collection says so). Standard library
only; writes to the service it is pointed at, so point it at a benchmark copy.
"""

import argparse
import http.client
import json
import statistics
import sys
import time
import urllib.parse
import uuid


class Client:
    def __init__(self, base: str) -> None:
        self.base = urllib.parse.urlsplit(base)
        self.token = None

    def call(self, method: str, path: str, body=None, headers=None):
        connection = http.client.HTTPConnection(self.base.hostname, self.base.port, timeout=60)
        headers = dict(headers or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        if response.status >= 400:
            raise SystemExit(f"{method} {path}: {response.status} {payload[:300]!r}")
        return json.loads(payload) if payload else None

    def found(self, query: dict, slug: str) -> bool:
        page = self.call("GET", "/api/v1/case-studies?" + urllib.parse.urlencode(query))
        return any(item["slug"] == slug for item in page["items"])


def case_study(organisation: str, marker: str) -> dict:
    return {
        "title": f"Befriending older residents who live alone in {marker}",
        "summary": "Volunteers and isolated older people designed a weekly visiting scheme "
                   "together, so nobody spends the week without company.",
        "quadrants": ["co-design", "co-delivery"],
        "scale": "group",
        "sector": "older-people",
        "country": "Scotland",
        "partners": [{"organisation": organisation, "role": "lead"}],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8080")
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--organisation", required=True, help="slug of the author's organisation")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--give-up", type=float, default=120.0, help="seconds a round may wait")
    args = parser.parse_args()

    client = Client(args.base)
    client.token = client.call("POST", "/api/v1/auth/token",
                               {"email": args.email, "password": args.password})["access_token"]
    rounds = []
    for _ in range(args.rounds):
        # A made-up place name: its own words find only this case study.
        marker = "Q" + uuid.uuid4().hex[:10]
        created = client.call("POST", "/api/v1/case-studies", case_study(args.organisation, marker))
        path = f"/api/v1/case-studies/{created['id']}"
        client.call("POST", f"{path}/submit", headers={"If-Match": '"1"'})
        client.call("POST", f"{path}/publish", headers={"If-Match": '"2"'})
        published = time.perf_counter()
        slug = created["slug"]
        by_words = by_meaning = None
        while by_words is None or by_meaning is None:
            waited = time.perf_counter() - published
            if waited > args.give_up:
                break
            if by_words is None and client.found({"q": marker, "mode": "lexical"}, slug):
                by_words = waited
            if by_meaning is None and client.found(
                    {"q": "lonely pensioners company visits", "mode": "semantic",
                     "country": "Scotland", "sector": "older-people", "limit": "100"}, slug):
                by_meaning = waited
            time.sleep(0.05)
        health = client.call("GET", "/health")
        rounds.append({"by_words_s": by_words and round(by_words, 2),
                       "by_meaning_s": by_meaning and round(by_meaning, 2),
                       "embedded": health.get("embedded"),
                       "case_studies": health.get("case_studies")})
        print(json.dumps(rounds[-1]), flush=True)

    def median(key: str):
        values = [r[key] for r in rounds if r[key] is not None]
        return values and round(statistics.median(values), 2)

    print(json.dumps({"rounds": len(rounds), "median_by_words_s": median("by_words_s"),
                      "median_by_meaning_s": median("by_meaning_s"),
                      "not_found": sum(r["by_meaning_s"] is None for r in rounds)}))


if __name__ == "__main__":
    sys.exit(main())
