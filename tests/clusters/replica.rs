//! A primary with a streaming standby: writes and signed-in reads go to the primary, the
//! public's reads to the standby, which may lag.

use std::time::Duration;

use casebook::config::Secret;
use casebook::startup::prepare_database;
use diesel::dsl::sql;
use diesel::sql_types::Text;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use serde_json::Value;

use crate::helpers::{As, assert_problem, sample_case_study, spawn_app_on, test_config};
use crate::support::{Cluster, within};

/// How long the standby may take to show a change once replay resumes.
const CATCH_UP_BUDGET: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_reads_from_the_standby_and_editors_from_the_primary() {
    let primary = Cluster::primary().await;
    let standby = Cluster::standby_of(&primary).await;
    // Migrations run on the primary alone; the standby replays them.
    let url = primary.url("casebook");
    prepare_database(&test_config(&url))
        .await
        .expect("migrating the primary");
    let replica_url = standby.url("casebook");
    let app = spawn_app_on(url, |config| {
        config.database.read_url = Some(Secret::new(replica_url));
    })
    .await;
    let health: Value = app.get("/health").await.json().await.unwrap();
    assert_eq!(health["replica"], "ok", "{health}");

    let mut on_primary = connect(&primary.url("postgres")).await;
    let mut on_standby = connect(&standby.url("postgres")).await;
    assert!(holds(&mut on_standby, "pg_is_in_recovery()").await);
    wait_for_replay(&mut on_primary, &mut on_standby).await;
    on_standby
        .batch_execute("SELECT pg_wal_replay_pause()")
        .await
        .unwrap();
    within(CATCH_UP_BUDGET, "pausing replay", async || {
        holds(
            &mut on_standby,
            "pg_get_wal_replay_pause_state() = 'paused'",
        )
        .await
    })
    .await;

    // Writes reach the primary although the standby is read-only and frozen.
    let lead = app
        .organisation("Replica Housing", "housing-association")
        .await;
    let editor = app.editor(&lead).await;
    let published = app
        .published_case_study(&editor, &sample_case_study(&lead))
        .await;
    let path = format!("/api/v1/case-studies/{}", published["id"].as_str().unwrap());

    // The editor reads their own write from the primary; the public, from the standby,
    // does not see it yet.
    let own = app.as_user(&editor).get(&path).await;
    assert_eq!(own.status(), 200);
    assert_eq!(own.json::<Value>().await.unwrap()["status"], "published");
    assert_problem(app.get(&path).await, 404, "not-found").await;

    // Searches are answered by the in-memory index, which follows the primary's change log
    // and keeps the texts a page shows with the words, so the public search already lists
    // the case study, summary and place included, though the standby has not replayed it.
    let found = search_item(app.as_user(&editor), &published["id"]).await;
    assert_eq!(found["summary"], published["summary"]);
    let listed = search_item(app.anonymous(), &published["id"]).await;
    assert_eq!(listed["summary"], published["summary"]);
    assert_eq!(listed["locality"], published["locality"]);
    // The same goes for an export: every case study the index lists is in it.
    let exported = app
        .get("/api/v1/case-studies/export?format=ndjson")
        .await
        .text()
        .await
        .unwrap();
    let documents: Vec<Value> = exported
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert!(
        documents.iter().any(|d| d["id"] == published["id"]),
        "the export holds the new case study: {exported}"
    );

    on_standby
        .batch_execute("SELECT pg_wal_replay_resume()")
        .await
        .unwrap();
    let caught_up = within(CATCH_UP_BUDGET, "the standby showing it", async || {
        let status = app.get(&path).await.status();
        assert!(status == 200 || status == 404, "{status}");
        status == 200
    })
    .await;
    let listed = search_item(app.anonymous(), &published["id"]).await;
    assert_eq!(listed["summary"], published["summary"]);
    eprintln!("standby caught up {caught_up:?} after replay resumed");
}

/// This case study's entry in the published case studies, as `viewer` searches them.
async fn search_item(viewer: As<'_>, id: &Value) -> Value {
    let search: Value = viewer
        .get("/api/v1/case-studies?limit=100")
        .await
        .json()
        .await
        .unwrap();
    search["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["id"] == *id)
        .cloned()
        .expect("the search lists the case study")
}

async fn connect(url: &str) -> AsyncPgConnection {
    AsyncPgConnection::establish(url)
        .await
        .unwrap_or_else(|e| panic!("connecting to {url}: {e}"))
}

/// The value of an SQL expression, as text.
async fn value(conn: &mut AsyncPgConnection, expression: &str) -> String {
    diesel::select(sql::<Text>(&format!("({expression})::text")))
        .get_result(conn)
        .await
        .unwrap_or_else(|e| panic!("SELECT {expression}: {e}"))
}

async fn holds(conn: &mut AsyncPgConnection, condition: &str) -> bool {
    value(conn, condition).await == "true"
}

/// Waits until the standby has replayed everything the primary has written so far.
async fn wait_for_replay(on_primary: &mut AsyncPgConnection, on_standby: &mut AsyncPgConnection) {
    let written: String = value(on_primary, "pg_current_wal_lsn()::text").await;
    within(CATCH_UP_BUDGET, "the standby replaying", async || {
        holds(
            on_standby,
            &format!("pg_last_wal_replay_lsn() >= '{written}'::pg_lsn"),
        )
        .await
    })
    .await;
}
