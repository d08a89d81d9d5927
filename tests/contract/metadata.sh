#!/usr/bin/env bash
# Open-metadata check: every format the service offers for a case study (JSON-LD, CSL-JSON,
# BibTeX, RIS, DataCite XML, Dublin Core) is read by a maintained library that consumers of
# that format use, and what the library reads must be the case study:
#
#   JSON-LD     expanded by PyLD, nothing dropped (the schema.org context is served locally)
#   CSL-JSON    rendered as a reference by citeproc-py
#   BibTeX      parsed by bibtexparser, LaTeX specials read back, organisations kept whole
#   RIS         read by rispy
#   DataCite    converted to DataCite 4.5 JSON and validated with the datacite package
#   Dublin Core parsed by lxml
#
#   bash tests/contract/metadata.sh
#
# Every published case study is read in every format, as it is now and as its version 1
# was, along with one case study the program publishes itself (twice), with what the demo
# data lacks. A format that a library cannot read, or reads wrongly, fails here; the fix
# belongs in src/metadata/, never in metadata_consumers.py.
#
# The service runs on a throwaway database with the demo data, removed on exit (lib.sh).
# Nothing but that service is contacted.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"

contract_ensure_binary
contract_ensure_venv
contract_start_service

contract_log "reading every format with its consumer library (metadata_consumers.py)"
if ! CASEBOOK_CONTRACT_TOKEN="$CONTRACT_TOKEN" \
    "$CONTRACT_VENV/bin/python" "$here/metadata_consumers.py" "$CONTRACT_BASE_URL"; then
    contract_log "the service's log:"
    contract_service_log | tail -n 50 >&2
    exit 1
fi
