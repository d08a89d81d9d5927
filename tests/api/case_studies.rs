use serde_json::{Value, json};

use crate::helpers::{
    NARRATIVE_AND_TAGS, assert_problem, partnered_case_study, sample_case_study, spawn_app,
};

#[tokio::test]
async fn a_case_study_round_trips_every_field() {
    let app = spawn_app().await;
    let lead = app
        .organisation(
            "Scottish Borders Housing Association",
            "housing-association",
        )
        .await;
    let tenants = app
        .organisation("Tenants of Rutherford Square", "community-group")
        .await;
    let editor = app.editor(&lead).await;
    let document = partnered_case_study(&lead, &tenants);

    let response = app
        .as_user(&editor)
        .post("/api/v1/case-studies", &document)
        .await;
    assert_eq!(response.status(), 201);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let created: Value = response.json().await.unwrap();
    assert_eq!(etag, "\"1\"");
    assert_eq!(
        location,
        format!("/api/v1/case-studies/{}", created["id"].as_str().unwrap())
    );

    let fetched: Value = app
        .as_user(&editor)
        .get(&location)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fetched, created);
    for field in NARRATIVE_AND_TAGS.iter().chain(&["outcomes"]) {
        assert_eq!(fetched[field], document[field], "{field}");
    }
    assert_eq!(
        fetched["slug"],
        "homes-for-people-with-learning-disabilities"
    );
    assert_eq!(fetched["status"], "draft");
    assert_eq!(fetched["version"], 1);
    assert_eq!(fetched["published_version"], Value::Null);
    assert_eq!(fetched["owner"]["slug"], lead);
    assert_eq!(
        fetched["partners"][1]["organisation"]["name"],
        "Tenants of Rutherford Square"
    );
    assert_eq!(
        fetched["partners"][1]["organisation"]["kind"],
        "community-group"
    );
    assert_eq!(fetched["partners"][1]["role"], "community");

    let by_slug: Value = app
        .as_user(&editor)
        .get("/api/v1/case-studies/homes-for-people-with-learning-disabilities")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_slug["id"], created["id"]);
}

#[tokio::test]
async fn the_same_title_gets_a_numbered_slug_but_a_chosen_slug_must_be_free() {
    let app = spawn_app().await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&lead).await;
    let first = app.case_study(&editor, &sample_case_study(&lead)).await;
    let second = app.case_study(&editor, &sample_case_study(&lead)).await;
    assert_eq!(first["slug"], "homes-for-people-with-learning-disabilities");
    assert_eq!(
        second["slug"],
        "homes-for-people-with-learning-disabilities-2"
    );

    let mut chosen = sample_case_study(&lead);
    chosen["slug"] = json!("homes-for-people-with-learning-disabilities");
    let response = app
        .as_user(&editor)
        .post("/api/v1/case-studies", &chosen)
        .await;
    let body = assert_problem(response, 409, "conflict").await;
    assert!(body["detail"].as_str().unwrap().contains("slug"));
    assert_eq!(app.count_rows("case_studies").await, 2);
}

#[tokio::test]
async fn a_draft_is_replaced_only_with_the_current_etag() {
    let app = spawn_app().await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&lead).await;
    let created = app.case_study(&editor, &sample_case_study(&lead)).await;
    let path = format!("/api/v1/case-studies/{}", created["id"].as_str().unwrap());

    let mut changed = sample_case_study(&lead);
    changed["title"] = json!("Eleven homes designed with their tenants");
    changed["quadrants"] = json!(["co-design"]);
    changed["outcomes"] = json!([]);
    changed["message"] = json!("Shorter title");
    let response = app
        .as_user(&editor)
        .put(&path, &changed, Some("\"1\""))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["etag"], "\"2\"");
    let replaced: Value = response.json().await.unwrap();
    assert_eq!(replaced["version"], 2);
    assert_eq!(
        replaced["title"],
        "Eleven homes designed with their tenants"
    );
    assert_eq!(replaced["quadrants"], json!(["co-design"]));
    assert_eq!(replaced["outcomes"], json!([]));
    assert_eq!(
        replaced["slug"], created["slug"],
        "the slug stays unless the document changes it"
    );

    // A second editor still holding version 1 cannot overwrite version 2.
    let mut stale = sample_case_study(&lead);
    stale["title"] = json!("A stale edit");
    let response = app.as_user(&editor).put(&path, &stale, Some("\"1\"")).await;
    assert_problem(response, 412, "precondition-failed").await;
    // Nor can anyone write without saying which version they edit.
    let response = app.as_user(&editor).put(&path, &stale, None).await;
    assert_problem(response, 428, "precondition-required").await;
    let current: Value = app.as_user(&editor).get(&path).await.json().await.unwrap();
    assert_eq!(current["title"], "Eleven homes designed with their tenants");
    assert_eq!(app.count_rows("case_study_revisions").await, 2);
    assert_eq!(app.count_rows("case_study_outcomes").await, 0);
}

#[tokio::test]
async fn archiving_withdraws_but_keeps_the_case_study() {
    let app = spawn_app().await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&lead).await;
    let created = app
        .published_case_study(&editor, &sample_case_study(&lead))
        .await;
    let path = format!("/api/v1/case-studies/{}", created["id"].as_str().unwrap());
    assert_eq!(app.get(&path).await.status(), 200, "published: public");

    let response = app.as_user(&editor).archive(&path, "\"3\"").await;
    assert_eq!(response.status(), 200);
    let archived: Value = response.json().await.unwrap();
    assert_eq!(archived["status"], "archived");
    assert_eq!(archived["version"], 4);
    assert_eq!(app.count_rows("case_studies").await, 1);
    assert_eq!(app.count_rows("case_study_partners").await, 1);
    assert_eq!(app.count_rows("case_study_revisions").await, 4);
    assert_problem(app.get(&path).await, 404, "not-found").await;

    let response = app.as_user(&editor).archive(&path, "\"4\"").await;
    let body = assert_problem(response, 409, "invalid-transition").await;
    assert_eq!(body["current_status"], "archived");
}

#[tokio::test]
async fn unknown_case_studies_are_404() {
    let app = spawn_app().await;
    // The last two cannot be slugs; PostgreSQL would refuse the NUL outright.
    for path in [
        "/api/v1/case-studies/no-such-story",
        "/api/v1/case-studies/No%20Such%20Story",
        "/api/v1/case-studies/a%00b",
    ] {
        assert_problem(app.get(path).await, 404, "not-found").await;
    }
    let missing = format!("/api/v1/case-studies/{}", uuid::Uuid::new_v4());
    assert_problem(app.get(&missing).await, 404, "not-found").await;
    let admin = app.as_user(&app.admin);
    let response = admin
        .put(&missing, &sample_case_study("x"), Some("\"1\""))
        .await;
    assert_problem(response, 404, "not-found").await;
    let response = admin
        .put(
            "/api/v1/case-studies/not-an-id",
            &sample_case_study("x"),
            Some("\"1\""),
        )
        .await;
    assert_problem(response, 404, "not-found").await;
}

#[tokio::test]
async fn the_listing_pages_through_every_published_case_study_once() {
    let app = spawn_app().await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&lead).await;
    let mut created = Vec::new();
    for _ in 0..7 {
        created.push(
            app.published_case_study(&editor, &sample_case_study(&lead))
                .await["id"]
                .clone(),
        );
    }
    app.case_study(&editor, &sample_case_study(&lead)).await;
    let mut seen = Vec::new();
    let mut path = "/api/v1/case-studies?limit=3".to_owned();
    loop {
        let page: Value = app.get(&path).await.json().await.unwrap();
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].clone()),
        );
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/case-studies?limit=3&cursor={cursor}"),
            None => break,
        }
    }
    created.reverse();
    assert_eq!(seen, created, "newest first, each once, drafts left out");
}

#[tokio::test]
async fn concurrent_creates_with_one_title_all_get_a_slug() {
    let app = crate::helpers::spawn_app_with(|config| config.database.pool_size = 24).await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&lead).await;
    let document = sample_case_study(&lead);
    let as_editor = app.as_user(&editor);
    let creates = (0..24).map(|_| as_editor.post("/api/v1/case-studies", &document));
    let mut slugs = Vec::new();
    for response in futures_util::future::join_all(creates).await {
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, 201, "{body}");
        slugs.push(body["slug"].as_str().unwrap().to_owned());
    }
    slugs.sort();
    slugs.dedup();
    assert_eq!(slugs.len(), 24);
}
