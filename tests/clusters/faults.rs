//! The database stops under a steady stream of requests and comes back: the service answers
//! promptly throughout, says 503 (with Retry-After) while it cannot serve, recovers by
//! itself, and loses nothing it acknowledged.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use casebook::startup::prepare_database;
use serde_json::{Value, json};

use crate::helpers::{NARRATIVE_AND_TAGS, TestApp, sample_case_study, spawn_app_on, test_config};
use crate::support::{Cluster, within};

/// No answer may take longer: the pool wait and connect timeout (500 ms each) and the
/// statement timeout (1 s) bound every request well below it.
const LATENCY_BUDGET: Duration = Duration::from_secs(5);
/// How soon after the database is back a create must succeed again.
const RECOVERY_BUDGET: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Create,
    Read,
    Search,
    Health,
}

struct Outcome {
    kind: Kind,
    started: Instant,
    finished: Instant,
    /// The answer, or what went wrong below HTTP.
    answer: Result<Answer, String>,
}

#[derive(Debug)]
struct Answer {
    status: u16,
    problem: bool,
    retry_after: bool,
}

/// The clients: an editor creating and reading back, the public searching, and a load
/// balancer asking for `/health`.
#[derive(Clone)]
struct Traffic {
    app: Arc<TestApp>,
    editor: String,
    lead: String,
    running: Arc<AtomicBool>,
    log: Arc<Mutex<Vec<Outcome>>>,
    /// Acknowledged creates: the id and the document sent.
    created: Arc<Mutex<Vec<(String, Value)>>>,
}

impl Traffic {
    /// Sends, records the outcome, and returns the body of a successful answer.
    async fn send(&self, kind: Kind, request: reqwest::RequestBuilder) -> Option<Value> {
        let started = Instant::now();
        let answer = match request.send().await {
            Err(error) => Err(error.to_string()),
            Ok(response) => {
                let headers = response.headers();
                let answer = Answer {
                    status: response.status().as_u16(),
                    problem: headers.get("content-type").and_then(|v| v.to_str().ok())
                        == Some("application/problem+json"),
                    retry_after: headers.contains_key("retry-after"),
                };
                match response.json::<Value>().await {
                    Ok(body) => Ok((answer, body)),
                    Err(error) => Err(format!("reading the body: {error}")),
                }
            }
        };
        let body = match &answer {
            Ok((answer, body)) if answer.status < 300 => Some(body.clone()),
            _ => None,
        };
        self.log.lock().unwrap().push(Outcome {
            kind,
            started,
            finished: Instant::now(),
            answer: answer.map(|(answer, _)| answer),
        });
        body
    }

    fn get(&self, path: &str, signed_in: bool) -> reqwest::RequestBuilder {
        let request = self.app.client.get(self.app.url(path));
        if signed_in {
            request.bearer_auth(&self.editor)
        } else {
            request
        }
    }

    async fn creates(self, worker: usize) {
        for n in 1.. {
            if !self.running.load(Ordering::Relaxed) {
                break;
            }
            let mut document = sample_case_study(&self.lead);
            document["title"] = json!(format!("Outage probe {worker}.{n}"));
            let request = self
                .app
                .client
                .post(self.app.url("/api/v1/case-studies"))
                .bearer_auth(&self.editor)
                .json(&document);
            if let Some(created) = self.send(Kind::Create, request).await {
                let id = created["id"].as_str().unwrap().to_owned();
                self.created.lock().unwrap().push((id, document));
            }
            pause().await;
        }
    }

    async fn reads(self) {
        while self.running.load(Ordering::Relaxed) {
            let latest = self
                .created
                .lock()
                .unwrap()
                .last()
                .map(|(id, _)| id.clone());
            if let Some(id) = latest {
                let request = self.get(&format!("/api/v1/case-studies/{id}"), true);
                self.send(Kind::Read, request).await;
            }
            let search = self.get("/api/v1/case-studies?limit=5", false);
            self.send(Kind::Search, search).await;
            let drafts = self.get("/api/v1/case-studies?status=draft&limit=5", true);
            self.send(Kind::Search, drafts).await;
            pause().await;
        }
    }

    async fn health(self) {
        while self.running.load(Ordering::Relaxed) {
            self.send(Kind::Health, self.get("/health", false)).await;
            pause().await;
        }
    }
}

/// A steady stream, not a flood: the machine may have two cores.
async fn pause() {
    tokio::time::sleep(Duration::from_millis(25)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_rides_out_a_database_restart() {
    let cluster = Cluster::primary().await;
    let url = cluster.url("casebook");
    prepare_database(&test_config(&url))
        .await
        .expect("migrating the new cluster");
    let app = spawn_app_on(url, |config| {
        config.database.acquire_timeout = Duration::from_millis(500);
        config.database.statement_timeout = Duration::from_secs(1);
        config.search_refresh = Duration::from_millis(100);
        config.rate_limits.writes_per_user = 1_000_000;
    })
    .await;
    let lead = app
        .organisation("Outage Housing", "housing-association")
        .await;
    let editor = app.editor(&lead).await;
    let traffic = Traffic {
        app: Arc::new(app),
        editor: editor.token,
        lead,
        running: Arc::new(AtomicBool::new(true)),
        log: Arc::default(),
        created: Arc::default(),
    };
    let clients = vec![
        tokio::spawn(traffic.clone().creates(1)),
        tokio::spawn(traffic.clone().creates(2)),
        tokio::spawn(traffic.clone().reads()),
        tokio::spawn(traffic.clone().health()),
    ];

    tokio::time::sleep(Duration::from_secs(2)).await;
    let stopping = Instant::now();
    cluster.stop().await;
    let stopped = Instant::now();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let starting = Instant::now();
    cluster.start().await;
    let restarted = Instant::now();
    let recovered = first_create_since(&traffic, restarted).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    traffic.running.store(false, Ordering::Relaxed);
    for client in clients {
        client.await.unwrap();
    }

    let log = std::mem::take(&mut *traffic.log.lock().unwrap());
    report(
        &log,
        Outage {
            stopping,
            stopped,
            starting,
            restarted,
            recovered,
        },
    );
    for outcome in &log {
        let took = outcome.finished - outcome.started;
        assert!(
            took <= LATENCY_BUDGET,
            "{:?} took {took:?}: {:?}",
            outcome.kind,
            outcome.answer
        );
        match &outcome.answer {
            Ok(answer) if answer.status < 300 => {}
            Ok(answer) => assert!(
                answer.status == 503 && answer.problem && answer.retry_after,
                "{:?} failed with {answer:?}, not a 503 problem with Retry-After",
                outcome.kind
            ),
            Err(error) => panic!("{:?} failed below HTTP: {error}", outcome.kind),
        }
    }
    let health_while_down: Vec<u16> = log
        .iter()
        .filter(|o| o.kind == Kind::Health && o.started >= stopped && o.finished <= starting)
        .filter_map(|o| o.answer.as_ref().ok().map(|a| a.status))
        .collect();
    assert!(
        !health_while_down.is_empty(),
        "/health was asked while down"
    );
    assert!(
        health_while_down.iter().all(|status| *status == 503),
        "/health while the database was down: {health_while_down:?}"
    );

    let created = traffic.created.lock().unwrap().clone();
    // More stored than acknowledged are writes answered 503 after they committed, which
    // only a connection lost during the commit itself should cause.
    let stored = traffic.app.count_rows("case_studies").await;
    eprintln!(
        "  case studies acknowledged: {}, stored: {stored}",
        created.len()
    );
    assert_nothing_acknowledged_was_lost(&traffic.app, &traffic.editor, &created).await;
    assert_search_catches_up(&traffic).await;
}

/// When the first create that started after `since` succeeded.
async fn first_create_since(traffic: &Traffic, since: Instant) -> Instant {
    let first = || {
        traffic
            .log
            .lock()
            .unwrap()
            .iter()
            .filter(|o| o.kind == Kind::Create && o.started >= since)
            .filter(|o| o.answer.as_ref().is_ok_and(|a| a.status == 201))
            .map(|o| o.finished)
            .min()
    };
    within(RECOVERY_BUDGET, "a create succeeding again", async || {
        first().is_some()
    })
    .await;
    first().unwrap()
}

/// Every acknowledged create reads back as it was sent.
async fn assert_nothing_acknowledged_was_lost(
    app: &TestApp,
    editor: &str,
    created: &[(String, Value)],
) {
    assert!(!created.is_empty());
    for (id, sent) in created {
        let response = app
            .client
            .get(app.url(&format!("/api/v1/case-studies/{id}")))
            .bearer_auth(editor)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "acknowledged case study {id}");
        let stored: Value = response.json().await.unwrap();
        for field in NARRATIVE_AND_TAGS {
            assert_eq!(stored[field], sent[field], "{field} of {id}");
        }
    }
}

/// The search index, which follows the change log, has every case study in the database.
async fn assert_search_catches_up(traffic: &Traffic) {
    let stored = u64::try_from(traffic.app.count_rows("case_studies").await).unwrap();
    // A bound on "catches up", not a speed target: generous, since a loaded machine may
    // take a few refresh rounds to reconnect after the restart.
    within(
        Duration::from_secs(30),
        "search finding every draft",
        async || {
            let found = traffic
                .get("/api/v1/case-studies?status=draft&limit=1", true)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()["total"]
                .as_u64();
            found == Some(stored)
        },
    )
    .await;
}

/// When the database went away and came back, and when creates succeeded again.
struct Outage {
    stopping: Instant,
    stopped: Instant,
    starting: Instant,
    restarted: Instant,
    recovered: Instant,
}

/// The figures, for people reading the test's output.
fn report(log: &[Outcome], outage: Outage) {
    let mut outcomes: BTreeMap<(Kind, String), usize> = BTreeMap::new();
    for outcome in log {
        let answer = match &outcome.answer {
            Ok(answer) => answer.status.to_string(),
            Err(_) => "no answer".to_owned(),
        };
        *outcomes.entry((outcome.kind, answer)).or_default() += 1;
    }
    let slowest = |during_outage: bool| {
        log.iter()
            .filter(|o| {
                !during_outage || (o.started >= outage.stopping && o.started <= outage.restarted)
            })
            .map(|o| o.finished - o.started)
            .max()
            .unwrap_or_default()
    };
    eprintln!("database restart under load: {} requests", log.len());
    for ((kind, answer), count) in outcomes {
        eprintln!("  {kind:?} {answer}: {count}");
    }
    eprintln!(
        "  slowest answer: {:?} overall, {:?} while the database was away",
        slowest(false),
        slowest(true)
    );
    eprintln!(
        "  pg_ctl stop took {:?}, start {:?}",
        outage.stopped - outage.stopping,
        outage.restarted - outage.starting
    );
    eprintln!(
        "  first create succeeded {:?} after the database was back",
        outage.recovered - outage.restarted
    );
}
