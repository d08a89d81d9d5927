"""Harvests the OAI-PMH repository at BASE_URL/oai with Sickle, as a national network would,
and checks what it gathers against the JSON API: the published case studies, each once, in
oai_dc and in DataCite, by set, incrementally after a publication and a withdrawal (reported
as a deleted record), and the protocol's errors as OAI errors.

    CASEBOOK_CONTRACT_TOKEN=... python harvest.py BASE_URL

The token is an administrator's, to publish and to archive. CASEBOOK_OAI_PAGE_SIZE, when
set, is the service's page size, and the number of pages each list takes is checked too.
Prints a line per check; on the first failure, says what and exits 1.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from typing import Any, NoReturn
from urllib.parse import urlencode, urlsplit

import requests
from lxml import etree
from sickle import Sickle, oaiexceptions
from sickle.models import Header, Record

OAI = "{http://www.openarchives.org/OAI/2.0/}"
OAI_DC = "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"
DATACITE = "{http://datacite.org/schema/kernel-4}"
DATESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
NIL = "00000000-0000-0000-0000-000000000000"


class Failure(Exception):
    pass


def fail(message: str) -> NoReturn:
    raise Failure(message)


def same(what: str, got: object, want: object) -> None:
    if got != want:
        fail(f"{what} is {got!r}, expected {want!r}")


def same_ids(what: str, got: Iterable[str], want: Iterable[str]) -> None:
    missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    if missing or extra:
        fail(f"{what}: missing {missing}, not expected {extra}")


# --- the JSON API -----------------------------------------------------------------------------


class Api:
    def __init__(self, base: str, token: str) -> None:
        self.base = base
        self.token = token

    def call(
        self, method: str, path: str, body: Any = None, etag: str | None = None
    ) -> tuple[Any, dict[str, str]]:
        """As the administrator; answers the JSON and the headers."""
        headers = {"Accept": "application/json", "Authorization": f"Bearer {self.token}"}
        headers |= {"If-Match": etag} if etag else {}
        data = None if body is None else json.dumps(body).encode()
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(f"{self.base}{path}", data, headers, method=method)
        try:
            with urllib.request.urlopen(request) as answer:
                return json.loads(answer.read()), {k.lower(): v for k, v in answer.headers.items()}
        except urllib.error.HTTPError as error:
            fail(f"{method} {path} answered {error.code}: {error.read()[:300]!r}")

    def published(self) -> dict[str, dict[str, Any]]:
        """Every published case study, by id, as the public reads it."""
        listing = json.loads(
            urllib.request.urlopen(f"{self.base}/api/v1/case-studies?limit=100").read()
        )
        if listing["next_cursor"] or len(listing["items"]) != listing["total"]:
            fail(f"{listing['total']} case studies, but {len(listing['items'])} in the first page")
        return {
            item["id"]: json.loads(
                urllib.request.urlopen(f"{self.base}/api/v1/case-studies/{item['id']}").read()
            )
            for item in listing["items"]
        }

    def transition(self, id: str, step: str) -> None:
        """A workflow step, with the If-Match of the version it applies to."""
        path = f"/api/v1/case-studies/{id}"
        self.call("POST", f"{path}/{step}", etag=self.call("GET", path)[1]["etag"])

    def publish_new(self) -> dict[str, Any]:
        document = {
            "slug": "harvest-check-new",
            "title": "Harvested after it was published",
            "summary": "Published while a harvester was watching.",
            "quadrants": ["co-delivery"],
            "journey_steps": ["grow-it"],
            "values": ["access"],
            "scale": "group",
            "sector": "health",
            "country": "Scotland",
            "locality": "Galashiels, Scottish Borders",
            "start_year": 2020,
            "end_year": 2021,
            "partners": [{"organisation": "scottish-borders-council", "role": "lead"}],
        }
        created, _ = self.call("POST", "/api/v1/case-studies", document)
        for step in ("submit", "publish"):
            self.transition(created["id"], step)
        return dict(created)


# --- the harvester ----------------------------------------------------------------------------


class Wire:
    """Sees every HTTP response Sickle gets: 200, XML, well formed (Sickle's own parser
    recovers from broken XML silently), an OAI-PMH document; and counts them."""

    def __init__(self) -> None:
        self.responses = 0

    def check(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.responses += 1
        asked = f"{response.request.method} {response.url}"
        same(f"the status of {asked}", response.status_code, 200)
        same(
            f"the Content-Type of {asked}",
            response.headers.get("content-type"),
            "text/xml; charset=utf-8",
        )
        try:
            root = etree.fromstring(response.content)
        except etree.XMLSyntaxError as error:
            fail(f"{asked} is not well-formed XML: {error}")
        same(f"the root of {asked}", root.tag, f"{OAI}OAI-PMH")
        if not DATESTAMP.fullmatch(root.findtext(f"{OAI}responseDate") or ""):
            date = root.findtext(f"{OAI}responseDate")
            fail(f"{asked}: responseDate {date!r} is not UTC to the second")


def harvest(
    sickle: Sickle,
    wire: Wire,
    verb: str,
    page: int | None,
    may_be_empty: bool = False,
    **arguments: str,
) -> dict[str, Record | Header]:
    """A whole list, following resumption tokens, by identifier; each must come once, and
    when the page size is known, in as many pages as it takes."""

    def items() -> list[Any]:
        try:
            return list(getattr(sickle, verb)(**arguments))
        except oaiexceptions.NoRecordsMatch:
            if may_be_empty:
                return []
            raise

    wire.responses = 0
    found: dict[str, Record | Header] = {}
    for item in asked(f"{verb} {arguments}", items):
        header = item.header if isinstance(item, Record) else item
        if header.identifier in found:
            fail(f"{verb} {arguments} lists {header.identifier} twice")
        if not DATESTAMP.fullmatch(header.datestamp or ""):
            fail(f"{header.identifier}: datestamp {header.datestamp!r} is not UTC to the second")
        found[header.identifier] = item
    if page:
        same(
            f"the pages {verb} {arguments} took",
            wire.responses,
            max(1, math.ceil(len(found) / page)),
        )
    return found


def asked(what: str, call: Callable[[], Any]) -> Any:
    """What Sickle answers; an OAI error it raises fails the check, saying where."""
    try:
        return call()
    except Exception as error:
        if type(error).__module__ != oaiexceptions.__name__:
            raise
        fail(f"{what}: the OAI error {type(error).__name__}: {error}")


def metadata(record: Record) -> etree._Element | None:
    element = record.xml.find(f"{OAI}metadata")
    return None if element is None else element[0]


def live_metadata(record: Record, tag: str) -> etree._Element:
    """The metadata of a record that must be live, checked to be in the format asked for."""
    where = record.header.identifier
    if record.deleted:
        fail(f"{where} is listed as deleted, but it is published")
    root = metadata(record)
    if root is None or root.tag != tag:
        fail(f"the metadata of {where} is {None if root is None else root.tag}, expected {tag}")
    return root


def check_dc(record: Record, case_study: dict[str, Any]) -> None:
    where = record.header.identifier
    live_metadata(record, OAI_DC)
    same(f"dc:title of {where}", record.metadata.get("title"), [case_study["title"]])
    for element in ("creator", "identifier"):
        if not [text for text in record.metadata.get(element, []) if text and text.strip()]:
            fail(f"{where} has no dc:{element}")


def check_datacite(record: Record, case_study: dict[str, Any]) -> None:
    root = live_metadata(record, f"{DATACITE}resource")
    titles = [t.text for t in root.iterfind(f"{DATACITE}titles/{DATACITE}title")]
    same(f"the titles of {record.header.identifier}", titles, [case_study["title"]])


def expect_error(code: str, error: type[Exception], call: Callable[[], object]) -> None:
    try:
        call()
    except error:
        return
    except Exception as other:
        fail(f"expected the OAI error {code}, got {type(other).__name__}: {other}")
    fail(f"expected the OAI error {code}, got an answer")


def raw_error(endpoint: str, arguments: dict[str, str]) -> str:
    """The error code of a request Sickle would not send; the request echoed must be bare."""
    answer = requests.get(f"{endpoint}?{urlencode(arguments)}", timeout=30)
    root = etree.fromstring(answer.content)
    request = root.find(f"{OAI}request")
    if request is None or request.attrib:
        echoed = None if request is None else dict(request.attrib)
        fail(f"{arguments}: the request element must be there and bare, is {echoed}")
    error = root.find(f"{OAI}error")
    return "" if error is None else error.get("code", "")


def stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- the run ----------------------------------------------------------------------------------


def main() -> None:
    base = sys.argv[1].rstrip("/")
    token = os.environ.get("CASEBOOK_CONTRACT_TOKEN") or fail(
        "CASEBOOK_CONTRACT_TOKEN must hold an administrator's token, to publish and archive"
    )
    page = int(os.environ.get("CASEBOOK_OAI_PAGE_SIZE") or 0) or None
    endpoint = f"{base}/oai"
    host = urlsplit(base).hostname
    oai_id: Callable[[str], str] = lambda id: f"oai:{host}:{id}"
    api = Api(base, token)
    wire = Wire()
    sickle = Sickle(endpoint, timeout=30, hooks={"response": wire.check})
    # A harvester may send its arguments as a form instead; the same repository answers.
    by_post = Sickle(endpoint, http_method="POST", timeout=30, hooks={"response": wire.check})
    print(f"harvester    Sickle {version('sickle')}, pages of {page or 'the default size'}")

    # 1. What the repository says about itself.
    identify = asked("Identify", sickle.Identify)
    if not identify.repositoryName:
        fail("Identify has no repositoryName")
    same("Identify baseURL", identify.baseURL, endpoint)
    same("Identify protocolVersion", identify.protocolVersion, "2.0")
    same("Identify deletedRecord", identify.deletedRecord, "persistent")
    same("Identify granularity", identify.granularity, "YYYY-MM-DDThh:mm:ssZ")
    prefixes = {
        f.metadataPrefix
        for f in asked("ListMetadataFormats", lambda: list(sickle.ListMetadataFormats()))
    }
    if not {"oai_dc", "datacite"} <= prefixes:
        fail(f"ListMetadataFormats offers {sorted(prefixes)}, without oai_dc and datacite")
    sets = [s.setSpec for s in asked("ListSets", lambda: list(sickle.ListSets()))]
    organisations = [s for s in sets if s.startswith("organisation:")]
    if "quadrant:co-design" not in sets or not organisations:
        fail(f"ListSets lacks quadrant:co-design or organisation sets: {sets}")
    print(
        f"identify     {identify.repositoryName!r} at {identify.baseURL}, protocol 2.0, deleted "
        f"records persistent, to the second; formats {', '.join(sorted(prefixes))}; "
        f"{len(sets)} sets ({len(organisations)} organisations)"
    )

    # 2. The whole repository in Dublin Core: the published case studies, no more, no fewer.
    published = api.published()
    wanted = {oai_id(id): case_study for id, case_study in published.items()}
    records = harvest(sickle, wire, "ListRecords", page, metadataPrefix="oai_dc")
    same_ids("a full oai_dc harvest", records, wanted)
    for identifier, record in records.items():
        assert isinstance(record, Record)
        check_dc(record, wanted[identifier])
    print(
        f"oai_dc       {len(records)} records in {wire.responses} pages = the {len(published)} "
        "published case studies; each with its title, a creator and an identifier"
    )

    # 3. The same in DataCite, asked for by POST.
    records = harvest(by_post, wire, "ListRecords", page, metadataPrefix="datacite")
    same_ids("a full datacite harvest", records, wanted)
    for identifier, record in records.items():
        assert isinstance(record, Record)
        check_datacite(record, wanted[identifier])
    print(
        f"datacite     {len(records)} records in {wire.responses} pages (by POST), each a "
        "kernel-4 resource with the case study's title"
    )

    # 4. Headers only, all of them and by set.
    headers = harvest(sickle, wire, "ListIdentifiers", page and 4 * page, metadataPrefix="oai_dc")
    same_ids("ListIdentifiers", headers, wanted)
    all_pages = wire.responses
    quadrant = "co-assessment"
    in_set = [i for i, c in wanted.items() if quadrant in c["quadrants"]]
    headers = harvest(
        sickle, wire, "ListIdentifiers", None, metadataPrefix="oai_dc", set=f"quadrant:{quadrant}"
    )
    same_ids(f"set quadrant:{quadrant}", headers, in_set)
    for identifier, header in headers.items():
        if f"quadrant:{quadrant}" not in header.setSpecs:
            fail(f"{identifier} is listed in quadrant:{quadrant}, its header in {header.setSpecs}")
    print(
        f"identifiers  {len(wanted)} headers in {all_pages} pages; set quadrant:{quadrant}: "
        f"{len(headers)} = the published case studies in that quadrant"
    )

    # 5. Incremental: what changed since a datestamp, a withdrawal as a deleted record.
    time.sleep(1.1)  # so that every earlier change falls in an earlier second
    since = datetime.now(UTC).replace(microsecond=0)
    new = api.publish_new()
    withdrawn = min(published)  # any demo case study
    api.transition(withdrawn, "archive")
    changed = {oai_id(new["id"]), oai_id(withdrawn)}
    # The repository lists what its search index has taken in, normally by the time a write
    # returns; up to 5 s are allowed for it.
    for _ in range(25):
        arguments = {"metadataPrefix": "oai_dc", "from": stamp(since)}
        records = harvest(sickle, wire, "ListRecords", page, may_be_empty=True, **arguments)
        if set(records) == changed:
            break
        time.sleep(0.2)
    same_ids(f"the records changed from {stamp(since)}", records, changed)
    for identifier, record in records.items():
        assert isinstance(record, Record)
        if record.header.datestamp < stamp(since):
            fail(f"{identifier}: datestamp {record.header.datestamp} is before {stamp(since)}")
    added, archived = records[oai_id(new["id"])], records[oai_id(withdrawn)]
    assert isinstance(added, Record) and isinstance(archived, Record)
    check_dc(added, new)
    if not archived.deleted or metadata(archived) is not None:
        fail(f"{archived.header.identifier}, archived, is not a deleted record without metadata")
    print(
        f"incremental  from={stamp(since)}: {len(records)} records, the one published since and "
        "the one archived since, as deleted without metadata"
    )

    # 6. The whole repository again: the withdrawn one stays, as deleted; and before the changes.
    records = harvest(sickle, wire, "ListRecords", page, metadataPrefix="oai_dc")
    same_ids("the second full harvest", records, set(wanted) | changed)
    deleted = sorted(i for i, r in records.items() if isinstance(r, Record) and r.deleted)
    same("the deleted records of the second full harvest", deleted, [oai_id(withdrawn)])
    for identifier, record in records.items():
        assert isinstance(record, Record)
        if identifier != oai_id(withdrawn):
            check_dc(record, new if identifier == oai_id(new["id"]) else wanted[identifier])
    until = stamp(since - timedelta(seconds=1))
    headers = harvest(
        sickle, wire, "ListIdentifiers", page and 4 * page, metadataPrefix="oai_dc", until=until
    )
    same_ids(f"ListIdentifiers until={until}", headers, set(wanted) - changed)
    print(
        f"full again   {len(records)} records, {len(deleted)} deleted (the archived one), the new "
        f"one live; until={until}: {len(headers)} headers, the ones unchanged since"
    )

    # 7. The protocol's errors, as OAI errors.
    same(
        "the error for ListRecords without metadataPrefix",
        raw_error(endpoint, {"verb": "ListRecords"}),
        "badArgument",
    )
    same("the error for verb=Harvest", raw_error(endpoint, {"verb": "Harvest"}), "badVerb")
    errors: list[tuple[str, type[Exception], Callable[[], object]]] = [
        (
            "cannotDisseminateFormat",
            oaiexceptions.CannotDisseminateFormat,
            lambda: sickle.ListRecords(metadataPrefix="marc21"),
        ),
        (
            "idDoesNotExist",
            oaiexceptions.IdDoesNotExist,
            lambda: sickle.GetRecord(identifier=oai_id(NIL), metadataPrefix="oai_dc"),
        ),
        (
            "noRecordsMatch",
            oaiexceptions.NoRecordsMatch,
            lambda: sickle.ListRecords(metadataPrefix="oai_dc", **{"from": "2100-01-01"}),
        ),
        (
            "badResumptionToken",
            oaiexceptions.BadResumptionToken,
            lambda: sickle.ListRecords(resumptionToken="not-a-token"),
        ),
    ]
    for code, error, call in errors:
        expect_error(code, error, call)
    by_sickle = ", ".join(code for code, _, _ in errors)
    print(f"errors       badArgument, badVerb (raw GET, request echoed bare); {by_sickle} (Sickle)")

    # 8. One record at a time, in both formats; the withdrawn one as deleted.
    def get_record(identifier: str, prefix: str) -> Record:
        record = asked(
            f"GetRecord {identifier} {prefix}",
            lambda: sickle.GetRecord(identifier=identifier, metadataPrefix=prefix),
        )
        same(f"the identifier GetRecord {identifier} answers", record.header.identifier, identifier)
        return record

    one = min(set(wanted) - changed)
    check_dc(get_record(one, "oai_dc"), wanted[one])
    check_datacite(get_record(one, "datacite"), wanted[one])
    gone = get_record(oai_id(withdrawn), "datacite")
    if not gone.deleted or metadata(gone) is not None:
        fail(
            f"GetRecord of {oai_id(withdrawn)}, archived, is not a deleted record without metadata"
        )
    print(f"getrecord    {one} in oai_dc and datacite; the archived one deleted")


if __name__ == "__main__":
    try:
        main()
    except Failure as failure:
        print(f"harvest: FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
