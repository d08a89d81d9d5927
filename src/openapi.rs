//! The root of the OpenAPI document. Paths and schemas come from the handlers and types
//! themselves (collected by utoipa-actix-web); this adds the description, tags and the
//! shared problem responses every operation refers to.

use utoipa::OpenApi;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

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
        (name = "health", description = "Whether the service and its database are up."),
    ),
    components(
        schemas(Problem, FieldError),
        responses(
            BadRequest, NotFound, Conflict, PreconditionFailed, PayloadTooLarge,
            UnsupportedMediaType, UnprocessableEntity, ServiceUnavailable
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
    NotFound = "No such resource.";
    Conflict = "The request conflicts with the current state, e.g. a slug or name already taken.";
    PreconditionFailed = "`If-Match` names a version that is no longer current; fetch the resource again.";
    PayloadTooLarge = "The request body is larger than the service accepts.";
    UnsupportedMediaType = "The request body is not `application/json`.";
    UnprocessableEntity = "The document is well-formed but breaks a rule; `errors` lists each field and what is wrong.";
    ServiceUnavailable = "The database is unreachable or overloaded; retry after the time given.",
        header "Retry-After" = "Seconds to wait before retrying.";
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
                .schema(Some(ObjectBuilder::new().schema_type(Type::Integer)))
                .description(Some(*header_description))
                .build(),
        );
    }
    response.build()
}
