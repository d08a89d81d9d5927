"""Drives a live casebook through the Python client generated from openapi/openapi.json.

Usage: client_smoke.py BASE_URL

Every call goes through the generated client (casebook_client), never through raw HTTP:
if the document describes an operation wrongly, the client built from it is wrong, and a
step here fails. The service must hold the demo data (tests/contract/lib.sh starts it so).

If CASEBOOK_CONTRACT_TOKEN is set, requests carry it as a bearer token.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from typing import Any, TypeVar

from casebook_client import AuthenticatedClient, Client
from casebook_client.api.case_studies import (
    create_case_study,
    get_case_study,
    list_case_studies,
    replace_case_study,
)
from casebook_client.api.health import health
from casebook_client.api.organisations import (
    create_organisation,
    get_organisation,
    list_organisations,
)
from casebook_client.models import (
    CaseStudy,
    CaseStudyInput,
    CaseStudyPage,
    Country,
    Health,
    Organisation,
    OrganisationInput,
    OrganisationKind,
    OrganisationPage,
    PartnerInput,
    PartnerRole,
    Problem,
    Scale,
    Sector,
    StarQuadrant,
    Status,
)
from casebook_client.types import UNSET, Response

T = TypeVar("T")

# What the demo data loads into an empty database.
DEMO_CASE_STUDIES = 14
DEMO_ORGANISATIONS = 32


def step(message: str) -> None:
    print(f"  - {message}", flush=True)


def expect(response: Response[Any], status: int, kind: type[T]) -> T:
    """The parsed body of a response that must have this status and this type."""
    if response.status_code != status:
        raise AssertionError(
            f"expected {status}, got {response.status_code}: {response.content[:500]!r}"
        )
    parsed = response.parsed
    if not isinstance(parsed, kind):
        raise AssertionError(f"expected a {kind.__name__}, got {parsed!r}")
    return parsed


def check(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def all_organisations(client: AuthenticatedClient | Client) -> list[Organisation]:
    """Every organisation, following next_cursor from page to page."""
    items: list[Organisation] = []
    cursor: str | None = None
    while True:
        page = expect(
            list_organisations.sync_detailed(
                client=client, limit=10, cursor=cursor if cursor else UNSET
            ),
            200,
            OrganisationPage,
        )
        items.extend(page.items)
        if not isinstance(page.next_cursor, str):
            return items
        cursor = page.next_cursor


def all_case_studies(client: AuthenticatedClient | Client) -> list[CaseStudy]:
    """Every case study, newest first, following next_cursor from page to page."""
    items: list[CaseStudy] = []
    cursor: str | None = None
    for _ in range(1000):  # a cursor that never ends would be a bug; do not loop forever
        page = expect(
            list_case_studies.sync_detailed(
                client=client, limit=4, cursor=cursor if cursor else UNSET
            ),
            200,
            CaseStudyPage,
        )
        items.extend(page.items)
        if not isinstance(page.next_cursor, str):
            return items
        cursor = page.next_cursor
    raise AssertionError("the case-study listing never reached its last page")


def main(base_url: str) -> None:
    token = os.environ.get("CASEBOOK_CONTRACT_TOKEN")
    # Undocumented statuses raise: the document must list every status the service sends.
    client: AuthenticatedClient | Client = (
        AuthenticatedClient(base_url=base_url, token=token, raise_on_unexpected_status=True)
        if token
        else Client(base_url=base_url, raise_on_unexpected_status=True)
    )
    # Unique per run, so the script can run twice against the same database.
    run = f"{int(time.time())}-{uuid.uuid4().hex[:6]}"

    step("health")
    up = expect(health.sync_detailed(client=client), 200, Health)
    check(up.status == "ok" and up.database == "ok", f"unhealthy: {up}")

    step("list organisations")
    organisations = all_organisations(client)
    slugs = [organisation.slug for organisation in organisations]
    check(len(slugs) >= DEMO_ORGANISATIONS, f"only {len(slugs)} organisations")
    check(len(set(slugs)) == len(slugs), "an organisation appears on two pages")
    check(slugs == sorted(slugs), "organisations are not in slug order")
    check("scottish-borders-council" in slugs, "the demo council is missing")

    step("create an organisation")
    created = create_organisation.sync_detailed(
        client=client,
        body=OrganisationInput(
            name=f"Kelso Community Garden {run}",
            kind=OrganisationKind.COMMUNITY_GROUP,
            website="https://example.org/garden",
        ),
    )
    garden = expect(created, 201, Organisation)
    check(garden.slug == f"kelso-community-garden-{run}", f"unexpected slug {garden.slug}")
    check(
        created.headers.get("location") == f"/api/v1/organisations/{garden.slug}",
        f"unexpected Location {created.headers.get('location')}",
    )
    again = expect(get_organisation.sync_detailed(garden.slug, client=client), 200, Organisation)
    check(again.id == garden.id, "the organisation read back is another one")

    step("create a draft case study naming it as lead partner")
    document = CaseStudyInput(
        title=f"A garden grown with its neighbours {run}",
        summary="Residents and the council redesigned a neglected green space together.",
        quadrants=[StarQuadrant.CO_DESIGN, StarQuadrant.CO_DELIVERY],
        scale=Scale.COMMUNITY,
        sector=Sector.PARKS_AND_ENVIRONMENT,
        locality="Kelso, Scottish Borders",
        country=Country.SCOTLAND,
        status=Status.DRAFT,
        partners=[
            PartnerInput(organisation=garden.slug, role=PartnerRole.LEAD),
            PartnerInput(organisation="scottish-borders-council", role=PartnerRole.PARTNER),
        ],
    )
    created_study = create_case_study.sync_detailed(client=client, body=document)
    study = expect(created_study, 201, CaseStudy)
    check(study.status == Status.DRAFT, f"status is {study.status}")
    check(study.version == 1, f"version is {study.version}")
    check(study.owner.slug == garden.slug, "the lead partner does not own the case study")
    check(
        [(p.organisation.slug, p.role) for p in study.partners]
        == [(garden.slug, PartnerRole.LEAD), ("scottish-borders-council", PartnerRole.PARTNER)],
        f"partners are {study.partners}",
    )
    check(created_study.headers.get("etag") == '"1"', 'the ETag is not "1"')
    check(
        created_study.headers.get("location") == f"/api/v1/case-studies/{study.id}",
        f"unexpected Location {created_study.headers.get('location')}",
    )

    step("read it back by id and by slug")
    by_id = expect(get_case_study.sync_detailed(str(study.id), client=client), 200, CaseStudy)
    by_slug = expect(get_case_study.sync_detailed(study.slug, client=client), 200, CaseStudy)
    check(by_id.to_dict() == study.to_dict(), "read by id differs from what was created")
    check(by_slug.to_dict() == study.to_dict(), "read by slug differs from what was created")

    step("replace it with If-Match")
    document.summary = "Residents, the council and a garden group redesigned a green space."
    document.status = Status.SUBMITTED
    replaced_response = replace_case_study.sync_detailed(
        study.id, client=client, body=document, if_match='"1"'
    )
    replaced = expect(replaced_response, 200, CaseStudy)
    check(replaced.version == 2, f"version is {replaced.version}")
    check(replaced.summary == document.summary, "the summary did not change")
    check(replaced.status == Status.SUBMITTED, f"status is {replaced.status}")
    check(replaced_response.headers.get("etag") == '"2"', 'the new ETag is not "2"')
    stale = replace_case_study.sync_detailed(study.id, client=client, body=document, if_match='"1"')
    problem = expect(stale, 412, Problem)
    check(problem.type_ == "/problems/precondition-failed", f"problem type {problem.type_}")

    step("page through the case studies")
    studies = all_case_studies(client)
    ids = [item.id for item in studies]
    check(len(set(ids)) == len(ids), "a case study appears on two pages")
    check(len(ids) >= DEMO_CASE_STUDIES + 1, f"only {len(ids)} case studies")
    check(study.id in ids, "the new case study is not listed")
    created_ats = [item.created_at for item in studies]
    check(created_ats == sorted(created_ats, reverse=True), "case studies are not newest first")

    print(
        f"client smoke test passed: {len(slugs)} organisations and {len(ids)} case studies"
        f" listed; created {garden.slug} and {study.slug}"
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
