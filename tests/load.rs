//! Load: 64 connections of mixed reads, searches and writes against the in-process service
//! for a bounded time (60 s; `CASEBOOK_LOAD_SECONDS` sets another). No answer may be a 5xx,
//! no connection may fail, and memory must level off rather than grow with the requests.

// Shared with the API tests, which use all of it.
#[allow(dead_code)]
#[path = "api/helpers.rs"]
mod helpers;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use helpers::{TestUser, sample_case_study, spawn_app_with};

const CONNECTIONS: usize = 64;
const EDITORS: usize = 4;
/// Case studies each connection creates before it only replaces them.
const OWNED: usize = 3;
const SEARCHES: [&str; 6] = [
    "q=homes",
    "q=homes&quadrant=co-design",
    "q=tenants+designed&sector=housing&limit=10",
    "q=%22support+on+site%22+-garden",
    "quadrant=co-delivery&journey_step=people-it&sort=title",
    "q=learning+or+housing&value=equality&country=Scotland",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Read,
    Search,
    Create,
    Replace,
}

/// What one connection saw: answers by kind and status, and each request's time.
#[derive(Default)]
struct Tally {
    statuses: BTreeMap<(Kind, u16), u64>,
    micros: BTreeMap<Kind, Vec<u32>>,
    connection_errors: Vec<String>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        for (key, count) in other.statuses {
            *self.statuses.entry(key).or_default() += count;
        }
        for (kind, mut micros) in other.micros {
            self.micros.entry(kind).or_default().append(&mut micros);
        }
        self.connection_errors.extend(other.connection_errors);
    }
}

/// A small xorshift generator: each connection's mix is varied and repeatable.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

struct Owned {
    path: String,
    version: u64,
}

struct Connection {
    address: String,
    client: reqwest::Client,
    editor: TestUser,
    lead: String,
    published: Vec<String>,
    owned: Vec<Owned>,
    rng: Rng,
    tally: Tally,
}

impl Connection {
    /// Half reads, a third searches, the rest writes.
    async fn one_request(&mut self) {
        let started = Instant::now();
        let roll = self.rng.below(100);
        let (kind, result) = if roll < 50 {
            let id = &self.published[self.rng.below(self.published.len())];
            let url = format!("{}/api/v1/case-studies/{id}", self.address);
            (Kind::Read, self.client.get(url).send().await)
        } else if roll < 85 {
            let query = SEARCHES[self.rng.below(SEARCHES.len())];
            let url = format!("{}/api/v1/case-studies?{query}", self.address);
            (Kind::Search, self.client.get(url).send().await)
        } else if self.owned.len() < OWNED {
            (Kind::Create, self.create().await)
        } else {
            (Kind::Replace, self.replace().await)
        };
        let micros = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
        match result {
            Ok(response) => {
                let status = response.status().as_u16();
                *self.tally.statuses.entry((kind, status)).or_default() += 1;
                self.tally.micros.entry(kind).or_default().push(micros);
                if kind == Kind::Create && status == 201 {
                    let created: Value = response.json().await.unwrap();
                    self.owned.push(Owned {
                        path: format!("/api/v1/case-studies/{}", created["id"].as_str().unwrap()),
                        version: 1,
                    });
                } else if let Err(error) = response.bytes().await {
                    self.tally
                        .connection_errors
                        .push(format!("{kind:?}: {error}"));
                }
            }
            Err(error) => self
                .tally
                .connection_errors
                .push(format!("{kind:?}: {error}")),
        }
    }

    async fn create(&mut self) -> reqwest::Result<reqwest::Response> {
        let mut document = sample_case_study(&self.lead);
        // A few titles shared by every connection: concurrent creates compete for slugs.
        document["title"] = json!(format!(
            "Homes designed together, round {}",
            self.rng.below(4)
        ));
        self.client
            .post(format!("{}/api/v1/case-studies", self.address))
            .bearer_auth(&self.editor.token)
            .json(&document)
            .send()
            .await
    }

    async fn replace(&mut self) -> reqwest::Result<reqwest::Response> {
        let index = self.rng.below(self.owned.len());
        let mut document = sample_case_study(&self.lead);
        document["summary"] = json!(format!("Revised {} times.", self.owned[index].version));
        let owned = &mut self.owned[index];
        let response = self
            .client
            .put(format!("{}{}", self.address, owned.path))
            .bearer_auth(&self.editor.token)
            .header("If-Match", format!("\"{}\"", owned.version))
            .json(&document)
            .send()
            .await?;
        if response.status() == 200 {
            owned.version += 1;
        }
        Ok(response)
    }
}

fn resident_kilobytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    f64::from(sorted[index]) / 1000.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mixed_load_gets_no_server_errors_and_memory_levels_off() {
    let seconds: u64 = std::env::var("CASEBOOK_LOAD_SECONDS")
        .ok()
        .map(|s| {
            s.parse()
                .expect("CASEBOOK_LOAD_SECONDS is a number of seconds")
        })
        .unwrap_or(60);
    assert!(seconds >= 6, "the memory check needs at least 6 seconds");
    let app = spawn_app_with(|config| {
        config.workers = 2;
        config.database.pool_size = 16;
        config.rate_limits.writes_per_user = 1_000_000;
    })
    .await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let mut editors = Vec::new();
    for _ in 0..EDITORS {
        editors.push(app.editor(&lead).await);
    }
    let mut published = Vec::new();
    for n in 0..30 {
        let mut document = sample_case_study(&lead);
        document["title"] = json!(format!("Homes for people with learning disabilities {n}"));
        let created = app.published_case_study(&editors[0], &document).await;
        published.push(created["id"].as_str().unwrap().to_owned());
    }

    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let sampler = tokio::spawn(async move {
        let mut samples = Vec::new();
        let mut ticks = tokio::time::interval(Duration::from_secs(1));
        while Instant::now() < deadline {
            ticks.tick().await;
            samples.push((started.elapsed().as_secs_f64(), resident_kilobytes()));
        }
        samples
    });
    let mut connections = Vec::new();
    for n in 0..CONNECTIONS {
        let mut connection = Connection {
            address: app.address.clone(),
            // One client each, holding one connection: 64 connections in all.
            client: reqwest::Client::builder()
                .pool_max_idle_per_host(1)
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
            editor: editors[n % EDITORS].clone(),
            lead: lead.clone(),
            published: published.clone(),
            owned: Vec::new(),
            rng: Rng(0x9E37_79B9_7F4A_7C15 ^ (n as u64 + 1)),
            tally: Tally::default(),
        };
        connections.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                connection.one_request().await;
            }
            connection.tally
        }));
    }
    let mut tally = Tally::default();
    for connection in connections {
        tally.merge(connection.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    let samples = sampler.await.unwrap();

    let total: u64 = tally.statuses.values().sum();
    println!(
        "{total} requests in {elapsed:.1} s: {:.0} req/s",
        total as f64 / elapsed
    );
    for ((kind, status), count) in &tally.statuses {
        println!("  {kind:?} {status}: {count}");
    }
    for (kind, micros) in &mut tally.micros {
        micros.sort_unstable();
        println!(
            "  {kind:?}: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            percentile(micros, 0.5),
            percentile(micros, 0.99),
            percentile(micros, 1.0)
        );
    }
    // Memory: after a warm-up of a sixth of the run, the peak of the last third may not
    // exceed the peak of the third before it by more than 20%. Growth that follows the
    // requests (a leak) shows; the allocator settling does not.
    let window = seconds as f64 / 3.0;
    let peak = |from: f64, to: f64| {
        samples
            .iter()
            .filter(|(at, _)| (from..to).contains(at))
            .map(|(_, kb)| *kb)
            .max()
            .unwrap()
    };
    let warm_up = seconds as f64 / 6.0;
    let early = peak(warm_up, warm_up + window);
    let late = peak(seconds as f64 - window, f64::MAX);
    let (first, last) = (samples[0].1, samples[samples.len() - 1].1);
    let overall = samples.iter().map(|(_, kb)| *kb).max().unwrap();
    println!(
        "  RSS: start {} MB, peak {} MB, end {} MB; early peak {} MB, late peak {} MB",
        first / 1024,
        overall / 1024,
        last / 1024,
        early / 1024,
        late / 1024
    );

    assert!(
        tally.connection_errors.is_empty(),
        "{} connection errors, e.g. {:?}",
        tally.connection_errors.len(),
        &tally.connection_errors[..tally.connection_errors.len().min(5)]
    );
    let server_errors: u64 = tally
        .statuses
        .iter()
        .filter(|((_, status), _)| *status >= 500)
        .map(|(_, count)| count)
        .sum();
    assert_eq!(server_errors, 0, "answers with a 5xx status");
    for kind in [Kind::Read, Kind::Search, Kind::Create, Kind::Replace] {
        assert!(tally.micros.contains_key(&kind), "no {kind:?} was made");
    }
    assert!(
        late as f64 <= early as f64 * 1.2,
        "memory grew: late peak {late} kB against early peak {early} kB"
    );
}
