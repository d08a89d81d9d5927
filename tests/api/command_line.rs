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
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn the_first_administrator_is_made_from_the_command_line() {
    let database_url = fresh_database().await;
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
    let database_url = fresh_database().await;
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
}
