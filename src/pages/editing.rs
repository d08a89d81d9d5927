//! The pages of partner editors and reviewers: signing in and out, an editor's case
//! studies, and the review queue. Every change goes through the same editorial functions,
//! rights and budgets as the API's.

use std::collections::HashMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use uuid::Uuid;

use super::form::{CaseStudyForm, Choices, field_id};
use super::frame::{Chrome, PageError, html};
use super::public::{Card, Link};
use super::session::Visitor;
use super::view::FormFields;
use crate::accounts::{self, Credentials};
use crate::auth::client_address;
use crate::config::Secret;
use crate::db::organisations;
use crate::db::revisions::{self, Comment};
use crate::domain::Precondition;
use crate::domain::case_study::CaseStudy;
use crate::domain::organisation::Organisation;
use crate::domain::user::{Actor, Principal};
use crate::domain::vocabulary::{KeyScope, Status, Vocabulary};
use crate::domain::workflow::Transition;
use crate::editorial::{self, Change, Owner};
use crate::error::{ApiError, FieldError};
use crate::routes::auth::sessions;
use crate::routes::case_studies::readable;
use crate::routes::pagination::PageParams;
use crate::routes::query::{QueryParams, read};
use crate::routes::revisions::{RevisionDiff, diff};
use crate::routes::search::{SearchParams, run};
use crate::state::AppState;

/// `303 See Other`: after a form, the browser goes on with a GET.
fn see_other(visitor: &Visitor, location: &str) -> HttpResponse {
    visitor.finish(
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, location.to_owned()))
            .finish(),
    )
}

/// Where a page that needs a signed-in visitor sends anyone else.
fn to_sign_in(visitor: &Visitor) -> Result<HttpResponse, PageError> {
    Ok(see_other(visitor, "/sign-in"))
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    email: String,
    errors: Vec<FieldError>,
}

#[get("/sign-in")]
pub async fn sign_in_page(visitor: Visitor) -> Result<HttpResponse, PageError> {
    if visitor.is_signed_in() {
        return Ok(see_other(&visitor, "/editor"));
    }
    visitor.page(&SignInPage {
        chrome: visitor.chrome("sign-in"),
        email: String::new(),
        errors: Vec::new(),
    })
}

#[post("/sign-in")]
pub async fn sign_in(
    state: web::Data<AppState>,
    request: HttpRequest,
    mut visitor: Visitor,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = visitor.read_form(&request, &body)?;
    let email = form.get("email").trim().to_owned();
    let mut errors = Vec::new();
    if email.is_empty() {
        errors.push(FieldError::new("email", "Enter your email address"));
    }
    if form.get("password").is_empty() {
        errors.push(FieldError::new("password", "Enter your password"));
    }
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if errors.is_empty() {
        let credentials = Credentials {
            email: email.clone(),
            password: Secret::new(form.get("password")),
        };
        let mut conn = state.db().await?;
        let signed = sessions(&state)
            .sign_in_browser(&mut conn, credentials, client_address(&request))
            .await;
        match signed {
            Ok(token) => {
                visitor.begin(token, state.tokens.session_idle_secs)?;
                return Ok(see_other(&visitor, "/editor"));
            }
            Err(ApiError::InvalidCredentials) => {
                status = StatusCode::UNAUTHORIZED;
                errors.push(FieldError::new(
                    "email",
                    "The email address or the password is wrong",
                ));
            }
            Err(ApiError::TooManyRequests {
                retry_after_secs, ..
            }) => {
                status = StatusCode::TOO_MANY_REQUESTS;
                errors.push(FieldError::new(
                    "email",
                    format!("Too many tries: wait {retry_after_secs} seconds, then try again"),
                ));
            }
            Err(other) => return Err(other.into()),
        }
    }
    let shown = SignInPage {
        chrome: visitor.chrome("sign-in"),
        email,
        errors,
    };
    Ok(visitor.finish(html(status, &shown)?))
}

#[post("/sign-out")]
pub async fn sign_out(
    state: web::Data<AppState>,
    request: HttpRequest,
    mut visitor: Visitor,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    visitor.read_form(&request, &body)?;
    if let (Some(principal), Some(session)) = (&visitor.principal, visitor.session) {
        let mut conn = state.db().await?;
        accounts::sign_out_browser(&mut conn, principal, session, client_address(&request)).await?;
    }
    visitor.end();
    Ok(see_other(&visitor, "/"))
}

/// A case study on a dashboard, with what was said about it last.
pub struct Entry {
    pub card: Card,
    pub id: Uuid,
    pub last_comment: Option<Comment>,
}

/// One status's list on the dashboard.
pub struct Shelf {
    pub heading: &'static str,
    pub id: &'static str,
    pub entries: Vec<Entry>,
}

#[derive(Template)]
#[template(path = "editor.html")]
struct EditorPage {
    chrome: Chrome,
    shelves: Vec<Shelf>,
}

/// Case studies matching `filters`, as this user may see them (100 at most, newest first).
async fn listed(
    state: &AppState,
    principal: &Principal,
    filters: &str,
) -> Result<Vec<crate::search::SearchItem>, ApiError> {
    let (search, place): (SearchParams, PageParams) = read(&QueryParams::parse(filters))?;
    let request = search.into_request(Some(principal), Some(place))?;
    Ok(run(state, &request, Some(principal)).await?.items)
}

#[get("/editor")]
pub async fn dashboard(
    state: web::Data<AppState>,
    visitor: Visitor,
) -> Result<HttpResponse, PageError> {
    let Some(principal) = visitor.principal.clone() else {
        return to_sign_in(&visitor);
    };
    let theirs = format!(
        "partner={}&status=draft,submitted,published,archived&sort=newest&limit=100",
        principal.organisation_id
    );
    let items = match listed(&state, &principal, &theirs).await {
        // An organisation the search has not met yet has no case studies in it.
        Err(ApiError::InvalidParameter { parameter, .. }) if parameter == "partner" => Vec::new(),
        listed => listed?,
    };
    let mut conn = state.db().await?;
    let mut shelves = [
        ("Drafts", "drafts", Status::Draft),
        ("Awaiting review", "submitted", Status::Submitted),
        ("Published", "published", Status::Published),
        ("Archived", "archived", Status::Archived),
    ]
    .map(|(heading, id, _)| Shelf {
        heading,
        id,
        entries: Vec::new(),
    });
    for item in &items {
        let shelf = match item.status {
            Status::Draft => 0,
            Status::Submitted => 1,
            Status::Published => 2,
            Status::Archived => 3,
        };
        // A draft with a comment was returned by a reviewer: what they said is shown.
        let last_comment = match item.status {
            Status::Draft => revisions::comments(&mut conn, item.id).await?.pop(),
            _ => None,
        };
        shelves[shelf].entries.push(Entry {
            card: Card::of(item),
            id: item.id,
            last_comment,
        });
    }
    visitor.page(&EditorPage {
        chrome: visitor.chrome("editor"),
        shelves: shelves.into_iter().collect(),
    })
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewQueue {
    chrome: Chrome,
    cards: Vec<Card>,
}

/// Only reviewers review; anyone else signed in is told so. `None`: nobody is signed in.
fn reviewer(visitor: &Visitor) -> Result<Option<Principal>, PageError> {
    match &visitor.principal {
        Some(principal) if principal.can_review() => Ok(Some(principal.clone())),
        Some(_) => Err(ApiError::Forbidden("only reviewers review case studies".into()).into()),
        None => Ok(None),
    }
}

#[get("/review")]
pub async fn review_queue(
    state: web::Data<AppState>,
    visitor: Visitor,
) -> Result<HttpResponse, PageError> {
    let Some(principal) = reviewer(&visitor)? else {
        return to_sign_in(&visitor);
    };
    let items = listed(&state, &principal, "status=submitted&sort=oldest&limit=100").await?;
    let cards = items
        .iter()
        .map(|item| {
            let mut card = Card::of(item);
            card.href = format!("/review/{}", item.id);
            card
        })
        .collect();
    visitor.page(&ReviewQueue {
        chrome: visitor.chrome("review"),
        cards,
    })
}

#[derive(Template)]
#[template(path = "review_case.html")]
struct ReviewPage {
    chrome: Chrome,
    case_study: CaseStudy,
    /// Against the published version, when there is one.
    changes: Option<RevisionDiff>,
    comments: Vec<Comment>,
    decision: String,
    comment: String,
    errors: Vec<FieldError>,
    read_link: Link,
}

async fn review_page(
    state: &AppState,
    visitor: &Visitor,
    principal: &Principal,
    id: Uuid,
    form: (&str, &str, Vec<FieldError>),
) -> Result<ReviewPage, ApiError> {
    let case_study = readable(state, Some(principal), &id.to_string()).await?;
    let mut conn = state.db().await?;
    let changes = match case_study.published_version {
        Some(published) if published != case_study.version => Some(
            diff(
                &mut conn,
                principal,
                &id.to_string(),
                published,
                case_study.version,
            )
            .await?,
        ),
        _ => None,
    };
    let comments = revisions::comments(&mut conn, id).await?;
    let (decision, comment, errors) = form;
    Ok(ReviewPage {
        chrome: visitor.chrome("review"),
        read_link: Link {
            label: "Read it as it will be published".into(),
            href: format!("/case-studies/{}", case_study.slug),
            current: false,
        },
        case_study,
        changes,
        comments,
        decision: decision.to_owned(),
        comment: comment.to_owned(),
        errors,
    })
}

fn case_study_id(text: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(text).map_err(|_| ApiError::NotFound("case study"))
}

#[get("/review/{id}")]
pub async fn review_case_study(
    state: web::Data<AppState>,
    visitor: Visitor,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let Some(principal) = reviewer(&visitor)? else {
        return to_sign_in(&visitor);
    };
    let id = case_study_id(&id)?;
    let shown = review_page(&state, &visitor, &principal, id, ("", "", Vec::new())).await?;
    visitor.page(&shown)
}

#[post("/review/{id}")]
pub async fn decide(
    state: web::Data<AppState>,
    request: HttpRequest,
    visitor: Visitor,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = visitor.read_form(&request, &body)?;
    let Some(principal) = reviewer(&visitor)? else {
        return to_sign_in(&visitor);
    };
    let id = case_study_id(&id)?;
    let (decision, comment) = (form.get("decision"), form.get("comment"));
    let transition = match decision {
        "publish" => Some(Transition::Publish),
        "return" => Some(Transition::Return),
        _ => None,
    };
    let outcome = match transition {
        Some(transition) => {
            let change = Change::Transition {
                transition,
                comment: Some(comment.to_owned()).filter(|c| !c.trim().is_empty()),
            };
            transition_with_form(&state, &request, &principal, id, &form, change).await
        }
        None => Err(ApiError::validation(
            "decision",
            "Choose whether to publish it or return it",
        )),
    };
    let errors = match outcome {
        Ok(_) => return Ok(see_other(&visitor, "/review")),
        Err(ApiError::Validation(errors)) => errors,
        Err(ApiError::PreconditionFailed(_)) => vec![FieldError::new(
            "decision",
            "Someone changed this case study while you were reading it: read it again below, then decide",
        )],
        Err(other) => return Err(other.into()),
    };
    let shown = review_page(
        &state,
        &visitor,
        &principal,
        id,
        (decision, comment, errors),
    )
    .await?;
    Ok(visitor.finish(html(StatusCode::UNPROCESSABLE_ENTITY, &shown)?))
}

/// A step of the workflow taken from a form that names the version it was shown.
async fn transition_with_form(
    state: &AppState,
    request: &HttpRequest,
    principal: &Principal,
    id: Uuid,
    form: &FormFields,
    change: Change,
) -> Result<CaseStudy, ApiError> {
    state.limits.writes.check(&principal.rate_key())?;
    let version: i32 = form
        .get("version")
        .parse()
        .map_err(|_| ApiError::validation("version", "The form lost its version: reload it"))?;
    change_seen(state, request, principal, id, version, change).await
}

/// Applies a change to the version the visitor was shown, and nothing else: a later one
/// is refused as stale.
async fn change_seen(
    state: &AppState,
    request: &HttpRequest,
    principal: &Principal,
    id: Uuid,
    version: i32,
    change: Change,
) -> Result<CaseStudy, ApiError> {
    let actor = Actor::user(principal, client_address(request));
    let mut conn = state.db().await?;
    let changed = editorial::change(
        &mut conn,
        id,
        &Precondition::Versions(vec![version]),
        &actor,
        change,
    )
    .await;
    // The editor's next page already sees the change.
    state.search.refresh_after_write(&mut conn).await;
    changed
}

#[post("/editor/{id}/submit")]
pub async fn submit(
    state: web::Data<AppState>,
    request: HttpRequest,
    visitor: Visitor,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = visitor.read_form(&request, &body)?;
    let Some(principal) = visitor.principal.clone() else {
        return to_sign_in(&visitor);
    };
    let id = case_study_id(&id)?;
    let change = Change::Transition {
        transition: Transition::Submit,
        comment: None,
    };
    transition_with_form(&state, &request, &principal, id, &form, change).await?;
    Ok(see_other(&visitor, "/editor#submitted"))
}

#[derive(Template)]
#[template(path = "case_study_form.html")]
struct FormPage {
    chrome: Chrome,
    heading: String,
    action: String,
    /// The version the form edits, for the save to name.
    version: Option<i32>,
    form: CaseStudyForm,
    choices: Choices,
    /// Each with the element id of its field.
    errors: Vec<FieldError>,
    /// What someone else saved while this form was open.
    conflict: Option<RevisionDiff>,
}

impl FormPage {
    fn error(&self, name: &str) -> Option<&str> {
        let id = field_id(name);
        self.errors
            .iter()
            .find(|error| error.field == id)
            .map(|error| error.message.as_str())
    }

    fn checked(list: &[String], code: &str) -> bool {
        list.iter().any(|c| c == code)
    }
}

/// Every organisation, for choosing partners and funders by name.
async fn all_organisations(state: &AppState) -> Result<Vec<Organisation>, ApiError> {
    let mut conn = state.read_db(None).await?;
    organisations::list(&mut conn, &[], None, 10_000).await
}

/// Organisations' names for choosing partners, and the form's other lists.
async fn choices(state: &AppState) -> Result<Choices, ApiError> {
    let organisations = all_organisations(state).await?;
    Ok(Choices::new(
        organisations.into_iter().map(|o| o.name).collect(),
    ))
}

/// The form shown again: with what was typed, and each mistake beside its field.
async fn form_page(
    state: &AppState,
    visitor: &Visitor,
    (heading, action, version): (String, String, Option<i32>),
    form: CaseStudyForm,
    errors: Vec<FieldError>,
    conflict: Option<RevisionDiff>,
) -> Result<FormPage, ApiError> {
    Ok(FormPage {
        chrome: visitor.chrome("editor"),
        heading,
        action,
        version,
        form,
        choices: choices(state).await?,
        errors: errors
            .into_iter()
            .map(|error| FieldError::new(field_id(&error.field), error.message))
            .collect(),
        conflict,
    })
}

/// Finds organisations by the names the form gives them (partners, funders).
async fn named_organisations(
    state: &AppState,
    form: &CaseStudyForm,
) -> Result<HashMap<String, String>, ApiError> {
    let mut conn = state.db().await?;
    let mut found = HashMap::new();
    let named = form.lists.iter().flat_map(|rows| {
        rows.rows.iter().flat_map(|row| {
            rows.list
                .columns
                .iter()
                .zip(row)
                .filter(|(column, _)| column.input.kind() == "organisation")
                .map(|(_, name)| name.trim())
        })
    });
    for name in named {
        if name.is_empty() || found.contains_key(name) {
            continue;
        }
        if let Some(organisation) = organisations::find_by_name(&mut conn, name).await? {
            found.insert(name.to_owned(), organisation.slug);
        }
    }
    Ok(found)
}

async fn own_organisation_name(
    state: &AppState,
    principal: &Principal,
) -> Result<String, ApiError> {
    let mut conn = state.db().await?;
    Ok(organisations::summary(&mut conn, principal.organisation_id)
        .await?
        .name)
}

#[get("/editor/new")]
pub async fn new_case_study(
    state: web::Data<AppState>,
    visitor: Visitor,
) -> Result<HttpResponse, PageError> {
    let Some(principal) = visitor.principal.clone() else {
        return to_sign_in(&visitor);
    };
    let own = own_organisation_name(&state, &principal).await?;
    let form = CaseStudyForm::blank(&own, state.config.default_license);
    let shown = form_page(&state, &visitor, new_heading(), form, Vec::new(), None).await?;
    visitor.page(&shown)
}

fn new_heading() -> (String, String, Option<i32>) {
    ("Write a case study".into(), "/editor/new".into(), None)
}

#[post("/editor/new")]
pub async fn create(
    state: web::Data<AppState>,
    request: HttpRequest,
    visitor: Visitor,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let fields = visitor.read_form(&request, &body)?;
    let Some(principal) = visitor.principal.clone() else {
        return to_sign_in(&visitor);
    };
    let mut form = CaseStudyForm::posted(&fields);
    if form.rearrange(fields.get("action")) {
        let shown = form_page(&state, &visitor, new_heading(), form, Vec::new(), None).await?;
        return visitor.page(&shown);
    }
    principal.require(KeyScope::Write)?;
    state.limits.writes.check(&principal.rate_key())?;
    let named = named_organisations(&state, &form).await?;
    let parsed = form.document(state.config.default_license, &|name| {
        named.get(name).cloned()
    });
    let written = match parsed {
        Ok((document, _)) => {
            let actor = Actor::user(&principal, client_address(&request));
            let mut conn = state.db().await?;
            let created = editorial::create(
                &mut conn,
                document,
                Owner::for_principal(&principal),
                Status::Draft,
                &actor,
            )
            .await;
            state.search.refresh_after_write(&mut conn).await;
            created.map_err(form_mistakes)
        }
        Err(errors) => Err(Ok(errors)),
    };
    match written {
        Ok(created) => Ok(see_other(
            &visitor,
            &format!("/case-studies/{}", created.slug),
        )),
        Err(Ok(errors)) => {
            let shown = form_page(&state, &visitor, new_heading(), form, errors, None).await?;
            Ok(visitor.finish(html(StatusCode::UNPROCESSABLE_ENTITY, &shown)?))
        }
        Err(Err(other)) => Err(other.into()),
    }
}

/// A failure the form can show beside a field (`Ok`), or one it cannot (`Err`).
fn form_mistakes(error: ApiError) -> Result<Vec<FieldError>, ApiError> {
    match error {
        ApiError::Validation(errors) => Ok(errors),
        ApiError::Conflict(message) => Ok(vec![FieldError::new("title", message)]),
        other => Err(other),
    }
}

fn edit_heading(case_study: &CaseStudy, version: i32) -> (String, String, Option<i32>) {
    (
        format!("Edit: {}", case_study.content.title),
        format!("/editor/{}/edit", case_study.id),
        Some(version),
    )
}

#[get("/editor/{id}/edit")]
pub async fn edit_case_study(
    state: web::Data<AppState>,
    visitor: Visitor,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let Some(principal) = visitor.principal.clone() else {
        return to_sign_in(&visitor);
    };
    let case_study = readable(&state, Some(&principal), &case_study_id(&id)?.to_string()).await?;
    let heading = edit_heading(&case_study, case_study.version);
    let form = CaseStudyForm::of(&case_study, &all_organisations(&state).await?);
    let shown = form_page(&state, &visitor, heading, form, Vec::new(), None).await?;
    visitor.page(&shown)
}

#[post("/editor/{id}/edit")]
pub async fn save(
    state: web::Data<AppState>,
    request: HttpRequest,
    visitor: Visitor,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let fields = visitor.read_form(&request, &body)?;
    let Some(principal) = visitor.principal.clone() else {
        return to_sign_in(&visitor);
    };
    let id = case_study_id(&id)?;
    let current = readable(&state, Some(&principal), &id.to_string()).await?;
    let mut form = CaseStudyForm::posted(&fields);
    let seen: i32 = fields.get("version").parse().unwrap_or(current.version);
    if form.rearrange(fields.get("action")) {
        let shown = form_page(
            &state,
            &visitor,
            edit_heading(&current, seen),
            form,
            Vec::new(),
            None,
        )
        .await?;
        return visitor.page(&shown);
    }
    state.limits.writes.check(&principal.rate_key())?;
    let named = named_organisations(&state, &form).await?;
    let parsed = form.document(state.config.default_license, &|name| {
        named.get(name).cloned()
    });
    let outcome = match parsed {
        Ok((document, message)) => {
            let change = Change::Replace {
                document: Box::new(document),
                message,
            };
            change_seen(&state, &request, &principal, id, seen, change).await
        }
        Err(errors) => Err(ApiError::Validation(errors)),
    };
    let (errors, conflict, version) = match outcome {
        Ok(saved) => {
            return Ok(see_other(
                &visitor,
                &format!("/case-studies/{}", saved.slug),
            ));
        }
        // Someone saved first: their changes are shown, the editor's typing is kept, and the
        // next save (knowingly) replaces the version now current.
        Err(ApiError::PreconditionFailed(_)) => {
            let mut conn = state.db().await?;
            let theirs = diff(
                &mut conn,
                &principal,
                &id.to_string(),
                seen,
                current.version,
            )
            .await?;
            (Vec::new(), Some(theirs), current.version)
        }
        Err(error) => match form_mistakes(error) {
            Ok(errors) => (errors, None, seen),
            Err(other) => return Err(other.into()),
        },
    };
    let status = match conflict {
        Some(_) => StatusCode::CONFLICT,
        None => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let heading = edit_heading(&current, version);
    let shown = form_page(&state, &visitor, heading, form, errors, conflict).await?;
    Ok(visitor.finish(html(status, &shown)?))
}
