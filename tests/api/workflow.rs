//! The review workflow and the history: nothing goes public unreviewed, nothing is lost.

use casebook::domain::vocabulary::Role;
use serde_json::{Value, json};

use crate::helpers::{
    NARRATIVE_AND_TAGS, TestApp, TestUser, assert_problem, sample_case_study, spawn_app,
};

struct Team {
    lead: String,
    editor: TestUser,
    reviewer: TestUser,
}

async fn team(app: &TestApp) -> Team {
    let lead = app
        .organisation(
            "Scottish Borders Housing Association",
            "housing-association",
        )
        .await;
    let other = app
        .organisation("Scottish Borders Council", "council")
        .await;
    Team {
        editor: app.editor(&lead).await,
        reviewer: app.user(&other, Role::Reviewer).await,
        lead,
    }
}

async fn json_of(response: reqwest::Response) -> Value {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    body
}

#[tokio::test]
async fn a_draft_goes_public_only_through_review() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let created = app
        .case_study(&team.editor, &sample_case_study(&team.lead))
        .await;
    let path = format!("/api/v1/case-studies/{}", created["id"].as_str().unwrap());
    assert_problem(app.get(&path).await, 404, "not-found").await;
    assert_problem(
        app.as_user(&team.reviewer).get(&path).await,
        404,
        "not-found",
    )
    .await;

    let submitted = json_of(
        app.as_user(&team.editor)
            .post_if_match(&format!("{path}/submit"), None, "\"1\"")
            .await,
    )
    .await;
    assert_eq!(submitted["status"], "submitted");
    assert_eq!(
        app.as_user(&team.reviewer).get(&path).await.status(),
        200,
        "reviewers see what is submitted"
    );
    assert_problem(app.get(&path).await, 404, "not-found").await;

    // A submitted case study is frozen until a reviewer returns it.
    let frozen = app
        .as_user(&team.editor)
        .put(&path, &sample_case_study(&team.lead), Some("\"2\""))
        .await;
    let frozen = assert_problem(frozen, 409, "invalid-transition").await;
    assert_eq!(frozen["current_status"], "submitted");
    assert_eq!(frozen["allowed"], json!(["publish", "return"]));

    // Returning needs a comment, which every partner then reads.
    let bare = app
        .as_user(&team.reviewer)
        .post_if_match(&format!("{path}/return"), Some(&json!({})), "\"2\"")
        .await;
    let bare = assert_problem(bare, 422, "validation-failed").await;
    assert_eq!(bare["errors"][0]["field"], "comment");
    let comment = json!({"comment": "Please name the tenants' group as a partner."});
    let returned = json_of(
        app.as_user(&team.reviewer)
            .post_if_match(&format!("{path}/return"), Some(&comment), "\"2\"")
            .await,
    )
    .await;
    assert_eq!(returned["status"], "draft");
    let comments = json_of(
        app.as_user(&team.editor)
            .get(&format!("{path}/comments"))
            .await,
    )
    .await;
    assert_eq!(
        comments[0]["body"],
        "Please name the tenants' group as a partner."
    );
    assert_eq!(comments[0]["author_email"], json!(team.reviewer.email));

    json_of(
        app.as_user(&team.editor)
            .post_if_match(&format!("{path}/submit"), None, "\"3\"")
            .await,
    )
    .await;
    let published = json_of(
        app.as_user(&team.reviewer)
            .post_if_match(&format!("{path}/publish"), None, "\"4\"")
            .await,
    )
    .await;
    assert_eq!(published["status"], "published");
    assert_eq!(published["published_version"], 5);
    assert!(published["published_at"].is_string());
    let public = json_of(app.get(&path).await).await;
    assert_eq!(public, published);

    let trail: Value = json_of(
        app.as_user(&app.admin)
            .get("/api/v1/audit-events?kind=case-study-created,case-study-published,case-study-returned")
            .await,
    )
    .await;
    let kinds: Vec<&str> = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 3);
    for kind in [
        "case-study-created",
        "case-study-published",
        "case-study-returned",
    ] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
}

#[tokio::test]
async fn a_null_body_is_the_same_as_none() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let created = app
        .case_study(&team.editor, &sample_case_study(&team.lead))
        .await;
    let path = format!("/api/v1/case-studies/{}", created["id"].as_str().unwrap());
    let submitted = json_of(
        app.as_user(&team.editor)
            .post_if_match(&format!("{path}/submit"), Some(&Value::Null), "\"1\"")
            .await,
    )
    .await;
    assert_eq!(submitted["status"], "submitted");
    let published = json_of(
        app.as_user(&team.reviewer)
            .post_if_match(&format!("{path}/publish"), Some(&Value::Null), "\"2\"")
            .await,
    )
    .await;
    assert_eq!(published["status"], "published");
}

#[tokio::test]
async fn editing_a_published_case_study_keeps_the_public_version_until_republished() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let published = app
        .published_case_study(&team.editor, &sample_case_study(&team.lead))
        .await;
    let path = format!("/api/v1/case-studies/{}", published["id"].as_str().unwrap());

    let mut revised = sample_case_study(&team.lead);
    revised["title"] = json!("Eleven homes, designed with their tenants");
    let pending = json_of(
        app.as_user(&team.editor)
            .put(&path, &revised, Some("\"3\""))
            .await,
    )
    .await;
    assert_eq!(pending["status"], "draft");
    assert_eq!(pending["version"], 4);
    assert_eq!(pending["published_version"], 3);

    let public = json_of(app.get(&path).await).await;
    assert_eq!(
        public["title"],
        "Homes for people with learning disabilities"
    );
    assert_eq!(public["status"], "published");
    assert_eq!(public["version"], 3);
    let listed: Value = json_of(app.get("/api/v1/case-studies").await).await;
    assert_eq!(
        listed["items"][0]["title"],
        "Homes for people with learning disabilities"
    );
    let editors_view = json_of(app.as_user(&team.editor).get(&path).await).await;
    assert_eq!(
        editors_view["title"],
        "Eleven homes, designed with their tenants"
    );

    json_of(
        app.as_user(&team.editor)
            .post_if_match(&format!("{path}/submit"), None, "\"4\"")
            .await,
    )
    .await;
    assert_eq!(
        json_of(app.get(&path).await).await["version"],
        3,
        "still the old version"
    );
    let republished = json_of(
        app.as_user(&team.reviewer)
            .post_if_match(&format!("{path}/publish"), None, "\"5\"")
            .await,
    )
    .await;
    assert_eq!(
        republished["title"],
        "Eleven homes, designed with their tenants"
    );
    assert_eq!(
        republished["published_at"], published["published_at"],
        "first publication date stays"
    );
    let public = json_of(app.get(&path).await).await;
    assert_eq!(public["title"], "Eleven homes, designed with their tenants");
    assert_eq!(public["version"], 6);
}

/// The public's reads of a published case study are answered from memory until it changes.
#[tokio::test]
async fn public_reads_are_kept_until_the_case_study_changes() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let published = app
        .published_case_study(&team.editor, &sample_case_study(&team.lead))
        .await;
    let by_id = format!("/api/v1/case-studies/{}", published["id"].as_str().unwrap());
    let by_slug = format!(
        "/api/v1/case-studies/{}",
        published["slug"].as_str().unwrap()
    );
    let hits = app.metric("casebook_read_cache_hits_total").await;
    let mut tags = Vec::new();
    for path in [&by_id, &by_slug, &by_id, &by_slug] {
        let response = app.get(path).await;
        tags.push(response.headers()["etag"].clone());
        assert_eq!(json_of(response).await, published);
    }
    assert!(
        tags.iter().all(|tag| *tag == tags[0]),
        "the same answer, the same tag"
    );
    assert_eq!(app.metric("casebook_read_cache_hits_total").await, hits + 2);

    let archived = app.as_user(&team.editor).archive(&by_id, "\"3\"").await;
    assert_eq!(archived.status(), 200);
    for path in [&by_id, &by_slug] {
        assert_problem(app.get(path).await, 404, "not-found").await;
    }
}

#[tokio::test]
async fn transitions_the_status_does_not_allow_are_409_naming_what_is() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let created = app
        .case_study(&team.editor, &sample_case_study(&team.lead))
        .await;
    let path = format!("/api/v1/case-studies/{}", created["id"].as_str().unwrap());
    let response = app
        .as_user(&app.admin)
        .post_if_match(&format!("{path}/publish"), None, "\"1\"")
        .await;
    let body = assert_problem(response, 409, "invalid-transition").await;
    assert_eq!(body["current_status"], "draft");
    assert_eq!(body["allowed"], json!(["submit", "archive"]));
    assert_eq!(app.count_rows("case_study_revisions").await, 1);
}

#[tokio::test]
async fn revisions_are_kept_compared_and_restored_field_for_field() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let tenants = app
        .organisation("Tenants of Rutherford Square", "community-group")
        .await;
    let original = sample_case_study(&team.lead);
    let created = app.case_study(&team.editor, &original).await;
    let path = format!("/api/v1/case-studies/{}", created["id"].as_str().unwrap());

    let mut changed = json!({
        "title": "A different story", "summary": "Changed.", "you_asked": null, "we_said": "Changed too.",
        "we_did": "Something else.", "what_worked": null, "could_improve": "More.",
        "quadrants": ["co-assessment"], "journey_steps": [], "values": ["mutual-benefit"],
        "scale": "community", "sector": "older-people", "locality": "Kelso", "country": "England",
        "start_year": 2001, "end_year": null,
        "partners": [{"organisation": team.lead, "role": "lead"}, {"organisation": tenants, "role": "community"}],
        "outcomes": [{"category": "cost-saving", "description": "Saved money.", "metric": {"value": 250000, "unit": "GBP"}}]
    });
    changed["message"] = json!("Rewritten after the tenants' meeting");
    json_of(
        app.as_user(&team.editor)
            .put(&path, &changed, Some("\"1\""))
            .await,
    )
    .await;

    let history = json_of(
        app.as_user(&team.editor)
            .get(&format!("{path}/revisions"))
            .await,
    )
    .await;
    let numbers: Vec<i64> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [2, 1]);
    assert_eq!(
        history[0]["message"],
        "Rewritten after the tenants' meeting"
    );
    assert_eq!(history[0]["author_email"], json!(team.editor.email));

    let diff = json_of(
        app.as_user(&team.editor)
            .get(&format!("{path}/diff?from=1&to=2"))
            .await,
    )
    .await;
    let fields: Vec<&str> = diff["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    for field in [
        "title",
        "summary",
        "you_asked",
        "quadrants",
        "country",
        "start_year",
        "end_year",
        "partners",
        "outcomes[0].metric.unit",
    ] {
        assert!(fields.contains(&field), "{field} in {fields:?}");
    }
    assert!(fields.contains(&"scale"));
    assert!(
        !fields.contains(&"version") && !fields.contains(&"updated_at"),
        "bookkeeping is not a change"
    );

    let restored = json_of(
        app.as_user(&team.editor)
            .post_if_match(&format!("{path}/revisions/1/restore"), None, "\"2\"")
            .await,
    )
    .await;
    assert_eq!(restored["version"], 3);
    let first = json_of(
        app.as_user(&team.editor)
            .get(&format!("{path}/revisions/1"))
            .await,
    )
    .await;
    let others = ["slug", "partners", "outcomes", "owner"];
    for field in NARRATIVE_AND_TAGS.iter().chain(&others) {
        assert_eq!(restored[field], first["document"][field], "{field}");
    }
    let diff = json_of(
        app.as_user(&team.editor)
            .get(&format!("{path}/diff?from=1&to=3"))
            .await,
    )
    .await;
    assert_eq!(
        diff["changes"],
        json!([]),
        "the restored revision has the first one's content"
    );
    let history = json_of(
        app.as_user(&team.editor)
            .get(&format!("{path}/revisions"))
            .await,
    )
    .await;
    assert_eq!(history[0]["message"], "restored revision 1");
    assert_problem(
        app.as_user(&team.editor)
            .get(&format!("{path}/revisions/9"))
            .await,
        404,
        "not-found",
    )
    .await;
    assert_problem(
        app.as_user(&team.editor)
            .get(&format!("{path}/diff?from=1"))
            .await,
        400,
        "invalid-parameter",
    )
    .await;
}
