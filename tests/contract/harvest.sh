#!/usr/bin/env bash
# Harvest check: the OAI-PMH repository at /oai harvested as a national network would, with
# Sickle, a widely used OAI-PMH client, and compared with the JSON API:
#
#   Identify, ListMetadataFormats, ListSets   what the repository says about itself
#   ListRecords oai_dc and datacite           every published case study once, no other
#   ListIdentifiers, all and by set           the headers, the set's members exactly
#   from / until                              after a publication and a withdrawal: the new
#                                             one live, the withdrawn one deleted, for good
#   errors                                    badArgument, badVerb, cannotDisseminateFormat,
#                                             idDoesNotExist, noRecordsMatch, badResumptionToken
#   GetRecord                                 one record in both formats, and a deleted one
#
#   bash tests/contract/harvest.sh
#
# Pages are kept small here so that every list is followed through resumption tokens. A
# protocol violation, a record missing, repeated or not reported as deleted fails here; the
# fix belongs in src/harvest.rs or src/metadata/oai.rs, never in harvest.py.
#
# The service runs on a throwaway database with the demo data, removed on exit (lib.sh).
# Nothing but that service is contacted.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"

# Records per ListRecords page (ListIdentifiers pages hold four times as many); exported so
# that the service pages by it and harvest.py checks each list took the pages it should.
export CASEBOOK_OAI_PAGE_SIZE=3

contract_ensure_binary
contract_ensure_venv
contract_start_service

contract_log "harvesting $CONTRACT_BASE_URL/oai with Sickle (harvest.py)"
if ! CASEBOOK_CONTRACT_TOKEN="$CONTRACT_TOKEN" \
    "$CONTRACT_VENV/bin/python" "$here/harvest.py" "$CONTRACT_BASE_URL"; then
    contract_log "the service's log:"
    contract_service_log | tail -n 50 >&2
    exit 1
fi
