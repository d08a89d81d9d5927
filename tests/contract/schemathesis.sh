#!/usr/bin/env bash
# Property-based contract check: schemathesis generates requests for every operation of the
# committed OpenAPI document (openapi/openapi.json) and checks that the live service answers
# as the document says: no 5xx, only documented status codes, content types, headers and
# bodies that match their schemas, schema-valid requests accepted and invalid ones refused,
# required headers required, undeclared methods answered 405, and more (every check
# schemathesis has).
#
#   bash tests/contract/schemathesis.sh
#
# It builds target/debug/casebook if needed, runs it on a throwaway database filled with the
# demo data, and removes both on exit. The summary goes to stdout; schemathesis's own report
# (with a curl line for each failure) goes to stderr, and all reports stay in
# target/contract-report/schemathesis/. Exits non-zero when anything failed.
#
# Knobs (environment):
#   CASEBOOK_CONTRACT_MAX_EXAMPLES  test cases per operation and phase, per round (default 75)
#   CASEBOOK_CONTRACT_MAX_TIME      seconds of testing: fuzzing and stateful testing go round
#                                   again until they are spent (default 120)
#   CASEBOOK_CONTRACT_TIME_LIMIT    seconds before a run that overstays is killed, and fails
#                                   (default 170)
#   CASEBOOK_CONTRACT_WORKERS       requests in flight at once (default 2; 1 replays a seed most closely)
#   CASEBOOK_CONTRACT_SEED          replay a run: the summary prints the seed it used
#   CASEBOOK_CONTRACT_CHECKS        only these checks (comma-separated), ignoring the
#                                   exceptions schemathesis.toml lists
#   CASEBOOK_CONTRACT_TOKEN         sent as `Authorization: Bearer ...` on every request
#                                   (default: the token of an administrator lib.sh creates)
#   CASEBOOK_CONTRACT_LOG           the service's RUST_LOG (default: errors only)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"

# On the 2-core machines of development and CI, a round of 75 examples of each of the ~40
# operations takes 1.5 minutes when the machine is quiet and well over 2 when it is busy.
# The run is given two minutes either way: a quiet machine spends the rest on further
# rounds, a busy one stops short of a round, and the script takes about 2.5 minutes.
max_examples="${CASEBOOK_CONTRACT_MAX_EXAMPLES:-75}"
max_time="${CASEBOOK_CONTRACT_MAX_TIME:-120}"
time_limit="${CASEBOOK_CONTRACT_TIME_LIMIT:-170}"
work_dir="$CONTRACT_ROOT/target/contract-report"
report_dir="$work_dir/schemathesis"

contract_ensure_binary
contract_ensure_venv
contract_start_service

args=(
    --config-file "$here/schemathesis.toml"
    run "$CONTRACT_ROOT/openapi/openapi.json"
    --url "$CONTRACT_BASE_URL"
    --max-examples "$max_examples"
    --max-time "$max_time"
    # One slow answer must not eat the whole budget; it is reported as an error instead.
    --request-timeout 10
    # Keep failing examples between runs, so a rerun tries them first.
    --generation-database "$work_dir/schemathesis-examples"
    --report "json,har"
    --report-dir "$report_dir"
    --no-color
    # Two at a time, like the service's two workers: the run is shorter, and concurrent.
    --workers "${CASEBOOK_CONTRACT_WORKERS:-2}"
)
# Every check runs, as schemathesis.toml says (which also lists the few operations where one
# cannot apply, and why); naming checks on the command line would override that list.
if [[ -n "${CASEBOOK_CONTRACT_CHECKS:-}" ]]; then
    args+=(--checks "$CASEBOOK_CONTRACT_CHECKS")
fi
if [[ -n "${CASEBOOK_CONTRACT_SEED:-}" ]]; then
    args+=(--seed "$CASEBOOK_CONTRACT_SEED")
fi
# An administrator's token on every request, so that every operation is carried out rather
# than refused with 401. (schemathesis masks the Authorization header in what it prints.)
# The run cannot lock itself out: it holds only this access token (valid for longer than any
# run, see lib.sh), never the refresh token, so revoking or reusing refresh tokens touches
# only accounts it made itself; and the service refuses, with 409, an administrator's
# deactivating or demoting their own account. The check after the run makes sure of it.
args+=(--header "Authorization: Bearer $CONTRACT_TOKEN")

rm -rf "$report_dir"
mkdir -p "$report_dir"
contract_log "running $("$CONTRACT_VENV/bin/schemathesis" --version) ($max_examples examples a round, for ${max_time}s)"
status=0
# Its report goes to stderr so that stdout carries only the summary. It runs inside target/
# because it keeps caches (.hypothesis, .schemathesis) in its working directory.
(cd "$work_dir" && timeout --kill-after=10 "$time_limit" "$CONTRACT_VENV/bin/schemathesis" "${args[@]}") >&2 || status=$?
contract_log "schemathesis finished (exit status $status)"

if [[ $status -eq 124 || $status -eq 137 ]]; then
    echo "schemathesis ran past its ${max_time}s budget and was stopped at ${time_limit}s; raise CASEBOOK_CONTRACT_TIME_LIMIT"
    exit 1
fi
if compgen -G "$report_dir/json-*.json" >/dev/null; then
    "$CONTRACT_VENV/bin/python" "$here/summarise_schemathesis.py" "$report_dir" \
        "$CONTRACT_ROOT/openapi/openapi.json" || status=1
    echo "  reports:       ${report_dir#"$CONTRACT_ROOT"/}"
    # Had the run signed itself out, most of what it sent would have met a 401.
    signed_in="$(curl -s -o /dev/null -w '%{http_code}' \
        -H "Authorization: Bearer $CONTRACT_TOKEN" "$CONTRACT_BASE_URL/api/v1/auth/me")"
    echo "  token after:   GET /api/v1/auth/me answered $signed_in"
    [[ "$signed_in" == 200 ]] || status=1
else
    echo "schemathesis wrote no report (exit status $status)"
    status=$((status == 0 ? 1 : status))
fi
if [[ $status -ne 0 ]]; then
    # A failure could be the service crashing; its log says.
    contract_log "the service's log:"
    contract_service_log | tail -n 50 >&2
fi
exit "$status"
