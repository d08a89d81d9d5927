//! The root of the OpenAPI document. Paths and schemas come from the handlers and types
//! themselves (collected by utoipa-actix-web); this adds the description, tags and the
//! shared problem responses every operation refers to.

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::error::{FieldError, PROBLEM_CONTENT_TYPE, Problem};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "casebook",
        description = include_str!("openapi_description.md"),
        license(name = "MIT", identifier = "MIT"),
    ),
    tags(
        (name = "case-studies", description = "Case studies of co-production: what people asked for, what was said, what was done together, and what changed."),
        (name = "organisations", description = "Partner organisations: councils, NHS boards, housing associations, voluntary and community groups."),
        (name = "auth", description = "Signing in: an access token (a JWT, 15 minutes) for `Authorization: Bearer`, and a refresh token to get the next one."),
        (name = "users", description = "Accounts of partner editors, reviewers and administrators, and the audit trail."),
        (name = "stats", description = "Where co-production happens and where it does not: the Star map (as data and as a picture) and crosstabs, under any search filters."),
        (name = "feeds", description = "For other systems: the ordered change feed a mirror follows, and an Atom feed of the newest case studies."),
        (name = "vocabularies", description = "The controlled lists: the Co-production Star, the journey, values, sectors, outcome categories, the self-assessment questions and more."),
        (name = "health", description = "Whether the service and its database are up."),
    ),
    modifiers(&BearerSecurity),
    components(
        schemas(Problem, FieldError),
        responses(
            BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed,
            PayloadTooLarge, UnsupportedMediaType, UnprocessableEntity, PreconditionRequired,
            TooManyRequests, ServiceUnavailable
        )
    )
)]
pub struct ApiDoc;

/// Declares one reusable problem+json response per error status.
macro_rules! problem_responses {
    ($($name:ident = $description:literal $(, header $header:literal = $header_description:literal)?;)+) => {
        $(
            #[doc = $description]
            pub struct $name;

            impl<'r> utoipa::ToResponse<'r> for $name {
                fn response() -> (&'r str, RefOr<Response>) {
                    (stringify!($name), problem_response($description, &[$(($header, $header_description))?]).into())
                }
            }
        )+
    };
}

problem_responses! {
    BadRequest = "A query parameter or the request body is malformed; `parameter` and `allowed` say which and what would do.";
    Unauthorized = "No bearer token, or one that is expired, wrongly signed or of a deactivated account; or, when signing in, a wrong email or password.",
        header "WWW-Authenticate" = "`Bearer`, with `error=\"invalid_token\"` when a token was refused.";
    Forbidden = "Signed in, but without the right to do this.";
    NotFound = "No such resource (or one you may not see: drafts of other organisations are not found).";
    Conflict = "The request conflicts with the current state: a slug or name already taken, or a workflow step the case study's status does not allow (`current_status` and `allowed` say what is possible).";
    PreconditionFailed = "`If-Match` names a version that is no longer current; fetch the resource again.";
    PayloadTooLarge = "The request body is larger than the service accepts.";
    UnsupportedMediaType = "The request body is not `application/json`.";
    UnprocessableEntity = "The document is well-formed but breaks a rule; `errors` lists each field and what is wrong.";
    PreconditionRequired = "Changes need `If-Match` with the `ETag` of the version being changed.";
    TooManyRequests = "Too many requests from this client or for this account; retry after the time given.",
        header "Retry-After" = "Seconds to wait before retrying.";
    ServiceUnavailable = "The database is unreachable or overloaded; retry after the time given.",
        header "Retry-After" = "Seconds to wait before retrying.";
}

/// `bearer`: the access token from `POST /api/v1/auth/token`.
struct BearerSecurity;

impl Modify for BearerSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("An access token from `POST /api/v1/auth/token`."))
                    .build(),
            ),
        );
    }
}

fn problem_response(description: &str, headers: &[(&str, &str)]) -> Response {
    let mut response = ResponseBuilder::new().description(description).content(
        PROBLEM_CONTENT_TYPE,
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("Problem")))
            .build(),
    );
    for (name, header_description) in headers {
        response = response.header(
            *name,
            HeaderBuilder::new()
                .schema(Some(ObjectBuilder::new().schema_type(
                    if *name == "Retry-After" {
                        Type::Integer
                    } else {
                        Type::String
                    },
                )))
                .description(Some(*header_description))
                .build(),
        );
    }
    response.build()
}
