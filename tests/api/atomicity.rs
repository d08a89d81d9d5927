//! Every change is all or nothing. A trigger in the test's own database makes one of the
//! last writes of a change fail; the request fails without saying why, and every table
//! holds exactly what it held before.

use diesel::sql_types::{BigInt, Text};
use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, partnered_case_study, spawn_app};

/// Every table a change writes to.
const TABLES: [&str; 11] = [
    "case_studies",
    "case_study_partners",
    "case_study_outcomes",
    "case_study_self_assessments",
    "case_study_revisions",
    "case_study_comments",
    "search_documents",
    "change_log",
    "audit_events",
    "organisations",
    "users",
];

/// Each table's row count and a digest of its contents.
async fn snapshot(app: &TestApp) -> Vec<(&'static str, i64, String)> {
    #[derive(diesel::QueryableByName)]
    struct Digest {
        #[diesel(sql_type = BigInt)]
        rows: i64,
        #[diesel(sql_type = Text)]
        digest: String,
    }
    let mut conn = app.pool.get().await.unwrap();
    let mut tables = Vec::new();
    for table in TABLES {
        let Digest { rows, digest } = diesel::sql_query(format!(
            "SELECT count(*) AS rows, \
             coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS digest \
             FROM {table} t"
        ))
        .get_result(&mut conn)
        .await
        .unwrap();
        tables.push((table, rows, digest));
    }
    tables
}

/// Makes every insert into `table` fail, as a full disk or a broken constraint would.
async fn fail_inserts_into(app: &TestApp, table: &str) {
    let mut conn = app.pool.get().await.unwrap();
    conn.batch_execute(&format!(
        "CREATE OR REPLACE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION 'injected failure writing %', TG_TABLE_NAME; END $$;
         CREATE TRIGGER injected_failure BEFORE INSERT ON {table}
         FOR EACH ROW EXECUTE FUNCTION injected_failure();"
    ))
    .await
    .unwrap();
}

async fn stop_failing(app: &TestApp, table: &str) {
    let mut conn = app.pool.get().await.unwrap();
    conn.batch_execute(&format!("DROP TRIGGER injected_failure ON {table}"))
        .await
        .unwrap();
}

/// A 500 problem document that keeps the database's words to itself.
async fn assert_internal_error(response: reqwest::Response, what: &str) {
    let body = assert_problem(response, 500, "internal").await;
    let text = body.to_string().to_lowercase();
    for leak in [
        "injected",
        "trigger",
        "sql",
        "insert",
        "audit_events",
        "revisions",
        "panicked",
    ] {
        assert!(!text.contains(leak), "{what}: `{leak}` in {body}");
    }
}

#[tokio::test]
async fn a_failed_write_leaves_no_trace() {
    let app = spawn_app().await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let tenants = app
        .organisation("Tenants of Rutherford Square", "community-group")
        .await;
    let editor = app.editor(&lead).await;
    let document = partnered_case_study(&lead, &tenants);
    let existing = app.case_study(&editor, &document).await;
    let path = format!("/api/v1/case-studies/{}", existing["id"].as_str().unwrap());
    let mut changed = document.clone();
    changed["title"] = json!("Eleven homes designed with their tenants");
    changed["outcomes"] = json!([]);
    changed["partners"] = json!([{"organisation": lead, "role": "lead"}]);

    for table in ["audit_events", "case_study_revisions"] {
        let before = snapshot(&app).await;
        fail_inserts_into(&app, table).await;

        let response = app
            .as_user(&editor)
            .post("/api/v1/case-studies", &document)
            .await;
        assert_internal_error(response, &format!("create, {table} failing")).await;
        let response = app
            .as_user(&editor)
            .put(&path, &changed, Some("\"1\""))
            .await;
        assert_internal_error(response, &format!("replace, {table} failing")).await;

        stop_failing(&app, table).await;
        assert_eq!(snapshot(&app).await, before, "{table} failing");
        let current: Value = app.as_user(&editor).get(&path).await.json().await.unwrap();
        assert_eq!(current, existing, "{table} failing");
        let search: Value = app
            .as_user(&editor)
            .get("/api/v1/case-studies?status=draft")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(search["items"].as_array().unwrap().len(), 1, "{search}");
        assert_eq!(search["items"][0]["title"], existing["title"]);
    }
}

#[tokio::test]
async fn organisations_and_accounts_are_not_changed_without_their_audit_record() {
    let app = spawn_app().await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&lead).await;
    let before = snapshot(&app).await;
    fail_inserts_into(&app, "audit_events").await;

    let admin = app.as_user(&app.admin);
    let organisation = json!({"name": "NHS Borders", "kind": "nhs"});
    let response = admin.post("/api/v1/organisations", &organisation).await;
    assert_internal_error(response, "creating an organisation").await;
    let renamed = json!({"name": "Ark Housing Association", "kind": "housing-association"});
    let response = admin
        .put(&format!("/api/v1/organisations/{lead}"), &renamed, None)
        .await;
    assert_internal_error(response, "changing an organisation").await;
    let account = json!({"email": "new@ark.example", "password": "a long enough passphrase", "organisation": lead, "role": "editor"});
    let response = admin.post("/api/v1/users", &account).await;
    assert_internal_error(response, "creating an account").await;
    let user = format!("/api/v1/users/{}", editor.id);
    let response = admin
        .put(&format!("{user}/role"), &json!({"role": "reviewer"}), None)
        .await;
    assert_internal_error(response, "changing a role").await;
    let response = admin
        .post(&format!("{user}/deactivate"), &json!(null))
        .await;
    assert_internal_error(response, "deactivating an account").await;

    stop_failing(&app, "audit_events").await;
    assert_eq!(snapshot(&app).await, before);
}
