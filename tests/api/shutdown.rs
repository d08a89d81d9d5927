//! A graceful stop finishes the requests under way and takes no new connections.

use std::time::Duration;

use diesel::sql_types::BigInt;
use diesel_async::{RunQueryDsl, SimpleAsyncConnection};

use crate::helpers::{TestApp, sample_case_study, spawn_app_with};

/// The advisory lock the test holds while the create waits for it.
const HELD: i64 = 0x686f_6c64; // "hold"

/// How many of the test database's sessions wait for an advisory lock.
async fn waiting(app: &TestApp) -> i64 {
    count(
        app,
        "SELECT count(*) AS count FROM pg_stat_activity \
         WHERE datname = current_database() AND wait_event = 'advisory'",
    )
    .await
}

async fn count(app: &TestApp, query: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        count: i64,
    }
    let mut conn = app.pool.get().await.unwrap();
    diesel::sql_query(query)
        .get_result::<Count>(&mut conn)
        .await
        .unwrap()
        .count
}

#[tokio::test]
async fn a_graceful_stop_finishes_the_request_under_way_and_refuses_new_connections() {
    let app = spawn_app_with(|config| config.shutdown_timeout = Duration::from_secs(30)).await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&lead).await;
    let audit_events = app.count_rows("audit_events").await;
    // The create's last write waits for a lock the test holds, so the stop arrives while
    // it is under way, however slow the machine.
    let mut holder = app.pool.get().await.unwrap();
    holder
        .batch_execute(&format!(
            "CREATE FUNCTION hold_on() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN PERFORM pg_advisory_xact_lock({HELD}); RETURN NEW; END $$;
             CREATE TRIGGER hold_on BEFORE INSERT ON audit_events
             FOR EACH ROW EXECUTE FUNCTION hold_on();
             SELECT pg_advisory_lock({HELD});"
        ))
        .await
        .unwrap();

    let client = reqwest::Client::new();
    let request = client
        .post(app.url("/api/v1/case-studies"))
        .bearer_auth(&editor.token)
        .json(&sample_case_study(&lead))
        .send();
    let in_flight = tokio::spawn(request);
    while waiting(&app).await == 0 {
        assert!(!in_flight.is_finished(), "the create ended before the stop");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    // Idle keep-alive connections (the test client keeps some) hold the stop open until
    // the shutdown timeout, so it is not waited for here.
    tokio::spawn(app.server.stop(true));
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut refused = false;
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(&address).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(refused, "new connections are still accepted after the stop");
    holder
        .batch_execute(&format!("SELECT pg_advisory_unlock({HELD})"))
        .await
        .unwrap();

    // Almost always the request is answered. Rarely, on a loaded machine, the server drops
    // the connection instead; then nothing may have been written.
    match in_flight.await.unwrap() {
        Ok(response) => {
            let status = response.status();
            let created: serde_json::Value = response.json().await.unwrap();
            assert_eq!(status, 201, "{created}");
            assert!(created["id"].is_string());
            assert_eq!(app.count_rows("case_studies").await, 1);
            assert_eq!(app.count_rows("audit_events").await, audit_events + 1);
        }
        Err(dropped) => {
            for _ in 0..500 {
                if busy_sessions(&app).await == 0 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            assert_eq!(app.count_rows("case_studies").await, 0, "{dropped}");
            assert_eq!(app.count_rows("audit_events").await, audit_events);
        }
    }
}

/// Other sessions of the test database still in the middle of something.
async fn busy_sessions(app: &TestApp) -> i64 {
    count(
        app,
        "SELECT count(*) AS count FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid() \
         AND state IN ('active', 'idle in transaction')",
    )
    .await
}
