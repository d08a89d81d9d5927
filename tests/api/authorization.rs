//! Who may do what, for every write and workflow endpoint: the exact status each kind of
//! caller gets.

use casebook::domain::vocabulary::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, sample_case_study, spawn_app};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Caller {
    Anonymous,
    Expired,
    OtherKey,
    AlgNone,
    Deactivated,
    OtherEditor,
    PartnerEditor,
    OwnerEditor,
    Reviewer,
    Admin,
    /// API keys: an owner editor's, with `read`; with `write` alone (which reads what it
    /// may change); a reviewer's, with `review` alone; with `read` alone; an administrator's with every scope (which does
    /// not make it an administrator); and a revoked one.
    OwnerKeyRead,
    OwnerKeyWrite,
    ReviewerKeyReview,
    ReviewerKeyRead,
    AdminKey,
    RevokedKey,
}

#[derive(Debug, Clone, Copy)]
enum Action {
    Read,
    ReadHistory,
    Replace,
    Archive,
    Submit,
    Publish,
    Return,
    Restore,
}

const CALLERS: [Caller; 16] = [
    Caller::Anonymous,
    Caller::Expired,
    Caller::OtherKey,
    Caller::AlgNone,
    Caller::Deactivated,
    Caller::OtherEditor,
    Caller::PartnerEditor,
    Caller::OwnerEditor,
    Caller::Reviewer,
    Caller::Admin,
    Caller::OwnerKeyRead,
    Caller::OwnerKeyWrite,
    Caller::ReviewerKeyReview,
    Caller::ReviewerKeyRead,
    Caller::AdminKey,
    Caller::RevokedKey,
];

/// The expected status for each caller, in the order of `CALLERS`.
const MATRIX: [(Action, [u16; 16]); 8] = [
    //              anon exp  key  none deac other partner owner review admin
    //              then keys: owner-read owner-write reviewer-review reviewer-read admin revoked
    (
        Action::Read,
        [
            404, 401, 401, 401, 401, 404, 200, 200, 404, 200, 200, 200, 404, 404, 404, 401,
        ],
    ),
    (
        Action::ReadHistory,
        [
            401, 401, 401, 401, 401, 404, 200, 200, 404, 200, 200, 200, 404, 404, 404, 401,
        ],
    ),
    (
        Action::Replace,
        [
            401, 401, 401, 401, 401, 404, 200, 200, 404, 200, 403, 200, 404, 404, 404, 401,
        ],
    ),
    (
        Action::Archive,
        [
            401, 401, 401, 401, 401, 404, 200, 200, 404, 200, 403, 200, 404, 404, 404, 401,
        ],
    ),
    (
        Action::Submit,
        [
            401, 401, 401, 401, 401, 404, 200, 200, 404, 200, 403, 200, 404, 404, 404, 401,
        ],
    ),
    (
        Action::Publish,
        [
            401, 401, 401, 401, 401, 404, 403, 403, 200, 200, 403, 403, 200, 403, 200, 401,
        ],
    ),
    (
        Action::Return,
        [
            401, 401, 401, 401, 401, 404, 403, 403, 200, 200, 403, 403, 200, 403, 200, 401,
        ],
    ),
    (
        Action::Restore,
        [
            401, 401, 401, 401, 401, 404, 200, 200, 404, 200, 403, 200, 404, 404, 404, 401,
        ],
    ),
];

struct World {
    owner: String,
    partner: String,
    tokens: Vec<(Caller, Option<String>)>,
}

async fn world(app: &TestApp) -> World {
    let owner = app
        .organisation(
            "Scottish Borders Housing Association",
            "housing-association",
        )
        .await;
    let partner = app
        .organisation("Tenants of Rutherford Square", "community-group")
        .await;
    let other = app.organisation("NHS Borders", "nhs").await;
    let deactivated = app.editor(&owner).await;
    let response = app
        .as_user(&app.admin)
        .post(
            &format!("/api/v1/users/{}/deactivate", deactivated.id),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let now = chrono::Utc::now().timestamp();
    let owner_editor = app.editor(&owner).await;
    let claims = json!({"sub": owner_editor.id, "org": uuid::Uuid::nil(), "role": "admin", "iat": now - 1000, "exp": now - 100, "iss": "casebook", "aud": "casebook-api"});
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    header.kid = Some(app.config.tokens.signing_key_id.clone());
    let (_, key) = &app.config.tokens.keys[0];
    let expired = jsonwebtoken::encode(
        &header,
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(key.expose().as_bytes()),
    )
    .unwrap();
    let valid_claims = json!({"sub": owner_editor.id, "org": uuid::Uuid::nil(), "role": "admin", "iat": now, "exp": now + 600, "iss": "casebook", "aud": "casebook-api"});
    let other_key = jsonwebtoken::encode(
        &header,
        &valid_claims,
        &jsonwebtoken::EncodingKey::from_secret(b"a different key, also long enough to sign"),
    )
    .unwrap();
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let alg_none = format!(
        "{}.{}.",
        b64.encode(r#"{"alg":"none","typ":"JWT"}"#),
        b64.encode(valid_claims.to_string())
    );
    let reviewer = app.user(&other, Role::Reviewer).await;
    let tokens = vec![
        (Caller::Anonymous, None),
        (Caller::Expired, Some(expired)),
        (Caller::OtherKey, Some(other_key)),
        (Caller::AlgNone, Some(alg_none)),
        (Caller::Deactivated, Some(deactivated.token)),
        (Caller::OtherEditor, Some(app.editor(&other).await.token)),
        (
            Caller::PartnerEditor,
            Some(app.editor(&partner).await.token),
        ),
        (Caller::OwnerEditor, Some(owner_editor.token.clone())),
        (Caller::Reviewer, Some(reviewer.token.clone())),
        (Caller::Admin, Some(app.admin.token.clone())),
        (
            Caller::OwnerKeyRead,
            Some(app.api_key(&owner_editor, &["read"]).await),
        ),
        (
            Caller::OwnerKeyWrite,
            Some(app.api_key(&owner_editor, &["write"]).await),
        ),
        (
            Caller::ReviewerKeyReview,
            Some(app.api_key(&reviewer, &["review"]).await),
        ),
        (
            Caller::ReviewerKeyRead,
            Some(app.api_key(&reviewer, &["read"]).await),
        ),
        (
            Caller::AdminKey,
            Some(app.api_key(&app.admin, &["read", "write", "review"]).await),
        ),
        (
            Caller::RevokedKey,
            Some(revoked_key(app, &owner_editor).await),
        ),
    ];
    World {
        owner,
        partner,
        tokens,
    }
}

async fn revoked_key(app: &TestApp, user: &crate::helpers::TestUser) -> String {
    let key = app.api_key(user, &["read", "write"]).await;
    let listed: Value = app
        .as_user(user)
        .get("/api/v1/api-keys")
        .await
        .json()
        .await
        .unwrap();
    let newest = listed["items"].as_array().unwrap().last().unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = app
        .as_user(user)
        .request(
            reqwest::Method::DELETE,
            &format!("/api/v1/api-keys/{newest}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    key
}

/// A fresh case study for one cell of the matrix: a draft, or submitted for the review actions.
async fn subject(app: &TestApp, world: &World, action: Action) -> (String, String) {
    let owner_editor = app.editor(&world.owner).await;
    let mut document = sample_case_study(&world.owner);
    document["partners"] = json!([
        {"organisation": world.owner, "role": "lead"},
        {"organisation": world.partner, "role": "community"}
    ]);
    let created = app.case_study(&owner_editor, &document).await;
    let path = format!("/api/v1/case-studies/{}", created["id"].as_str().unwrap());
    if matches!(action, Action::Publish | Action::Return) {
        let response = app
            .as_user(&owner_editor)
            .post_if_match(&format!("{path}/submit"), None, "\"1\"")
            .await;
        assert_eq!(response.status(), 200);
        return (path, "\"2\"".to_owned());
    }
    (path, "\"1\"".to_owned())
}

async fn attempt(
    app: &TestApp,
    world: &World,
    token: Option<&str>,
    action: Action,
    path: &str,
    etag: &str,
) -> u16 {
    let request = |method: reqwest::Method, url: String| {
        let request = app
            .client
            .request(method, app.url(&url))
            .header("If-Match", etag);
        match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    };
    let mut replacement = sample_case_study(&world.owner);
    replacement["title"] = json!("A new title");
    let response = match action {
        Action::Read => request(reqwest::Method::GET, path.to_owned()).send().await,
        Action::ReadHistory => {
            request(reqwest::Method::GET, format!("{path}/revisions"))
                .send()
                .await
        }
        Action::Replace => {
            request(reqwest::Method::PUT, path.to_owned())
                .json(&replacement)
                .send()
                .await
        }
        Action::Archive => {
            request(reqwest::Method::POST, format!("{path}/archive"))
                .send()
                .await
        }
        Action::Submit => {
            request(reqwest::Method::POST, format!("{path}/submit"))
                .send()
                .await
        }
        Action::Publish => {
            request(reqwest::Method::POST, format!("{path}/publish"))
                .send()
                .await
        }
        Action::Return => {
            request(reqwest::Method::POST, format!("{path}/return"))
                .json(&json!({"comment": "Name the tenants' group."}))
                .send()
                .await
        }
        Action::Restore => {
            request(reqwest::Method::POST, format!("{path}/revisions/1/restore"))
                .send()
                .await
        }
    };
    response.unwrap().status().as_u16()
}

#[tokio::test]
async fn every_caller_gets_exactly_the_right_answer_for_every_action() {
    let app = spawn_app().await;
    let world = world(&app).await;
    let mut mismatches = Vec::new();
    for (action, expected) in MATRIX {
        for (caller, want) in CALLERS.iter().zip(expected) {
            let (path, etag) = subject(&app, &world, action).await;
            let token = world
                .tokens
                .iter()
                .find(|(c, _)| c == caller)
                .unwrap()
                .1
                .as_deref();
            let got = attempt(&app, &world, token, action, &path, &etag).await;
            if got != want {
                mismatches.push(format!(
                    "{action:?} by {caller:?}: expected {want}, got {got}"
                ));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[tokio::test]
async fn creating_needs_an_account_and_organisation_writes_need_an_administrator() {
    let app = spawn_app().await;
    let world = world(&app).await;
    let organisation = json!({"name": "Kelso Community Garden", "kind": "community-group"});
    let user = json!({"email": "new@example.org", "password": "a long passphrase of words", "organisation": world.owner, "role": "editor"});
    for (caller, token) in &world.tokens {
        let token = token.as_deref();
        let post = |path: &'static str, body: Value| {
            let request = app.client.post(app.url(path)).json(&body);
            let request = match token {
                Some(token) => request.bearer_auth(token),
                None => request,
            };
            async move { request.send().await.unwrap().status().as_u16() }
        };
        let create = post("/api/v1/case-studies", sample_case_study(&world.owner)).await;
        let add_organisation = post("/api/v1/organisations", organisation.clone()).await;
        let add_user = post("/api/v1/users", user.clone()).await;
        let (want_create, want_admin) = match caller {
            Caller::Anonymous
            | Caller::Expired
            | Caller::OtherKey
            | Caller::AlgNone
            | Caller::Deactivated
            | Caller::RevokedKey => (401, 401),
            Caller::Admin => (201, 201),
            // A key writes only with `write`, and never administers.
            Caller::OwnerKeyRead | Caller::ReviewerKeyReview | Caller::ReviewerKeyRead => {
                (403, 403)
            }
            // Editors and reviewers create for their own organisation; an editor of another
            // organisation naming the owner as lead is still creating for their own.
            _ => (201, 403),
        };
        assert_eq!(
            (create, add_organisation, add_user),
            (want_create, want_admin, want_admin),
            "{caller:?}"
        );
    }
}

#[tokio::test]
async fn two_editors_with_the_same_etag_cannot_both_win() {
    let app = spawn_app().await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let first = app.editor(&lead).await;
    let second = app.editor(&lead).await;
    let created = app.case_study(&first, &sample_case_study(&lead)).await;
    let path = format!("/api/v1/case-studies/{}", created["id"].as_str().unwrap());
    for round in 0..5 {
        let etag = format!("\"{}\"", round + 1);
        let mut a = sample_case_study(&lead);
        a["title"] = json!(format!("First editor's title {round}"));
        let mut b = sample_case_study(&lead);
        b["title"] = json!(format!("Second editor's title {round}"));
        let (as_first, as_second) = (app.as_user(&first), app.as_user(&second));
        let (ra, rb) = tokio::join!(
            as_first.put(&path, &a, Some(&etag)),
            as_second.put(&path, &b, Some(&etag)),
        );
        let mut statuses = [ra.status().as_u16(), rb.status().as_u16()];
        statuses.sort();
        assert_eq!(statuses, [200, 412], "round {round}: exactly one wins");
    }
    assert_eq!(app.count_rows("case_study_revisions").await, 6);
}
