//! The committed OpenAPI document is the contract: it must be exactly what the code generates.

use crate::helpers::spawn_app;

const COMMITTED: &str = include_str!("../../openapi/openapi.json");

#[test]
fn the_committed_document_is_what_the_code_generates() {
    let generated = casebook::startup::openapi().to_pretty_json().unwrap();
    assert!(
        generated.trim_end() == COMMITTED.trim_end(),
        "openapi/openapi.json is out of date; regenerate it with:\n\n    cargo run -- openapi > openapi/openapi.json\n"
    );
}

#[tokio::test]
async fn the_service_serves_the_document_and_the_docs_ui() {
    let app = spawn_app().await;
    let served: serde_json::Value = app.get("/openapi.json").await.json().await.unwrap();
    let committed: serde_json::Value = serde_json::from_str(COMMITTED).unwrap();
    assert!(
        served == committed,
        "the served document differs from openapi/openapi.json"
    );

    let response = app.get("/docs/").await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("swagger-ui"),
        "the UI page comes from the binary"
    );
    assert!(
        !page.contains("https://"),
        "no asset is fetched from the internet"
    );
}
