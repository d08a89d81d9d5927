//! Signing in, tokens and their refusal.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use casebook::domain::vocabulary::Role;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, TestUser, assert_problem, spawn_app, spawn_app_with};

async fn sign_in(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.anonymous()
        .post(
            "/api/v1/auth/token",
            &json!({"email": email, "password": password}),
        )
        .await
}

/// A token signed with the service's own key, with claims of our choosing.
fn forge(
    app: &TestApp,
    user: &TestUser,
    claims: impl FnOnce(&mut Value),
    header: Header,
) -> String {
    let now = chrono::Utc::now().timestamp();
    let mut body = json!({
        "sub": user.id, "org": uuid::Uuid::nil(), "role": "editor",
        "iat": now, "exp": now + 600, "iss": "casebook", "aud": "casebook-api"
    });
    claims(&mut body);
    let (_, key) = &app.config.tokens.keys[0];
    jsonwebtoken::encode(
        &header,
        &body,
        &EncodingKey::from_secret(key.expose().as_bytes()),
    )
    .unwrap()
}

fn header(alg: Algorithm, kid: Option<&str>) -> Header {
    let mut header = Header::new(alg);
    header.kid = kid.map(str::to_owned);
    header
}

#[tokio::test]
async fn signing_in_gives_a_short_lived_token_with_every_claim() {
    let app = spawn_app().await;
    let org = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&org).await;

    let response = sign_in(&app, &editor.email.to_uppercase(), PASSWORD).await;
    assert_eq!(response.status(), 200);
    let tokens: Value = response.json().await.unwrap();
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    let access = tokens["access_token"].as_str().unwrap();
    let claims: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(access.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["sub"], json!(editor.id));
    assert_eq!(claims["role"], "editor");
    assert_eq!(claims["iss"], "casebook");
    assert_eq!(claims["aud"], "casebook-api");
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        900
    );

    let me: Value = app
        .with_token(access)
        .get("/api/v1/auth/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], json!(editor.email));
    assert_eq!(me["organisation"]["slug"], json!(org));
    assert!(me.get("password_hash").is_none());
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    let org = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&org).await;
    let wrong = sign_in(&app, &editor.email, "not the passphrase at all").await;
    assert!(
        wrong.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    let wrong = assert_problem(wrong, 401, "invalid-credentials").await;
    let unknown = assert_problem(
        sign_in(&app, "nobody@nowhere.example", PASSWORD).await,
        401,
        "invalid-credentials",
    )
    .await;
    assert_eq!(wrong, unknown);
    assert_eq!(
        app.count_rows("audit_events WHERE kind = 'login-failed'")
            .await,
        2
    );
    assert_eq!(app.count_rows("refresh_tokens").await, 0);
}

#[tokio::test]
async fn a_refresh_token_works_once_and_its_reuse_revokes_the_family() {
    let app = spawn_app().await;
    let org = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&org).await;
    let first: Value = sign_in(&app, &editor.email, PASSWORD)
        .await
        .json()
        .await
        .unwrap();

    let refresh = |token: Value| {
        let app = &app;
        async move {
            app.anonymous()
                .post("/api/v1/auth/refresh", &json!({"refresh_token": token}))
                .await
        }
    };
    let response = refresh(first["refresh_token"].clone()).await;
    assert_eq!(response.status(), 200);
    let second: Value = response.json().await.unwrap();
    assert_ne!(second["refresh_token"], first["refresh_token"]);
    let me = app
        .with_token(second["access_token"].as_str().unwrap())
        .get("/api/v1/auth/me")
        .await;
    assert_eq!(me.status(), 200);

    // The first token again: someone has a copy. Both it and its successor stop working.
    assert_problem(
        refresh(first["refresh_token"].clone()).await,
        401,
        "invalid-token",
    )
    .await;
    assert_problem(
        refresh(second["refresh_token"].clone()).await,
        401,
        "invalid-token",
    )
    .await;
    assert_eq!(
        app.count_rows("audit_events WHERE kind = 'token-reuse-detected'")
            .await,
        1
    );
}

#[tokio::test]
async fn a_revoked_refresh_token_is_refused() {
    let app = spawn_app().await;
    let org = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&org).await;
    let tokens: Value = sign_in(&app, &editor.email, PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let body = json!({"refresh_token": tokens["refresh_token"]});
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(
        app.with_token(access).get("/api/v1/auth/me").await.status(),
        200
    );
    let response = app.anonymous().post("/api/v1/auth/revoke", &body).await;
    assert_eq!(response.status(), 204);
    let response = app.anonymous().post("/api/v1/auth/refresh", &body).await;
    assert_problem(response, 401, "invalid-token").await;
    // Signing out stops the access token of that sign-in too, not only its refresh token.
    let response = app.with_token(access).get("/api/v1/auth/me").await;
    assert_problem(response, 401, "invalid-token").await;
}

async fn signed_in(app: &TestApp, email: &str, password: &str) -> (String, Value) {
    let tokens: Value = sign_in(app, email, password).await.json().await.unwrap();
    (tokens["access_token"].as_str().unwrap().to_owned(), tokens)
}

#[tokio::test]
async fn changing_ones_password_ends_every_sign_in() {
    let app = spawn_app().await;
    let org = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&org).await;
    let (laptop, laptop_tokens) = signed_in(&app, &editor.email, PASSWORD).await;
    let (phone, _) = signed_in(&app, &editor.email, PASSWORD).await;
    let change =
        |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    let new = "a new passphrase of several words";

    let response = app
        .with_token(&laptop)
        .put(
            "/api/v1/auth/password",
            &change("a wrong guess at it", new),
            None,
        )
        .await;
    let body = assert_problem(response, 422, "validation-failed").await;
    assert_eq!(body["errors"][0]["field"], "current_password");
    let response = app
        .with_token(&laptop)
        .put(
            "/api/v1/auth/password",
            &change(PASSWORD, "password12345"),
            None,
        )
        .await;
    let body = assert_problem(response, 422, "validation-failed").await;
    assert_eq!(body["errors"][0]["field"], "new_password");

    let response = app
        .with_token(&laptop)
        .put("/api/v1/auth/password", &change(PASSWORD, new), None)
        .await;
    assert_eq!(response.status(), 204);
    for token in [&laptop, &phone] {
        let response = app.with_token(token).get("/api/v1/auth/me").await;
        assert_problem(response, 401, "invalid-token").await;
    }
    let refresh = json!({"refresh_token": laptop_tokens["refresh_token"]});
    let response = app.anonymous().post("/api/v1/auth/refresh", &refresh).await;
    assert_problem(response, 401, "invalid-token").await;
    assert_eq!(sign_in(&app, &editor.email, PASSWORD).await.status(), 401);
    assert_eq!(sign_in(&app, &editor.email, new).await.status(), 200);
    assert_eq!(
        app.count_rows("audit_events WHERE kind = 'password-changed'")
            .await,
        1
    );
}

#[tokio::test]
async fn an_administrator_resets_a_password_and_ends_the_users_sign_ins() {
    let app = spawn_app().await;
    let org = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&org).await;
    let (access, _) = signed_in(&app, &editor.email, PASSWORD).await;
    let path = format!("/api/v1/users/{}/password", editor.id);
    let new = json!({"password": "a passphrase the administrator chose"});

    let response = app.with_token(&access).put(&path, &new, None).await;
    assert_problem(response, 403, "forbidden").await;
    let weak = json!({"password": "aaaaaaaaaaaaaaaa"});
    let response = app.as_user(&app.admin).put(&path, &weak, None).await;
    assert_problem(response, 422, "validation-failed").await;

    // Not one's own: that takes the current password.
    let own = format!("/api/v1/users/{}/password", app.admin.id);
    let response = app.as_user(&app.admin).put(&own, &new, None).await;
    assert_problem(response, 409, "conflict").await;

    let response = app.as_user(&app.admin).put(&path, &new, None).await;
    assert_eq!(response.status(), 204);
    let response = app.with_token(&access).get("/api/v1/auth/me").await;
    assert_problem(response, 401, "invalid-token").await;
    let signed_in = sign_in(&app, &editor.email, "a passphrase the administrator chose").await;
    assert_eq!(signed_in.status(), 200);
    assert_eq!(
        app.count_rows("audit_events WHERE kind = 'password-reset'")
            .await,
        1
    );
}

#[tokio::test]
async fn deactivating_an_account_stops_its_tokens_at_once() {
    let app = spawn_app().await;
    let org = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&org).await;
    let tokens: Value = sign_in(&app, &editor.email, PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(
        app.with_token(access).get("/api/v1/auth/me").await.status(),
        200
    );

    let response = app
        .as_user(&app.admin)
        .post(
            &format!("/api/v1/users/{}/deactivate", editor.id),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let deactivated: Value = response.json().await.unwrap();
    assert_eq!(deactivated["active"], false);

    assert_problem(
        app.with_token(access).get("/api/v1/auth/me").await,
        401,
        "invalid-token",
    )
    .await;
    let refreshed = app
        .anonymous()
        .post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": tokens["refresh_token"]}),
        )
        .await;
    assert_problem(refreshed, 401, "invalid-token").await;
    assert_problem(
        sign_in(&app, &editor.email, PASSWORD).await,
        401,
        "invalid-credentials",
    )
    .await;
}

#[tokio::test]
async fn forged_expired_and_foreign_tokens_are_refused() {
    let app = spawn_app().await;
    let org = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&org).await;
    let kid = app.config.tokens.signing_key_id.clone();
    let kid = Some(kid.as_str());
    let payload = URL_SAFE_NO_PAD.encode(
        json!({"sub": editor.id, "org": uuid::Uuid::nil(), "role": "admin", "iat": 0, "exp": 9999999999i64, "iss": "casebook", "aud": "casebook-api"}).to_string(),
    );
    let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let other_key = {
        let mut header = header(Algorithm::HS256, kid);
        header.kid = kid.map(str::to_owned);
        let now = chrono::Utc::now().timestamp();
        let claims = json!({"sub": editor.id, "org": uuid::Uuid::nil(), "role": "admin", "iat": now, "exp": now + 600, "iss": "casebook", "aud": "casebook-api"});
        jsonwebtoken::encode(
            &header,
            &claims,
            &EncodingKey::from_secret(b"some-other-key-of-thirty-two-bytes-or-more"),
        )
        .unwrap()
    };
    let cases = [
        (
            "expired",
            forge(
                &app,
                &editor,
                |c| c["exp"] = json!(chrono::Utc::now().timestamp() - 120),
                header(Algorithm::HS256, kid),
            ),
        ),
        (
            "wrong issuer",
            forge(
                &app,
                &editor,
                |c| c["iss"] = json!("someone-else"),
                header(Algorithm::HS256, kid),
            ),
        ),
        (
            "wrong audience",
            forge(
                &app,
                &editor,
                |c| c["aud"] = json!("another-api"),
                header(Algorithm::HS256, kid),
            ),
        ),
        (
            "no audience",
            forge(
                &app,
                &editor,
                |c| {
                    c.as_object_mut().unwrap().remove("aud");
                },
                header(Algorithm::HS256, kid),
            ),
        ),
        (
            "issued in the future",
            forge(
                &app,
                &editor,
                |c| c["iat"] = json!(chrono::Utc::now().timestamp() + 3600),
                header(Algorithm::HS256, kid),
            ),
        ),
        (
            "another algorithm",
            forge(&app, &editor, |_| {}, header(Algorithm::HS512, kid)),
        ),
        (
            "no key id",
            forge(&app, &editor, |_| {}, header(Algorithm::HS256, None)),
        ),
        (
            "unknown key id",
            forge(
                &app,
                &editor,
                |_| {},
                header(Algorithm::HS256, Some("retired")),
            ),
        ),
        ("another key", other_key),
        ("alg none", format!("{none_header}.{payload}.")),
        ("garbage", "not-a-token".to_owned()),
    ];
    for (case, token) in cases {
        let response = app.with_token(&token).get("/api/v1/auth/me").await;
        let challenge = response.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            challenge.contains("error=\"invalid_token\""),
            "{case}: {challenge}"
        );
        assert_problem(response, 401, "invalid-token").await;
    }
    // The same claims, properly signed, are accepted: the cases above fail for their flaw alone.
    let good = forge(&app, &editor, |_| {}, header(Algorithm::HS256, kid));
    assert_eq!(
        app.with_token(&good).get("/api/v1/auth/me").await.status(),
        200
    );

    let basic = app
        .client
        .get(app.url("/api/v1/auth/me"))
        .header("Authorization", "Basic dXNlcjpwYXNz")
        .send()
        .await
        .unwrap();
    assert_problem(basic, 401, "invalid-token").await;
}

#[tokio::test]
async fn brute_force_sign_in_is_slowed_to_429() {
    let app = spawn_app_with(|config| config.rate_limits.login_per_account = 5).await;
    let org = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&org).await;
    for _ in 0..5 {
        assert_eq!(
            sign_in(&app, &editor.email, "guess guess guess")
                .await
                .status(),
            401
        );
    }
    let response = sign_in(&app, &editor.email, PASSWORD).await;
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_problem(response, 429, "too-many-requests").await;
    // Another account from the same client is not held up by this one.
    let other = app.editor(&org).await;
    assert_eq!(sign_in(&app, &other.email, PASSWORD).await.status(), 200);
}

/// Signs in from another loopback address: another client, as far as the service knows.
async fn sign_in_from(app: &TestApp, client: &str, email: &str, password: &str) -> u16 {
    reqwest::Client::builder()
        .local_address(client.parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap()
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_stranger_guessing_cannot_lock_the_user_out_nor_spell_past_the_limit() {
    let app = spawn_app_with(|config| config.rate_limits.login_per_account = 5).await;
    let org = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&org).await;
    let stranger = "127.0.0.2";
    for _ in 0..5 {
        let status = sign_in_from(&app, stranger, &editor.email, "guess guess guess").await;
        assert_eq!(status, 401);
    }
    // Other spellings of the same address reach the same account, and its budget:
    // upper case, and a dotted capital I (U+0130) that PostgreSQL lowercases to `i`.
    let shouted = editor.email.to_uppercase();
    let dotted = editor
        .email
        .replacen('e', "E", 1)
        .replacen('i', "\u{130}", 1);
    for spelling in [editor.email.as_str(), &shouted, &dotted] {
        let status = sign_in_from(&app, stranger, spelling, "guess guess guess").await;
        assert_eq!(status, 429, "{spelling}");
    }
    // The user, signing in from where they always do, is not locked out.
    assert_eq!(
        sign_in_from(&app, "127.0.0.3", &editor.email, PASSWORD).await,
        200
    );
}

#[tokio::test]
async fn failed_sign_ins_keep_an_address_never_a_password() {
    let app = spawn_app().await;
    let typed_in_the_wrong_box = "correct horse battery staple";
    sign_in(&app, typed_in_the_wrong_box, "anything at all").await;
    sign_in(&app, "Someone@Example.org", "anything at all").await;
    let trail: Value = app
        .as_user(&app.admin)
        .get("/api/v1/audit-events?kind=login-failed")
        .await
        .json()
        .await
        .unwrap();
    let text = trail.to_string();
    assert!(!text.contains("horse"), "{text}");
    assert!(text.contains("someone@example.org"), "{text}");
}

#[tokio::test]
async fn one_client_cannot_try_account_after_account() {
    let app = spawn_app_with(|config| config.rate_limits.login_per_client = 3).await;
    for i in 0..3 {
        let response = sign_in(&app, &format!("person{i}@example.org"), "guess guess guess").await;
        assert_eq!(response.status(), 401);
    }
    assert_problem(
        sign_in(&app, "person9@example.org", "guess guess guess").await,
        429,
        "too-many-requests",
    )
    .await;
}

/// Signs in (wrongly) through a proxy that says whom it forwards, in either header.
async fn sign_in_forwarded(app: &TestApp, header: (&str, &str)) -> u16 {
    app.client
        .post(app.url("/api/v1/auth/token"))
        .header(header.0, header.1)
        .json(&json!({"email": "someone@example.org", "password": "guess guess guess"}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Behind a trusted load balancer, each client has its own sign-in budget and the audit
/// trail names it; from anyone else, the forwarding headers are the client's own word.
#[tokio::test]
async fn clients_behind_a_trusted_proxy_are_told_apart() {
    let app = spawn_app_with(|config| {
        config.rate_limits.login_per_client = 3;
        config.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
    })
    .await;
    let first = ("X-Forwarded-For", "203.0.113.7");
    for _ in 0..3 {
        assert_eq!(sign_in_forwarded(&app, first).await, 401);
    }
    assert_eq!(sign_in_forwarded(&app, first).await, 429);
    // Another client, through the same balancer (here in the standard header).
    let second = ("Forwarded", "for=\"[2001:db8::7]:4711\";proto=https");
    assert_eq!(sign_in_forwarded(&app, second).await, 401);
    let trail: Value = app
        .as_user(&app.admin)
        .get("/api/v1/audit-events?kind=login-failed")
        .await
        .json()
        .await
        .unwrap();
    let clients: Vec<&str> = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|event| event["client"].as_str())
        .collect();
    assert!(clients.contains(&"203.0.113.7"), "{trail}");
    assert!(clients.contains(&"2001:db8::7"), "{trail}");

    // Not a trusted proxy: changing the header changes nothing.
    let app = spawn_app_with(|config| config.rate_limits.login_per_client = 3).await;
    for address in ["203.0.113.1", "203.0.113.2", "203.0.113.3"] {
        assert_eq!(
            sign_in_forwarded(&app, ("X-Forwarded-For", address)).await,
            401
        );
    }
    assert_eq!(
        sign_in_forwarded(&app, ("X-Forwarded-For", "203.0.113.4")).await,
        429
    );
}

#[tokio::test]
async fn administrators_manage_accounts_and_read_the_audit_trail() {
    let app = spawn_app().await;
    let org = app.organisation("NHS Borders", "nhs").await;
    let response = app
        .as_user(&app.admin)
        .post(
            "/api/v1/users",
            &json!({"email": "reviewer@nhsborders.example", "password": PASSWORD, "organisation": org, "role": "reviewer"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["role"], "reviewer");
    assert!(user.get("password").is_none() && user.get("password_hash").is_none());

    let duplicate = app
        .as_user(&app.admin)
        .post(
            "/api/v1/users",
            &json!({"email": "Reviewer@NHSBorders.example", "password": PASSWORD, "organisation": org, "role": "editor"}),
        )
        .await;
    assert_problem(duplicate, 409, "conflict").await;
    let weak = app
        .as_user(&app.admin)
        .post("/api/v1/users", &json!({"email": "x@nhsborders.example", "password": "short", "organisation": org, "role": "editor"}))
        .await;
    let weak = assert_problem(weak, 422, "validation-failed").await;
    assert_eq!(weak["errors"][0]["field"], "password");

    let path = format!("/api/v1/users/{}/role", user["id"].as_str().unwrap());
    let response = app
        .as_user(&app.admin)
        .put(&path, &json!({"role": "admin"}), None)
        .await;
    assert_eq!(response.json::<Value>().await.unwrap()["role"], "admin");

    let listed: Value = app
        .as_user(&app.admin)
        .get(&format!("/api/v1/users?organisation={org}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);

    let trail: Value = app
        .as_user(&app.admin)
        .get("/api/v1/audit-events?kind=user-created,role-changed")
        .await
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["role-changed", "user-created"]);
    assert_eq!(
        trail["items"][0]["detail"],
        json!({"from": "reviewer", "to": "admin"})
    );

    let own = format!("/api/v1/users/{}/deactivate", app.admin.id);
    assert_problem(
        app.as_user(&app.admin).post(&own, &json!({})).await,
        409,
        "conflict",
    )
    .await;

    let editor = app.user(&org, Role::Editor).await;
    assert_problem(
        app.as_user(&editor).get("/api/v1/audit-events").await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.as_user(&editor).get("/api/v1/users").await,
        403,
        "forbidden",
    )
    .await;
}
