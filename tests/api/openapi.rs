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

/// Paging (`limit`, `cursor`) and filters such as `kind` may be left out of any listing; a
/// document that marks one required makes generated clients demand it.
#[test]
fn paging_and_filters_are_documented_as_optional() {
    let document: serde_json::Value = serde_json::from_str(COMMITTED).unwrap();
    for (path, operations) in document["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let optional = ["limit", "cursor", "kind"].map(serde_json::Value::from);
                if parameter["in"] == "query" && optional.contains(&parameter["name"]) {
                    assert_ne!(
                        parameter["required"], true,
                        "{method} {path}: query parameter {} is marked required",
                        parameter["name"]
                    );
                }
            }
        }
    }
}

/// A header or query value is text or absent, never JSON `null`; a schema that admits null
/// makes generated clients accept `None` and then fail to send it.
#[test]
fn parameters_are_never_nullable() {
    let document: serde_json::Value = serde_json::from_str(COMMITTED).unwrap();
    for (path, operations) in document["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let types = &parameter["schema"]["type"];
                assert!(
                    !types
                        .as_array()
                        .is_some_and(|types| types.contains(&"null".into())),
                    "{method} {path}: parameter {} admits null",
                    parameter["name"]
                );
            }
        }
    }
}
