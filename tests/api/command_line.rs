//! The `casebook` command, as an operator runs it.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::helpers::{fresh_database, spawn_app_on};

fn casebook(database_url: &str, args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that stops before reading its input closes the pipe; what it printed says why.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn the_first_administrator_is_made_from_the_command_line() {
    let database = fresh_database().await;
    let database_url = database.url.clone();
    let password = "the first administrator's passphrase";
    let output = casebook(
        &database_url,
        &[
            "user",
            "add",
            "--email",
            "admin@borders.example",
            "--organisation",
            "borders-partnership",
            "--organisation-name",
            "Borders Community Planning Partnership",
            "--role",
            "admin",
        ],
        &format!("{password}\n"),
    );
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{printed}");
    assert!(!printed.contains(password), "the password never prints");

    let app = spawn_app_on(database_url.clone(), |_| {}).await;
    let response = app
        .anonymous()
        .post(
            "/api/v1/auth/token",
            &json!({"email": "admin@borders.example", "password": password}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let token: Value = response.json().await.unwrap();
    let me: Value = app
        .with_token(token["access_token"].as_str().unwrap())
        .get("/api/v1/auth/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "admin");
    assert_eq!(
        me["organisation"]["name"],
        "Borders Community Planning Partnership"
    );

    let output = casebook(
        &database_url,
        &["user", "deactivate", "--email", "admin@borders.example"],
        "",
    );
    assert!(output.status.success());
    let response = app
        .with_token(token["access_token"].as_str().unwrap())
        .get("/api/v1/auth/me")
        .await;
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn a_weak_password_or_an_unknown_organisation_is_refused() {
    let database = fresh_database().await;
    let database_url = database.url.clone();
    let args = [
        "user",
        "add",
        "--email",
        "e@x.example",
        "--organisation",
        "nobody",
        "--role",
        "editor",
    ];
    let output = casebook(&database_url, &args, "a long enough passphrase\n");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--organisation-name"));
    let output = casebook(
        &database_url,
        &[&args[..], &["--organisation-name", "X"]].concat(),
        "short\n",
    );
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--password"));
    // The same rules as an account made over HTTP: an address must be one.
    let mut bad_email = [&args[..], &["--organisation-name", "X"]].concat();
    bad_email[2] = "not an address";
    let output = casebook(&database_url, &bad_email, "a long enough passphrase\n");
    assert!(!output.status.success());
    let printed = String::from_utf8_lossy(&output.stderr);
    assert!(printed.contains("--email"), "{printed}");
}

/// A database that is not up yet is waited for, within a bound, and then named in the error.
#[test]
fn serve_waits_for_the_database_then_gives_up_saying_so() {
    let started = std::time::Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("serve")
        .env("DATABASE_URL", "postgres://postgres@127.0.0.1:1/casebook")
        .env("CASEBOOK_DATABASE_WAIT_SECS", "2")
        .env("CASEBOOK_ADDR", "127.0.0.1:0")
        .env("CASEBOOK_EMBEDDING_MODEL", "off")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success());
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(1),
        "it tried again"
    );
    assert!(printed.contains("trying again"), "{printed}");
    assert!(
        printed.contains("gave up waiting for the database after 2 s"),
        "{printed}"
    );
}

/// A password with the characters a URL reserves is given on its own and works as it is
/// (on a server that asks for one, the test server's own password goes this way).
#[tokio::test]
async fn a_database_password_is_given_apart_from_the_url() {
    let database = fresh_database().await;
    let mut url = url::Url::parse(&database.url).unwrap();
    let password = match url.password() {
        Some(encoded) => percent_encoding::percent_decode_str(encoded)
            .decode_utf8()
            .unwrap()
            .into_owned(),
        None => "p@ss:w/rd#1".to_owned(),
    };
    url.set_password(None).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("migrate")
        .env("DATABASE_URL", url.as_str())
        .env("CASEBOOK_DATABASE_PASSWORD", &password)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
