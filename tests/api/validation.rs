//! Bad input gets a clear problem document, and nothing is written.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, sample_case_study, spawn_app};

async fn rejected(app: &TestApp, document: &Value, status: u16, problem: &str) -> Value {
    let response = app
        .as_user(&app.admin)
        .post("/api/v1/case-studies", document)
        .await;
    let body = assert_problem(response, status, problem).await;
    assert_eq!(app.count_rows("case_studies").await, 0, "nothing written");
    assert_eq!(
        app.count_rows("case_study_revisions").await,
        0,
        "nothing written"
    );
    body
}

fn field_messages(body: &Value) -> Vec<(String, String)> {
    body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn malformed_json_is_400() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/v1/case-studies"))
        .bearer_auth(&app.admin.token)
        .header("content-type", "application/json")
        .body("{\"title\": ")
        .send()
        .await
        .unwrap();
    assert_problem(response, 400, "malformed-body").await;
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/v1/case-studies"))
        .bearer_auth(&app.admin.token)
        .header("content-type", "text/plain")
        .body("title=hello")
        .send()
        .await
        .unwrap();
    assert_problem(response, 415, "unsupported-media-type").await;
}

#[tokio::test]
async fn an_oversized_body_is_413() {
    let app = spawn_app().await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let mut document = sample_case_study(&lead);
    document["we_did"] = json!("x".repeat(2 * 1024 * 1024));
    rejected(&app, &document, 413, "payload-too-large").await;
}

#[tokio::test]
async fn an_unknown_quadrant_names_the_field_and_the_allowed_codes() {
    let app = spawn_app().await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let mut document = sample_case_study(&lead);
    document["quadrants"] = json!(["co-design", "co-production"]);
    let body = rejected(&app, &document, 422, "validation-failed").await;
    let errors = field_messages(&body);
    assert_eq!(errors[0].0, "quadrants[1]");
    assert!(
        errors[0]
            .1
            .contains("co-commissioning, co-design, co-delivery, co-assessment"),
        "{errors:?}"
    );
}

#[tokio::test]
async fn wrong_types_and_missing_fields_are_422_with_the_field() {
    let app = spawn_app().await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let mut document = sample_case_study(&lead);
    document["start_year"] = json!("2015");
    let body = rejected(&app, &document, 422, "validation-failed").await;
    assert_eq!(field_messages(&body)[0].0, "start_year");

    let mut document = sample_case_study(&lead);
    document.as_object_mut().unwrap().remove("summary");
    let body = rejected(&app, &document, 422, "validation-failed").await;
    assert!(field_messages(&body)[0].1.contains("summary"), "{body}");

    let mut document = sample_case_study(&lead);
    document.as_object_mut().unwrap().remove("title");
    let body = rejected(&app, &document, 422, "validation-failed").await;
    assert_eq!(field_messages(&body)[0].0, "title", "{body}");

    let mut document = sample_case_study(&lead);
    document["quadrant"] = json!("co-design");
    let body = rejected(&app, &document, 422, "validation-failed").await;
    assert!(
        field_messages(&body)[0]
            .1
            .contains("unknown field `quadrant`"),
        "{body}"
    );
}

#[tokio::test]
async fn every_broken_rule_is_listed_at_once() {
    let app = spawn_app().await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let mut document = sample_case_study(&lead);
    document["title"] = json!("t".repeat(201));
    document["quadrants"] = json!([]);
    document["end_year"] = json!(2001);
    document["locality"] = json!("Kelso\u{0}");
    let body = rejected(&app, &document, 422, "validation-failed").await;
    let fields: Vec<String> = field_messages(&body).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, ["title", "quadrants", "locality", "end_year"]);
    assert!(
        field_messages(&body)[0]
            .1
            .contains("at most 200 characters")
    );
}

#[tokio::test]
async fn an_unknown_organisation_is_422_naming_the_partner() {
    let app = spawn_app().await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let mut document = sample_case_study(&lead);
    document["partners"] = json!([
        {"organisation": lead, "role": "lead"},
        {"organisation": "langlee-residents-association", "role": "community"}
    ]);
    let body = rejected(&app, &document, 422, "validation-failed").await;
    let errors = field_messages(&body);
    assert_eq!(errors[0].0, "partners[1].organisation");
    assert!(errors[0].1.contains("langlee-residents-association"));
    assert_eq!(app.count_rows("case_study_partners").await, 0);
}

#[tokio::test]
async fn an_editor_cannot_give_a_case_study_to_another_organisation() {
    let app = spawn_app().await;
    let own = app.organisation("Ark Housing", "housing-association").await;
    let other = app.organisation("NHS Borders", "nhs").await;
    let editor = app.editor(&own).await;
    let mut document = sample_case_study(&own);
    document["owner"] = json!(other);
    let response = app
        .as_user(&editor)
        .post("/api/v1/case-studies", &document)
        .await;
    assert_problem(response, 403, "forbidden").await;
    assert_eq!(app.count_rows("case_studies").await, 0);
}

#[tokio::test]
async fn bad_paging_parameters_are_400_naming_the_parameter() {
    let app = spawn_app().await;
    for (query, parameter) in [
        ("limit=0", "limit"),
        ("limit=1000", "limit"),
        ("limit=ten", "limit"),
        // Empty is not absent where the document allows no empty value.
        ("limit=", "limit"),
        ("sort=", "sort"),
        ("quadrant=", "quadrant"),
        ("cursor=bogus", "cursor"),
        // At most 100 values, empty ones counted as the document counts them.
        (&"assessment=&".repeat(101), "assessment"),
    ] {
        let response = app.get(&format!("/api/v1/case-studies?{query}")).await;
        let body = assert_problem(response, 400, "invalid-parameter").await;
        assert_eq!(body["parameter"], parameter, "{query}: {body}");
    }
}

/// Cursors are not signed: one can be forged to hold any position of the right shape. A
/// position the service would never issue is a bad cursor, not a query PostgreSQL refuses.
#[tokio::test]
async fn forged_cursors_are_400() {
    use casebook::cursor::encode_cursor;

    let app = spawn_app().await;
    let nil = uuid::Uuid::nil();
    for (path, cursor) in [
        ("/api/v1/organisations", encode_cursor(&"a\0b")),
        ("/api/v1/organisations", encode_cursor(&"Not A Slug")),
        (
            "/api/v1/case-studies",
            encode_cursor(&("-5000-01-01T00:00:00Z", nil)),
        ),
        (
            "/api/v1/case-studies",
            encode_cursor(&("+10000-01-01T00:00:00Z", nil)),
        ),
    ] {
        let response = app.get(&format!("{path}?cursor={cursor}")).await;
        let body = assert_problem(response, 400, "invalid-parameter").await;
        assert_eq!(body["parameter"], "cursor", "{path}: {body}");
    }
}

/// Every endpoint that takes query parameters refuses one it does not take, naming it and
/// listing those it does, rather than silently ignoring a misspelt filter.
#[tokio::test]
async fn unknown_parameters_are_400_naming_the_parameter() {
    let app = spawn_app().await;
    for (path, unknown, known) in [
        (
            "/api/v1/case-studies?quadrnt=co-design",
            "quadrnt",
            "quadrant",
        ),
        (
            "/api/v1/case-studies/export?format=csv&limt=5",
            "limt",
            "format",
        ),
        ("/api/v1/organisations?kinds=nhs", "kinds", "kind"),
        ("/api/v1/stats/star?sector=housing&x=1", "x", "sector"),
        ("/api/v1/changes?from=1", "from", "since"),
    ] {
        let response = app.get(path).await;
        let body = assert_problem(response, 400, "invalid-parameter").await;
        assert_eq!(body["parameter"], unknown, "{path}: {body}");
        let allowed: Vec<&str> = body["allowed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert!(allowed.contains(&known), "{path}: {body}");
    }
}

/// The bounds the OpenAPI document states are the bounds the service enforces.
#[tokio::test]
async fn documented_bounds_and_choices_are_enforced_by_name() {
    let app = spawn_app().await;
    let long_query = format!("q={}", "a".repeat(501));
    // Many distinct values of one parameter: refused by count, not parsed one by one against
    // each other.
    let many_partners: Vec<String> = (0..7000).map(|n| format!("o{n}")).collect();
    let many_partners = format!("partner={}", many_partners.join(","));
    let many_localities: Vec<String> = (0..101).map(|n| format!("place{n}")).collect();
    let many_localities = format!("locality={}", many_localities.join(","));
    for (query, parameter) in [
        (many_partners.as_str(), "partner"),
        (many_localities.as_str(), "locality"),
        ("year_from=1899", "year_from"),
        ("year_to=2101", "year_to"),
        ("min_completeness=101", "min_completeness"),
        ("sort=best", "sort"),
        (long_query.as_str(), "q"),
    ] {
        let response = app.get(&format!("/api/v1/case-studies?{query}")).await;
        let body = assert_problem(response, 400, "invalid-parameter").await;
        assert_eq!(body["parameter"], parameter, "{query}: {body}");
    }
    let response = app
        .get("/api/v1/stats/crosstab?rows=quadrant&cols=colour")
        .await;
    let body = assert_problem(response, 400, "invalid-parameter").await;
    assert_eq!(body["parameter"], "cols");
    assert!(
        body["allowed"]
            .as_array()
            .unwrap()
            .contains(&json!("partner_kind"))
    );
    let response = app.get("/api/v1/case-studies/export").await;
    let body = assert_problem(response, 400, "invalid-parameter").await;
    assert_eq!(body["parameter"], "format");
}

/// What the document's patterns refuse, the service refuses: an empty or padded slug is not
/// "no slug", control characters are not text, a title is one line.
#[tokio::test]
async fn what_the_document_forbids_is_refused_not_assumed() {
    let app = spawn_app().await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    for (field, value) in [
        ("slug", json!("")),
        ("slug", json!(" ark-housing-story")),
        ("slug", json!("export")),
        ("title", json!("Two\nlines")),
        ("summary", json!("   ")),
        ("we_did", json!("Bell\u{7}")),
    ] {
        let mut document = sample_case_study(&lead);
        document[field] = value.clone();
        let body = rejected(&app, &document, 422, "validation-failed").await;
        assert_eq!(field_messages(&body)[0].0, field, "{value}: {body}");
    }

    let response = app
        .as_user(&app.admin)
        .put(
            &format!("/api/v1/organisations/{lead}"),
            &json!({"name": "Ark Housing", "kind": "housing-association", "slug": ""}),
            None,
        )
        .await;
    let body = assert_problem(response, 422, "validation-failed").await;
    assert_eq!(body["errors"][0]["field"], "slug");
    assert_eq!(
        app.get(&format!("/api/v1/organisations/{lead}"))
            .await
            .status(),
        200
    );
}

/// `/case-studies/export` is the export: a case study titled "Export" gets another slug.
#[tokio::test]
async fn no_case_study_takes_the_exports_path() {
    let app = spawn_app().await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let mut document = sample_case_study(&lead);
    document["title"] = json!("Export");
    let response = app
        .as_user(&app.admin)
        .post("/api/v1/case-studies", &document)
        .await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["slug"], "export-2");
}

/// An `If-Match` that is not a tag this service issues is malformed (400), not stale (412).
#[tokio::test]
async fn a_malformed_if_match_is_400_and_changes_nothing() {
    let app = spawn_app().await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let response = app
        .as_user(&app.admin)
        .post("/api/v1/case-studies", &sample_case_study(&lead))
        .await;
    let created: Value = response.json().await.unwrap();
    let path = format!("/api/v1/case-studies/{}", created["id"].as_str().unwrap());
    for tag in ["1", "\"one\"", "W/1"] {
        let response = app
            .as_user(&app.admin)
            .put(&path, &sample_case_study(&lead), Some(tag))
            .await;
        let body = assert_problem(response, 400, "invalid-parameter").await;
        assert_eq!(body["parameter"], "If-Match", "{tag}");
    }
    let stale = app
        .as_user(&app.admin)
        .put(&path, &sample_case_study(&lead), Some("\"7\""))
        .await;
    assert_problem(stale, 412, "precondition-failed").await;
    assert_eq!(app.count_rows("case_study_revisions").await, 1);
}
