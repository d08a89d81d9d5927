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
