//! Streamed exports against clients that read a little and then stop: the rest of the API
//! keeps answering, and exports left unread give their places back.

use std::time::Duration;

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use crate::helpers::{PASSWORD, TestApp, spawn_app_with};
use crate::import::{Scratch, import};

/// Enough case studies with long narratives that one export is megabytes: more than the
/// sockets between server and client can hold, so a client that stops reading stalls it.
async fn bulky_collection(app: &TestApp, count: usize) {
    let scratch = Scratch::new();
    let file = scratch.join("bulky.ndjson");
    let paragraph =
        "Residents and officers met every week to plan the garden together. ".repeat(90);
    let lines: Vec<String> = (0..count)
        .map(|n| {
            json!({
                "title": format!("A long story of a garden, part {n}"),
                "summary": "Residents and the council redesigned a neglected green space together.",
                "you_asked": paragraph, "we_said": paragraph, "we_did": paragraph,
                "what_worked": paragraph, "could_improve": paragraph,
                "quadrants": ["co-design"], "scale": "community", "sector": "parks-and-environment",
                "country": "Scotland", "status": "published",
                "partners": [{"organisation": {"name": "Kelso Gardeners", "kind": "community-group"}, "role": "lead"}]
            })
            .to_string()
        })
        .collect();
    std::fs::write(&file, lines.join("\n")).unwrap();
    let (ok, printed) = import(app.config.database.url.expose(), &file);
    assert!(ok, "{printed}");
    // The index follows the change log: wait until every imported case study is searchable.
    for _ in 0..100 {
        let found: serde_json::Value = app
            .get("/api/v1/case-studies?limit=1")
            .await
            .json()
            .await
            .unwrap();
        if found["total"] == count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the imported case studies never became searchable");
}

/// Starts an export from its own loopback address (a client of its own), reads its status
/// line and a little of the body, and then stops reading.
async fn stalled_export(app: &TestApp, client: u8) -> (u16, TcpStream) {
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    socket
        .bind(format!("127.0.0.{client}:0").parse().unwrap())
        .unwrap();
    let address = app.address.trim_start_matches("http://").parse().unwrap();
    let mut stream = socket.connect(address).await.unwrap();
    stream
        .write_all(b"GET /api/v1/case-studies/export?format=csv HTTP/1.1\r\nHost: casebook\r\n\r\n")
        .await
        .unwrap();
    let mut head = vec![0u8; 1024];
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut head))
        .await
        .expect("the export answers")
        .unwrap();
    let status = std::str::from_utf8(&head[..read]).unwrap_or("")[9..12]
        .parse()
        .unwrap();
    (status, stream)
}

#[tokio::test]
async fn exports_left_unread_never_starve_the_rest_of_the_api() {
    // Long enough that no stalled export is ended while the sixteen below are started, on a
    // machine busy with other tests.
    let app = spawn_app_with(|config| {
        config.exports.idle = Duration::from_secs(3);
    })
    .await;
    bulky_collection(&app, 200).await;

    // Sixteen anonymous clients, each from an address of its own, start exports and stop
    // reading; the pool has four connections.
    let mut stalled = Vec::new();
    for client in 2..18 {
        stalled.push(stalled_export(&app, client).await);
    }
    let started = stalled.iter().filter(|(status, _)| *status == 200).count();
    let refused = stalled.iter().filter(|(status, _)| *status == 429).count();
    assert_eq!(
        (started, refused),
        (4, 12),
        "four at once, the rest refused"
    );

    // Everything else still answers, promptly.
    let begun = std::time::Instant::now();
    assert_eq!(app.get("/health").await.status(), 200);
    assert_eq!(app.get("/api/v1/case-studies?q=garden").await.status(), 200);
    let signed_in = app
        .anonymous()
        .post(
            "/api/v1/auth/token",
            &json!({"email": app.admin.email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(signed_in.status(), 200);
    assert!(
        begun.elapsed() < Duration::from_secs(2),
        "{:?}",
        begun.elapsed()
    );

    // Exports left unread past the idle limit give their places back.
    tokio::time::sleep(Duration::from_millis(4500)).await;
    let (status, _) = stalled_export(&app, 30).await;
    assert_eq!(
        status, 200,
        "a new client may export once the stalled ones are ended"
    );
    drop(stalled);
}

#[tokio::test]
async fn one_client_may_run_only_a_few_exports_at_once() {
    let app = spawn_app_with(|_| {}).await;
    bulky_collection(&app, 200).await;
    let first = stalled_export(&app, 40).await;
    let second = stalled_export(&app, 40).await;
    let third = stalled_export(&app, 40).await;
    assert_eq!((first.0, second.0, third.0), (200, 200, 429));
    let elsewhere = stalled_export(&app, 41).await;
    assert_eq!(
        elsewhere.0, 200,
        "another client is not held back by this one"
    );
}

/// An export is the collection as it stood when it began. One that meets a case study
/// changed since stops short (the answer never ends properly, so no cache keeps it) rather
/// than hand out two states under one tag.
#[tokio::test]
async fn an_export_never_mixes_the_collection_before_and_after_a_change() {
    let app = spawn_app_with(|_| {}).await;
    // More than one batch, so the second is read after the change.
    bulky_collection(&app, 600).await;
    let (status, mut stream) = stalled_export(&app, 50).await;
    assert_eq!(status, 200);

    let renamed = json!({"name": "Kelso Community Gardeners", "kind": "community-group", "slug": "kelso-gardeners"});
    let response = app
        .as_user(&app.admin)
        .put("/api/v1/organisations/kelso-gardeners", &renamed, None)
        .await;
    assert_eq!(response.status(), 200);

    let mut rest = Vec::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let read = tokio::time::timeout(Duration::from_secs(30), stream.read(&mut buffer))
            .await
            .expect("the export ends");
        match read {
            Ok(0) | Err(_) => break,
            Ok(n) => rest.extend_from_slice(&buffer[..n]),
        }
    }
    let text = String::from_utf8_lossy(&rest);
    assert!(text.contains("Kelso Gardeners"), "the first batch went out");
    assert!(!text.contains("Kelso Community Gardeners"));
    assert!(
        !rest.ends_with(b"\r\n0\r\n\r\n"),
        "the answer is cut off, not ended as if whole"
    );

    // Asked again, the export is the collection as it now is, whole.
    let again = app.get("/api/v1/case-studies/export?format=csv").await;
    assert_eq!(again.status(), 200);
    let body = again.text().await.unwrap();
    assert_eq!(body.matches("Kelso Community Gardeners").count(), 600 * 2);
}
