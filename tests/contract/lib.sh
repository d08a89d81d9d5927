# shellcheck shell=bash
# Shared by the contract scripts: the Python tools they need, and a live casebook on a
# throwaway database. Source it; it defines functions and sets nothing else in motion.
#
#   contract_ensure_binary        build target/debug/casebook when it is missing or stale
#   contract_ensure_venv          target/contract-venv with tests/contract/requirements.txt
#   contract_start_service        a fresh database and the service on a free loopback port,
#                                 with an administrator signed in; sets CONTRACT_BASE_URL,
#                                 CONTRACT_TOKEN (and the administrator's CONTRACT_EMAIL and
#                                 CONTRACT_PASSWORD) and arranges the clean-up on exit
#
# Everything talks to 127.0.0.1 only.

CONTRACT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CONTRACT_BIN="$CONTRACT_ROOT/target/debug/casebook"
CONTRACT_VENV="$CONTRACT_ROOT/target/contract-venv"
# The PostgreSQL server, as for `cargo test` (CASEBOOK_TEST_DATABASE_URL points elsewhere);
# it must let this user create databases.
CONTRACT_PG="${CASEBOOK_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432}"
CONTRACT_PG="${CONTRACT_PG%/}"

CONTRACT_PID=""
CONTRACT_DB=""
CONTRACT_TMP=""
CONTRACT_BASE_URL=""
CONTRACT_EMAIL=""
CONTRACT_PASSWORD=""
# The bearer token the scripts send: CASEBOOK_CONTRACT_TOKEN when set, else the token of the
# administrator that contract_start_service creates.
CONTRACT_TOKEN=""

contract_log() { printf '[contract %3ss] %s\n' "$SECONDS" "$*" >&2; }

# The scripts test the code in this tree, so a binary older than the sources would test the
# wrong thing: rebuild then as well as when it is missing (cargo is quick when nothing changed).
contract_ensure_binary() {
    local stale=""
    if [[ -x "$CONTRACT_BIN" ]]; then
        stale="$(cd "$CONTRACT_ROOT" && find src migrations data Cargo.toml Cargo.lock \
            -newer "$CONTRACT_BIN" -print -quit)"
    fi
    if [[ ! -x "$CONTRACT_BIN" || -n "$stale" ]]; then
        contract_log "building target/debug/casebook"
        (cd "$CONTRACT_ROOT" && cargo build --quiet --bin casebook)
    fi
}

# Reruns should not pay for pip: the venv remembers the requirements it was filled from and
# is only touched again when they change. One venv and one pinned set for every script, so
# the tools are always installed together and pip resolves them as a whole.
contract_ensure_venv() {
    local requirements="$CONTRACT_ROOT/tests/contract/requirements.txt"
    local stamp="$CONTRACT_VENV/.contract-requirements"
    if [[ -x "$CONTRACT_VENV/bin/python" && -f "$stamp" ]] && cmp -s "$requirements" "$stamp"; then
        return
    fi
    contract_log "installing tests/contract/requirements.txt into target/contract-venv"
    [[ -x "$CONTRACT_VENV/bin/python" ]] || python3 -m venv "$CONTRACT_VENV"
    "$CONTRACT_VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$stamp"
}

contract_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Stops the service and drops its database, whatever state the script died in.
contract_cleanup() {
    local status=$?
    if [[ -n "$CONTRACT_PID" ]] && kill -0 "$CONTRACT_PID" 2>/dev/null; then
        # SIGTERM lets actix finish in-flight requests; the shutdown timeout is set short.
        kill -TERM "$CONTRACT_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$CONTRACT_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$CONTRACT_PID" 2>/dev/null || true
        wait "$CONTRACT_PID" 2>/dev/null || true
    fi
    if [[ -n "$CONTRACT_DB" ]]; then
        # FORCE: a connection the pool has not yet closed must not keep the database alive.
        psql "$CONTRACT_PG/postgres" -qtAc "DROP DATABASE IF EXISTS \"$CONTRACT_DB\" WITH (FORCE)" \
            >/dev/null 2>&1 || contract_log "could not drop database $CONTRACT_DB"
    fi
    if [[ -n "$CONTRACT_TMP" ]]; then
        rm -rf "$CONTRACT_TMP"
    fi
    exit "$status"
}

# A run that was killed (or whose clean-up could not reach PostgreSQL) leaves its database
# behind; one more than an hour old belongs to a run that is over.
contract_drop_stale_databases() {
    local cutoff name
    cutoff=$(($(date +%s) - 3600))
    psql "$CONTRACT_PG/postgres" -qtAc \
        "SELECT datname FROM pg_database WHERE datname LIKE 'casebook\_contract\_%'" |
        while read -r name; do
            local created="${name#casebook_contract_}"
            created="${created%%_*}"
            if [[ "$created" =~ ^[0-9]+$ ]] && ((created < cutoff)); then
                psql "$CONTRACT_PG/postgres" -qtAc "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" \
                    >/dev/null 2>&1 || true
            fi
        done
}

# A fresh database with the demo data (14 published case studies, 32 organisations) and the
# service in front of it, answering 200 on /health. Its log keeps errors only (every 4xx is
# a warning, and the checks send thousands); CASEBOOK_CONTRACT_LOG asks for more.
# Access tokens last two hours, so that no run outlives its token, and the per-user write
# limit is lifted: the checks write far faster than a person, from one account, and should
# exercise every write rather than collect 429s (the limit has tests of its own).
contract_start_service() {
    CONTRACT_TMP="$(mktemp -d -t casebook-contract.XXXXXX)"
    trap contract_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    contract_drop_stale_databases
    # Unique per run, and recognisable should a killed run ever leave one behind.
    CONTRACT_DB="casebook_contract_$(date +%s)_$$_${RANDOM}"
    psql "$CONTRACT_PG/postgres" -qtAc "CREATE DATABASE \"$CONTRACT_DB\"" >/dev/null

    local log="$CONTRACT_TMP/service.log"
    # A port picked here could be taken before the service binds it; try a few.
    for _ in 1 2 3; do
        local port
        port="$(contract_free_port)"
        CASEBOOK_ADDR="127.0.0.1:$port" \
            DATABASE_URL="$CONTRACT_PG/$CONTRACT_DB" \
            CASEBOOK_DEMO_DATA=true \
            CASEBOOK_WORKERS=2 \
            CASEBOOK_SHUTDOWN_TIMEOUT_SECS=1 \
            CASEBOOK_ACCESS_TOKEN_TTL_SECS=7200 \
            CASEBOOK_WRITE_RATE_PER_USER=100000 \
            RUST_LOG="${CASEBOOK_CONTRACT_LOG:-error}" \
            NO_COLOR=1 \
            "$CONTRACT_BIN" serve >"$log" 2>&1 &
        CONTRACT_PID=$!
        # Up to 30 s: the first start migrates and loads the demo data.
        for _ in $(seq 1 300); do
            if ! kill -0 "$CONTRACT_PID" 2>/dev/null; then
                break
            fi
            if [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health")" == 200 ]]; then
                CONTRACT_BASE_URL="http://127.0.0.1:$port"
                contract_log "casebook is up at $CONTRACT_BASE_URL on database $CONTRACT_DB"
                contract_sign_in || return 1
                return 0
            fi
            sleep 0.1
        done
        if kill -0 "$CONTRACT_PID" 2>/dev/null; then
            break # running but never healthy: a retry on another port would not help
        fi
        wait "$CONTRACT_PID" 2>/dev/null || true
        CONTRACT_PID=""
    done
    contract_log "casebook did not become healthy; its log:"
    cat "$log" >&2
    return 1
}

# An administrator of the demo council, made with the command line as an operator would (same
# DATABASE_URL, password on standard input), then signed in through the API. Every write the
# scripts try is then really carried out, not refused with 401.
contract_sign_in() {
    CONTRACT_EMAIL="contract-admin-$$@example.org"
    CONTRACT_PASSWORD="contract $(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
    printf '%s\n' "$CONTRACT_PASSWORD" |
        DATABASE_URL="$CONTRACT_PG/$CONTRACT_DB" RUST_LOG=error NO_COLOR=1 \
            "$CONTRACT_BIN" user add --email "$CONTRACT_EMAIL" --role admin \
            --organisation scottish-borders-council >/dev/null 2>"$CONTRACT_TMP/user-add.log" || {
        contract_log "could not create the administrator:"
        cat "$CONTRACT_TMP/user-add.log" >&2
        return 1
    }
    local answer
    answer="$(curl -sS -X POST "$CONTRACT_BASE_URL/api/v1/auth/token" \
        -H 'content-type: application/json' \
        --data-binary @- <<<"{\"email\": \"$CONTRACT_EMAIL\", \"password\": \"$CONTRACT_PASSWORD\"}")"
    local token
    if ! token="$(python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])' \
        <<<"$answer" 2>/dev/null)"; then
        contract_log "signing in failed: $answer"
        return 1
    fi
    # shellcheck disable=SC2034 # CONTRACT_TOKEN is for the scripts that source this file
    if [[ -n "${CASEBOOK_CONTRACT_TOKEN:-}" ]]; then
        CONTRACT_TOKEN="$CASEBOOK_CONTRACT_TOKEN"
        contract_log "signed in as $CONTRACT_EMAIL; sending CASEBOOK_CONTRACT_TOKEN instead"
    else
        CONTRACT_TOKEN="$token"
        contract_log "signed in as $CONTRACT_EMAIL (admin of scottish-borders-council)"
    fi
}

# The service's log, for a script to show when something failed.
contract_service_log() {
    if [[ -n "$CONTRACT_TMP" && -f "$CONTRACT_TMP/service.log" ]]; then
        cat "$CONTRACT_TMP/service.log"
    fi
}
