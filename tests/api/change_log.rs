//! The change log: writers append without waiting for each other, so entries commit out of
//! number order, yet every reader (the search index, the change feed, mirrors) takes them
//! in without ever passing one that commits late.

use std::time::{Duration, Instant};

use casebook::db::changes;
use casebook::domain::vocabulary::{ChangeKind, ChangedEntity};
use diesel_async::{AsyncConnection, SimpleAsyncConnection};
use uuid::Uuid;

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_reader_never_passes_an_entry_that_commits_after_a_later_one() {
    let app = spawn_app().await;
    let mut reader = app.pool.get().await.unwrap();
    let start = changes::since(&mut reader, 0, 1000, false)
        .await
        .unwrap()
        .through;
    let (first, second) = (Uuid::new_v4(), Uuid::new_v4());

    // The first entry is appended, and its transaction stays open.
    let mut slow = app.pool.get().await.unwrap();
    slow.batch_execute("BEGIN").await.unwrap();
    changes::record(
        &mut slow,
        ChangedEntity::CaseStudy,
        first,
        ChangeKind::Changed,
        true,
    )
    .await
    .unwrap();
    // The second is appended after it and committed at once.
    let pool = app.pool.clone();
    let fast = tokio::spawn(async move {
        let mut conn = pool.get().await.unwrap();
        conn.transaction(async |conn| {
            changes::record(
                conn,
                ChangedEntity::CaseStudy,
                second,
                ChangeKind::Changed,
                true,
            )
            .await
        })
        .await
        .unwrap();
    });
    let started = Instant::now();
    while !fast.is_finished() && started.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(fast.is_finished(), "the second writer waited for the first");

    // The second entry is visible, the first not yet: a reader must not take in the second.
    let read = changes::since(&mut reader, start, 1000, false)
        .await
        .unwrap();
    assert!(read.changes.is_empty(), "{read:?}");
    assert_eq!(read.through, start);

    slow.batch_execute("COMMIT").await.unwrap();
    let read = changes::since(&mut reader, start, 1000, false)
        .await
        .unwrap();
    let ids: Vec<Uuid> = read.changes.iter().map(|c| c.entity_id).collect();
    assert_eq!(ids, [first, second]);
}

/// A number taken by a transaction that rolled back never holds a reader up for long.
#[tokio::test]
async fn a_rolled_back_entry_is_passed_over() {
    let app = spawn_app().await;
    let mut reader = app.pool.get().await.unwrap();
    let start = changes::since(&mut reader, 0, 1000, false)
        .await
        .unwrap()
        .through;
    let (gone, kept) = (Uuid::new_v4(), Uuid::new_v4());
    let mut conn = app.pool.get().await.unwrap();
    conn.batch_execute("BEGIN").await.unwrap();
    changes::record(
        &mut conn,
        ChangedEntity::CaseStudy,
        gone,
        ChangeKind::Changed,
        true,
    )
    .await
    .unwrap();
    conn.batch_execute("ROLLBACK").await.unwrap();
    conn.transaction(async |conn| {
        changes::record(
            conn,
            ChangedEntity::CaseStudy,
            kept,
            ChangeKind::Changed,
            true,
        )
        .await
    })
    .await
    .unwrap();
    let read = changes::since(&mut reader, start, 1000, false)
        .await
        .unwrap();
    let ids: Vec<Uuid> = read.changes.iter().map(|c| c.entity_id).collect();
    assert_eq!(ids, [kept]);
    assert_eq!(read.through, read.changes[0].seq);
}
