//! Search by meaning, end to end: the real model in the service, a case study found by
//! what it means soon after it is written, and the mode each answer says it ran in.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{
    assert_problem, embedding_model, fresh_database, sample_case_study, spawn_app, spawn_app_on,
    spawn_app_with,
};
use crate::import::import_synthetic;

async fn slugs(app: &crate::helpers::TestApp, query: &str) -> (Vec<String>, Value) {
    let body: Value = app
        .get(&format!("/api/v1/case-studies?{query}"))
        .await
        .json()
        .await
        .unwrap();
    let slugs = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["slug"].as_str().unwrap().to_owned())
        .collect();
    (slugs, body)
}

#[tokio::test]
async fn a_new_case_study_is_found_by_meaning_within_seconds_of_its_commit() {
    let model = embedding_model().await;
    let app = spawn_app_with(|config| config.embedding_model = Some(model)).await;
    let org = app.organisation("Borders Befrienders", "voluntary").await;
    let editor = app.editor(&org).await;
    let mut document = sample_case_study(&org);
    document["title"] = json!("Befriending older residents who live alone");
    document["summary"] = json!(
        "Volunteers and isolated older people in Hawick designed a weekly visiting scheme together, so nobody spends the week without company."
    );
    let published = app.published_case_study(&editor, &document).await;
    let committed = Instant::now();
    let slug = published["slug"].as_str().unwrap().to_owned();

    // "Lonely pensioners" shares no word with the case study; its meaning is close.
    let question = "q=lonely+pensioners&mode=semantic";
    loop {
        let (found, body) = slugs(&app, question).await;
        if found.contains(&slug) {
            assert_eq!(body["mode"], "semantic");
            break;
        }
        assert!(
            committed.elapsed() < Duration::from_secs(5),
            "not found by meaning within 5 s: {body}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!(
        "found by meaning {:?} after the commit",
        committed.elapsed()
    );

    let (found, body) = slugs(&app, "q=lonely+pensioners&mode=lexical").await;
    assert!(!found.contains(&slug), "no shared word: {body}");
    assert_eq!(body["mode"], "lexical");
    let (found, body) = slugs(&app, "q=lonely+pensioners").await;
    assert!(found.contains(&slug), "hybrid by default: {body}");
    assert_eq!(body["mode"], "hybrid");
    let health: Value = app.get("/health").await.json().await.unwrap();
    assert_eq!(health["mode"], "hybrid");
    assert_eq!(health["embedded"], health["case_studies"]);

    // Related case studies: one about the same thing, in other words, is related by meaning.
    let mut kindred = sample_case_study(&org);
    kindred["title"] = json!("Company for elderly people on their own in Kelso");
    kindred["summary"] = json!(
        "Pensioners who felt lonely and a local charity set up home visits and phone calls, so older people living by themselves have someone to talk to each week."
    );
    let kindred = app.published_case_study(&editor, &kindred).await;
    let path = format!("/api/v1/case-studies/{slug}/related");
    let started = Instant::now();
    loop {
        let related: Value = app.get(&path).await.json().await.unwrap();
        let reason = related["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["case_study"]["id"] == kindred["id"])
            .and_then(|r| r["reason"].as_str().map(str::to_owned));
        if let Some(reason) = reason.filter(|r| r.contains("close in meaning")) {
            println!("related: {reason}");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "{related}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A collection loaded before the model was there is embedded in the background, which
/// takes a while; a case study written meanwhile does not wait behind it.
#[tokio::test]
async fn a_new_case_study_is_embedded_before_a_backlog_of_older_ones() {
    let database = fresh_database().await;
    import_synthetic(&database.url, 300, 200, 5);
    let model = embedding_model().await;
    let app = spawn_app_on(database.url.clone(), |config| {
        config.embedding_model = Some(model)
    })
    .await;
    let org = app.organisation("Teviot Befrienders", "voluntary").await;
    let editor = app.editor(&org).await;
    let mut document = sample_case_study(&org);
    document["title"] = json!("Befriending older residents who live alone");
    document["summary"] = json!(
        "Volunteers and isolated older people in Hawick designed a weekly visiting scheme together, so nobody spends the week without company."
    );
    let slug = app.published_case_study(&editor, &document).await["slug"]
        .as_str()
        .unwrap()
        .to_owned();

    let mut backlog_done = false;
    loop {
        let (found, _) = slugs(&app, "q=lonely+pensioners&mode=semantic").await;
        let health: Value = app.get("/health").await.json().await.unwrap();
        let (embedded, all) = (health["embedded"].as_u64(), health["case_studies"].as_u64());
        if found.contains(&slug) {
            println!("found by meaning with {embedded:?} of {all:?} embedded");
            assert!(
                embedded < all,
                "found only once the backlog was done: {health}"
            );
            break;
        }
        assert!(!backlog_done, "not found by meaning at all: {health}");
        backlog_done = embedded == all;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn without_a_model_the_service_searches_by_words_and_says_so() {
    let app = spawn_app().await;
    let (_, body) = slugs(&app, "q=garden").await;
    assert_eq!(body["mode"], "lexical");
    let response = app.get("/api/v1/case-studies?q=garden&mode=semantic").await;
    let problem = assert_problem(response, 400, "invalid-parameter").await;
    assert_eq!(problem["parameter"], "mode");
    let health: Value = app.get("/health").await.json().await.unwrap();
    assert_eq!(
        (health["mode"].as_str(), health["embedded"].as_u64()),
        (Some("lexical"), Some(0))
    );
}

/// The model computes what it computes elsewhere: a published pair's similarity.
#[tokio::test]
async fn the_model_gives_its_published_similarities() {
    use casebook::embedding::{Embedder, cosine};

    let embedder = Embedder::load(std::path::Path::new(&embedding_model().await)).unwrap();
    let vectors = embedder
        .embed(&[
            "A man is eating food.",
            "A man is eating a piece of bread.",
            "lonely pensioners",
            "Befriending older residents who live alone. Volunteers and isolated older people in Hawick designed a weekly visiting scheme together, so nobody spends the week without company.",
        ])
        .unwrap();
    let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!((norm(&vectors[0]) - 1.0).abs() < 1e-4);
    let eating = cosine(&vectors[0], &vectors[1]);
    assert!((eating - 0.755).abs() < 0.01, "{eating}");
    // Questions that arrive together are embedded together, padded to the longest: each
    // must get the vector it gets alone.
    for (text, together) in ["lonely pensioners", "A man is eating food."]
        .iter()
        .zip([&vectors[2], &vectors[0]])
    {
        let alone = embedder.embed(&[text]).unwrap();
        assert!(cosine(&alone[0], together) > 0.9999, "{text}");
    }
    println!(
        "lonely pensioners ~ befriending: {}",
        cosine(&vectors[2], &vectors[3])
    );
}
