use serde_json::{Value, json};

use crate::helpers::{assert_problem, spawn_app};

#[tokio::test]
async fn an_organisation_is_created_and_read_by_slug() {
    let app = spawn_app().await;
    let response = app
        .as_user(&app.admin)
        .post(
            "/api/v1/organisations",
            &json!({"name": "Borders Voluntary Care Voice", "kind": "voluntary", "website": "https://www.borderscarevoice.org.uk"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    assert_eq!(
        response.headers()["location"],
        "/api/v1/organisations/borders-voluntary-care-voice"
    );
    let fetched: Value = app
        .get("/api/v1/organisations/borders-voluntary-care-voice")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fetched["name"], "Borders Voluntary Care Voice");
    assert_eq!(fetched["kind"], "voluntary");
    assert_eq!(fetched["website"], "https://www.borderscarevoice.org.uk");
}

/// Any name the document allows is accepted: one with nothing to make a slug of gets a
/// plain one.
#[tokio::test]
async fn a_name_without_letters_or_digits_gets_a_plain_slug() {
    let app = spawn_app().await;
    let response = app
        .as_user(&app.admin)
        .post(
            "/api/v1/organisations",
            &json!({"name": "✿ ✿ ✿", "kind": "community-group"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    assert_eq!(
        response.headers()["location"],
        "/api/v1/organisations/organisation"
    );
}

#[tokio::test]
async fn names_are_unique_whatever_their_case() {
    let app = spawn_app().await;
    app.organisation("NHS Borders", "nhs").await;
    let response = app
        .as_user(&app.admin)
        .post(
            "/api/v1/organisations",
            &json!({"name": "nhs borders", "kind": "nhs", "slug": "nhs-borders-2"}),
        )
        .await;
    let body = assert_problem(response, 409, "conflict").await;
    assert!(body["detail"].as_str().unwrap().contains("name"), "{body}");
    let response = app
        .as_user(&app.admin)
        .post(
            "/api/v1/organisations",
            &json!({"name": "NHS Borders Board", "kind": "nhs", "slug": "nhs-borders"}),
        )
        .await;
    assert_problem(response, 409, "conflict").await;
    assert_eq!(app.count_rows("organisations WHERE kind = 'nhs'").await, 1);
}

#[tokio::test]
async fn organisations_are_listed_by_kind_page_by_page() {
    let app = spawn_app().await;
    for name in [
        "Langlee Residents Association",
        "Young Inspectors",
        "Burnfoot Community Futures",
    ] {
        app.organisation(name, "community-group").await;
    }
    app.organisation("Scottish Borders Council", "council")
        .await;

    let page: Value = app
        .get("/api/v1/organisations?kind=community-group&limit=2")
        .await
        .json()
        .await
        .unwrap();
    let slugs: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["slug"].as_str().unwrap())
        .collect();
    assert_eq!(
        slugs,
        [
            "burnfoot-community-futures",
            "langlee-residents-association"
        ]
    );
    let cursor = page["next_cursor"].as_str().unwrap();
    let page: Value = app
        .get(&format!(
            "/api/v1/organisations?kind=community-group&limit=2&cursor={cursor}"
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"][0]["slug"], "young-inspectors");
    assert_eq!(page["items"].as_array().unwrap().len(), 1);

    let response = app.get("/api/v1/organisations?kind=parish").await;
    let body = assert_problem(response, 400, "invalid-parameter").await;
    assert_eq!(body["parameter"], "kind");
}

#[tokio::test]
async fn unknown_organisations_are_404() {
    let app = spawn_app().await;
    // The last two cannot be slugs; PostgreSQL would refuse the NUL outright.
    for path in [
        "/api/v1/organisations/nobody",
        "/api/v1/organisations/Not%20A%20Slug",
        "/api/v1/organisations/a%00b",
    ] {
        assert_problem(app.get(path).await, 404, "not-found").await;
    }
}

#[tokio::test]
async fn only_administrators_add_or_change_organisations() {
    let app = spawn_app().await;
    let own = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&own).await;
    let body = json!({"name": "Kelso Community Garden", "kind": "community-group"});
    assert_problem(
        app.anonymous().post("/api/v1/organisations", &body).await,
        401,
        "unauthorized",
    )
    .await;
    assert_problem(
        app.as_user(&editor)
            .post("/api/v1/organisations", &body)
            .await,
        403,
        "forbidden",
    )
    .await;

    let renamed = json!({"name": "Ark Housing Association", "kind": "housing-association", "slug": "ark-housing"});
    let response = app
        .as_user(&editor)
        .put("/api/v1/organisations/ark-housing", &renamed, None)
        .await;
    assert_problem(response, 403, "forbidden").await;
    let response = app
        .as_user(&app.admin)
        .put("/api/v1/organisations/ark-housing", &renamed, None)
        .await;
    assert_eq!(response.status(), 200);
    let fetched: Value = app
        .get("/api/v1/organisations/ark-housing")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fetched["name"], "Ark Housing Association");
}
