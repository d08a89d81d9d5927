#!/usr/bin/env python3
"""Load benchmark for casebook: one command, rerunnable, results in bench/RESULTS.md.

Runs its own PostgreSQL cluster under bench/out/pg (initdb + pg_ctl on a free port),
loads a corpus through `casebook import` once per (size, organisations, seed) and keeps
it as a template database, copies the template for every run, starts the release build
of the service against the copy and drives it over loopback with wrk. The statements the
service sends for each workload are captured from the PostgreSQL log (log_statement=all,
with their parameters) and replayed with pgbench at the same concurrency for the same
time: the database-alone reference. See bench/README.md.

Standard library only (Python 3.11). Talks to 127.0.0.1 only; every load is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import hashlib
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import cold

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
PG = OUT / "pg"
sys.path.insert(0, str(BENCH))

ADMIN_EMAIL = "bench-admin@example.org"
ADMIN_PASSWORD = "bench passphrase that is long enough"
MARKER_PREFIX = "ffffffff-ffff-4fff-8fff-"
PGBENCH_MAX_SCRIPTS = 100  # pgbench takes at most 128 script files

# The targets of the product brief, checked in RESULTS.md.
TARGETS = {
    "search_p99_ms": 50,
    "search_ratio": 0.7,
    "filters_p99_ms": 20,
    "deep_p99_ms": 20,
    "read_p99_ms": 5,
    "read_rps": 7000,
    "create_rps": 300,
    "rss_mb": 150,
    "ready_s": 2,
    "export_s": 15,
}


def log(message: str) -> None:
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    print(f"[{stamp}] {message}", flush=True)


def run(cmd, *, check=True, capture=True, input=None, env=None, timeout=None, cwd=None):
    result = subprocess.run(
        cmd,
        check=False,
        text=True,
        input=input,
        env=env,
        timeout=timeout,
        cwd=cwd,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.PIPE if capture else None,
    )
    if check and result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(map(str, cmd))} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
        )
    return result


def free_port(start: int) -> int:
    for port in range(start, start + 500):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port")


def pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise RuntimeError(f"{name} not found (PostgreSQL server binaries are needed)")


# --------------------------------------------------------------------------------------
# The benchmark's own PostgreSQL cluster


class Cluster:
    """A throwaway cluster under bench/out/pg, run as the postgres user when we are root."""

    def __init__(self) -> None:
        self.data = PG / "data"
        self.logdir = PG / "log"
        self.logfile = self.logdir / "postgresql.csv"
        self.port_file = PG / "port"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.port = int(self.port_file.read_text()) if self.port_file.exists() else None
        self.started_here = False

    def _pg(self, *cmd, **kw):
        return run(self.as_postgres + [str(c) for c in cmd], **kw)

    def init(self, shared_buffers: str) -> None:
        if (self.data / "PG_VERSION").exists():
            return
        PG.mkdir(parents=True, exist_ok=True)
        self.logdir.mkdir(exist_ok=True)
        if self.as_postgres:
            shutil.chown(PG, "postgres", "postgres")
            shutil.chown(self.logdir, "postgres", "postgres")
        log(f"initdb {self.data}")
        self._pg(pg_bin("initdb"), "-D", self.data, "-U", "postgres", "--auth=trust",
                 "-E", "UTF8", "--locale=C.UTF-8")
        self.port = free_port(55432)
        self.port_file.write_text(str(self.port))
        conf = f"""
# casebook benchmark cluster (written by bench/bench.py)
port = {self.port}
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
shared_buffers = {shared_buffers}
effective_cache_size = 8GB
work_mem = 4MB
maintenance_work_mem = 512MB
max_wal_size = 8GB
checkpoint_timeout = 30min
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.max = 2000
pg_stat_statements.track = top
track_io_timing = on
logging_collector = on
log_destination = 'csvlog'
log_directory = '{self.logdir}'
log_filename = 'postgresql.log'
log_rotation_age = 0
log_rotation_size = 0
log_statement = 'none'
log_parameter_max_length = -1
"""
        with open(self.data / "postgresql.conf", "a") as f:
            f.write(conf)

    def running(self) -> bool:
        return self._pg(pg_bin("pg_ctl"), "status", "-D", self.data, check=False).returncode == 0

    def start(self) -> None:
        if self.running():
            return
        log(f"starting PostgreSQL on 127.0.0.1:{self.port}")
        self._pg(pg_bin("pg_ctl"), "start", "-w", "-t", "120", "-D", self.data,
                 "-l", self.logdir / "server.log")
        self.started_here = True

    def stop(self) -> None:
        if self.running():
            log("stopping PostgreSQL")
            self._pg(pg_bin("pg_ctl"), "stop", "-m", "fast", "-w", "-D", self.data, check=False)

    def postmaster(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def url(self, db: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"

    def psql(self, db: str, sql: str, check=True) -> str:
        result = run(
            [pg_bin("psql"), "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
             "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", db],
            input=sql, check=check,
        )
        return result.stdout

    def rows(self, db: str, sql: str) -> list[list[str]]:
        return [line.split("\t") for line in self.psql(db, sql).splitlines() if line]

    def exists(self, db: str) -> bool:
        return self.psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{db}'").strip() == "1"

    def log_statements(self, on: bool) -> None:
        value = "all" if on else "none"
        self.psql("postgres", f"ALTER SYSTEM SET log_statement = '{value}'; SELECT pg_reload_conf();")
        time.sleep(0.3)

    def log_offset(self) -> int:
        return self.logfile.stat().st_size if self.logfile.exists() else 0

    def version(self) -> str:
        return self.psql("postgres", "SHOW server_version").strip()


# --------------------------------------------------------------------------------------
# Loading: once per corpus, kept as a template database


def corpus_file(args) -> Path:
    return OUT / f"corpus-{args.size}-o{args.organisations}-s{args.seed}.ndjson"


def ensure_corpus(args) -> Path:
    path = corpus_file(args)
    if not path.exists():
        log(f"generating {path.name}")
        run([sys.executable, str(BENCH / "corpus.py"), "--case-studies", str(args.size),
             "--organisations", str(args.organisations), "--seed", str(args.seed),
             "--out", str(path)], capture=False)
    return path


def ensure_loaded(args, cluster: Cluster, binary: Path) -> dict:
    """The template database for this corpus: loaded through `casebook import` if missing."""
    db = f"cb_n{args.size}_o{args.organisations}_s{args.seed}"
    marker = PG / f"{db}.json"
    if marker.exists() and cluster.exists(db):
        info = json.loads(marker.read_text())
        info["loaded_now"] = False
        log(f"reusing loaded database {db} (loaded in {info['import_seconds']:.0f} s on {info['loaded_at']})")
        return info
    corpus = ensure_corpus(args)
    cluster.psql("postgres", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    log(f"loading {corpus.name} into {db} through `casebook import` (release build)")
    env = service_env(args, cluster.url(db))
    started = time.monotonic()
    result = run([str(binary), "import", str(corpus)], env=env, check=False)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise RuntimeError(f"import failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    summary = result.stdout.strip().splitlines()[-1]
    log(f"import: {summary} (wall {seconds:.0f} s)")
    started = time.monotonic()
    cluster.psql(db, "VACUUM (ANALYZE); CREATE EXTENSION IF NOT EXISTS pg_stat_statements;")
    vacuum = time.monotonic() - started
    size = cluster.psql(db, "SELECT pg_size_pretty(pg_database_size(current_database()))").strip()
    info = {
        "database": db,
        "loaded_at": dt.datetime.now().isoformat(timespec="seconds"),
        "import_seconds": seconds,
        "vacuum_analyze_seconds": vacuum,
        "import_summary": summary,
        "database_size": size,
        "corpus": corpus.name,
        "corpus_bytes": corpus.stat().st_size,
    }
    marker.write_text(json.dumps(info, indent=2))
    info["loaded_now"] = True
    return info


def fresh_copy(cluster: Cluster, template: str) -> tuple[str, float]:
    db = f"{template}_run"
    cluster.psql("postgres", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    started = time.monotonic()
    cluster.psql("postgres", f"CREATE DATABASE {db} TEMPLATE {template} STRATEGY FILE_COPY")
    return db, time.monotonic() - started


# --------------------------------------------------------------------------------------
# The service


def service_env(args, url: str, port: int | None = None) -> dict:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": url,
        "CASEBOOK_DEMO_DATA": "false",
        "CASEBOOK_WRITE_RATE_PER_USER": "1000000",
        "CASEBOOK_ACCESS_TOKEN_TTL_SECS": "86400",
        "CASEBOOK_JWT_SIGNING_KEY": "casebook-benchmark-signing-key-0123456789abcdef",
        # Words alone: an installed model would embed the whole collection in the background
        # during every workload (bench/cold.py measures search by meaning).
        "CASEBOOK_EMBEDDING_MODEL": "off",
    })
    env.pop("RUST_LOG", None)
    if port:
        env["CASEBOOK_ADDR"] = f"127.0.0.1:{port}"
    return env


class Service:
    def __init__(self, binary: Path, env: dict, port: int, logpath: Path) -> None:
        self.binary, self.env, self.port, self.logpath = binary, env, port, logpath
        self.proc: subprocess.Popen | None = None
        self.base = f"http://127.0.0.1:{port}"

    def start(self) -> float:
        """Starts the service; returns seconds to ready (/health 200 and a search answered)."""
        self.logfile = open(self.logpath, "a")
        started = time.monotonic()
        self.proc = subprocess.Popen([str(self.binary), "serve"], env=self.env,
                                     stdout=self.logfile, stderr=subprocess.STDOUT)
        deadline = started + 300
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the service exited with {self.proc.returncode}; see {self.logpath}")
            try:
                status, _ = http(self.base + "/health", timeout=2)
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.01)
        health = time.monotonic() - started
        status, _ = http(self.base + "/api/v1/case-studies?q=community&limit=20", timeout=120)
        if status != 200:
            raise RuntimeError(f"first search answered {status}")
        self.health_seconds = health
        return time.monotonic() - started

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.logfile.close()

    def log_size(self) -> int:
        return self.logpath.stat().st_size

    def log_problems(self, offset: int) -> dict:
        """Failed requests the service logged since `offset`, by kind (each is logged once
        by the service's error mapping, and again by the request middleware)."""
        counts: dict[str, int] = {}
        with open(self.logpath, errors="replace") as f:
            f.seek(offset)
            for line in f:
                line = re.sub(r"\x1b\[[0-9;]*m", "", line)
                if "panicked" in line:
                    kind = "panic"
                elif "casebook::error: database unavailable" in line:
                    reason = re.search(r"reason=(.*)", line)
                    kind = "503 database unavailable: " + (reason.group(1).strip() if reason else "?")
                elif "casebook::error: request failed" in line:
                    kind = "500 request failed"
                else:
                    continue
                counts[kind] = counts.get(kind, 0) + 1
        return counts


def http(url: str, *, method="GET", body: bytes | None = None, headers=None, timeout=60):
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def get_json(base: str, path: str, token: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    status, body = http(base + path, headers=headers)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
    return json.loads(body)


class Memory:
    """Peak resident memory of a process over an interval: the kernel's high-water mark,
    reset at the start (clear_refs 5), checked against our own sampling every 20 ms."""

    def __init__(self, pid: int, postmaster: int | None = None) -> None:
        self.pid = pid
        self.postmaster = postmaster
        self.samples: list[int] = []
        self._stop = threading.Event()

    def _status(self, field: str) -> int:
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def __enter__(self):
        try:
            with open(f"/proc/{self.pid}/clear_refs", "w") as f:
                f.write("5")
            self.reset = True
        except OSError:
            self.reset = False
        self.start_rss = self._status("VmRSS")
        self.cpu_start = self.cpu_seconds()
        self.pg_start = cluster_cpu_seconds(self.postmaster)
        t = os.times()
        self.children_start = t.children_user + t.children_system + t.user + t.system
        self.machine_start = machine_busy()
        self.wall_start = time.monotonic()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                self.samples.append(self._status("VmRSS"))
            except OSError:
                return
            self._stop.wait(0.02)

    def __exit__(self, *exc):
        self._stop.set()
        self.thread.join()
        self.end_rss = self._status("VmRSS")
        hwm = self._status("VmHWM") if self.reset else 0
        self.peak_kb = max([hwm, self.end_rss] + self.samples)
        self.cpu = self.cpu_seconds() - self.cpu_start
        self.wall = time.monotonic() - self.wall_start
        self.pg_cpu = cluster_cpu_seconds(self.postmaster) - self.pg_start
        t = os.times()
        self.children_cpu = t.children_user + t.children_system + t.user + t.system - self.children_start
        busy, total = machine_busy()
        cpus = os.cpu_count() or 1
        self.machine_cpu = (busy - self.machine_start[0]) / max(1, total - self.machine_start[1]) * cpus * self.wall
        return False

    def summary(self) -> dict:
        return {
            "peak_rss_mb": round(self.peak_kb / 1024, 1),
            "start_rss_mb": round(self.start_rss / 1024, 1),
            "end_rss_mb": round(self.end_rss / 1024, 1),
            "service_cpu_percent": round(100 * self.cpu / max(self.wall, 1e-9), 0),
        }

    def cpu_split(self) -> dict:
        """Percent of one CPU used during the interval by the service, its PostgreSQL
        backends, the load generator, and everything else on the machine."""
        wall = max(self.wall, 1e-9)
        ours = self.cpu + self.pg_cpu + self.children_cpu
        return {
            "service": round(100 * self.cpu / wall),
            "postgres": round(100 * self.pg_cpu / wall),
            "load_generator": round(100 * self.children_cpu / wall),
            "other": max(0, round(100 * (self.machine_cpu - ours) / wall)),
            "machine": round(100 * self.machine_cpu / wall),
        }


def proc_cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cluster_cpu_seconds(postmaster: int | None) -> float:
    """CPU time of the benchmark cluster's processes alive now (the service's pooled
    connections live through a measured run; pgbench's do not run then)."""
    if not postmaster:
        return 0.0
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            with open(entry / "stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == postmaster or int(entry.name) == postmaster:
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            continue
    return total


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of every CPU, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def loadavg() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


# --------------------------------------------------------------------------------------
# Workloads: realistic, deterministic request mixes


QUADRANTS = ["co-commissioning", "co-design", "co-delivery", "co-assessment"]
SECTORS = ["health", "social-care", "housing", "youth-work", "older-people", "disability",
           "children-and-families", "community-learning", "parks-and-environment",
           "local-government", "community-safety", "alcohol-and-drugs", "education"]
COUNTRIES = ["Scotland", "England", "Wales", "Northern Ireland"]
ROLES = ["lead", "partner", "funder", "community", "supporter"]
SCALES = ["individual", "group", "community", "organisation"]
JOURNEY = ["map-it", "focus-it", "people-it", "market-it", "grow-it"]
VALUES = ["equality", "mutual-benefit", "social-relationships", "access"]
STOP = {"the", "a", "an", "and", "of", "for", "to", "in", "on", "with", "at", "by", "your",
        "our", "their", "is", "was", "as", "it", "we", "be", "or", "not"}


class Facts:
    """What the workloads draw on, read from the loaded database."""

    def __init__(self, cluster: Cluster, db: str, seed: int) -> None:
        self.organisations = [r[0] for r in cluster.rows(db, """
            SELECT o.slug FROM organisations o JOIN case_study_partners p ON p.organisation_id = o.id
            GROUP BY o.slug ORDER BY count(*) DESC, o.slug""")]
        self.ids = [r[0] for r in cluster.rows(db, f"""
            SELECT id FROM case_studies WHERE status = 'published'
            ORDER BY md5(id::text || '{seed}') LIMIT 3000""")]
        places: dict[str, int] = {}
        for locality, n in cluster.rows(db, """
                SELECT locality, count(*) FROM case_studies WHERE locality IS NOT NULL
                GROUP BY locality"""):
            for part in locality.split(",")[:2]:
                part = part.strip()
                places[part] = places.get(part, 0) + int(n)
        self.places = sorted(places, key=lambda p: (-places[p], p))
        self.slug_by_name = {name: slug for name, slug in cluster.rows(
            db, "SELECT lower(name), slug FROM organisations")}
        self.sectors = SECTORS


def search_paths(facts: Facts, rng: random.Random, n: int) -> list[str]:
    """An analyst's mix: 1-3 domain words, places, phrases, a few misspellings, exclusions
    and alternatives; about 40% with one or two filters."""
    import corpus_text

    pools = corpus_text.sector_pools()
    terms, titles, people = [], [], []
    for pool in pools.values():
        terms += pool.get("term", [])
        titles += pool.get("title", [])
        people += pool.get("people", [])
    words = sorted({w.lower() for t in titles + terms for w in re.findall(r"[A-Za-z][a-z-]+", t)
                    if w.lower() not in STOP and len(w) > 3})
    top_places = facts.places[:150]

    def short(text: str, most: int = 3) -> str:
        parts = [w for w in re.findall(r"[A-Za-z'-]+", text) if w.lower() not in STOP]
        return " ".join(parts[:most]).lower()

    def misspell(word: str) -> str:
        i = rng.randrange(1, len(word) - 2)
        return word[:i] + word[i + 1:] if rng.random() < 0.5 else word[:i] + word[i + 1] + word[i] + word[i + 2:]

    paths = []
    for _ in range(n):
        kind = rng.choices(["term", "words", "term+place", "place", "phrase", "misspelt",
                            "exclude", "or", "people"],
                           weights=[30, 20, 15, 8, 6, 5, 5, 5, 6])[0]
        if kind == "term":
            q = short(rng.choice(terms))
        elif kind == "words":
            q = " ".join(rng.sample(words, rng.choice([1, 2, 2])))
        elif kind == "term+place":
            q = f"{short(rng.choice(terms), 2)} {rng.choice(top_places)}"
        elif kind == "place":
            q = rng.choice(top_places)
        elif kind == "phrase":
            two = [t for t in terms if len(t.split()) == 2]
            q = f'"{rng.choice(two).lower()}"'
        elif kind == "misspelt":
            longer = [p for p in top_places if len(p) >= 7 and " " not in p]
            q = misspell(rng.choice(longer).lower())
        elif kind == "exclude":
            a, b = rng.sample(words, 2)
            q = f"{a} -{b}"
        elif kind == "or":
            a, b = rng.sample(words, 2)
            q = f"{a} or {b}"
        else:
            q = short(rng.choice(people), 2)
        params: list[tuple[str, str]] = [("q", q)]
        if rng.random() < 0.4:
            for name in rng.sample(["quadrant", "sector", "country", "partner_role", "year_from", "scale"],
                                   rng.choice([1, 1, 2])):
                params.append((name, {
                    "quadrant": lambda: rng.choice(QUADRANTS),
                    "sector": lambda: rng.choice(facts.sectors),
                    "country": lambda: rng.choice(COUNTRIES[:2] * 3 + COUNTRIES[2:]),
                    "partner_role": lambda: "community",
                    "year_from": lambda: str(rng.choice([2015, 2018, 2020, 2022])),
                    "scale": lambda: rng.choice(SCALES),
                }[name]()))
        paths.append("/api/v1/case-studies?" + urllib.parse.urlencode(params))
    return paths


def filter_params(facts: Facts, rng: random.Random) -> list[tuple[str, str]]:
    choices = {
        "quadrant": lambda: ",".join(rng.sample(QUADRANTS, rng.choice([1, 1, 2]))),
        "sector": lambda: rng.choice(facts.sectors),
        "country": lambda: rng.choice(COUNTRIES[:2] * 3 + COUNTRIES[2:]),
        "partner": lambda: rng.choice(facts.organisations[:40] if rng.random() < 0.6
                                      else facts.organisations[40:400]),
        "partner_role": lambda: rng.choice(["community", "community", "funder", "supporter"]),
        "scale": lambda: rng.choice(SCALES),
        "journey_step": lambda: rng.choice(JOURNEY),
        "value": lambda: rng.choice(VALUES),
        "year_from": lambda: str(rng.choice([2012, 2016, 2019, 2021])),
    }
    if rng.random() < 0.08:
        return []
    names = rng.sample(list(choices), rng.choice([1, 2, 2, 3, 3, 4]))
    return [(name, choices[name]()) for name in names]


def filter_paths(facts: Facts, rng: random.Random, n: int) -> list[str]:
    paths = []
    for _ in range(n):
        params = filter_params(facts, rng)
        if rng.random() < 0.2:
            params.append(("sort", rng.choice(["title", "oldest", "completeness"])))
        paths.append("/api/v1/case-studies?" + urllib.parse.urlencode(params))
    return paths


def deep_paths(base: str, facts: Facts, size: int, depth: int = 50, pages: int = 10) -> tuple[list[str], list[dict]]:
    """Follows next_cursor `depth` pages into broad filter-only searches, then keeps the
    cursors of the next `pages` pages: what the workload requests."""
    combos = [
        [], [("sort", "title")], [("sort", "oldest")], [("country", "Scotland")],
        [("quadrant", "co-design")], [("partner_role", "community")],
        [("partner", facts.organisations[0])], [("country", "England"), ("quadrant", "co-delivery")],
        [("sector", "health"), ("sort", "title")], [("value", "equality")],
    ]
    paths, chains = [], []
    for combo in combos:
        path = "/api/v1/case-studies?" + urllib.parse.urlencode(combo + [("limit", "20")])
        first = get_json(base, path)
        if first["total"] < (depth + pages) * 20:
            continue
        page, cursor = first, None
        for number in range(1, depth + pages):
            cursor = page.get("next_cursor")
            if not cursor:
                break
            url = path + "&" + urllib.parse.urlencode({"cursor": cursor})
            if number >= depth:
                paths.append(url)
            page = get_json(base, url)
        chains.append({"filters": urllib.parse.urlencode(combo) or "(none)", "total": first["total"]})
    return paths, chains


def read_paths(facts: Facts) -> list[str]:
    return [f"/api/v1/case-studies/{i}" for i in facts.ids]


def create_bodies(facts: Facts, corpus: Path, rng: random.Random, n: int) -> list[str]:
    """Real-sized documents: lines of the corpus, with partners named by slug."""
    with open(corpus) as f:
        lines = f.readlines()
    bodies = []
    for line in rng.sample(lines, min(n, len(lines))):
        record = json.loads(line)
        for key in ("slug", "status", "owner"):
            record.pop(key, None)
        partners = []
        for partner in record.get("partners", []):
            slug = facts.slug_by_name.get(partner["organisation"]["name"].lower())
            if slug:
                partners.append({"organisation": slug, "role": partner["role"]})
        if not any(p["role"] == "lead" for p in partners):
            continue
        record["partners"] = partners
        bodies.append(json.dumps(record, ensure_ascii=False))
    return bodies


# --------------------------------------------------------------------------------------
# Load through the service (wrk)


def wrk(base: str, script: str, args: list[str], connections: int, seconds: float,
        threads: int) -> dict:
    cmd = ["wrk", "-t", str(min(threads, connections)), "-c", str(connections),
           "-d", f"{max(1, round(seconds))}s", "--timeout", "10s",
           "-s", str(BENCH / "wrk" / script), base, "--"] + args
    result = run(cmd, timeout=seconds + 120)
    line = next((l for l in result.stdout.splitlines() if l.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{result.stdout}\n{result.stderr}")
    data = json.loads(line[len("WRKJSON "):])
    statuses: dict[str, int] = {}
    for entry in data.pop("statuses", []):
        for code, n in entry.items():
            statuses[code] = statuses.get(code, 0) + n
    data["statuses"] = statuses
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    e = data["errors"]
    data["error_count"] = e["connect"] + e["read"] + e["write"] + e["status"] + e["timeout"]
    return data


# --------------------------------------------------------------------------------------
# Capturing what the service sends, and replaying it with pgbench


BACKGROUND = ("FROM \"change_log\"", "FROM change_log")


def capture(base: str, cluster: Cluster, db: str,
            requests: list[tuple[str, str, bytes | None, dict]]) -> list[list[dict]]:
    """Sends `requests` one at a time with log_statement=all, each between two marker reads
    (GETs of ids no case study has), and returns the statements of each, with their
    parameters, as the service sent them."""
    offset = cluster.log_offset()
    cluster.log_statements(True)
    try:
        for number, (method, path, body, headers) in enumerate(requests):
            http(f"{base}/api/v1/case-studies/{MARKER_PREFIX}{2 * number:012x}")
            status, answer = http(base + path, method=method, body=body, headers=headers)
            if status >= 300:
                raise RuntimeError(f"{method} {path[:200]} answered {status}: {answer[:300]!r}")
            http(f"{base}/api/v1/case-studies/{MARKER_PREFIX}{2 * number + 1:012x}")
            time.sleep(0.03)
    finally:
        cluster.log_statements(False)
    time.sleep(0.5)
    groups: list[list[dict]] = []
    current: list[dict] | None = None
    with open(cluster.logfile, newline="", errors="replace") as f:
        f.seek(offset)
        for row in csv.reader(f):
            if len(row) < 15 or row[2] != db:
                continue
            message, detail, pid = row[13], row[14], row[3]
            statement = parse_logged(message, detail)
            if statement is None:
                continue
            marker = next((v for v in statement["params"].values() if MARKER_PREFIX in v), None)
            if marker is not None:
                number = int(marker.strip("'")[len(MARKER_PREFIX):], 16)
                if number % 2 == 0:
                    current = []
                elif current is not None:
                    groups.append(current)
                    current = None
                continue
            if current is not None:
                statement["pid"] = pid
                current.append(statement)
    # The index follower polls the change log every 500 ms on its own connection: keep
    # such statements only on a connection the request itself used.
    # A pool that checks a connection (SELECT 1) each time it hands one out sends the last
    # such check before the closing marker for the marker's own request.
    cleaned = []
    for group in groups:
        pids = {s["pid"] for s in group
                if not any(b in s["text"] for b in BACKGROUND) and s["text"].strip() != "SELECT $1"}
        kept = [s for s in group if s["pid"] in pids or not any(b in s["text"] for b in BACKGROUND)]
        if kept and kept[-1]["text"].strip() == "SELECT $1":
            kept.pop()
        cleaned.append(kept)
    return cleaned


def read_statements(cluster: Cluster, db: str, offset: int) -> list[dict]:
    """Every statement logged for `db` since `offset`, but the index follower's polls."""
    time.sleep(0.5)
    statements = []
    with open(cluster.logfile, newline="", errors="replace") as f:
        f.seek(offset)
        for row in csv.reader(f):
            if len(row) < 15 or row[2] != db:
                continue
            statement = parse_logged(row[13], row[14])
            if statement and not any(b in statement["text"] for b in BACKGROUND):
                statement["pid"] = row[3]
                statements.append(statement)
    return statements


PARAM = re.compile(r"\$(\d+) = (NULL|'(?:[^']|'')*')", re.S)


def parse_logged(message: str, detail: str) -> dict | None:
    if message.startswith("statement: "):
        return {"text": message[len("statement: "):], "params": {}, "named": False}
    match = re.match(r"execute (\S+): (.*)", message, re.S)
    if not match:
        return None
    params = {}
    if detail.startswith("parameters: "):
        params = {int(n): v for n, v in PARAM.findall(detail[len("parameters: "):])}
    return {"text": match.group(2), "params": params, "named": match.group(1) != "<unnamed>"}


def parameter_types(cluster: Cluster, db: str, texts: list[str]) -> dict[str, list[str]]:
    """The types PostgreSQL infers for each statement's parameters (PREPARE, then ask)."""
    types: dict[str, list[str]] = {}
    for text in texts:
        if "$1" not in text:
            types[text] = []
            continue
        sql = (f"PREPARE bench_probe AS {text};\n"
               "SELECT array_to_string(parameter_types::text[], '|') FROM pg_prepared_statements "
               "WHERE name = 'bench_probe';\n")
        result = run([pg_bin("psql"), "-X", "-q", "-A", "-t", "-h", "127.0.0.1", "-p",
                      str(cluster.port), "-U", "postgres", "-d", db, "-v", "ON_ERROR_STOP=1"],
                     input=sql, check=False)
        types[text] = result.stdout.strip().split("|") if result.returncode == 0 else []
    return types


def literal_sql(statement: dict, types: list[str], replace: dict[str, str] | None = None) -> str:
    """The statement with its parameters written in as typed literals. `replace` maps text
    inside parameter values to SQL expressions (fresh ids for replayed creates)."""

    def value(match: re.Match) -> str:
        number = int(match.group(1))
        raw = statement["params"].get(number, "NULL")
        cast = f"::{types[number - 1]}" if number - 1 < len(types) else ""
        if raw == "NULL":
            return f"NULL{cast}"
        expression = raw
        interior = raw[1:-1]
        needles = [n for n in (replace or {}) if n in interior]
        if needles:
            pattern = "(" + "|".join(map(re.escape, sorted(needles, key=len, reverse=True))) + ")"
            parts = []
            for i, piece in enumerate(re.split(pattern, interior)):
                if i % 2:
                    parts.append(replace[piece])
                elif piece:
                    parts.append(f"'{piece}'")
            expression = "(" + " || ".join(parts) + ")"
        return f"{expression}{cast}"

    return re.sub(r"\$(\d+)\b", value, statement["text"])


def write_scripts(groups: list[list[dict]], types: dict[str, list[str]], folder: Path,
                  fresh_ids: bool = False) -> list[Path]:
    """One pgbench script per captured request (each a transaction of pgbench's)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.sql"):
        old.unlink()
    files = []
    for number, group in enumerate([g for g in groups if g][:PGBENCH_MAX_SCRIPTS]):
        lines = []
        replace = {}
        if fresh_ids:
            # A replayed create must not collide with the one it copies: the new case
            # study's id and slug are made afresh in every transaction.
            insert = next((s for s in group if re.match(r'INSERT INTO "?case_studies"? ', s["text"])), None)
            if insert:
                columns, tokens = re.search(r"\((.*?)\) VALUES \((.*?)\)", insert["text"]).groups()
                names = [c.strip().strip('"') for c in columns.split(",")]
                values = {}
                for name, token in zip(names, (t.strip() for t in tokens.split(","))):
                    if token.startswith("$"):
                        values[name] = insert["params"].get(int(token[1:]), "")
                new_id = values.get("id", "").strip("'")
                slug = values.get("slug", "").strip("'")
                if new_id:
                    lines.append("\\set bench_hi random(0, 2147483647)")
                    lines.append("\\set bench_lo random(0, 281474976710655)")
                    replace[new_id] = ("(lpad(to_hex(:bench_hi::bigint), 8, '0') || '-0000-7000-8000-' || "
                                       "lpad(to_hex(:bench_lo::bigint), 12, '0'))")
                if slug:
                    replace[slug] = f"('{slug}-' || :bench_lo)"
        for statement in group:
            sql = literal_sql(statement, types.get(statement["text"], []), replace)
            lines.append(sql.rstrip().rstrip(";") + ";")
        path = folder / f"request-{number:03d}.sql"
        path.write_text("\n".join(lines) + "\n")
        files.append(path)
    return files


def pgbench(cluster: Cluster, db: str, scripts: list[Path], connections: int, seconds: float,
            folder: Path, threads: int) -> dict:
    for old in folder.glob("pgbench_log*"):
        old.unlink()
    cmd = [pg_bin("pgbench"), "-n", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres",
           "-M", "simple", "-c", str(connections), "-j", str(min(threads, connections)),
           "-T", str(max(1, round(seconds))), "-l", "--log-prefix", str(folder / "pgbench_log")]
    for script in scripts:
        cmd += ["-f", f"{script}@1"]
    result = run(cmd + [db], check=False, timeout=seconds + 120)
    text = result.stdout + result.stderr
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", text)
    failed = re.search(r"number of failed transactions: (\d+)", text)
    if not tps:
        raise RuntimeError(f"pgbench failed:\n{text[-4000:]}")
    latencies = []
    for logfile in folder.glob("pgbench_log*"):
        with open(logfile) as f:
            for line in f:
                fields = line.split()
                if len(fields) >= 3 and fields[2].isdigit():
                    latencies.append(int(fields[2]))
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] / 1000 if latencies else 0.0

    errors = re.findall(r"ERROR:.*", text)
    return {
        "tps": float(tps.group(1)),
        "failed": int(failed.group(1)) if failed else 0,
        "transactions": len(latencies),
        "p50_ms": pct(50), "p99_ms": pct(99),
        "errors": sorted(set(errors))[:5],
        "exit": result.returncode,
    }


def statement_stats(cluster: Cluster, db: str, limit: int = 5) -> list[dict]:
    rows = cluster.rows(db, f"""
        SELECT calls, round(total_exec_time::numeric, 1), round(mean_exec_time::numeric, 3),
               rows, shared_blks_hit, shared_blks_read,
               regexp_replace(left(query, 160), '\\s+', ' ', 'g')
        FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND query NOT ILIKE '%pg_stat_statements%'
        ORDER BY total_exec_time DESC LIMIT {limit}""")
    return [{"calls": int(r[0]), "total_ms": float(r[1]), "mean_ms": float(r[2]), "rows": int(r[3]),
             "hit": int(r[4]), "read": int(r[5]), "query": r[6]} for r in rows]


def reset_statements(cluster: Cluster, db: str) -> None:
    cluster.psql(db, "SELECT pg_stat_statements_reset()")


# --------------------------------------------------------------------------------------
# Latency at a fixed arrival rate: a small open-loop client


async def _open_loop(host: str, port: int, paths: list[str], rate: float, seconds: float) -> dict:
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []
    latencies: list[float] = []
    failures: dict[str, int] = {}
    opened = 0

    async def one(path: str, due: float, fresh: bool = False) -> None:
        nonlocal opened
        reused = False
        # The service closes connections idle for its keep-alive time (5 s): use only
        # recently used ones, and retry once on a new connection if a reused one was closed.
        while idle and not fresh:
            reader, writer, last = idle.pop()
            if time.monotonic() - last < 2.0:
                reused = True
                break
            writer.close()
        if not reused:
            reader, writer = await asyncio.open_connection(host, port)
            opened += 1
        try:
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            lowered = head.lower()
            match = re.search(rb"content-length: *(\d+)", lowered)
            if match:
                await reader.readexactly(int(match.group(1)))
            elif b"transfer-encoding: chunked" in lowered:
                while True:
                    size = int((await reader.readline()).strip(), 16)
                    await reader.readexactly(size + 2)
                    if size == 0:
                        break
            latencies.append(time.monotonic() - due)
            if status != 200:
                failures[str(status)] = failures.get(str(status), 0) + 1
            idle.append((reader, writer, time.monotonic()))
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            writer.close()
            if reused:
                await one(path, due, fresh=True)
                return
            failures[type(error).__name__] = failures.get(type(error).__name__, 0) + 1

    loop = asyncio.get_running_loop()
    start = loop.time()
    tasks = []
    total = int(rate * seconds)
    mono_offset = time.monotonic() - loop.time()
    for i in range(total):
        due = start + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        # Latency counts from when the request was due, not when it went out.
        tasks.append(asyncio.create_task(one(paths[i % len(paths)], due + mono_offset)))
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=120)
    for _, writer, _ in idle:
        writer.close()
    latencies.sort()

    def pct(p: float) -> float:
        return 1000 * latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] if latencies else 0.0

    elapsed = loop.time() - start
    return {"rate": rate, "sent": total, "answered": len(latencies), "achieved_rps": len(latencies) / elapsed,
            "p50_ms": pct(50), "p90_ms": pct(90), "p99_ms": pct(99), "max_ms": 1000 * latencies[-1] if latencies else 0,
            "failures": failures, "connections_opened": opened}


def open_loop(base: str, paths: list[str], rate: float, seconds: float) -> dict:
    parsed = urllib.parse.urlparse(base)
    return asyncio.run(_open_loop(parsed.hostname, parsed.port, paths, rate, seconds))


# --------------------------------------------------------------------------------------
# Export, plans, machine


def export(base: str, path: str, token: str, pid: int) -> dict:
    with Memory(pid) as memory:
        started = time.monotonic()
        request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
        total, newlines, first_byte, last = 0, 0, None, b""
        with urllib.request.urlopen(request, timeout=600) as response:
            status = response.status
            while True:
                chunk = response.read(1 << 16)
                if first_byte is None:
                    first_byte = time.monotonic() - started
                if not chunk:
                    break
                total += len(chunk)
                newlines += (last + chunk[:1]).count(b"\r\n") + chunk.count(b"\r\n")
                last = chunk[-1:]
        seconds = time.monotonic() - started
    return {"status": status, "seconds": seconds, "first_byte_s": first_byte, "bytes": total,
            "crlf_lines": newlines, **memory.summary()}


def explain(cluster: Cluster, db: str, statement: dict, types: list[str]) -> str:
    sql = literal_sql(statement, types)
    result = run([pg_bin("psql"), "-X", "-q", "-A", "-t", "-h", "127.0.0.1", "-p", str(cluster.port),
                  "-U", "postgres", "-d", db],
                 input=f"BEGIN;\nEXPLAIN (ANALYZE, BUFFERS, TIMING) {sql};\nROLLBACK;\n", check=False)
    return (result.stdout + result.stderr).strip()


def service_commit() -> str:
    """The last commit that changed the service itself."""
    return run(["git", "-C", str(ROOT), "log", "-1", "--format=%h", "--", "src", "migrations",
                "Cargo.toml", "Cargo.lock"], check=False).stdout.strip()


def machine(cluster: Cluster) -> dict:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    wrk_version = run(["wrk", "--version"], check=False).stdout.split("\n")[0].split(" [")[0]
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "memory_gib": round(int(mem) / 1024 / 1024, 1),
        "cpu": cpu,
        "kernel": platform.release(),
        "postgresql": cluster.version(),
        "wrk": wrk_version,
        "pgbench": run([pg_bin("pgbench"), "--version"], check=False).stdout.strip(),
        "commit": run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], check=False).stdout.strip(),
        "service_commit": service_commit(),
        "loadavg_start": loadavg(),
    }


# --------------------------------------------------------------------------------------
# The run


TITLES = {"startup": "Start-up", "export": "CSV export"}

WORKLOADS = {
    "search": "Text search with facets",
    "filters": "Filter-only search",
    "deep": "Deep cursor pages",
    "read": "Read by id",
    "create": "Create (revision, change log)",
}


def cold_runs(base: str, corpus: Path, service: Service, cluster: Cluster, requests: int) -> dict:
    """Distinct searches and reads by id, each sent once at 8 connections (bench/cold.py), with
    the CPU each took: what a new question costs when no kept answer can help."""
    rng = random.Random(7)
    runs = {}
    for kind in ("search", "read"):
        if kind == "search":
            paths = cold.questions(cold.vocabulary(str(corpus), 20000), requests, None, rng)
        else:
            paths = cold.published_slugs(str(corpus), requests, rng)
        log(f"== cold {kind}: {len(paths):,} distinct requests, each once")
        with Memory(service.pid, cluster.postmaster()) as memory:
            measured = cold.measure(base, paths, 8, kind)
        measured["memory"] = memory.summary()
        measured["cpu"] = memory.cpu_split()
        measured["cpu_ms_per_request"] = {
            "service": 1000 * memory.cpu / max(1, measured["requests"]),
            "postgres": 1000 * memory.pg_cpu / max(1, measured["requests"])}
        log(f"cold {kind}: {measured['per_second']:.0f}/s, p50 {measured['p50_ms']:.1f} ms, "
            f"p99 {measured['p99_ms']:.1f} ms, cache hit ratio {measured['cache_hit_ratio']}")
        runs[kind] = measured
    return runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000, help="case studies in the corpus")
    parser.add_argument("--organisations", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=float, default=20, help="seconds per workload and concurrency")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of unmeasured load before each workload")
    parser.add_argument("--connections", default="8,32")
    parser.add_argument("--rate", type=float, default=100, help="searches a second for the fixed-rate test")
    parser.add_argument("--rate-duration", type=float, default=30)
    parser.add_argument("--capture", type=int, default=60, help="requests captured per workload for pgbench")
    parser.add_argument("--threads", type=int, default=2, help="wrk and pgbench threads")
    parser.add_argument("--workloads", default=",".join(WORKLOADS), help="a subset, comma-separated")
    parser.add_argument("--cold-requests", type=int, default=20000,
                        help="distinct searches, and distinct reads by id, of the cold runs")
    parser.add_argument("--shared-buffers", default="1GB", help="of the benchmark cluster, set at initdb")
    parser.add_argument("--quick", action="store_true",
                        help="10,000 case studies, 5 s per workload; writes bench/out/RESULTS-quick.md")
    parser.add_argument("--keep-running", action="store_true", help="leave the PostgreSQL cluster running")
    parser.add_argument("--report-only", action="store_true", help="rewrite RESULTS.md from saved results")
    args = parser.parse_args()
    if args.quick:
        args.size, args.duration, args.warmup, args.rate_duration, args.capture = 10_000, 5, 1, 10, 30
    if args.report_only:
        write_report()
        return 0
    connections = [int(c) for c in args.connections.split(",")]
    workloads = [w for w in args.workloads.split(",") if w]
    binary = ROOT / "target" / "release" / "casebook"
    if not binary.exists():
        raise SystemExit("build the service first: cargo build --release")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    run_started = time.monotonic()
    work = OUT / f"work-{args.size}"
    work.mkdir(parents=True, exist_ok=True)
    cluster = Cluster()
    cluster.init(args.shared_buffers)
    cluster.start()
    service = None
    try:
        results = {"size": args.size, "organisations": args.organisations, "seed": args.seed,
                   "duration_s": args.duration, "connections": connections, "machine": machine(cluster),
                   "workloads": {}, "settings": {
                       "shared_buffers": cluster.psql("postgres", "SHOW shared_buffers").strip(),
                       "wrk_threads": args.threads, "pgbench_mode": "simple", "warmup_s": args.warmup}}
        results["load"] = ensure_loaded(args, cluster, binary)
        db, copy_seconds = fresh_copy(cluster, results["load"]["database"])
        results["copy_seconds"] = copy_seconds
        log(f"copied the loaded database to {db} in {copy_seconds:.1f} s")
        results["counts"] = dict(zip(["case_studies", "published", "organisations"], map(int, cluster.rows(db, """
            SELECT (SELECT count(*) FROM case_studies), (SELECT count(*) FROM case_studies WHERE status = 'published'),
                   (SELECT count(*) FROM organisations)""")[0])))
        facts = Facts(cluster, db, args.seed)

        # Start-up time on an already-migrated database: once with no kept search index (every
        # case study's words analysed), then three times keeping it.
        port = free_port(18080)
        env = service_env(args, cluster.url(db), port)
        index_dir = work / "search-index"
        shutil.rmtree(index_dir, ignore_errors=True)
        env["CASEBOOK_SEARCH_INDEX_DIR"] = str(index_dir)
        admin = run([str(binary), "user", "add", "--email", ADMIN_EMAIL, "--role", "admin",
                     "--organisation", facts.organisations[0]], input=ADMIN_PASSWORD + "\n", env=env)
        startups = []
        for attempt in range(4):
            service = Service(binary, env, port, work / "service.log")
            ready = service.start()
            start = {"ready_s": ready, "health_s": service.health_seconds,
                     "rss_mb": round(Memory(service.pid)._status("VmRSS") / 1024, 1)}
            if attempt == 0:
                results["first_start"] = start
            else:
                startups.append(start)
            log(f"start-up {attempt + 1}: /health after {service.health_seconds:.2f} s, first search after {ready:.2f} s")
            if attempt < 3:
                service.stop()
        results["startup"] = startups
        # What start-up asks of the database: a fourth start with statements logged.
        service.stop()
        offset = cluster.log_offset()
        cluster.log_statements(True)
        try:
            service = Service(binary, env, port, work / "service.log")
            service.start()
        finally:
            cluster.log_statements(False)
        startup_group = read_statements(cluster, db, offset)
        startup_types = parameter_types(cluster, db, sorted({s["text"] for s in startup_group}))
        startup_scripts = write_scripts([startup_group], startup_types, work / "pgbench-startup")
        started = time.monotonic()
        run([pg_bin("pgbench"), "-n", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres",
             "-M", "simple", "-c", "1", "-t", "1", "-f", str(startup_scripts[0]), db])
        results["startup_database_alone_s"] = time.monotonic() - started
        results["startup_statements"] = len(startup_group)
        log(f"start-up sends {len(startup_group)} statements; alone they take "
            f"{results['startup_database_alone_s']:.2f} s")
        base = service.base
        status, body = http(base + "/api/v1/auth/token", method="POST",
                            body=json.dumps({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}).encode(),
                            headers={"Content-Type": "application/json"})
        token = json.loads(body)["access_token"]
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

        rng = random.Random(args.seed)
        paths = {
            "search": search_paths(facts, rng, 400),
            "filters": filter_paths(facts, rng, 400),
            "read": read_paths(facts),
        }
        log("following cursors 50 pages deep")
        paths["deep"], chains = deep_paths(base, facts, args.size)
        results["deep_chains"] = chains
        bodies = create_bodies(facts, corpus_file(args) if corpus_file(args).exists() else ensure_corpus(args),
                               random.Random(args.seed + 1), 1000)
        for name, items in paths.items():
            (work / f"{name}.paths").write_text("\n".join(items) + "\n")
        (work / "create.bodies").write_text("\n".join(bodies) + "\n")
        # Every path must answer 200 before it is used as load.
        for name in ("search", "filters", "deep"):
            bad = [(p, s) for p in paths[name] for s, _ in [http(base + p)] if s != 200]
            if bad:
                raise RuntimeError(f"{name}: {len(bad)} paths do not answer 200, e.g. {bad[:3]}")

        all_types: dict[str, list[str]] = {}
        captured: dict[str, list[list[dict]]] = {}
        for name in workloads:
            log(f"== {WORKLOADS[name]}")
            if name == "create":
                requests = [("POST", "/api/v1/case-studies", b.encode(), auth) for b in bodies[:args.capture]]
            else:
                requests = [("GET", p, None, {}) for p in paths[name][:args.capture]]
            groups = capture(base, cluster, db, requests)
            captured[name] = groups
            (work / f"captured-{name}.json").write_text(json.dumps(groups, indent=1))
            texts = sorted({s["text"] for g in groups for s in g})
            types = parameter_types(cluster, db, texts)
            all_types.update(types)
            scripts = write_scripts(groups, types, work / f"pgbench-{name}", fresh_ids=(name == "create"))
            per_request = statistics.mean(len(g) for g in groups) if groups else 0
            named = sum(s["named"] for g in groups for s in g)
            total = sum(len(g) for g in groups)
            entry = {"title": WORKLOADS[name], "captured_requests": len(groups),
                     "statements_per_request": round(per_request, 2),
                     "prepared_share": round(named / total, 2) if total else 0,
                     "distinct_statements": len(texts), "runs": {}}
            script, script_args = ("create.lua", [str(work / "create.bodies"), token]) if name == "create" \
                else ("paths.lua", [str(work / f"{name}.paths")])
            if args.warmup > 0:
                wrk(base, script, script_args, connections[0], args.warmup, args.threads)
            for c in connections:
                reset_statements(cluster, db)
                log_offset = service.log_size()
                load_before = loadavg()
                with Memory(service.pid, cluster.postmaster()) as memory:
                    measured = wrk(base, script, script_args, c, args.duration, args.threads)
                top = statement_stats(cluster, db)
                problems = service.log_problems(log_offset)
                reference = pgbench(cluster, db, scripts, c, args.duration, work, args.threads)
                per_request = {"service": 1000 * memory.cpu / max(1, measured["requests"]),
                               "postgres": 1000 * memory.pg_cpu / max(1, measured["requests"])}
                run_entry = {"service": measured, "memory": memory.summary(), "cpu": memory.cpu_split(),
                             "cpu_ms_per_request": per_request,
                             "statements": top,
                             "service_log": problems, "database_alone": reference,
                             "ratio": measured["rps"] / reference["tps"] if reference["tps"] else None,
                             "loadavg_before": load_before, "loadavg_after": loadavg()}
                entry["runs"][str(c)] = run_entry
                log(f"{name} c={c}: {measured['rps']:.0f} req/s, p50 {measured['latency_us']['p50'] / 1000:.1f} ms, "
                    f"p99 {measured['latency_us']['p99'] / 1000:.1f} ms, errors {measured['error_count']}, "
                    f"peak RSS {memory.summary()['peak_rss_mb']} MB | database alone {reference['tps']:.0f}/s "
                    f"(ratio {run_entry['ratio']:.2f}), load {loadavg()[0]:.1f}, cpu {run_entry['cpu']}")
            results["workloads"][name] = entry
            # Fixed-rate search and export come after the reads, before creates add rows.
            if name == "read" or name == workloads[-1]:
                if "fixed_rate" not in results and "search" in paths:
                    rates = [("fixed_rate", args.rate)]
                    capacity = results["workloads"].get("search", {}).get("runs", {}).get(str(connections[0]))
                    if capacity:
                        rates.append(("fixed_rate_half", max(1.0, round(capacity["service"]["rps"] / 2))))
                    for key, rate in rates:
                        log(f"== search at a fixed {rate:.0f}/s for {args.rate_duration:.0f} s (open loop)")
                        log_offset = service.log_size()
                        with Memory(service.pid, cluster.postmaster()) as memory:
                            fixed = open_loop(base, paths["search"], rate, args.rate_duration)
                        fixed.update(memory.summary())
                        fixed["cpu"] = memory.cpu_split()
                        fixed["service_log"] = service.log_problems(log_offset)
                        results[key] = fixed
                        log(f"fixed rate {rate:.0f}/s: p50 {fixed['p50_ms']:.1f} ms, p99 {fixed['p99_ms']:.1f} ms, "
                            f"failures {fixed['failures']}, log {fixed['service_log']}")
                        time.sleep(3)
                if "cold" not in results and "search" in paths:
                    results["cold"] = cold_runs(base, corpus_file(args), service, cluster, args.cold_requests)
                if "export" not in results:
                    log("== CSV export of every case study (signed in, all statuses)")
                    export_path = ("/api/v1/case-studies/export?format=csv&"
                                   "status=draft,submitted,published,archived")
                    expected = int(cluster.psql(db, "SELECT count(*) FROM case_studies").strip())
                    outcome = export(base, export_path, token, service.pid)
                    outcome["expected_rows"] = expected
                    groups = capture(base, cluster, db, [("GET", export_path, None, {"Authorization": f"Bearer {token}"})])
                    texts = sorted({s["text"] for g in groups for s in g})
                    types = parameter_types(cluster, db, texts)
                    all_types.update(types)
                    captured["export"] = groups
                    scripts = write_scripts(groups, types, work / "pgbench-export")
                    started = time.monotonic()
                    run([pg_bin("pgbench"), "-n", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres",
                         "-M", "simple", "-c", "1", "-t", "1", "-f", str(scripts[0]), db])
                    outcome["database_alone_s"] = time.monotonic() - started
                    outcome["statements"] = len(groups[0]) if groups else 0
                    results["export"] = outcome
                    log(f"export: {outcome['seconds']:.1f} s, {outcome['bytes'] / 1e6:.0f} MB, peak RSS "
                        f"{outcome['peak_rss_mb']} MB (from {outcome['start_rss_mb']} MB); database alone "
                        f"{outcome['database_alone_s']:.1f} s")

        # Plans of the statements, each with the parameters of the slowest of up to three
        # captured requests.
        plans = []
        captured = {"startup": [startup_group], **captured}
        for name, groups in captured.items():
            instances: dict[str, list[dict]] = {}
            for group in groups:
                for statement in group:
                    text = statement["text"]
                    if (not re.match(r"\s*SELECT", text, re.I) or "pg_advisory" in text
                            or text.strip() == "SELECT $1" or len(instances.get(text, [])) >= 3):
                        continue
                    instances.setdefault(text, []).append(statement)
            for text, statements in instances.items():
                best = None
                for statement in statements:
                    plan = explain(cluster, db, statement, all_types.get(text, startup_types.get(text, [])))
                    found = re.search(r"Execution Time: ([\d.]+) ms", plan)
                    took = float(found.group(1)) if found else 0.0
                    if best is None or took > best["ms"]:
                        best = {"workload": name, "ms": took, "plan": plan,
                                "sql": literal_sql(statement, all_types.get(text, startup_types.get(text, [])))[:600]}
                plans.append(best)
        results["plans"] = plans
        results["machine"]["loadavg_end"] = loadavg()
        results["run_seconds"] = time.monotonic() - run_started
        results_dir = OUT / "results"
        results_dir.mkdir(exist_ok=True)
        name = f"quick-{args.size}.json" if args.quick else f"results-{args.size}.json"
        (results_dir / name).write_text(json.dumps(results, indent=2))
        write_report(quick=args.quick)
        log(f"done in {results['run_seconds'] / 60:.1f} min; wrote "
            f"{'bench/out/RESULTS-quick.md' if args.quick else 'bench/RESULTS.md'}")
    finally:
        if service:
            service.stop()
        if not args.keep_running:
            cluster.stop()
    return 0


# --------------------------------------------------------------------------------------
# RESULTS.md


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def per_request_cell(run_: dict) -> str:
    c = run_.get("cpu_ms_per_request")
    return f"{c['service']:.2f} / {c['postgres']:.2f}" if c else "-"


def cpu_cell(run_: dict) -> str:
    c = run_.get("cpu")
    if not c:
        return f"{run_['memory']['service_cpu_percent']:.0f} / - / - / -"
    return f"{c['service']} / {c['postgres']} / {c['load_generator']} / {c['other']}"


def write_report(quick: bool = False) -> None:
    """bench/RESULTS.md from every full run saved; a quick run writes bench/out/RESULTS-quick.md."""
    results_dir = OUT / "results"
    pattern = "quick-*.json" if quick else "results-*.json"
    runs = sorted((json.loads(p.read_text()) for p in results_dir.glob(pattern)),
                  key=lambda r: r["size"])
    if not runs:
        raise SystemExit("no results yet: run bench/run.sh first")
    largest = runs[-1]
    out: list[str] = []
    w = out.append

    def ms(us: float) -> str:
        return f"{us / 1000:.1f}"

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    w("# casebook benchmark results\n")
    w("Written by `bash bench/run.sh` (see bench/README.md); every figure below comes from the "
      "run it names. The service is the release build, on the same two cores as PostgreSQL and "
      "the load generator, talking over loopback.\n")
    for r in runs:
        m = r["machine"]
        w(f"## {r['size']:,} case studies\n")
        w(f"- Run: {m['date']}, service at commit `{m.get('service_commit') or service_commit()}`, "
          f"{r['duration_s']:.0f} s per workload and "
          f"concurrency, whole run {r['run_seconds'] / 60:.1f} min")
        w(f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gib']} GiB memory, Linux {m['kernel']}; "
          f"PostgreSQL {m['postgresql']} (shared_buffers {r['settings']['shared_buffers']}); {m['wrk']}; "
          f"{m['pgbench']}")
        w(f"- Load average (1/5/15 min) at start {' / '.join(map(str, m['loadavg_start']))}, "
          f"at end {' / '.join(map(str, m['loadavg_end']))}: the machine is shared with other work, "
          "so figures move by several percent between runs")
        c = r["counts"]
        load = r["load"]
        how = "loaded in this run" if load.get("loaded_now") else f"loaded on {load['loaded_at']}, reused"
        w(f"- Corpus: `{load['corpus']}` ({load['corpus_bytes'] / 1e6:.0f} MB): {c['case_studies']:,} case studies "
          f"({c['published']:,} published), {c['organisations']:,} organisations; database {load['database_size']}")
        w(f"- Loading through `casebook import` took **{load['import_seconds'] / 60:.1f} min** "
          f"({load['import_summary']}; then VACUUM ANALYZE {load['vacuum_analyze_seconds']:.0f} s), {how}; "
          f"copying the loaded database for this run took {r['copy_seconds']:.1f} s\n")

        w("CPU is in percent of one core (the machine has " + str(m["nproc"]) + "): service / its PostgreSQL "
          "backends / wrk / everything else running on the machine at the time.\n")
        w("| workload | conns | req/s | p50 ms | p99 ms | errors | peak RSS MB | CPU % svc / pg / wrk / other | CPU ms per request svc / pg | database alone /s | db-alone p50 / p99 ms | ratio |")
        w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, entry in r["workloads"].items():
            for conns, run_ in entry["runs"].items():
                s, d = run_["service"], run_["database_alone"]
                errors = str(s["error_count"])
                if s.get("statuses"):
                    odd = {k: v for k, v in s["statuses"].items() if not k.startswith("2")}
                    if odd:
                        errors += " (" + ", ".join(f"{k}: {v}" for k, v in odd.items()) + ")"
                if run_["service_log"]:
                    errors += "; log: " + ", ".join(f"{k} {v}" for k, v in run_["service_log"].items())
                w(f"| {entry['title']} | {conns} | {s['rps']:,.0f} | {ms(s['latency_us']['p50'])} | "
                  f"{ms(s['latency_us']['p99'])} | {errors} | {run_['memory']['peak_rss_mb']:.0f} | "
                  f"{cpu_cell(run_)} | {per_request_cell(run_)} | {d['tps']:,.0f}"
                  f"{' (' + str(d['failed']) + ' failed)' if d['failed'] else ''} | "
                  f"{d['p50_ms']:.1f} / {d['p99_ms']:.1f} | {run_['ratio']:.2f} |")
        w("")
        for key, label in (("fixed_rate", ""), ("fixed_rate_half", ", half the closed-loop throughput at 8 connections")):
            if key not in r:
                continue
            f = r[key]
            failures = ", ".join(f"{k}: {v:,}" for k, v in f["failures"].items()) or "none"
            logged = ", ".join(f"{k} {v:,}" for k, v in f.get("service_log", {}).items())
            cpu = f.get("cpu")
            w(f"- **Search at a fixed {f['rate']:.0f}/s**{label} (open loop, latency from when each request was due, "
              f"{f['sent']:,} requests in {f['sent'] / f['rate']:.0f} s): p50 {f['p50_ms']:.1f} ms, p90 {f['p90_ms']:.1f} ms, "
              f"p99 {f['p99_ms']:.1f} ms, max {f['max_ms']:.0f} ms; answered {f['achieved_rps']:.0f}/s; "
              f"non-200 answers and failures: {failures}" + (f" (service log: {logged})" if logged else "") +
              f"; peak RSS {f['peak_rss_mb']:.0f} MB" +
              (f"; CPU % svc / pg / client / other {cpu['service']} / {cpu['postgres']} / {cpu['load_generator']} / {cpu['other']}" if cpu else ""))
        if "export" in r:
            e = r["export"]
            w(f"- **CSV export of every case study** (administrator, all statuses, {e['expected_rows']:,} rows, "
              f"{e['bytes'] / 1e6:.0f} MB): {e['seconds']:.1f} s to the last byte (first byte after "
              f"{e['first_byte_s']:.2f} s), peak RSS {e['peak_rss_mb']:.0f} MB starting from {e['start_rss_mb']:.0f} MB "
              f"(ending {e['end_rss_mb']:.0f} MB); the same {e['statements']} statements replayed alone by pgbench "
              f"took {e['database_alone_s']:.1f} s")
        starts = r["startup"]
        if "first_start" in r:
            f = r["first_start"]
            w(f"- **First start** (no kept search index: every case study's words analysed): ready after "
              f"{f['ready_s']:.2f} s (health {f['health_s']:.2f} s), RSS {f['rss_mb']:.0f} MB")
        w("- **Start-up to ready** on the migrated database (/health 200, then a first search answered), the "
          "search index kept in `CASEBOOK_SEARCH_INDEX_DIR`, three starts: " + ", ".join(f"{s['ready_s']:.2f} s (health {s['health_s']:.2f} s)" for s in starts) +
          (f"; start-up sends {r['startup_statements']} statements, which take {r['startup_database_alone_s']:.2f} s "
           "replayed alone by pgbench" if "startup_statements" in r else ""))
        if "cold" in r:
            w("")
            w("**Cold and warm** at 8 connections. Warm: the workloads above, which repeat their requests, "
              "so kept answers serve most. Cold: every request distinct and sent once (`bench/cold.py`: "
              "searches of one to five words of the corpus's titles and summaries, a third with a filter, "
              "one in ten filters alone; reads of published case studies sampled over the whole "
              "collection), with the hit ratio of the cache in front of them during the run.\n")
            w("| requests | warm req/s | warm p50 / p99 ms | cold req/s | cold p50 / p90 / p99 ms | cold cache hit ratio | cold CPU ms per request svc / pg |")
            w("|---|---:|---:|---:|---:|---:|---:|")
            warm = r["workloads"]

            def warm_cells(name: str) -> str:
                x = warm.get(name, {}).get("runs", {}).get("8")
                if not x:
                    return "| — | — "
                s_ = x["service"]
                return f"| {s_['rps']:,.0f} | {ms(s_['latency_us']['p50'])} / {ms(s_['latency_us']['p99'])} "

            c_ = r["cold"]
            cs, cr = c_["search"], c_["read"]
            w(f"| Searches, all ({cs['requests']:,}) {warm_cells('search')}| {cs['per_second']:,.0f} | "
              f"{cs['p50_ms']:.1f} / {cs['p90_ms']:.1f} / {cs['p99_ms']:.1f} | {cs['cache_hit_ratio']:.4f} | "
              f"{cs['cpu_ms_per_request']['service']:.2f} / {cs['cpu_ms_per_request']['postgres']:.2f} |")
            for part, name, label in (("text", "search", "with words, with facets"), ("filters", "filters", "filters alone")):
                x = cs.get("parts", {}).get(part)
                if x:
                    w(f"| Searches {label} ({x['requests']:,}) {warm_cells(name)}| — | "
                      f"{x['p50_ms']:.1f} / {x['p90_ms']:.1f} / {x['p99_ms']:.1f} | — | — |")
            w(f"| Read by id ({cr['requests']:,}) {warm_cells('read')}| {cr['per_second']:,.0f} | "
              f"{cr['p50_ms']:.1f} / {cr['p90_ms']:.1f} / {cr['p99_ms']:.1f} | {cr['cache_hit_ratio']:.4f} | "
              f"{cr['cpu_ms_per_request']['service']:.2f} / {cr['cpu_ms_per_request']['postgres']:.2f} |")
            w("")
        if r.get("deep_chains"):
            w("- Deep pages: cursors of pages 50-59 (limit 20) of these searches: " +
              "; ".join(f"`{c['filters']}` ({c['total']:,})" for c in r["deep_chains"]))
        w("")

    # Targets, against the largest corpus.
    w(f"## Targets ({largest['size']:,} case studies)\n")
    w("| target | figure | verdict |")
    w("|---|---|---|")
    wl = largest["workloads"]

    def run_of(name: str, conns: str = "8"):
        return wl.get(name, {}).get("runs", {}).get(conns)

    checks = []
    if run_of("search"):
        s = run_of("search")
        p99 = s["service"]["latency_us"]["p99"] / 1000
        checks.append(("search with facets p99 < 50 ms at 8 connections", f"{p99:.1f} ms",
                       verdict(p99 < TARGETS["search_p99_ms"]) + ("" if p99 < 50 else f" ({p99 / 50:.1f}x the target)")))
        checks.append(("search with facets >= 0.7x database-alone throughput at 8 connections",
                       f"{s['ratio']:.2f}x ({s['service']['rps']:,.0f} vs {s['database_alone']['tps']:,.0f}/s)",
                       verdict(s["ratio"] >= TARGETS["search_ratio"])))
    for name, label in (("filters", "filter-only"), ("deep", "deep pages")):
        if run_of(name):
            p99 = run_of(name)["service"]["latency_us"]["p99"] / 1000
            checks.append((f"{label} p99 < 20 ms at 8 connections", f"{p99:.1f} ms",
                           verdict(p99 < 20) + ("" if p99 < 20 else f" ({p99 / 20:.1f}x the target)")))
    if run_of("read"):
        s = run_of("read")
        p99 = s["service"]["latency_us"]["p99"] / 1000
        checks.append(("read by id p99 < 5 ms at 8 connections", f"{p99:.1f} ms",
                       verdict(p99 < 5) + ("" if p99 < 5 else f" ({p99 / 5:.1f}x the target)")))
        rps = s["service"]["rps"]
        checks.append(("read by id >= 7,000/s at 8 connections", f"{rps:,.0f}/s",
                       verdict(rps >= 7000) + ("" if rps >= 7000 else f" ({rps / 7000:.0%} of the target)")))
    if run_of("create"):
        rps = run_of("create")["service"]["rps"]
        checks.append(("create >= 300/s at 8 connections", f"{rps:,.0f}/s",
                       verdict(rps >= 300) + ("" if rps >= 300 else f" ({rps / 300:.0%} of the target)")))
    if "cold" in largest:
        parts = largest["cold"]["search"].get("parts", {})
        for part, label, target in (("text", "cold search with facets", 30), ("filters", "cold filter-only search", 15)):
            if part in parts:
                p99 = parts[part]["p99_ms"]
                checks.append((f"{label} p99 < {target} ms at 8 connections", f"{p99:.1f} ms",
                               verdict(p99 < target) + ("" if p99 < target else f" ({p99 / target:.1f}x the target)")))
        p99 = largest["cold"]["read"]["p99_ms"]
        checks.append(("cold read by id p99 < 5 ms at 8 connections", f"{p99:.1f} ms",
                       verdict(p99 < 5) + ("" if p99 < 5 else f" ({p99 / 5:.1f}x the target)")))
    peaks = [(name, r_["memory"]["peak_rss_mb"]) for name, e in wl.items() for c, r_ in e["runs"].items() if c == "32"]
    if peaks:
        name, peak = max(peaks, key=lambda x: x[1])
        checks.append(("service RSS < 150 MB at 32 connections", f"highest {peak:.0f} MB ({WORKLOADS[name].lower()})",
                       verdict(peak < 150)))
    ready = max(s["ready_s"] for s in largest["startup"])
    checks.append(("ready < 2 s", f"slowest of three {ready:.2f} s", verdict(ready < 2)))
    if "export" in largest:
        e = largest["export"]
        growth = e["peak_rss_mb"] - e["start_rss_mb"]
        checks.append(("CSV export of 100,000 < 15 s", f"{e['seconds']:.1f} s ({e['expected_rows']:,} rows)",
                       verdict(e["seconds"] < 15) + ("" if e["seconds"] < 15 else f" ({e['seconds'] / 15:.1f}x the target)")))
        checks.append(("CSV export with flat memory", f"peak {e['peak_rss_mb']:.0f} MB, {growth:+.0f} MB over the start",
                       verdict(growth < 50)))
    if "fixed_rate" in largest:
        f = largest["fixed_rate"]
        checks.append((f"search at {f['rate']:.0f}/s open loop (reported; the p99 < 50 ms target applied)",
                       f"p50 {f['p50_ms']:.1f} ms, p99 {f['p99_ms']:.1f} ms", verdict(f["p99_ms"] < 50)))
    for target, figure, outcome in checks:
        w(f"| {target} | {figure} | {outcome} |")
    w("")

    if len(runs) > 1:
        w("## How cost grows with the corpus\n")
        w("CPU ms per request (service + its PostgreSQL backends) is the cost that does not depend on how "
          "busy the machine was.\n")
        w("| workload | conns | " + " | ".join(f"{r['size']:,}: req/s, p99 ms, CPU ms per request" for r in runs) + " |")
        w("|---|---:|" + "---:|" * len(runs))
        for name in WORKLOADS:
            for conns in ("8", "32"):
                cells = []
                for r in runs:
                    x = r["workloads"].get(name, {}).get("runs", {}).get(conns)
                    if x:
                        c = x.get("cpu_ms_per_request")
                        cost = f", {c['service']:.2f} + {c['postgres']:.2f}" if c else ""
                        cells.append(f"{x['service']['rps']:,.0f}, {ms(x['service']['latency_us']['p99'])}{cost}")
                    else:
                        cells.append("-")
                if any(c != "-" for c in cells):
                    w(f"| {WORKLOADS[name]} | {conns} | " + " | ".join(cells) + " |")
        fixed = [r.get("fixed_rate") for r in runs]
        if all(fixed):
            w(f"| search at a fixed rate (p50 / p99 ms) | - | " +
              " | ".join(f"{f['p50_ms']:.1f} / {f['p99_ms']:.1f}" for f in fixed) + " |")
        w("")

    w(f"## Where the database time goes ({largest['size']:,}, pg_stat_statements during each measured run)\n")
    for name, entry in wl.items():
        w(f"### {entry['title']}\n")
        w(f"{entry['statements_per_request']} statements per request on average "
          f"({entry['distinct_statements']} distinct), captured from "
          f"{entry['captured_requests']} requests.\n")
        for conns, run_ in entry["runs"].items():
            w(f"At {conns} connections:\n")
            w("| calls | total ms | mean ms | rows | blocks hit / read | statement |")
            w("|---:|---:|---:|---:|---:|---|")
            for s in run_["statements"]:
                query = s["query"].replace("|", "\\|")
                w(f"| {s['calls']:,} | {s['total_ms']:,.0f} | {s['mean_ms']:.3f} | {s['rows']:,} | "
                  f"{s['hit']:,} / {s['read']:,} | `{query}` |")
            w("")
    w(f"## Plans ({largest['size']:,}, `EXPLAIN (ANALYZE, BUFFERS)`, parameters from captured requests)\n")
    w("Every distinct `SELECT` a workload sent, explained with the parameters of the slowest of up to "
      "three captured requests, at the end of the run (after the creates had added their rows). Plans are "
      "shown for statements taking 1 ms or more; the rest are listed.\n")
    plans = [p for p in largest.get("plans", []) if p]
    for workload in dict.fromkeys(p["workload"] for p in plans):
        title = WORKLOADS.get(workload, TITLES.get(workload, workload))
        mine = sorted((p for p in plans if p["workload"] == workload), key=lambda p: -p.get("ms", 0))
        w(f"### {title}\n")
        brief = [p for p in mine if p.get("ms", 0) < 1.0]
        for plan in mine:
            if plan.get("ms", 0) >= 1.0:
                w(f"{plan['ms']:.1f} ms:\n")
                w("```sql\n" + plan["sql"] + ("..." if len(plan["sql"]) >= 600 else "") + "\n```\n")
                w("```\n" + plan["plan"] + "\n```\n")
        if brief:
            w("Under 1 ms: " + "; ".join(f"`{one_line(p['sql'])[:90]}...` {p.get('ms', 0):.2f} ms" for p in brief) + "\n")
    # The observations written by whoever ran it survive a rewrite.
    target = OUT / "RESULTS-quick.md" if quick else BENCH / "RESULTS.md"
    kept = OBSERVATIONS_PLACEHOLDER
    if target.exists():
        found = re.search(r"<!-- observations -->\n(.*?)<!-- /observations -->", target.read_text(), re.S)
        if found:
            kept = found.group(1)
    at = next(i for i, line in enumerate(out) if line.startswith("## Where the database time goes"))
    out[at:at] = ["## Observations\n", "<!-- observations -->\n" + kept + "<!-- /observations -->\n"]
    target.write_text("\n".join(out) + "\n")


OBSERVATIONS_PLACEHOLDER = ("(What the figures say about the misses: which statement dominates, what the "
                            "plans show. Written by hand; bench/bench.py keeps this section when it "
                            "rewrites the file.)\n")


if __name__ == "__main__":
    sys.exit(main())
