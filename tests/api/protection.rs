//! What every response carries: security headers, CORS for configured origins, metrics;
//! and what never leaves the service: secrets in its logs.

use std::io::{BufRead, Write};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::helpers::{PASSWORD, fresh_database, spawn_app, spawn_app_with};

#[tokio::test]
async fn responses_carry_security_headers_and_signed_in_answers_are_never_cached() {
    let app = spawn_app().await;
    let public = app.get("/api/v1/case-studies").await;
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "no-referrer"),
    ] {
        assert_eq!(public.headers()[name], value, "{name}");
    }
    let signed_in = app.as_user(&app.admin).get("/api/v1/auth/me").await;
    assert_eq!(signed_in.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn browsers_run_nothing_from_the_api_and_only_our_own_files_in_the_docs() {
    let app = spawn_app().await;
    let api = app.get("/api/v1/case-studies").await;
    assert_eq!(
        api.headers()["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'"
    );
    assert!(
        api.headers().get("strict-transport-security").is_none(),
        "HTTPS is a production matter"
    );
    let docs = app.get("/docs/").await;
    let policy = docs.headers()["content-security-policy"].to_str().unwrap();
    assert!(policy.starts_with("default-src 'self'"), "{policy}");
    assert!(
        !policy.contains("unsafe-eval") && !policy.contains("http"),
        "{policy}"
    );

    let production = spawn_app_with(|config| {
        config.environment = casebook::config::Environment::Production;
    })
    .await;
    let response = production.get("/health").await;
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}

#[tokio::test]
async fn browsers_on_configured_origins_may_call_the_api_and_others_may_not() {
    let app =
        spawn_app_with(|config| config.cors_origins = vec!["https://partner.example".into()]).await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/api/v1/case-studies"))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header(
                "Access-Control-Request-Headers",
                "authorization, content-type",
            )
            .send()
    };
    let allowed = preflight("https://partner.example").await.unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://partner.example"
    );
    let refused = preflight("https://elsewhere.example").await.unwrap();
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    let simple = app
        .client
        .get(app.url("/api/v1/case-studies"))
        .header("Origin", "https://partner.example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        simple.headers()["access-control-allow-origin"],
        "https://partner.example"
    );
    assert!(
        simple.headers()["access-control-expose-headers"]
            .to_str()
            .unwrap()
            .to_lowercase()
            .contains("etag")
    );
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let app = spawn_app().await;
    for _ in 0..3 {
        app.get("/api/v1/case-studies/no-such-story").await;
    }
    app.get("/api/v1/case-studies").await;
    let response = app.get("/metrics").await;
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = response.text().await.unwrap();
    assert!(
        text.contains(r#"casebook_http_requests_total{route="/api/v1/case-studies/{id}",method="GET",status="404"} 3"#),
        "{text}"
    );
    assert!(text.contains(r#"casebook_http_request_duration_seconds_count{route="/api/v1/case-studies",method="GET",status="200"} 1"#));
    assert!(text.contains("casebook_db_pool_max 4"));
    assert!(text.contains("casebook_search_index_ready 1"));
    assert!(!text.contains("no-such-story"), "paths never become labels");
}

/// Made-up methods are counted under one label: a client cannot grow `/metrics` without bound.
#[tokio::test]
async fn invented_methods_and_paths_add_no_series() {
    let app = spawn_app().await;
    let series = |text: &str| {
        text.lines()
            .filter(|l| l.starts_with("casebook_http_requests_total{"))
            .count()
    };
    app.get("/api/v1/case-studies").await;
    let before = series(&app.get("/metrics").await.text().await.unwrap());
    for n in 0..200 {
        let method = reqwest::Method::from_bytes(format!("INVENTED{n}").as_bytes()).unwrap();
        let path = format!("/api/v1/case-studies/{}/x{n}", uuid::Uuid::new_v4());
        let response = app
            .client
            .request(method, app.url(&path))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_client_error());
    }
    let text = app.get("/metrics").await.text().await.unwrap();
    assert!(
        !text.contains("INVENTED"),
        "methods from clients never become labels"
    );
    // The invented requests share one route (unmatched) and one method (other); the
    // scrapes themselves add one more.
    let added = series(&text) - before;
    assert!(
        added <= 3,
        "{added} new series after 200 invented requests:\n{text}"
    );
    assert!(text.contains(r#"method="other""#), "{text}");
}

/// Runs the real binary with JSON logs at the most talkative level, signs in, refreshes and
/// uses the tokens, and reads every line it logged.
#[tokio::test]
async fn secrets_never_reach_the_logs() {
    let database = fresh_database().await;
    let database_url = database.url.clone();
    let signing_key = "a-signing-key-that-must-never-be-printed-0123456789";
    let db_url_with_password =
        database_url.replace("postgres@", "postgres:db-password-never-printed@");
    let binary = env!("CARGO_BIN_EXE_casebook");
    let mut add = Command::new(binary)
        .args([
            "user",
            "add",
            "--email",
            "admin@example.org",
            "--organisation",
            "stewards",
            "--organisation-name",
            "Stewards",
            "--role",
            "admin",
        ])
        .env("DATABASE_URL", &db_url_with_password)
        .env("RUST_LOG", "trace")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .unwrap();
    let added = add.wait_with_output().unwrap();
    assert!(added.status.success());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut service = Command::new(binary)
        .env("DATABASE_URL", &db_url_with_password)
        .env("CASEBOOK_ADDR", format!("127.0.0.1:{port}"))
        .env("CASEBOOK_JWT_SIGNING_KEY", signing_key)
        .env("CASEBOOK_LOG_FORMAT", "json")
        .env("RUST_LOG", "trace")
        .env("CASEBOOK_DEMO_DATA", "false")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = service.stderr.take().unwrap();
    let lines = std::thread::spawn(move || {
        std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<_>>()
    });
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let mut ready = false;
    for _ in 0..300 {
        if client
            .get(format!("{base}/health"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            ready = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(ready, "the service started");
    let tokens: Value = client
        .post(format!("{base}/api/v1/auth/token"))
        .json(&json!({"email": "admin@example.org", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    client
        .get(format!("{base}/api/v1/auth/me"))
        .bearer_auth(&access)
        .send()
        .await
        .unwrap();
    let refreshed: Value = client
        .post(format!("{base}/api/v1/auth/refresh"))
        .json(&json!({"refresh_token": refresh}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    client
        .post(format!("{base}/api/v1/auth/token"))
        .json(&json!({"email": "admin@example.org", "password": "a wrong guess at the passphrase"}))
        .send()
        .await
        .unwrap();
    // SIGTERM: the service stops gracefully and its log ends.
    Command::new("kill")
        .arg("-TERM")
        .arg(service.id().to_string())
        .status()
        .unwrap();
    let status = service.wait().unwrap();
    assert!(status.success(), "a graceful stop on SIGTERM");
    let log = lines.join().unwrap().join("\n");
    assert!(
        log.contains("\"request_id\""),
        "log lines of a request carry its id"
    );
    for secret in [
        PASSWORD,
        "a wrong guess at the passphrase",
        signing_key,
        "db-password-never-printed",
        access.as_str(),
        refresh.as_str(),
        refreshed["refresh_token"].as_str().unwrap(),
        refreshed["access_token"].as_str().unwrap(),
    ] {
        assert!(!log.contains(secret), "a secret reached the log");
    }
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&added.stdout),
        String::from_utf8_lossy(&added.stderr)
    );
    assert!(!printed.contains("db-password-never-printed") && !printed.contains(PASSWORD));
}
