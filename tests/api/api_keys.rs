//! API keys for machine clients: made once, used by many workers at once, listed without
//! their secrets, revoked at once, and never more powerful than the user who made them.

use serde_json::{Value, json};

use crate::helpers::{assert_problem, sample_case_study, spawn_app};

#[tokio::test]
async fn an_integrators_workers_share_one_key_and_its_user_can_revoke_it() {
    let app = spawn_app().await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&lead).await;
    let response = app
        .as_user(&editor)
        .post(
            "/api/v1/api-keys",
            &json!({"name": "Website sync", "scopes": ["write", "read"], "expires_at": "2027-06-30T00:00:00Z"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let issued: Value = response.json().await.unwrap();
    let key = issued["key"].as_str().unwrap().to_owned();
    assert!(key.starts_with("cbk_") && key.len() > 40, "{key}");
    assert_eq!(issued["scopes"], json!(["read", "write"]));
    assert_eq!(issued["expires_at"], "2027-06-30T00:00:00Z");
    assert_eq!(issued["user_id"], json!(editor.id));
    let key_id = issued["id"].as_str().unwrap().to_owned();

    // Two workers with the same key, at once: neither revokes the other.
    let worker = |title: &'static str| {
        let app = &app;
        let key = key.clone();
        let lead = lead.clone();
        async move {
            let mut document = sample_case_study(&lead);
            document["title"] = json!(title);
            let created = app
                .with_token(&key)
                .post("/api/v1/case-studies", &document)
                .await;
            assert_eq!(created.status(), 201);
            let created: Value = created.json().await.unwrap();
            let path = format!("/api/v1/case-studies/{}", created["id"].as_str().unwrap());
            let draft = app.with_token(&key).get(&path).await;
            assert_eq!(draft.status(), 200, "the key reads its user's drafts");
            let submitted = app
                .with_token(&key)
                .post_if_match(&format!("{path}/submit"), None, "\"1\"")
                .await;
            assert_eq!(submitted.status(), 200);
            path
        }
    };
    let (first, second) = tokio::join!(worker("First worker's story"), worker("Second's story"));
    assert_ne!(first, second);

    // The list shows the key in use, never its secret.
    let listed = app.as_user(&editor).get("/api/v1/api-keys").await;
    assert_eq!(listed.status(), 200);
    let text = listed.text().await.unwrap();
    assert!(!text.contains(&key[4..]), "a secret was listed");
    let listed: Value = serde_json::from_str(&text).unwrap();
    let items = listed["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], key_id.as_str());
    assert!(items[0]["last_used_at"].is_string());
    assert!(items[0]["revoked_at"].is_null());
    assert!(items[0].get("key").is_none());

    // The audit trail names the key beside its user.
    let audit: Value = app
        .as_user(&app.admin)
        .get("/api/v1/audit-events?kind=case-study-created,api-key-created")
        .await
        .json()
        .await
        .unwrap();
    let events = audit["items"].as_array().unwrap();
    let created: Vec<&Value> = events
        .iter()
        .filter(|event| event["kind"] == "case-study-created")
        .collect();
    assert_eq!(created.len(), 2);
    for event in created {
        assert_eq!(event["actor_id"], json!(editor.id));
        assert_eq!(event["api_key_id"], key_id.as_str());
    }
    let made = events
        .iter()
        .find(|event| event["kind"] == "api-key-created")
        .unwrap();
    assert_eq!(made["detail"]["api_key"], key_id.as_str());
    assert!(made["api_key_id"].is_null(), "made by a signed-in user");

    // Revoked: refused at once, and listed as revoked.
    let revoked = app
        .as_user(&editor)
        .request(
            reqwest::Method::DELETE,
            &format!("/api/v1/api-keys/{key_id}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 204);
    assert_problem(app.with_token(&key).get(&first).await, 401, "invalid-token").await;
    let listed: Value = app
        .as_user(&editor)
        .get("/api/v1/api-keys")
        .await
        .json()
        .await
        .unwrap();
    assert!(listed["items"][0]["revoked_at"].is_string());
}

#[tokio::test]
async fn a_key_never_does_more_than_its_scopes_and_its_user_allow() {
    let app = spawn_app().await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&lead).await;

    // An editor cannot make a reviewing key; bad input is named field by field.
    let asks = [
        (
            json!({"name": "Sync", "scopes": ["read", "review"]}),
            "scopes",
        ),
        (json!({"name": "Sync", "scopes": []}), "scopes"),
        (json!({"name": "Sync", "scopes": ["admin"]}), "scopes[0]"),
        (json!({"name": " ", "scopes": ["read"]}), "name"),
        (json!({"scopes": ["read"]}), "name"),
        (
            json!({"name": "Sync", "scopes": ["read"], "expires_at": "next week"}),
            "expires_at",
        ),
        (
            json!({"name": "Sync", "scopes": ["read"], "expires_at": "2020-01-01T00:00:00Z"}),
            "expires_at",
        ),
    ];
    for (ask, field) in asks {
        let response = app.as_user(&editor).post("/api/v1/api-keys", &ask).await;
        let problem = assert_problem(response, 422, "validation-failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{ask}");
    }
    assert_eq!(app.count_rows("api_keys").await, 0, "nothing half-made");

    // A read-only key reads drafts but writes nothing.
    let writer = app.api_key(&editor, &["read", "write"]).await;
    let reader = app.api_key(&editor, &["read"]).await;
    let document = sample_case_study(&lead);
    let refused = app
        .with_token(&reader)
        .post("/api/v1/case-studies", &document)
        .await;
    let problem = assert_problem(refused, 403, "forbidden").await;
    assert!(problem["detail"].as_str().unwrap().contains("`write`"));
    let created: Value = app
        .with_token(&writer)
        .post("/api/v1/case-studies", &document)
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/case-studies/{}", created["id"].as_str().unwrap());
    assert_eq!(app.with_token(&reader).get(&path).await.status(), 200);
    let mut changed = document.clone();
    changed["title"] = json!("Changed by a reader");
    let refused = app
        .with_token(&reader)
        .put(&path, &changed, Some("\"1\""))
        .await;
    assert_problem(refused, 403, "forbidden").await;

    // Keys manage nothing: not keys, not passwords, not accounts (even an admin's key).
    let admin_key = app.api_key(&app.admin, &["read", "write", "review"]).await;
    for key in [&writer, &admin_key] {
        let more = app
            .with_token(key)
            .post(
                "/api/v1/api-keys",
                &json!({"name": "More", "scopes": ["read"]}),
            )
            .await;
        assert_problem(more, 403, "forbidden").await;
        let password = app
            .with_token(key)
            .put(
                "/api/v1/auth/password",
                &json!({"current_password": crate::helpers::PASSWORD, "new_password": "an entirely new passphrase"}),
                None,
            )
            .await;
        assert_problem(password, 403, "forbidden").await;
    }
    let add_user = app
        .with_token(&admin_key)
        .post(
            "/api/v1/users",
            &json!({"email": "new@example.org", "password": "a long passphrase of words", "organisation": lead, "role": "admin"}),
        )
        .await;
    assert_problem(add_user, 403, "forbidden").await;

    // Another user's key is not theirs to see or revoke; an administrator sees and revokes all.
    let other = app.editor(&lead).await;
    let other_key = app.api_key(&other, &["read"]).await;
    let mine: Value = app
        .as_user(&editor)
        .get("/api/v1/api-keys")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"].as_array().unwrap().len(), 2);
    let everyone: Value = app
        .as_user(&app.admin)
        .get("/api/v1/api-keys")
        .await
        .json()
        .await
        .unwrap();
    let all = everyone["items"].as_array().unwrap();
    assert_eq!(all.len(), 4);
    let others_id = all
        .iter()
        .find(|key| key["user_id"] == json!(other.id))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let delete = |token: &str, id: &str| {
        app.client
            .delete(app.url(&format!("/api/v1/api-keys/{id}")))
            .bearer_auth(token)
            .send()
    };
    let response = delete(&editor.token, &others_id).await.unwrap();
    assert_problem(response, 404, "not-found").await;
    assert_eq!(app.with_token(&other_key).get(&path).await.status(), 200);
    let response = delete(&app.admin.token, &others_id).await.unwrap();
    assert_eq!(response.status(), 204);
    assert_problem(
        app.with_token(&other_key).get(&path).await,
        401,
        "invalid-token",
    )
    .await;

    // A key dies with its user's account.
    let deactivated = app
        .as_user(&app.admin)
        .post(
            &format!("/api/v1/users/{}/deactivate", editor.id),
            &json!({}),
        )
        .await;
    assert_eq!(deactivated.status(), 200);
    assert_problem(
        app.with_token(&writer).get(&path).await,
        401,
        "invalid-token",
    )
    .await;
}
