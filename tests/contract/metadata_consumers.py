"""Reads every open-metadata format of every published case study, as it is now and as its
version 1 was, with a library that consumers of that format use, and checks that what the
library reads is the case study: its JSON document (for a version, the JSON of that version)
is the reference.

    CASEBOOK_CONTRACT_TOKEN=... python metadata_consumers.py BASE_URL

First it publishes, with the administrator's token, a case study that has what the demo data
lacks. Prints a line per format; on the first failure, says where and what, and exits 1.
Nothing but BASE_URL is contacted: the schema.org context is served from here.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import socket
import sys
import time
import urllib.error
import urllib.request
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any, NoReturn, TypeAlias

import bibtexparser
import datacite.schema45
import rispy
from bibtexparser import middlewares
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from jsonschema import FormatChecker
from lxml import etree
from pylatexenc.latex2text import LatexNodes2Text
from pyld import jsonld

MEDIA_TYPES = {
    "jsonld": "application/ld+json",
    "csl": "application/vnd.citationstyles.csl+json",
    "bibtex": "application/x-bibtex",
    "ris": "application/x-research-info-systems",
    "datacite": "application/vnd.datacite.datacite+xml",
    "dc": "application/oai_dc+xml",
}


class Failure(Exception):
    pass


def fail(message: str) -> NoReturn:
    raise Failure(message)


def same(what: str, got: object, want: object) -> None:
    if got != want:
        fail(f"{what} is {got!r}, expected {want!r}")


def loopback_only(event: str, args: tuple[Any, ...]) -> None:
    """An audit hook: any look-up or connection beyond this machine is an error, so that no
    check leans on the web (a context, a style or a schema fetched behind our back)."""
    if event == "socket.getaddrinfo":
        host = args[0]
    elif event == "socket.connect" and args[0].family in (socket.AF_INET, socket.AF_INET6):
        host = args[1][0]
    else:
        return
    host = host.decode() if isinstance(host, bytes) else str(host)
    try:
        loopback = ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        raise RuntimeError(f"{event} {host!r}: the checks stay on this machine")


# --- the service ------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    media_type: str
    headers: dict[str, str]  # names in lower case
    body: bytes


def request(
    method: str, url: str, accept: str, body: Any = None, headers: dict[str, str] | None = None
) -> Response:
    headers = {"Accept": accept} | (headers or {})
    data = None if body is None else json.dumps(body).encode()
    if data is not None:
        headers["Content-Type"] = "application/json"
    try:
        answer = urllib.request.urlopen(urllib.request.Request(url, data, headers, method=method))
    except urllib.error.HTTPError as error:
        answer = error
    with answer:
        return Response(
            answer.status,
            answer.headers.get_content_type(),
            {name.lower(): value for name, value in answer.headers.items()},
            answer.read(),
        )


def get(url: str, accept: str = "application/json") -> Response:
    """As the public reads: no token."""
    return request("GET", url, accept)


def get_json(url: str) -> Any:
    answer = get(url)
    if answer.status != 200:
        fail(f"GET {url} answered {answer.status}: {answer.body[:300]!r}")
    return json.loads(answer.body)


def path_of(reference: str = "") -> str:
    """The case studies' path, or one case study's (by id or slug)."""
    return f"/api/v1/case-studies/{reference}".rstrip("/")


def add_case_study(base: str, token: str) -> str:
    """Publishes, twice, a case study with what the demo data lacks: LaTeX and XML specials in
    its title and in a partner's name, register numbers, a funder with a ROR id, another
    licence, work still going on, a first version that a second replaced, and a DOI. Answers
    its slug.
    """

    def send(method: str, path: str, body: Any = None, etag: str | None = None) -> Response:
        headers = {"Authorization": f"Bearer {token}"} | ({"If-Match": etag} if etag else {})
        answer = request(method, f"{base}{path}", "application/json", body, headers)
        if answer.status not in (200, 201):
            fail(f"{method} {path} answered {answer.status}: {answer.body[:300]!r}")
        return answer

    send(
        "POST",
        "/api/v1/organisations",
        {
            "slug": "metadata-check-trust",
            "kind": "charity",
            "name": 'Tweed & Teviot {Trust} 100% #1_x \\ ~^$ "Ltd" <and> Co',
            "identifiers": {
                "ror": "https://ror.org/01nrxwf90",
                "charity_number": "SC012345",
                "company_number": "SC215805",
            },
        },
    )
    send(
        "POST",
        "/api/v1/organisations",
        {
            "slug": "metadata-check-fund",
            "kind": "other",
            "name": "Borders Lottery Fund",
            "identifiers": {"ror": "https://ror.org/02wn5qz54"},
        },
    )
    document: dict[str, Any] = {
        "slug": "metadata-check-specials",
        "license": "OGL-UK-3.0",
        "title": 'Café & {braces}: 50% of #1 a_b \\ ~ ^ $ "quoted" <b>not bold</b> — Hawick',
        "summary": "A summary with & and %,\nover two lines.",
        "quadrants": ["co-design"],
        "journey_steps": ["map-it"],
        "values": ["equality"],
        "scale": "community",
        "sector": "housing",
        "country": "Scotland",
        "locality": "Hawick, Scottish Borders",
        "start_year": 2015,
        "end_year": None,
        "partners": [
            {"organisation": "metadata-check-trust", "role": "lead"},
            {"organisation": "scottish-borders-council", "role": "partner"},
            {"organisation": "metadata-check-fund", "role": "funder"},
        ],
    }
    path = path_of(json.loads(send("POST", path_of(), document).body)["id"])

    def publish() -> None:
        for step in ("submit", "publish"):
            send("POST", f"{path}/{step}", etag=send("GET", path).headers["etag"])

    publish()
    revised = document | {"title": document["title"] + " (revised)"}
    send("PUT", path, revised, send("GET", path).headers["etag"])
    publish()
    send("PUT", f"{path}/doi", {"doi": "10.5555/casebook.metadata-check_(1)"})
    return str(document["slug"])


Labels: TypeAlias = dict[str, dict[str, str]]  # each vocabulary's labels by code


@dataclass
class Expected:
    """What every format of one case study (or one version of it) should say."""

    where: str  # the address its formats are asked for at
    slug: str
    title: str
    url: str  # the case study's permanent address
    number: int
    latest: int
    creators: list[str]  # the partners but funders, or the owner
    register_numbers: list[str]  # the creators' numbers in public registers
    funders: list[str]  # the partners in the funder role (costs may name more)
    keywords: list[str]  # quadrants, journey steps, values and sector, as labelled
    license: str  # an SPDX id
    related: set[str]  # permanent addresses of the case studies `/related` names (current only)

    @property
    def version_url(self) -> str:
        return f"{self.url}/versions/{self.number}"

    @property
    def key(self) -> str:
        return f"{self.slug}-v{self.number}"


def expected(
    where: str,
    document: dict[str, Any],
    number: int,
    latest: int,
    base: str,
    labels: Labels,
    related: set[str],
) -> Expected:
    partners = document["partners"]
    creators = [p["organisation"] for p in partners if p["role"] != "funder"]
    creators = creators or [document["owner"]]
    terms = ("quadrants", "journey_steps", "values")
    return Expected(
        where=where,
        slug=document["slug"],
        title=document["title"],
        url=f"{base}{path_of(document['id'])}",
        number=number,
        latest=latest,
        creators=[organisation["name"] for organisation in creators],
        register_numbers=[n for o in creators for n in o["identifiers"].values() if n],
        funders=[p["organisation"]["name"] for p in partners if p["role"] == "funder"],
        keywords=[labels[t][code] for t in terms for code in document[t]]
        + [labels["sectors"][document["sector"]]],
        license=document["license"],
        related=related,
    )


# --- JSON-LD: expanded with PyLD ----------------------------------------------------------------

# What https://schema.org serves as its context maps every term into the vocabulary, under
# http:// as schema.org's own context does; offline, a consumer needs no more than that.
SCHEMA_ORG = "http://schema.org/"


def schema_org_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise jsonld.JsonLdError(f"{url} is not served offline", "jsonld.LoadDocumentError")
    context = {"@context": {"@vocab": SCHEMA_ORG}}
    return {"contextUrl": None, "documentUrl": url, "document": context}


def values(node: dict[str, Any], term: str) -> list[Any]:
    """The plain values (strings, or the IRIs of nodes) of a schema.org property."""
    return [v.get("@value", v.get("@id")) for v in node.get(SCHEMA_ORG + term, [])]


def check_jsonld(body: bytes, want: Expected) -> None:
    document = json.loads(body)
    same("@context", document.get("@context"), "https://schema.org")
    dropped: list[str | None] = []
    expanded = jsonld.expand(
        document, {"documentLoader": schema_org_loader}, on_property_dropped=dropped.append
    )
    if len(expanded) != 1:
        fail(f"expands to {len(expanded)} nodes, expected one")
    node = expanded[0]
    # Every property of the document survives, with as many values as it had.
    for term, value in document.items():
        if term != "@context":
            iri = term if term.startswith("@") else SCHEMA_ORG + term
            if iri not in node:
                fail(f"{term!r} is lost in expansion")
            count = len(value) if isinstance(value, list) else 1
            got = len(node[iri]) if isinstance(node[iri], list) else 1
            same(f"the number of {term!r} values after expansion", got, count)
    if dropped:  # deeper down; PyLD names what each term expanded to (None for nothing)
        fail(f"expansion dropped {len(dropped)} properties, expanded as {dropped}")
    same("@id", node["@id"], want.version_url)
    same("@type", node["@type"], [SCHEMA_ORG + "Article"])
    same("name", values(node, "name"), [want.title])
    same("url", values(node, "url"), [want.url])
    same("version", values(node, "version"), [str(want.number)])
    status = "Published" if want.number == want.latest else "Superseded"
    same("creativeWorkStatus", values(node, "creativeWorkStatus"), [status])
    license = values(node, "license")
    if len(license) != 1 or want.license not in license[0]:
        fail(f"license is {license}, expected the {want.license} licence")
    authors = [values(author, "name") for author in node[SCHEMA_ORG + "author"]]
    same("the authors' names", authors, [[name] for name in want.creators])
    same("keywords", values(node, "keywords"), want.keywords)


# --- CSL-JSON: rendered with citeproc-py --------------------------------------------------------

CSL_STYLE_NAME = "harvard-cite-them-right"  # the one style citeproc-py ships
CSL_STYLE = CitationStylesStyle(CSL_STYLE_NAME, validate=True)
# CSL 1.0.2 variables that citeproc-py does not know yet, and warns of; nothing else may be.
CSL_NEWER_THAN_CITEPROC_PY = {"license"}


def check_csl(body: bytes, want: Expected) -> None:
    item = json.loads(body)
    if not isinstance(item, dict):
        fail(f"is a {type(item).__name__}, expected one CSL item object")
    same("id", item.get("id"), want.key)
    same("type", item.get("type"), "report")
    same("author", item.get("author"), [{"literal": name} for name in want.creators])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bibliography = CitationStylesBibliography(CSL_STYLE, CiteProcJSON([item]), formatter.plain)
        citation = Citation([CitationItem(want.key)])
        bibliography.register(citation)
        bibliography.cite(citation, lambda missing: fail(f"citeproc-py lacks {missing.key}"))
        rendered = [str(entry) for entry in bibliography.bibliography()]
    for warning in caught:
        unsupported = re.search(r"unsupported: (.*)", str(warning.message))
        if not unsupported or set(unsupported[1].split(", ")) - CSL_NEWER_THAN_CITEPROC_PY:
            fail(f"citeproc-py: {warning.message}")
    if len(rendered) != 1:
        fail(f"renders {len(rendered)} references, expected one")
    # A style links the DOI, when there is one, in place of the address.
    link = f"https://doi.org/{item['DOI']}" if "DOI" in item else want.version_url
    for what, text in (("title", want.title), ("link", link)):
        if text not in rendered[0]:
            fail(f"the rendered reference lacks the {what} {text!r}: {rendered[0]!r}")


# --- BibTeX: parsed with bibtexparser -----------------------------------------------------------

LATEX = LatexNodes2Text()


def latex_text(value: str) -> str:
    # pylatexenc reads \textasciicircum as the modifier letter U+02C6; LaTeX prints "^". It
    # does not know LaTeX's \textbraceleft and \textbraceright (braces that BibTeX, unlike
    # \{ and \}, leaves out of its count), so they are read here as the braces they print.
    for command, brace in ((r"\textbraceleft{}", r"\{"), (r"\textbraceright{}", r"\}")):
        value = value.replace(command, brace)
    return str(LATEX.latex_to_text(value)).replace("\u02c6", "^")


def check_bibtex(body: bytes, want: Expected) -> None:
    library = bibtexparser.parse_string(
        body.decode(),
        append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()],
    )
    if library.failed_blocks:
        fail(f"bibtexparser cannot read it: {[repr(b.error) for b in library.failed_blocks]}")
    if len(library.blocks) != 1 or len(library.entries) != 1:
        fail(f"holds {len(library.blocks)} blocks, expected one entry")
    entry = library.entries[0]
    same("the entry type", entry.entry_type, "misc")
    same("the key", entry.key, want.key)
    fields = entry.fields_dict
    # LaTeX specials (\&, \%, \textbackslash{}...) read as the characters they stand for.
    same("title", latex_text(fields["title"].value), want.title)
    # The url is read verbatim, as styles read it.
    url = fields["url"].value
    if not url.endswith(f"/versions/{want.number}"):
        fail(f"url {url!r} does not end with /versions/{want.number}")
    same("url", url, want.version_url)
    if not re.fullmatch(r"\d{4}", fields["year"].value):
        fail(f"year {fields['year'].value!r} is not a year")
    # Organisations are corporate authors, each braced whole, so that no style takes one for
    # a first name and a surname, or splits it at an "and" of its own.
    authors = []
    for name in fields["author"].value:
        if name.first or name.von or name.jr or len(name.last) != 1:
            fail(f"author {name} reads as a person's name, not an organisation's")
        authors.append(latex_text(name.last[0]))
    same("author", authors, want.creators)


# --- RIS: read with rispy -----------------------------------------------------------------------


def check_ris(body: bytes, want: Expected) -> None:
    records = rispy.loads(body.decode())
    if len(records) != 1:
        fail(f"holds {len(records)} records, expected one")
    record = records[0]
    if "unknown_tag" in record:
        fail(f"rispy does not know the tags {dict(record['unknown_tag'])}")
    same("type_of_reference", record.get("type_of_reference"), "RPRT")
    same("title", record.get("title"), want.title)
    same("urls", record.get("urls"), [want.version_url])
    same("authors", record.get("authors"), want.creators)
    same("keywords", record.get("keywords"), want.keywords)


# --- DataCite: the XML as DataCite 4.5 JSON, validated with the datacite package ----------------

KERNEL_4 = "http://datacite.org/schema/kernel-4"
XSI_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)

Element: TypeAlias = etree._Element


def local(element: Element) -> str:
    name = etree.QName(element)
    if name.namespace != KERNEL_4:
        fail(f"<{element.tag}> is outside the DataCite kernel-4 namespace")
    return str(name.localname)


def json_key(attribute: str) -> str:
    """The JSON schema names an attribute as the XML does, but for `xml:lang` (`lang`) and the
    URIs (`schemeURI` is `schemeUri`)."""
    return "lang" if attribute == LANG else re.sub(r"URI$", "Uri", attribute)


def leaf(element: Element, text_key: str, attributes: str = "") -> dict[str, Any]:
    """An element of text, and of the attributes named: its text under `text_key`. Any other
    attribute, or a child element, is a failure: nothing passes by being ignored."""
    known = {LANG if name == "xml:lang" else name for name in attributes.split()}
    unknown = sorted(set(element.attrib) - known)
    if unknown:
        fail(f"<{local(element)}> has attributes the converter does not know: {unknown}")
    if len(element):
        fail(f"<{local(element)}> holds <{local(element[0])}>, which the converter does not know")
    text = (element.text or "").strip()
    if not text:
        fail(f"<{local(element)}> is empty")
    return {json_key(name): value for name, value in element.attrib.items()} | {text_key: text}


def text_of(element: Element) -> str:
    return str(leaf(element, "text")["text"])


def elements(element: Element) -> Element:
    """An element of elements only: no attributes, and no text among them."""
    if element.attrib:
        fail(f"<{local(element)}> has attributes the converter does not know: {element.attrib}")
    if (element.text or "").strip() or any((child.tail or "").strip() for child in element):
        fail(f"<{local(element)}> has text among its elements")
    return element


Convert: TypeAlias = Callable[[Element], Any]


def one(text_key: str, attributes: str = "") -> Convert:
    """An element of text, for a key of its own."""
    return lambda element: leaf(element, text_key, attributes)


def many(key: str, text_key: str, attributes: str = "") -> Convert:
    """An element of text, for a list under `key`."""
    return lambda element: {key: [leaf(element, text_key, attributes)]}


def parts(children: dict[str, Convert]) -> Convert:
    """An element whose children, of the kinds named, make one JSON object together."""

    def convert(element: Element) -> dict[str, Any]:
        converted: dict[str, Any] = {}
        for child in elements(element):
            if local(child) not in children:
                fail(
                    f"<{local(element)}> holds <{local(child)}>, which the converter does not know"
                )
            for key, value in children[local(child)](child).items():
                if isinstance(value, list):
                    converted.setdefault(key, []).extend(value)
                elif key in converted:
                    fail(f"<{local(element)}> has two <{local(child)}>")
                else:
                    converted[key] = value
        return converted

    return convert


def funder_identifier(element: Element) -> dict[str, Any]:
    identifier = leaf(element, "funderIdentifier", "funderIdentifierType schemeURI")
    # The XML schema lets it name its scheme's URI, and the JSON schema has no place for that:
    # the URI is checked, as the start of the identifier, rather than dropped unread.
    scheme = identifier.pop("schemeUri", "")
    if not identifier["funderIdentifier"].startswith(scheme):
        fail(f"funderIdentifier {identifier['funderIdentifier']!r} is not in {scheme!r}")
    return identifier


def point(element: Element) -> dict[str, Any]:
    coordinates = parts(
        {"pointLongitude": one("pointLongitude"), "pointLatitude": one("pointLatitude")}
    )
    return {"geoLocationPoint": {k: float(v) for k, v in coordinates(element).items()}}


def doi(element: Element) -> str:
    identifier = leaf(element, "doi", "identifierType")
    same("identifierType", identifier["identifierType"], "DOI")
    return str(identifier["doi"])


# The lists a `resource` may hold: the element each lists, and how that becomes JSON. For an
# element of text: the key its text takes, and the attributes it may have.
DATACITE_LISTS: dict[str, tuple[str, Convert]] = {
    "creators": (
        "creator",
        parts(
            {
                "creatorName": one("name", "nameType xml:lang"),
                "givenName": one("givenName"),
                "familyName": one("familyName"),
                "nameIdentifier": many(
                    "nameIdentifiers", "nameIdentifier", "nameIdentifierScheme schemeURI"
                ),
                "affiliation": many(
                    "affiliation",
                    "name",
                    "affiliationIdentifier affiliationIdentifierScheme schemeURI",
                ),
            }
        ),
    ),
    "titles": ("title", one("title", "xml:lang titleType")),
    "subjects": (
        "subject",
        one("subject", "subjectScheme schemeURI valueURI classificationCode xml:lang"),
    ),
    "dates": ("date", one("date", "dateType dateInformation")),
    "alternateIdentifiers": (
        "alternateIdentifier",
        one("alternateIdentifier", "alternateIdentifierType"),
    ),
    "relatedIdentifiers": (
        "relatedIdentifier",
        one(
            "relatedIdentifier",
            "relatedIdentifierType relationType relatedMetadataScheme schemeURI schemeType"
            " resourceTypeGeneral",
        ),
    ),
    "rightsList": (
        "rights",
        one("rights", "rightsURI rightsIdentifier rightsIdentifierScheme schemeURI xml:lang"),
    ),
    "descriptions": ("description", one("description", "descriptionType xml:lang")),
    "geoLocations": (
        "geoLocation",
        parts({"geoLocationPlace": one("geoLocationPlace"), "geoLocationPoint": point}),
    ),
    "fundingReferences": (
        "fundingReference",
        parts(
            {
                "funderName": one("funderName"),
                "funderIdentifier": funder_identifier,
                "awardNumber": one("awardNumber", "awardURI"),
                "awardTitle": one("awardTitle"),
            }
        ),
    ),
}
# The single elements: the key each takes in JSON, and how.
DATACITE_SINGLES: dict[str, tuple[str, Convert]] = {
    "identifier": ("doi", doi),
    "publisher": (
        "publisher",
        one("name", "publisherIdentifier publisherIdentifierScheme schemeURI xml:lang"),
    ),
    "publicationYear": ("publicationYear", text_of),
    "resourceType": ("types", one("resourceType", "resourceTypeGeneral")),
    "language": ("language", text_of),
    "version": ("version", text_of),
}


def datacite_json(resource: Element) -> dict[str, Any]:
    """The DataCite 4.5 JSON of a `resource`, failing on whatever the mapping does not know."""
    same("the root element", resource.tag, f"{{{KERNEL_4}}}resource")
    location = resource.attrib.pop(XSI_LOCATION, "").split()
    if location[:1] != [KERNEL_4] or not location[-1].endswith("/kernel-4.5/metadata.xsd"):
        fail(f"xsi:schemaLocation {location} does not name the kernel-4.5 schema")
    data: dict[str, Any] = {"schemaVersion": KERNEL_4}
    for element in elements(resource):
        name = local(element)
        if name in DATACITE_LISTS:
            child, convert = DATACITE_LISTS[name]
            if any(local(item) != child for item in elements(element)):
                fail(f"<{name}> holds other elements than <{child}>")
            key, value = name, [convert(item) for item in element]
        elif name in DATACITE_SINGLES:
            key, convert = DATACITE_SINGLES[name]
            value = convert(element)
        else:
            fail(f"<resource> holds <{name}>, which the converter does not know")
        if key in data:
            fail(f"<resource> has two <{name}>")
        data[key] = value
    return data


def matches(pattern: str) -> Callable[[object], bool]:
    return lambda value: not isinstance(value, str) or re.fullmatch(pattern, value) is not None


# The schema names these formats, and the package checks none of them. DataCite takes W3CDTF
# dates, and ranges of them as RKMS-ISO8601 writes them: two with a slash between, one side
# left empty when the range is open.
DATE_FORMATS = {
    "year": r"-?\d{4}",
    "yearmonth": r"\d{4}-(0[1-9]|1[0-2])",
    "date": r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])",
    "datetime": r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)",
}
FORMATS = FormatChecker(formats=())
FORMATS.checks("uri")(matches(r"https?://[^/\s]+\S*"))
for _name, _pattern in DATE_FORMATS.items():
    FORMATS.checks(_name)(matches(_pattern))
    FORMATS.checks(f"{_name}-range")(matches(f"({_pattern})/({_pattern})?|/({_pattern})"))
DATACITE_FORMATS = datacite.schema45.validator.evolve(format_checker=FORMATS)
DOIS: list[str] = []


def check_datacite(body: bytes, want: Expected) -> None:
    data = datacite_json(etree.fromstring(body, XML_PARSER))
    for validator, what in (
        (datacite.schema45.validator, "valid DataCite 4.5 JSON"),
        (DATACITE_FORMATS, "in the formats its schema names for dates and URIs"),
    ):
        errors = [
            f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
            for e in validator.iter_errors(data)
        ]
        if errors:
            fail(f"not {what}: {errors}")
    if not datacite.schema45.validate(data):  # the package's own verdict, in case it differs
        fail("datacite.schema45.validate refuses it")
    same("titles", [t["title"] for t in data["titles"]], [want.title])
    same("creators", [c["name"] for c in data["creators"]], want.creators)
    same("creators' nameTypes", {c.get("nameType") for c in data["creators"]}, {"Organizational"})
    identifiers = [
        i["nameIdentifier"] for c in data["creators"] for i in c.get("nameIdentifiers", [])
    ]
    same("creators' nameIdentifiers", identifiers, want.register_numbers)
    same("subjects", [s["subject"] for s in data.get("subjects", [])], want.keywords)
    same("version", data.get("version"), str(want.number))
    alternate = [{"alternateIdentifier": want.version_url, "alternateIdentifierType": "URL"}]
    same("alternateIdentifiers", data.get("alternateIdentifiers"), alternate)
    related = {(r["relationType"], r["relatedIdentifier"]) for r in data["relatedIdentifiers"]}
    neighbours = (("IsNewVersionOf", want.number - 1), ("IsPreviousVersionOf", want.number + 1))
    versions = {("IsVersionOf", want.url)} | {
        (relation, f"{want.url}/versions/{n}")
        for relation, n in neighbours
        if 1 <= n <= want.latest
    }
    same("relatedIdentifiers", related, versions | {("References", url) for url in want.related})
    same(
        "rightsIdentifiers", [r.get("rightsIdentifier") for r in data["rightsList"]], [want.license]
    )
    funders = {f["funderName"] for f in data.get("fundingReferences", [])}
    if set(want.funders) - funders:
        fail(f"fundingReferences {sorted(funders)} lack {sorted(set(want.funders) - funders)}")
    if "doi" in data:
        DOIS.append(data["doi"])


# --- Dublin Core: parsed with lxml --------------------------------------------------------------

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
DC_ELEMENTS = set(
    "title creator subject description publisher contributor date type format identifier"
    " source language relation coverage rights".split()
)


def check_dc(body: bytes, want: Expected) -> None:
    root = etree.fromstring(body, XML_PARSER)
    same("the root element", root.tag, f"{{{OAI_DC}}}dc")
    found: dict[str, list[str]] = {}
    for element in root:
        name = etree.QName(element)
        if name.namespace != DC or name.localname not in DC_ELEMENTS:
            fail(f"<oai_dc:dc> holds <{element.tag}>, not one of the 15 Dublin Core elements")
        if len(element) or not (element.text or "").strip():
            fail(f"dc:{name.localname} is not text")
        found.setdefault(name.localname, []).append(element.text or "")
    same("dc:title", found.get("title"), [want.title])
    same("dc:creator", found.get("creator"), want.creators)
    same("dc:subject", found.get("subject"), want.keywords)
    for url in (want.version_url, want.url):
        if url not in found.get("identifier", []):
            fail(f"dc:identifier {found.get('identifier')} lacks {url}")


# --- the run ------------------------------------------------------------------------------------

CHECKS: dict[str, tuple[Callable[[bytes, Expected], None], str]] = {
    "jsonld": (check_jsonld, f"expanded by PyLD {version('PyLD')}, nothing dropped"),
    "csl": (check_csl, f"rendered by citeproc-py {version('citeproc-py')} ({CSL_STYLE_NAME})"),
    "bibtex": (check_bibtex, f"@misc entries read by bibtexparser {version('bibtexparser')}"),
    "ris": (check_ris, f"RPRT records read by rispy {version('rispy')}"),
    "datacite": (check_datacite, f"valid DataCite 4.5 JSON (datacite {version('datacite')})"),
    "dc": (check_dc, f"oai_dc records read by lxml {version('lxml')}"),
}


def fetch(where: str, name: str, by_parameter: bool) -> bytes:
    """One format of one document, asked for by `?format=` or by `Accept`."""
    if by_parameter:
        asked, answer = f"GET {where}?format={name}", get(f"{where}?format={name}")
    else:
        asked, answer = f"GET {where} (Accept: {MEDIA_TYPES[name]})", get(where, MEDIA_TYPES[name])
    if answer.status != 200:
        fail(f"{asked} answered {answer.status}: {answer.body[:300]!r}")
    same(f"the Content-Type of {asked}", answer.media_type, MEDIA_TYPES[name])
    # Caches must keep one copy per format.
    if "accept" not in re.split(r"\s*,\s*", answer.headers.get("vary", "").lower()):
        fail(f"{asked} answered Vary: {answer.headers.get('vary')!r}, without Accept")
    return answer.body


def check_negotiation(where: str) -> None:
    refused = get(where, "text/html")
    asked = f"GET {where} (Accept: text/html)"
    same(f"the status of {asked}", refused.status, 406)
    same(f"the Content-Type of {asked}", refused.media_type, "application/problem+json")
    same(f"the problem's status in {asked}", json.loads(refused.body).get("status"), 406)
    for name in MEDIA_TYPES:
        if fetch(where, name, True) != fetch(where, name, False):
            fail(f"{where}: ?format={name} and Accept: {MEDIA_TYPES[name]} give different bytes")


def settle_meaning(base: str) -> None:
    """Waits until every case study has its vector: until then, which case studies are
    related (closeness in meaning counts) changes under the check."""
    for _ in range(600):
        health = get_json(f"{base}/health")
        if health["mode"] == "lexical" or health["embedded"] >= health["case_studies"]:
            return
        time.sleep(0.1)
    fail(f"the case studies were not all embedded within a minute: {health}")


def main() -> None:
    sys.addaudithook(loopback_only)
    base = sys.argv[1].rstrip("/")
    token = os.environ.get("CASEBOOK_CONTRACT_TOKEN") or fail(
        "CASEBOOK_CONTRACT_TOKEN must hold an administrator's token, to publish a case study"
    )
    added = add_case_study(base, token)
    labels = {
        vocabulary: {term["code"]: term["label"] for term in terms}
        for vocabulary, terms in get_json(f"{base}/api/v1/vocabularies").items()
        if vocabulary in ("quadrants", "journey_steps", "values", "sectors")
    }
    settle_meaning(base)
    listing = get_json(f"{base}{path_of()}?limit=50")
    if listing["next_cursor"] or len(listing["items"]) != listing["total"]:
        fail(f"{listing['total']} case studies, but {len(listing['items'])} in the first page")
    if added not in [item["slug"] for item in listing["items"]]:
        fail(f"{added}, published here, is not in the listing")

    # Each case study as it is, by slug and by Accept; its version 1 by id and by ?format=.
    targets: list[tuple[Expected, bool]] = []
    for item in listing["items"]:
        versions = get_json(f"{base}{path_of(item['id'])}/versions")
        latest = [v["number"] for v in versions if v["state"] == "current"]
        if len(latest) != 1:
            fail(f"{item['slug']} has {len(latest)} current versions, expected one")
        where = f"{base}{path_of(item['slug'])}"
        document = get_json(where)
        same(f"the title of {item['slug']}", document["title"], item["title"])
        # The current publication names the case studies most like it; a version, none.
        alike = get_json(f"{base}{path_of(item['id'])}/related?limit=5")["items"]
        related = {f"{base}{path_of(r['case_study']['id'])}" for r in alike}
        current = expected(where, document, latest[0], latest[0], base, labels, related)
        targets.append((current, False))
        where = f"{base}{path_of(item['id'])}/versions/1"
        first = get_json(where)
        same(f"the url of {where}", first["url"], where)
        version = expected(where, first["case_study"], 1, latest[0], base, labels, set())
        targets.append((version, True))
    print(f"case studies {len(listing['items'])}: the demo data's, and {added} published twice")

    check_negotiation(f"{base}{path_of(added)}")
    print(
        f"negotiation  {added}: Accept: text/html answers 406 with a problem; ?format= and "
        f"Accept give the same bytes, with Vary: Accept, in all {len(MEDIA_TYPES)} formats"
    )

    for name, (check, how) in CHECKS.items():
        for want, by_parameter in targets:
            try:
                check(fetch(want.where, name, by_parameter), want)
            except Exception as error:  # a library's own exception too, said where it arose
                asked = f"?format={name}" if by_parameter else f"Accept: {MEDIA_TYPES[name]}"
                what = (
                    str(error) if isinstance(error, Failure) else f"{type(error).__name__}: {error}"
                )
                raise Failure(f"{name} of {want.where} ({asked}): {what}") from error
        counts = Counter(by_parameter for _, by_parameter in targets)
        line = f"{name:<12} {len(targets)} documents ({counts[False]} current, "
        line += f"{counts[True]} version 1): {how}"
        print(line + (f"; {len(DOIS)} with a DOI" if name == "datacite" else ""))


if __name__ == "__main__":
    try:
        main()
    except Failure as failure:
        print(f"metadata_consumers: FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
