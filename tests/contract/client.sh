#!/usr/bin/env bash
# Generated-client check: builds a Python client from the committed OpenAPI document
# (openapi/openapi.json) with openapi-python-client, type-checks a small program written
# against it, and runs that program against a live service.
#
#   bash tests/contract/client.sh
#
# A document that generates a wrong or awkward client (a parameter required that is not, a
# header typed as nullable, a missing status code) fails here; the fix belongs in the
# document, that is in the utoipa annotations in src/, never in client_smoke.py.
#
# The service runs on a throwaway database with the demo data, removed on exit (lib.sh),
# which also makes an administrator; the program signs in as them, and then sends
# CASEBOOK_CONTRACT_TOKEN if that is set, else the administrator's token.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"

contract_ensure_binary
contract_ensure_venv
contract_start_service # also creates $CONTRACT_TMP, removed on exit

# The client is generated afresh each run, into the temporary directory, from the document
# as committed; nothing generated is kept in the tree.
contract_log "generating the client with $("$CONTRACT_VENV/bin/openapi-python-client" --version)"
# The generator formats its output with ruff, which it looks for on PATH.
PATH="$CONTRACT_VENV/bin:$PATH" "$CONTRACT_VENV/bin/openapi-python-client" generate \
    --path "$CONTRACT_ROOT/openapi/openapi.json" \
    --config "$here/openapi-python-client.yaml" \
    --meta setup \
    --output-path "$CONTRACT_TMP/casebook-client" \
    --fail-on-warning >&2

# Installed like any package a partner would use; pip replaces the previous run's copy.
"$CONTRACT_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    "$CONTRACT_TMP/casebook-client" >&2

# Strict type-checking, of the generated code and of the program against its types, is what
# catches a document that says the wrong thing about optionality, nullability or types.
# (Run from the generated tree so that mypy reads casebook_client from there, once.)
contract_log "type-checking the generated client and client_smoke.py"
(cd "$CONTRACT_TMP/casebook-client" &&
    "$CONTRACT_VENV/bin/mypy" --strict --no-incremental --cache-dir=/dev/null \
        casebook_client "$here/client_smoke.py") >&2

contract_log "running client_smoke.py against $CONTRACT_BASE_URL"
if ! CASEBOOK_CONTRACT_EMAIL="$CONTRACT_EMAIL" CASEBOOK_CONTRACT_PASSWORD="$CONTRACT_PASSWORD" \
    CASEBOOK_CONTRACT_TOKEN="$CONTRACT_TOKEN" \
    "$CONTRACT_VENV/bin/python" "$here/client_smoke.py" "$CONTRACT_BASE_URL"; then
    contract_log "the service's log:"
    contract_service_log | tail -n 50 >&2
    exit 1
fi
