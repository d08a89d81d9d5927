//! What every response carries: security headers, CORS for configured origins, metrics;
//! and what never leaves the service: secrets in its logs.

use std::io::{BufRead, Write};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::helpers::{PASSWORD, assert_problem, fresh_database, spawn_app, spawn_app_with};

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
    assert_eq!(signed_in.headers()["cache-control"], "private, no-store");
}

/// Anonymous reads can be kept by browsers, proxies and CDNs, and revalidated for nothing
/// but a `304`; a change to what they show gives them a new tag; signed-in answers are
/// never kept.
#[tokio::test]
async fn anonymous_reads_are_cacheable_and_revalidate_with_304() {
    let app = spawn_app().await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&lead).await;
    let published = app
        .published_case_study(&editor, &crate::helpers::sample_case_study(&lead))
        .await;
    let path = format!("/api/v1/case-studies/{}", published["id"].as_str().unwrap());

    for read in [
        path.as_str(),
        "/api/v1/case-studies?q=homes",
        "/api/v1/organisations",
        "/api/v1/case-studies/export?format=csv",
    ] {
        let first = app.get(read).await;
        assert_eq!(first.status(), 200, "{read}");
        let headers = first.headers().clone();
        assert_eq!(headers["cache-control"], "public, max-age=60", "{read}");
        let vary = headers["vary"].to_str().unwrap();
        for name in ["Accept", "Accept-Encoding", "Authorization"] {
            assert!(vary.split(", ").any(|n| n == name), "Vary: {vary}");
        }
        let tag = headers["etag"].to_str().unwrap().to_owned();
        let body = first.bytes().await.unwrap();

        let again = app
            .client
            .get(app.url(read))
            .header("If-None-Match", &tag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{read}");
        assert_eq!(again.headers()["etag"], tag.as_str());
        assert!(again.bytes().await.unwrap().is_empty());

        // Any other tag gets the whole answer again, the same as before.
        let other = app
            .client
            .get(app.url(read))
            .header("If-None-Match", "\"something-else\"")
            .send()
            .await
            .unwrap();
        assert_eq!(other.status(), 200);
        assert_eq!(other.bytes().await.unwrap(), body);

        // Signed in, the answer may hold drafts: never kept, never 304.
        let signed_in = app
            .as_user(&app.admin)
            .request(reqwest::Method::GET, read)
            .header("If-None-Match", &tag)
            .send()
            .await
            .unwrap();
        assert_eq!(signed_in.status(), 200);
        assert_eq!(signed_in.headers()["cache-control"], "private, no-store");
    }

    // A new revision, published: the old tags no longer match.
    let before = app.get(&path).await.headers()["etag"].clone();
    let export = "/api/v1/case-studies/export?format=ndjson";
    let exported = app.get(export).await.headers()["etag"].clone();
    let mut changed = crate::helpers::sample_case_study(&lead);
    changed["summary"] = json!("A changed summary.");
    let replaced = app
        .as_user(&editor)
        .put(&path, &changed, Some("\"3\""))
        .await;
    assert_eq!(replaced.status(), 200);
    for (step, tag) in [("submit", "\"4\""), ("publish", "\"5\"")] {
        let user = if step == "submit" {
            &editor
        } else {
            &app.admin
        };
        let response = app
            .as_user(user)
            .post_if_match(&format!("{path}/{step}"), None, tag)
            .await;
        assert_eq!(response.status(), 200, "{step}");
    }
    for (read, before) in [(path.as_str(), before), (export, exported)] {
        let after = app
            .client
            .get(app.url(read))
            .header("If-None-Match", before.to_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(after.status(), 200, "{read}");
        assert_ne!(after.headers()["etag"], before, "{read}");
        assert!(after.text().await.unwrap().contains("A changed summary."));
    }

    // The case study shows its organisations' names: renaming one gives it a new tag too,
    // though its version stays.
    let current = app.get(&path).await.headers()["etag"].clone();
    let renamed = json!({"name": "Ark Homes", "kind": "housing-association", "slug": lead});
    let response = app
        .as_user(&app.admin)
        .put(&format!("/api/v1/organisations/{lead}"), &renamed, None)
        .await;
    assert_eq!(response.status(), 200);
    let after = app
        .client
        .get(app.url(&path))
        .header("If-None-Match", current.to_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 200);
    assert_ne!(after.headers()["etag"], current);
    assert!(after.text().await.unwrap().contains("Ark Homes"));
}

#[tokio::test]
async fn answers_are_compressed_as_the_client_prefers() {
    let app = spawn_app().await;
    for encoding in ["br", "zstd", "gzip"] {
        let response = app
            .client
            .get(app.url("/api/v1/vocabularies"))
            .header("Accept-Encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-encoding"], encoding);
    }
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

/// The process is measured too, and operators can keep `/metrics` off the public address.
#[tokio::test]
async fn metrics_can_be_served_on_a_private_address_only() {
    let app = spawn_app_with(|config| {
        config.metrics_addr = Some("127.0.0.1:0".parse().unwrap());
    })
    .await;
    app.get("/api/v1/case-studies").await;
    assert_problem(app.get("/metrics").await, 404, "not-found").await;
    let private = app.metrics_address.as_deref().expect("a metrics address");
    let text = app
        .client
        .get(format!("{private}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains(r#"casebook_http_requests_total{route="/api/v1/case-studies",method="GET",status="200"} 1"#), "{text}");
    let resident = text
        .lines()
        .find_map(|line| line.strip_prefix("process_resident_memory_bytes "))
        .expect("resident memory is measured");
    assert!(resident.parse::<f64>().unwrap() > 1e6, "{resident}");
    for name in [
        "process_cpu_seconds_total",
        "process_open_fds",
        "casebook_db_errors_total 0",
    ] {
        assert!(text.contains(name), "{name} in {text}");
    }
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
    // One access line per request, naming the route (never the path) and the outcome.
    let access_lines: Vec<Value> = log
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line["message"] == "request")
        .collect();
    let me = access_lines
        .iter()
        .find(|line| line["route"] == "/api/v1/auth/me")
        .expect("an access line for GET /api/v1/auth/me");
    assert_eq!(me["method"], "GET");
    assert_eq!(me["status"], 200);
    assert_eq!(me["client"], "127.0.0.1");
    assert!(me["duration_ms"].is_number() && !me["request_id"].as_str().unwrap().is_empty());
    assert!(
        access_lines
            .iter()
            .any(|line| line["route"] == "/api/v1/auth/token" && line["status"] == 401),
        "the refused sign-in is logged with its status"
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
