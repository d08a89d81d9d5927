//! The root of the OpenAPI document. Paths and schemas come from the handlers and types
//! themselves (collected by utoipa-actix-web); this adds the description, tags and the
//! shared problem responses every operation refers to.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required, Response, ResponseBuilder};
use utoipa::{IntoResponses, Modify, OpenApi};

use crate::domain::text::{
    EMAIL_PATTERN, LINE_PATTERN, PROSE_PATTERN, REQUIRED_PROSE_PATTERN, WEB_ADDRESS_PATTERN,
};
use crate::error::{FieldError, PROBLEM_CONTENT_TYPE, Problem};
use crate::metadata::Format;

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
        (name = "auth", description = "Signing in: an access token (a JWT, 15 minutes) for `Authorization: Bearer`, and a refresh token to get the next one; API keys for machine clients."),
        (name = "users", description = "Accounts of partner editors, reviewers and administrators, and the audit trail."),
        (name = "stats", description = "Where co-production happens and where it does not: the Star map (as data and as a picture) and crosstabs, under any search filters."),
        (name = "feeds", description = "For other systems: the ordered change feed a mirror follows, and an Atom feed of the newest case studies."),
        (name = "vocabularies", description = "The controlled lists: the Co-production Star, the journey, values, sectors, outcome categories, the self-assessment questions and more."),
        (name = "health", description = "Whether the service and its database are up."),
    ),
    modifiers(&BearerSecurity),
    components(
        schemas(Problem, FieldError, Format),
        responses(
            BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed,
            NotAcceptable, PayloadTooLarge, UnsupportedMediaType, RangeNotSatisfiable, UnprocessableEntity,
            PreconditionRequired, TooManyRequests, ServiceUnavailable
        )
    )
)]
pub struct ApiDoc;

/// One of the problem responses: the status it is answered with, and its name among the
/// document's reusable responses.
pub trait ProblemResponse {
    const STATUS: &'static str;
    const NAME: &'static str;
}

/// Declares one reusable problem+json response per error status.
macro_rules! problem_responses {
    ($($name:ident($status:literal) = $description:literal $(, header $header:literal = $header_description:literal)?;)+) => {
        $(
            #[doc = $description]
            pub struct $name;

            impl<'r> utoipa::ToResponse<'r> for $name {
                fn response() -> (&'r str, RefOr<Response>) {
                    (stringify!($name), problem_response($description, &[$(($header, $header_description))?]).into())
                }
            }

            impl ProblemResponse for $name {
                const STATUS: &'static str = stringify!($status);
                const NAME: &'static str = stringify!($name);
            }
        )+
    };
}

problem_responses! {
    BadRequest(400) = "A parameter (of the query, or a header such as `If-Match`) or the request body is malformed; `parameter` and `allowed` say which and what would do.";
    Unauthorized(401) = "No bearer token, or one that is expired, wrongly signed, revoked or of a deactivated account; or, when signing in, a wrong email or password.",
        header "WWW-Authenticate" = "`Bearer`, with `error=\"invalid_token\"` when a token was refused.";
    Forbidden(403) = "Signed in, but without the right to do this.";
    NotFound(404) = "No such resource (or one you may not see: drafts of other organisations are not found).";
    Conflict(409) = "The request conflicts with the current state: a slug or name already taken, or a workflow step the case study's status does not allow (`current_status` and `allowed` say what is possible).";
    PreconditionFailed(412) = "`If-Match` names a version that is no longer current; fetch the resource again.";
    NotAcceptable(406) = "None of the formats `Accept` or `format` asks for is offered; `allowed` lists the media types that are.";
    PayloadTooLarge(413) = "The request body is larger than the service accepts.";
    UnsupportedMediaType(415) = "The request body is not of a type the operation takes: `application/json`, or for a file one of the types allowed, which its bytes must confirm.";
    RangeNotSatisfiable(416) = "The byte range asked for is beyond the end of the file.",
        header "Content-Range" = "`bytes */` and the file's size.";
    UnprocessableEntity(422) = "The document is well-formed but breaks a rule; `errors` lists each field and what is wrong.";
    PreconditionRequired(428) = "Changes need `If-Match` with the `ETag` of the version being changed.";
    TooManyRequests(429) = "Too many requests from this client or for this account; retry after the time given.",
        header "Retry-After" = "Seconds to wait before retrying.";
    ServiceUnavailable(503) = "The database is unreachable or overloaded; retry after the time given.",
        header "Retry-After" = "Seconds to wait before retrying.";
}

/// The problems an operation may answer with, listed once in its `responses(...)`: for
/// example `Problems<(BadRequest, Unauthorized, ServiceUnavailable)>`.
pub struct Problems<T>(PhantomData<T>);

macro_rules! problem_sets {
    ($($kind:ident),+) => {
        impl<$($kind: ProblemResponse),+> IntoResponses for Problems<($($kind,)+)> {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                [$(($kind::STATUS.to_owned(), Ref::from_response_name($kind::NAME).into())),+]
                    .into_iter()
                    .collect()
            }
        }
    };
}

problem_sets!(A);
problem_sets!(A, B);
problem_sets!(A, B, C);
problem_sets!(A, B, C, D);
problem_sets!(A, B, C, D, E);
problem_sets!(A, B, C, D, E, F);
problem_sets!(A, B, C, D, E, F, G);
problem_sets!(A, B, C, D, E, F, G, H);
problem_sets!(A, B, C, D, E, F, G, H, I);
problem_sets!(A, B, C, D, E, F, G, H, I, J);
problem_sets!(A, B, C, D, E, F, G, H, I, J, K);
problem_sets!(A, B, C, D, E, F, G, H, I, J, K, L);

/// Searches, listings and statistics anyone may ask for: a bad parameter, a bad token.
pub type QueryProblems = Problems<(BadRequest, Unauthorized, ServiceUnavailable)>;
/// Reading one resource by its id or slug.
pub type ReadProblems = Problems<(Unauthorized, NotFound, ServiceUnavailable)>;
/// Reading what only some signed-in users may: a case study's history, an account.
pub type RestrictedReadProblems = Problems<(Unauthorized, Forbidden, NotFound, ServiceUnavailable)>;
/// Listings for administrators.
pub type AdminQueryProblems = Problems<(BadRequest, Unauthorized, Forbidden, ServiceUnavailable)>;
/// Signing in and refreshing tokens.
pub type SignInProblems = Problems<(
    BadRequest,
    Unauthorized,
    PayloadTooLarge,
    UnsupportedMediaType,
    UnprocessableEntity,
    TooManyRequests,
    ServiceUnavailable,
)>;
/// Creating an organisation or an account (administrators).
pub type AdminCreateProblems = Problems<(
    BadRequest,
    Unauthorized,
    Forbidden,
    Conflict,
    PayloadTooLarge,
    UnsupportedMediaType,
    UnprocessableEntity,
    ServiceUnavailable,
)>;
/// Replacing a versioned document (a case study, its self-assessment) under `If-Match`.
pub type ReplaceProblems = Problems<(
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    PreconditionFailed,
    PayloadTooLarge,
    UnsupportedMediaType,
    UnprocessableEntity,
    PreconditionRequired,
    TooManyRequests,
    ServiceUnavailable,
)>;
/// A step of the workflow (submit, publish, return) under `If-Match`, with an optional comment.
pub type TransitionProblems = Problems<(
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    PreconditionFailed,
    UnsupportedMediaType,
    UnprocessableEntity,
    PreconditionRequired,
    TooManyRequests,
    ServiceUnavailable,
)>;

/// `bearer`: the access token from `POST /api/v1/auth/token`, or an API key.
struct BearerSecurity;

impl Modify for BearerSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT or API key")
                    .description(Some(
                        "An access token from `POST /api/v1/auth/token`, or an API key (`cbk_…`) \
                         from `POST /api/v1/api-keys`, which acts within its scopes.",
                    ))
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

/// Every free-text field of a request body, with the rule `domain::text` reads it by: the
/// patterns say in the document what the service refuses (control characters, blank
/// required text, line breaks in a title).
pub const TEXT_RULES: &[(&str, &str, &str)] = &[
    ("CaseStudyInput", "title", LINE_PATTERN),
    ("CaseStudyInput", "summary", REQUIRED_PROSE_PATTERN),
    ("CaseStudyInput", "you_asked", PROSE_PATTERN),
    ("CaseStudyInput", "we_said", PROSE_PATTERN),
    ("CaseStudyInput", "we_did", PROSE_PATTERN),
    ("CaseStudyInput", "what_worked", PROSE_PATTERN),
    ("CaseStudyInput", "could_improve", PROSE_PATTERN),
    ("CaseStudyInput", "locality", PROSE_PATTERN),
    ("CaseStudyInput", "message", PROSE_PATTERN),
    ("CaseStudyInput", "objectives", PROSE_PATTERN),
    ("CaseStudyInput", "leadership", PROSE_PATTERN),
    ("CaseStudyInput", "next_steps", PROSE_PATTERN),
    ("Obstacle", "obstacle", REQUIRED_PROSE_PATTERN),
    ("Obstacle", "overcome_by", REQUIRED_PROSE_PATTERN),
    ("Cost", "description", PROSE_PATTERN),
    ("Saving", "description", REQUIRED_PROSE_PATTERN),
    ("IndicatorInput", "name", LINE_PATTERN),
    ("IndicatorInput", "source", LINE_PATTERN),
    ("Quote", "text", REQUIRED_PROSE_PATTERN),
    ("Quote", "speaker", LINE_PATTERN),
    ("Evidence", "rationale", REQUIRED_PROSE_PATTERN),
    ("Outcome", "description", REQUIRED_PROSE_PATTERN),
    ("AssessmentEntry", "note", REQUIRED_PROSE_PATTERN),
    ("SelfAssessmentInput", "message", PROSE_PATTERN),
    ("TransitionInput", "comment", PROSE_PATTERN),
    ("ReturnInput", "comment", REQUIRED_PROSE_PATTERN),
    ("OrganisationInput", "name", LINE_PATTERN),
    ("OrganisationInput", "website", WEB_ADDRESS_PATTERN),
    ("OrganisationInput", "description", PROSE_PATTERN),
    ("UserInput", "email", EMAIL_PATTERN),
];

/// Our entity tags, comma-separated: version numbers in quotes, or `*` for any version.
pub const IF_MATCH_PATTERN: &str =
    r#"^[ \t,]*(\*|(W/)?"[0-9]+")([ \t]*,[ \t,]*(\*|(W/)?"[0-9]+"))*[ \t,]*$"#;

/// Writes the rules no derive states into the finished document (the schemas come from the
/// types, so this runs after they are collected): `TEXT_RULES`, the form of `If-Match`, and
/// the HTTP caching of anonymous reads.
pub fn state_rules(document: &mut utoipa::openapi::OpenApi) {
    state_public_caching(document);
    for item in document.paths.paths.values_mut() {
        let operations = [&mut item.put, &mut item.post, &mut item.delete];
        for operation in operations.into_iter().flatten() {
            for parameter in operation.parameters.iter_mut().flatten() {
                if let RefOr::T(parameter) = parameter {
                    if parameter.name != "If-Match" {
                        continue;
                    }
                    if let Some(RefOr::T(Schema::Object(schema))) = parameter.schema.as_mut() {
                        schema.pattern = Some(IF_MATCH_PATTERN.to_owned());
                    }
                }
            }
        }
    }
    let Some(components) = document.components.as_mut() else {
        return;
    };
    for (schema_name, property, pattern) in TEXT_RULES {
        let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(*schema_name)
        else {
            panic!("TEXT_RULES names a schema the document does not have: {schema_name}");
        };
        let Some(RefOr::T(Schema::Object(field))) = object.properties.get_mut(*property) else {
            panic!("TEXT_RULES names a field {schema_name} does not have: {property}");
        };
        field.pattern = Some((*pattern).to_owned());
    }
}

/// Every read anyone may make (a GET of the API that works without a token) is cacheable
/// when made anonymously, as `caching.rs` answers it: say so on each.
fn state_public_caching(document: &mut utoipa::openapi::OpenApi) {
    let string = || ObjectBuilder::new().schema_type(Type::String);
    let header = |description: &str| {
        HeaderBuilder::new()
            .schema(Some(string()))
            .description(Some(description))
            .build()
    };
    for (path, item) in document.paths.paths.iter_mut() {
        let Some(operation) = item.get.as_mut() else {
            continue;
        };
        let anyone = operation
            .security
            .as_ref()
            .is_none_or(|security| security.contains(&SecurityRequirement::default()));
        if !path.starts_with("/api/") || !anyone {
            continue;
        }
        operation.parameters.get_or_insert_with(Vec::new).push(RefOr::T(
            ParameterBuilder::new()
                .name("If-None-Match")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .schema(Some(string()))
                .description(Some(
                    "The `ETag` of an answer you hold (anonymous reads): `304` if it is still current.",
                ))
                .build(),
        ));
        let responses = &mut operation.responses.responses;
        if let Some(RefOr::T(ok)) = responses.get_mut("200") {
            ok.headers.entry("ETag".to_owned()).or_insert_with(|| {
                RefOr::T(header(
                    "A tag of this answer, for `If-None-Match` (anonymous reads).",
                ))
            });
            ok.headers.insert(
                "Cache-Control".to_owned(),
                RefOr::T(header(
                    "`public, max-age=N` for anonymous reads (N from `CASEBOOK_PUBLIC_MAX_AGE_SECS`); `private, no-store` for signed-in users.",
                )),
            );
            ok.headers.insert(
                "Vary".to_owned(),
                RefOr::T(header("`Accept, Accept-Encoding, Authorization`.")),
            );
        }
        responses.insert(
            "304".to_owned(),
            RefOr::T(
                ResponseBuilder::new()
                    .description("Not modified: the `ETag` sent in `If-None-Match` is still current (anonymous reads).")
                    .header("ETag", header("The tag of the current answer."))
                    .header("Cache-Control", header("As on the full answer."))
                    .build(),
            ),
        );
    }
}
