#!/usr/bin/env bash
# The casebook load benchmark, in one command (see bench/README.md):
#
#   bash bench/run.sh                      # 100,000 case studies, 20 s per workload
#   bash bench/run.sh --size 10000         # 10,000
#   bash bench/run.sh --quick              # 10,000, 5 s per workload: a couple of minutes
#   bash bench/run.sh --report-only        # rewrite bench/RESULTS.md from saved results
#
# Every option is passed to bench/bench.py (`python3 bench/bench.py --help`).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get install -y wrk || { apt-get update && apt-get install -y wrk; }
    else
        echo "wrk is needed: sudo apt-get install -y wrk" >&2
        exit 1
    fi
fi
for tool in pgbench psql python3 cargo; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$tool is needed" >&2; exit 1; }
done

case " $* " in
    *" --report-only "*) ;;
    *) cargo build --release --quiet ;;
esac
exec python3 bench/bench.py "$@"
