use casebook::startup::prepare_database;

use crate::helpers::{fresh_database, spawn_app_on, test_config};

#[tokio::test]
async fn demo_data_loads_once_even_when_instances_start_together() {
    let database = fresh_database().await;
    let database_url = database.url.clone();
    let mut config = test_config(&database_url);
    config.demo_data = true;
    let (first, second) = tokio::join!(prepare_database(&config), prepare_database(&config));
    first.unwrap();
    second.unwrap();
    prepare_database(&config).await.unwrap();

    let app = spawn_app_on(database_url, |_| {}).await;
    assert_eq!(app.count_rows("case_studies").await, 14);
    assert_eq!(
        app.count_rows("case_studies WHERE status = 'published'")
            .await,
        14
    );
}

#[tokio::test]
async fn demo_case_studies_are_served_with_their_partners_and_figures() {
    let database = fresh_database().await;
    let database_url = database.url.clone();
    let mut config = test_config(&database_url);
    config.demo_data = true;
    prepare_database(&config).await.unwrap();
    let app = spawn_app_on(database_url, |_| {}).await;

    let response = app
        .get("/api/v1/case-studies/homes-for-people-with-learning-disabilities")
        .await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "published");
    let partners: Vec<&str> = body["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["organisation"]["slug"].as_str().unwrap())
        .collect();
    assert!(
        partners.contains(&"scottish-borders-housing-association"),
        "{partners:?}"
    );
    let figures: Vec<f64> = body["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["metric"]["value"].as_f64())
        .collect();
    assert!(figures.contains(&11.0), "{figures:?}");
}

#[tokio::test]
async fn demo_case_studies_state_their_costs_and_indicators() {
    let database = fresh_database().await;
    let database_url = database.url.clone();
    let mut config = test_config(&database_url);
    config.demo_data = true;
    prepare_database(&config).await.unwrap();
    let app = spawn_app_on(database_url, |_| {}).await;
    let read = async |slug: &str| -> serde_json::Value {
        let response = app.get(&format!("/api/v1/case-studies/{slug}")).await;
        assert_eq!(response.status(), 200, "{slug}");
        response.json().await.unwrap()
    };

    let hub = read("burnfoot-community-hub").await;
    assert_eq!(hub["total_cost_gbp"], 2_100_000);
    assert_eq!(hub["cost_band"], "over-1m");

    let park = read("philiphaugh-freedom-park").await;
    assert_eq!(park["total_cost_gbp"], 250_000);
    assert_eq!(park["cost_band"], "100k-1m");
    let lottery = park["partners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["organisation"]["slug"] == "big-lottery-fund")
        .expect("the lottery is a partner");
    assert_eq!(park["costs"][0]["funder"], lottery["organisation"]["id"]);

    let square = read("rutherford-square-refurbishment-project").await;
    assert_eq!(square["indicators"][0]["name"], "Homes occupied");
    assert_eq!(square["indicators"][0]["result"]["value"], 100);
    assert_eq!(square["cost_band"], "none");
}
