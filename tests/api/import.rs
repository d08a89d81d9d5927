//! `casebook import`: a collection exported by one deployment loads into another.

use std::collections::HashMap;
use std::process::Command;

use casebook::startup::prepare_database;
use serde_json::{Value, json};

use crate::helpers::{fresh_database, spawn_app_on, test_config};

pub fn import(database_url: &str, file: &std::path::Path) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["import", file.to_str().unwrap()])
        .env("DATABASE_URL", database_url)
        // Not the exporter's default: a licence the file states must come through as it is.
        .env("CASEBOOK_DEFAULT_LICENSE", "OGL-UK-3.0")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), printed)
}

/// Imports synthetic case studies made by `bench/corpus.py` (so the test needs `python3`)
/// into the database: realistic text, in numbers the demo data does not reach.
pub fn import_synthetic(database_url: &str, case_studies: u32, organisations: u32, seed: u32) {
    let scratch = Scratch::new();
    let file = scratch.join("synthetic.ndjson");
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/corpus.py");
    let generated = Command::new("python3")
        .arg(corpus)
        .args(["--case-studies", &case_studies.to_string()])
        .args(["--organisations", &organisations.to_string()])
        .args(["--seed", &seed.to_string(), "--out", file.to_str().unwrap()])
        .output()
        .expect("python3 runs bench/corpus.py");
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    let (ok, printed) = import(database_url, &file);
    assert!(ok, "{printed}");
}

async fn export(app: &crate::helpers::TestApp) -> Vec<Value> {
    let body = app
        .get("/api/v1/case-studies/export?format=ndjson&sort=title")
        .await
        .text()
        .await
        .unwrap();
    body.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A document without what a deployment assigns: ids, timestamps and versions.
fn portable(mut document: Value) -> Value {
    let object = document.as_object_mut().unwrap();
    // The permanent address holds the id.
    for field in ["id", "url", "created_at", "updated_at", "published_at"] {
        object.remove(field);
    }
    object["owner"].as_object_mut().unwrap().remove("id");
    // A funder is named by its id, which each deployment gives afresh: compare its slug.
    let slugs: HashMap<String, Value> = object["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["organisation"]["id"].to_string(),
                p["organisation"]["slug"].clone(),
            )
        })
        .collect();
    for cost in object["costs"].as_array_mut().unwrap() {
        if let Some(slug) = slugs.get(&cost["funder"].to_string()) {
            cost["funder"] = slug.clone();
        }
    }
    for partner in object["partners"].as_array_mut().unwrap() {
        partner["organisation"]
            .as_object_mut()
            .unwrap()
            .remove("id");
    }
    document
}

#[tokio::test]
async fn an_export_imports_into_an_empty_deployment_once_and_whole() {
    let source_database = fresh_database().await;
    let source_url = source_database.url.clone();
    let mut config = test_config(&source_url);
    config.demo_data = true;
    prepare_database(&config).await.unwrap();
    let source = spawn_app_on(source_url, |_| {}).await;
    let exported = export(&source).await;
    assert_eq!(exported.len(), 14);
    let directory = Scratch::new();
    let file = directory.join("export.ndjson");
    let lines: Vec<String> = exported.iter().map(Value::to_string).collect();
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();

    let target_database = fresh_database().await;
    let target_url = target_database.url.clone();
    let (ok, printed) = import(&target_url, &file);
    assert!(ok, "{printed}");
    assert!(
        printed.contains("imported 14, already present 0, rejected 0"),
        "{printed}"
    );
    let (ok, printed) = import(&target_url, &file);
    assert!(ok, "{printed}");
    assert!(
        printed.contains("imported 0, already present 14"),
        "{printed}"
    );

    let target = spawn_app_on(target_url, |_| {}).await;
    let imported = export(&target).await;
    let before: Vec<Value> = exported.into_iter().map(portable).collect();
    let after: Vec<Value> = imported.into_iter().map(portable).collect();
    assert_eq!(
        before, after,
        "the same documents, self-assessments included"
    );
}

#[tokio::test]
async fn a_bad_line_is_reported_by_number_and_leaves_nothing_behind() {
    let database = fresh_database().await;
    let database_url = database.url.clone();
    let good = json!({
        "title": "A garden grown with its neighbours", "summary": "Residents redesigned a green space.",
        "quadrants": ["co-design"], "scale": "community", "sector": "parks-and-environment",
        "country": "Scotland",
        "partners": [{"organisation": {"name": "Kelso Gardeners", "kind": "community-group"}, "role": "lead"}]
    });
    let mut unknown_quadrant = good.clone();
    unknown_quadrant["title"] = json!("A second garden");
    unknown_quadrant["quadrants"] = json!(["co-gardening"]);
    unknown_quadrant["partners"][0]["organisation"]["name"] = json!("Nobody Else");
    let mut unknown_field = good.clone();
    unknown_field["title"] = json!("A third garden");
    unknown_field["colour"] = json!("green");
    // It names no owner and no partner to lead.
    let mut no_owner = good.clone();
    no_owner["title"] = json!("A fourth garden");
    no_owner["partners"] = json!([]);
    let again = good.clone();
    // Another name, but the slug it would be given is taken: the database refuses it, and
    // its batch is imported without it.
    let mut slug_taken = good.clone();
    slug_taken["title"] = json!("A fifth garden");
    slug_taken["partners"][0]["organisation"]["name"] = json!("Kelso-Gardeners");
    let mut last = good.clone();
    last["title"] = json!("A sixth garden");
    let directory = Scratch::new();
    let file = directory.join("import.ndjson");
    let lines = [
        good,
        unknown_quadrant,
        unknown_field,
        no_owner,
        again,
        slug_taken,
        last,
    ]
    .map(|l| l.to_string());
    std::fs::write(&file, lines.join("\n")).unwrap();

    let (ok, printed) = import(&database_url, &file);
    assert!(!ok, "{printed}");
    assert!(
        printed.contains("line 2: rejected: quadrants[0]"),
        "{printed}"
    );
    assert!(printed.contains("line 3: rejected: colour"), "{printed}");
    assert!(printed.contains("line 4: rejected: owner"), "{printed}");
    assert!(
        printed
            .contains("line 6: rejected: conflict: an organisation with this slug already exists"),
        "{printed}"
    );
    assert!(
        printed.contains("imported 2, already present 1, rejected 4"),
        "{printed}"
    );
    let app = spawn_app_on(database_url, |_| {}).await;
    assert_eq!(app.count_rows("case_studies").await, 2);
    // Each imported has its history, its audit row and its change-log entry.
    for written in [
        "case_study_revisions",
        "audit_events WHERE kind = 'case-study-created'",
        "change_log WHERE entity = 'case-study'",
        "case_study_partners",
    ] {
        assert_eq!(app.count_rows(written).await, 2, "{written}");
    }
    assert_eq!(
        app.count_rows("organisations WHERE name = 'Nobody Else'")
            .await,
        0,
        "a rejected line creates no organisation"
    );
}

/// A directory of this test's own, removed when the test ends, passed or failed.
pub struct Scratch(std::path::PathBuf);

impl Scratch {
    pub fn new() -> Self {
        let path = std::env::temp_dir().join(format!("casebook-import-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    pub fn join(&self, name: &str) -> std::path::PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
