use crate::helpers::{assert_problem, spawn_app, spawn_app_with};
use casebook::config::Secret;

#[tokio::test]
async fn health_reports_a_reachable_database() {
    let app = spawn_app().await;
    let response = app.get("/health").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["database"], "ok");
}

#[tokio::test]
async fn health_reports_a_dead_database_as_503_quickly() {
    // Nothing listens on port 1: the database is unreachable.
    let app = spawn_app_with(|config| {
        config.database.url = Secret::new("postgres://postgres@127.0.0.1:1/casebook");
        config.database.acquire_timeout = std::time::Duration::from_millis(500);
    })
    .await;
    let started = std::time::Instant::now();
    let response = app.get("/health").await;
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(response.headers()["retry-after"], "2");
    let body = assert_problem(response, 503, "service-unavailable").await;
    assert!(
        !body.to_string().contains("127.0.0.1:1"),
        "no connection details leak: {body}"
    );
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_nosniff() {
    let app = spawn_app().await;
    let response = app.get("/health").await;
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    let id = response.headers()["x-request-id"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
}

#[tokio::test]
async fn unknown_paths_are_problem_documents() {
    let app = spawn_app().await;
    assert_problem(app.get("/api/v1/nothing-here").await, 404, "not-found").await;
}

#[tokio::test]
async fn a_method_a_path_does_not_take_is_405_naming_those_it_does() {
    let app = spawn_app().await;
    let response = app
        .client
        .delete(app.url("/api/v1/organisations"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["allow"], "GET, POST");
    let body = assert_problem(response, 405, "method-not-allowed").await;
    assert_eq!(body["allowed"], serde_json::json!(["GET", "POST"]));

    // `export` also matches a case study's {id}, which takes PUT: the path's own methods
    // answer, before any handler reads the body (which would have been a 415).
    for method in [reqwest::Method::PUT, reqwest::Method::PATCH] {
        let response = app
            .client
            .request(method, app.url("/api/v1/case-studies/export"))
            .body("not json")
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["allow"], "GET");
        assert_problem(response, 405, "method-not-allowed").await;
    }

    // Nothing is ever deleted: archiving is a transition like the others.
    let response = app
        .client
        .delete(app.url("/api/v1/case-studies/rutherford-square-refurbishment-project"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["allow"], "GET, PUT");
    assert_problem(response, 405, "method-not-allowed").await;

    let response = app
        .client
        .delete(app.url("/api/v1/nothing-here"))
        .send()
        .await
        .unwrap();
    assert_problem(response, 404, "not-found").await;
}

/// Every test's database goes when the test does, so repeated runs do not fill the server.
#[tokio::test]
async fn a_test_database_is_dropped_when_the_test_ends() {
    use crate::helpers::fresh_database;

    let app = spawn_app().await;
    let database = fresh_database().await;
    let name = database.name.clone();
    let exists = format!("pg_database WHERE datname = '{name}'");
    // `count_rows` reads the app's own database; pg_database is shared by the server.
    assert_eq!(app.count_rows(&exists).await, 1);
    drop(database);
    assert_eq!(app.count_rows(&exists).await, 0);
}
