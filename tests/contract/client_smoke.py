"""Drives a live casebook through the Python client generated from openapi/openapi.json.

Usage: client_smoke.py BASE_URL

Every call goes through the generated client (casebook_client), never through raw HTTP:
if the document describes an operation wrongly, the client built from it is wrong, and a
step here fails. The service must hold the demo data (tests/contract/lib.sh starts it so).

It signs in as the administrator whose email and password are in CASEBOOK_CONTRACT_EMAIL and
CASEBOOK_CONTRACT_PASSWORD, then works with CASEBOOK_CONTRACT_TOKEN if that is set, else
with the token it was given: it adds an organisation, writes a case study, takes it through
review to publication, finds it by search, and changes it again.
"""

from __future__ import annotations

import os
import random
import string
import sys
from typing import Any, TypeVar

from casebook_client import AuthenticatedClient, Client
from casebook_client.api.auth import issue_token, me
from casebook_client.api.case_studies import (
    create_case_study,
    get_case_study,
    publish_case_study,
    replace_case_study,
    search_case_studies,
    submit_case_study,
)
from casebook_client.api.health import health
from casebook_client.api.organisations import create_organisation
from casebook_client.models import (
    CaseStudy,
    CaseStudyInput,
    Country,
    Credentials,
    Health,
    Organisation,
    OrganisationInput,
    OrganisationKind,
    PartnerInput,
    PartnerRole,
    Problem,
    Role,
    Scale,
    SearchCaseStudiesQuadrantItem,
    SearchCaseStudiesSectorItem,
    SearchResults,
    Sector,
    StarQuadrant,
    Status,
    TokenResponse,
    User,
)
from casebook_client.types import Response

T = TypeVar("T")


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


def main(base_url: str) -> None:
    # Undocumented statuses raise: the document must list every status the service sends.
    public = Client(base_url=base_url, raise_on_unexpected_status=True)
    # A word no demo case study has, so that searching for it finds only ours.
    word = "zq" + "".join(random.choices(string.ascii_lowercase, k=10))

    step("health")
    up = expect(health.sync_detailed(client=public), 200, Health)
    check(up.status == "ok" and up.database == "ok", f"unhealthy: {up}")

    step("sign in")
    credentials = Credentials(
        email=os.environ["CASEBOOK_CONTRACT_EMAIL"],
        password=os.environ["CASEBOOK_CONTRACT_PASSWORD"],
    )
    tokens = expect(issue_token.sync_detailed(client=public, body=credentials), 200, TokenResponse)
    check(tokens.token_type == "Bearer", f"token type {tokens.token_type}")
    client = AuthenticatedClient(
        base_url=base_url,
        token=os.environ.get("CASEBOOK_CONTRACT_TOKEN") or tokens.access_token,
        raise_on_unexpected_status=True,
    )
    account = expect(me.sync_detailed(client=client), 200, User)
    check(account.role == Role.ADMIN, f"signed in as {account.role}, not admin")

    step("create an organisation")
    created = create_organisation.sync_detailed(
        client=client,
        body=OrganisationInput(
            name=f"Kelso Community Garden {word}",
            kind=OrganisationKind.COMMUNITY_GROUP,
            website="https://example.org/garden",
        ),
    )
    garden = expect(created, 201, Organisation)
    check(garden.slug == f"kelso-community-garden-{word}", f"unexpected slug {garden.slug}")
    check(
        created.headers.get("location") == f"/api/v1/organisations/{garden.slug}",
        f"unexpected Location {created.headers.get('location')}",
    )

    step("create a draft case study for it, with the council as partner")
    document = CaseStudyInput(
        title=f"A garden grown with its neighbours in {word}",
        summary="Residents and the council redesigned a neglected green space together.",
        quadrants=[StarQuadrant.CO_DESIGN, StarQuadrant.CO_DELIVERY],
        scale=Scale.COMMUNITY,
        sector=Sector.PARKS_AND_ENVIRONMENT,
        locality="Kelso, Scottish Borders",
        country=Country.SCOTLAND,
        owner=garden.slug,  # administrators write for any organisation
        partners=[
            PartnerInput(organisation=garden.slug, role=PartnerRole.LEAD),
            PartnerInput(organisation="scottish-borders-council", role=PartnerRole.PARTNER),
        ],
    )
    draft_response = create_case_study.sync_detailed(client=client, body=document)
    draft = expect(draft_response, 201, CaseStudy)
    check(draft.status == Status.DRAFT and draft.version == 1, f"{draft.status} v{draft.version}")
    check(draft.owner.slug == garden.slug, "the garden does not own the case study")
    check(draft_response.headers.get("etag") == '"1"', 'the ETag is not "1"')
    check(
        draft_response.headers.get("location") == f"/api/v1/case-studies/{draft.id}",
        f"unexpected Location {draft_response.headers.get('location')}",
    )

    step("submit it, then publish it")
    submitted_response = submit_case_study.sync_detailed(
        draft.id, client=client, body=None, if_match='"1"'
    )
    submitted = expect(submitted_response, 200, CaseStudy)
    check(submitted.status == Status.SUBMITTED, f"status is {submitted.status}")
    published_response = publish_case_study.sync_detailed(
        draft.id, client=client, body=None, if_match=submitted_response.headers["etag"]
    )
    published = expect(published_response, 200, CaseStudy)
    check(published.status == Status.PUBLISHED, f"status is {published.status}")

    step("search for it with words and a filter, and read a facet")
    results = expect(
        search_case_studies.sync_detailed(
            client=client,
            q=word,
            quadrant=[SearchCaseStudiesQuadrantItem.CO_DESIGN],
            sector=[SearchCaseStudiesSectorItem.PARKS_AND_ENVIRONMENT],
        ),
        200,
        SearchResults,
    )
    check(results.total == 1, f"the search found {results.total}, not 1")
    check([item.id for item in results.items] == [draft.id], "the search found another one")
    sectors = {facet.value: facet.count for facet in results.facets.sector}
    check(sectors.get("parks-and-environment") == 1, f"sector facet {sectors}")

    step("read it back by id and by slug")
    by_id = expect(get_case_study.sync_detailed(str(draft.id), client=client), 200, CaseStudy)
    by_slug = expect(get_case_study.sync_detailed(published.slug, client=client), 200, CaseStudy)
    check(by_id.to_dict() == published.to_dict(), "read by id differs from what was published")
    check(by_slug.to_dict() == published.to_dict(), "read by slug differs from what was published")

    step("replace it with If-Match")
    document.summary = "Residents, the council and a garden group redesigned a green space."
    etag = published_response.headers["etag"]
    replaced_response = replace_case_study.sync_detailed(
        draft.id, client=client, body=document, if_match=etag
    )
    replaced = expect(replaced_response, 200, CaseStudy)
    check(replaced.version == published.version + 1, f"version is {replaced.version}")
    check(replaced.summary == document.summary, "the summary did not change")
    stale = replace_case_study.sync_detailed(draft.id, client=client, body=document, if_match=etag)
    problem = expect(stale, 412, Problem)
    check(problem.type_ == "/problems/precondition-failed", f"problem type {problem.type_}")

    print(f"client smoke test passed: {garden.slug} and {published.slug}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
