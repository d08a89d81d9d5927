//! The search's relevance on the project's judged questions: the demo case studies among a
//! thousand synthetic ones (made by `bench/corpus.py`, so this test needs `python3`), by
//! words (BM25F), by meaning, and both; hybrid must do no worse than words alone, and words
//! alone no worse than the ranking they replaced.

use casebook::relevance::{QuestionSet, evaluate};
use casebook::search::SearchIndex;
use casebook::search::evaluate::SearchMode;
use casebook::startup::{load_meaning, prepare_database};

use crate::helpers::{embedding_model, fresh_database, test_config};
use crate::import::import_synthetic;

/// nDCG@10 of the ranking as it stood before BM25F (all-words tier, then rarity times a
/// boost for where each word stands), measured on this set: the floor.
const EARLIER_NDCG10: f64 = 0.72;

#[tokio::test]
async fn the_ranking_holds_its_relevance_on_the_judged_questions() {
    let database = fresh_database().await;
    let mut config = test_config(&database.url);
    config.demo_data = true;
    prepare_database(&config).await.unwrap();

    import_synthetic(&database.url, 1000, 200, 11);

    let questions = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/relevance/questions.json"
    );
    let set: QuestionSet =
        serde_json::from_str(&std::fs::read_to_string(questions).unwrap()).unwrap();
    assert!(set.questions.len() >= 60);
    config.embedding_model = Some(embedding_model().await);
    let pool = casebook::db::pool(&config.database).unwrap();
    let meaning = load_meaning(&config).unwrap();
    meaning.as_ref().unwrap().catch_up(&pool).await.unwrap();
    let mut conn = pool.get().await.unwrap();
    let search = SearchIndex::new(0, meaning, None).unwrap();
    search.load(&mut conn).await.unwrap();
    let mut overall = std::collections::HashMap::new();
    for mode in [
        SearchMode::Lexical,
        SearchMode::Semantic,
        SearchMode::Hybrid,
    ] {
        let report = evaluate(&search, &set, mode).await.unwrap();
        println!("mode: {mode:?}\n{}", report.table());
        overall.insert(mode, report.overall().ndcg10);
    }
    let (lexical, hybrid) = (overall[&SearchMode::Lexical], overall[&SearchMode::Hybrid]);
    assert!(
        lexical >= EARLIER_NDCG10,
        "lexical nDCG@10 {lexical:.3} fell below the earlier ranking's {EARLIER_NDCG10:.3}"
    );
    assert!(
        hybrid >= lexical,
        "hybrid nDCG@10 {hybrid:.3} fell below lexical {lexical:.3}"
    );
}
