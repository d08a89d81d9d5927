#!/usr/bin/env bash
# Browser check: the pages in Debian's Chromium, driven through ChromeDriver by Selenium
# (browser.py), along the journeys people take:
#
#   a visitor      searches, narrows by two facets, opens a case study; the Star, a profile
#   an editor      signs in, writes a case study with two partners and an outcome, is told
#                  what is missing, fixes it, submits it
#   a reviewer     returns it with a comment; the editor sees it, edits, resubmits; the
#                  reviewer publishes it; the visitor finds it
#
# Every page on the way is checked with axe-core (WCAG 2.2 AA rules): a serious or critical
# violation fails. Nothing may be wider than a 375-pixel screen. Screenshots of the main
# pages at 1280 and 375 pixels wide are written to target/screenshots/.
#
#   bash tests/contract/browser.sh
#
# Needs /usr/bin/chromium and /usr/bin/chromedriver (Debian's chromium and chromium-driver;
# .ci/run installs them) and npm, for axe-core. The service runs on a throwaway database with
# the demo data, removed on exit (lib.sh); the browser talks to it alone.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"

AXE_VERSION=4.14.1
AXE_SHA256=29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c
tools="$CONTRACT_ROOT/target/browser-tools"
axe="$tools/node_modules/axe-core/axe.min.js"
shots="$CONTRACT_ROOT/target/screenshots"

for program in /usr/bin/chromium /usr/bin/chromedriver; do
    if [[ ! -x "$program" ]]; then
        contract_log "$program is missing: apt-get install chromium chromium-driver"
        exit 1
    fi
done
if [[ ! -f "$axe" ]] || ! echo "$AXE_SHA256  $axe" | sha256sum --check --status; then
    contract_log "installing axe-core $AXE_VERSION from npm into target/browser-tools"
    npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error \
        "axe-core@$AXE_VERSION" >/dev/null
fi
if ! echo "$AXE_SHA256  $axe" | sha256sum --check --status; then
    contract_log "axe-core $AXE_VERSION is not the file pinned here (sha256 $AXE_SHA256)"
    exit 1
fi

contract_ensure_binary
contract_ensure_venv
contract_start_service

# An editor and a reviewer of the demo council, made as an operator would.
password="browser $(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
for role in editor reviewer; do
    printf '%s\n' "$password" |
        DATABASE_URL="$CONTRACT_PG/$CONTRACT_DB" RUST_LOG=error NO_COLOR=1 \
            "$CONTRACT_BIN" user add --email "browser-$role-$$@example.org" --role "$role" \
            --organisation scottish-borders-council >/dev/null 2>"$CONTRACT_TMP/user-add.log" || {
        contract_log "could not create the $role:"
        cat "$CONTRACT_TMP/user-add.log" >&2
        exit 1
    }
done

rm -rf "$shots"
contract_log "walking the pages of $CONTRACT_BASE_URL in Chromium (browser.py)"
# SE_OFFLINE: Selenium uses the browser and driver named, and fetches nothing.
if ! SE_OFFLINE=true \
    BROWSER_EDITOR_EMAIL="browser-editor-$$@example.org" \
    BROWSER_REVIEWER_EMAIL="browser-reviewer-$$@example.org" \
    BROWSER_PASSWORD="$password" \
    "$CONTRACT_VENV/bin/python" "$here/browser.py" "$CONTRACT_BASE_URL" "$axe" "$shots"; then
    contract_log "the service's log:"
    contract_service_log | tail -n 50 >&2
    exit 1
fi
