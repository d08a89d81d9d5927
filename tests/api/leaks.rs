//! What a draft must never reveal to those who may not read it: not its words (through
//! "did you mean" or through relevance scores), not its slug, not its version or status.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, sample_case_study, spawn_app};

async fn suggestion(app: &TestApp, q: &str) -> Option<String> {
    let body: Value = app
        .get(&format!("/api/v1/case-studies?q={q}"))
        .await
        .json()
        .await
        .unwrap();
    body["suggestion"].as_str().map(str::to_owned)
}

#[tokio::test]
async fn suggestions_come_only_from_published_words() {
    let app = spawn_app().await;
    let org = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&org).await;
    let mut document = sample_case_study(&org);
    document["title"] = json!("The Zephyrine community orchard");
    document["locality"] = json!("Quillbrook, Scottish Borders");
    let draft = app.case_study(&editor, &document).await;
    assert_eq!(
        suggestion(&app, "zefyrine").await,
        None,
        "a draft's title word"
    );
    assert_eq!(suggestion(&app, "quilbrook").await, None, "a draft's place");

    // Renamed, the old word is nowhere; published, the new one may be suggested.
    let path = format!("/api/v1/case-studies/{}", draft["id"].as_str().unwrap());
    document["title"] = json!("The Marigolds community orchard");
    let renamed = app
        .as_user(&editor)
        .put(&path, &document, Some("\"1\""))
        .await;
    assert_eq!(renamed.status(), 200);
    for (step, version) in [("submit", "\"2\""), ("publish", "\"3\"")] {
        let user = if step == "publish" {
            &app.admin
        } else {
            &editor
        };
        let response = app
            .as_user(user)
            .post_if_match(&format!("{path}/{step}"), None, version)
            .await;
        assert_eq!(response.status(), 200, "{step}");
    }
    assert_eq!(
        suggestion(&app, "marigols").await.as_deref(),
        Some("marigolds")
    );
    assert_eq!(suggestion(&app, "zefyrine").await, None);
    assert_eq!(
        suggestion(&app, "quilbrook").await.as_deref(),
        Some("quillbrook")
    );

    // Withdrawn, its words go with it.
    let archived = app.as_user(&editor).archive(&path, "\"4\"").await;
    assert_eq!(archived.status(), 200);
    assert_eq!(suggestion(&app, "marigols").await, None);
    assert_eq!(suggestion(&app, "quilbrook").await, None);
}

async fn scores(app: &TestApp, q: &str) -> Vec<(String, f64)> {
    let body: Value = app
        .get(&format!("/api/v1/case-studies?q={q}"))
        .await
        .json()
        .await
        .unwrap();
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (
                item["slug"].as_str().unwrap().to_owned(),
                item["score"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn relevance_scores_depend_on_published_case_studies_only() {
    let app = spawn_app().await;
    let org = app.organisation("Ark Housing", "housing-association").await;
    let other = app
        .organisation("Borders Orchards", "community-group")
        .await;
    let editor = app.editor(&org).await;
    for title in ["An orchard for Kelso", "Gardens and an orchard in Hawick"] {
        let mut document = sample_case_study(&org);
        document["title"] = json!(title);
        app.published_case_study(&editor, &document).await;
    }
    let before = scores(&app, "orchard+gardens").await;
    assert_eq!(before.len(), 2);

    // Another partner's drafts full of the same words change nothing a reader can see.
    let other_editor = app.editor(&other).await;
    for n in 0..3 {
        let mut document = sample_case_study(&other);
        document["title"] = json!(format!("Orchard gardens, orchard trees {n}"));
        app.case_study(&other_editor, &document).await;
    }
    assert_eq!(scores(&app, "orchard+gardens").await, before);
}

#[tokio::test]
async fn a_slug_taken_by_a_hidden_draft_is_not_revealed() {
    let app = spawn_app().await;
    let ark = app.organisation("Ark Housing", "housing-association").await;
    let nhs = app.organisation("NHS Borders", "nhs").await;
    let hidden_author = app.editor(&nhs).await;
    let prober = app.editor(&ark).await;
    let mut secret = sample_case_study(&nhs);
    secret["slug"] = json!("secret-ward-redesign");
    app.case_study(&hidden_author, &secret).await;

    // Creating with the hidden draft's slug: created, under another slug, as if it were free.
    let mut probe = sample_case_study(&ark);
    probe["slug"] = json!("secret-ward-redesign");
    let response = app
        .as_user(&prober)
        .post("/api/v1/case-studies", &probe)
        .await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_ne!(created["slug"], "secret-ward-redesign");
    assert!(
        created["slug"]
            .as_str()
            .unwrap()
            .starts_with("secret-ward-redesign-")
    );

    // Renaming to it: the same.
    let path = format!("/api/v1/case-studies/{}", created["id"].as_str().unwrap());
    let renamed = app.as_user(&prober).put(&path, &probe, Some("\"1\"")).await;
    assert_eq!(renamed.status(), 200);
    let renamed: Value = renamed.json().await.unwrap();
    assert_ne!(renamed["slug"], "secret-ward-redesign");

    // A slug the prober can see is still a conflict, as it should be.
    let mut mine = sample_case_study(&ark);
    mine["slug"] = renamed["slug"].clone();
    let response = app
        .as_user(&prober)
        .post("/api/v1/case-studies", &mine)
        .await;
    assert_problem(response, 409, "conflict").await;
}

#[tokio::test]
async fn a_reviewer_learns_nothing_of_a_draft_they_cannot_read() {
    let app = spawn_app().await;
    let nhs = app.organisation("NHS Borders", "nhs").await;
    let reviewers = app.organisation("Borders Review Panel", "other").await;
    let author = app.editor(&nhs).await;
    let reviewer = app
        .user(&reviewers, casebook::domain::vocabulary::Role::Reviewer)
        .await;
    let draft = app.case_study(&author, &sample_case_study(&nhs)).await;
    let path = format!("/api/v1/case-studies/{}", draft["id"].as_str().unwrap());
    assert_eq!(app.as_user(&reviewer).get(&path).await.status(), 404);
    // Whatever version or step is named, the answer is the same 404 a read gets.
    let comment = json!({"comment": "Please say more about the tenants' part."});
    for (step, version) in [
        ("publish", "\"1\""),
        ("publish", "\"7\""),
        ("return", "\"1\""),
        ("return", "\"7\""),
    ] {
        let response = app
            .as_user(&reviewer)
            .post_if_match(&format!("{path}/{step}"), Some(&comment), version)
            .await;
        assert_problem(response, 404, "not-found").await;
    }
}
