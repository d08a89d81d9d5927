//! Hostile input: malformed, mistyped, oversized, nested, injected and traversing requests.
//! Each is refused with a problem document and writes nothing; text that is merely unusual
//! (SQL or markup in a title) is stored and returned exactly as sent.
//!
//! Requests go over a raw socket, so the corpus can hold what an HTTP library would tidy
//! away: unnormalised `..` segments and bytes that are not UTF-8.

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{TestApp, sample_case_study, spawn_app};

const SQL_DROP: &str = "'; DROP TABLE case_studies; --";
const SQL_OR: &str = "' OR 1=1 --";
const SCRIPT: &str = "<script>alert(1)</script>";
const TRAVERSAL: &str = "../../etc/passwd";

/// Every table a write could touch; a refused request leaves each as it was.
const TABLES: [&str; 9] = [
    "case_studies",
    "case_study_partners",
    "case_study_outcomes",
    "case_study_revisions",
    "audit_events",
    "organisations",
    "users",
    "search_documents",
    "change_log",
];

struct Response {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

impl Response {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// One HTTP/1.1 request, written byte for byte; the connection closes after the answer.
async fn send(
    app: &TestApp,
    method: &str,
    target: &[u8],
    token: Option<&str>,
    extra_headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Response {
    let address = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let mut request = Vec::new();
    request.extend_from_slice(method.as_bytes());
    request.push(b' ');
    request.extend_from_slice(target);
    request.extend_from_slice(b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    if let Some(token) = token {
        request.extend_from_slice(format!("Authorization: Bearer {token}\r\n").as_bytes());
    }
    for (name, value) in extra_headers {
        request.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    if let Some(body) = body {
        request.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
    }
    request.extend_from_slice(b"\r\n");
    request.extend_from_slice(body.unwrap_or_default());
    // A body far over the limit may be cut off by the server before it is all sent; the
    // answer is still there to read.
    let _ = stream.write_all(&request).await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    parse_response(&answer)
}

fn parse_response(answer: &[u8]) -> Response {
    let end = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {:?}", String::from_utf8_lossy(answer)));
    let head = String::from_utf8_lossy(&answer[..end]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let mut content_type = String::new();
    for line in lines {
        let (name, value) = line.split_once(':').unwrap();
        match name.to_ascii_lowercase().as_str() {
            "content-type" => content_type = value.trim().to_owned(),
            "transfer-encoding" => panic!("unexpected chunked response"),
            _ => {}
        }
    }
    Response {
        status,
        content_type,
        body: answer[end + 4..].to_vec(),
    }
}

/// What a refused request must answer.
#[derive(Debug, Clone, Copy)]
struct Refusal {
    status: u16,
    /// The problem type; none for requests too broken for HTTP, which the server's
    /// protocol layer refuses before any handler sees them.
    problem: Option<&'static str>,
    /// The field (in `errors`) or query parameter (`parameter`) named, if any.
    names: Option<&'static str>,
}

const fn refused(status: u16, problem: &'static str, names: Option<&'static str>) -> Refusal {
    Refusal {
        status,
        problem: Some(problem),
        names,
    }
}

const UNPARSEABLE: Refusal = Refusal {
    status: 400,
    problem: None,
    names: None,
};

const MALFORMED: Refusal = refused(400, "malformed-body", None);
const NOT_FOUND: Refusal = refused(404, "not-found", None);
const fn invalid(field: &'static str) -> Refusal {
    refused(422, "validation-failed", Some(field))
}
const fn bad_parameter(parameter: &'static str) -> Refusal {
    refused(400, "invalid-parameter", Some(parameter))
}

struct Case {
    name: String,
    method: &'static str,
    target: Vec<u8>,
    token: Option<String>,
    if_match: Option<&'static str>,
    body: Option<Vec<u8>>,
    expect: Refusal,
}

impl Case {
    fn get(name: impl Into<String>, target: impl Into<Vec<u8>>, expect: Refusal) -> Self {
        Self {
            name: name.into(),
            method: "GET",
            target: target.into(),
            token: None,
            if_match: None,
            body: None,
            expect,
        }
    }

    fn write(
        name: impl Into<String>,
        method: &'static str,
        target: &str,
        token: &str,
        body: impl Into<Vec<u8>>,
        expect: Refusal,
    ) -> Self {
        Self {
            name: name.into(),
            method,
            target: target.as_bytes().to_vec(),
            token: Some(token.to_owned()),
            if_match: (method == "PUT").then_some("\"1\""),
            body: Some(body.into()),
            expect,
        }
    }

    /// Sends the request; a description of what is wrong with the answer, if anything.
    async fn check(&self, app: &TestApp) -> Result<(), String> {
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(tag) = self.if_match {
            headers.push(("If-Match", tag));
        }
        let response = send(
            app,
            self.method,
            &self.target,
            self.token.as_deref(),
            &headers,
            self.body.as_deref(),
        )
        .await;
        let body = response.json();
        let described = match self.expect.problem {
            Some(problem) => {
                response.content_type == "application/problem+json"
                    && body["type"] == format!("/problems/{problem}")
            }
            None => response.body.is_empty(),
        };
        let named = self.expect.names.is_none_or(|named| {
            let errors = body["errors"].as_array().map(Vec::as_slice);
            let in_errors = errors
                .unwrap_or_default()
                .iter()
                .any(|e| e["field"] == named);
            in_errors || body["parameter"] == named
        });
        if response.status == self.expect.status && described && named {
            Ok(())
        } else {
            Err(format!(
                "{}: expected {:?}, got {} {} {}",
                self.name,
                self.expect,
                response.status,
                response.content_type,
                String::from_utf8_lossy(&response.body)
            ))
        }
    }
}

/// What is in the database, table by table.
async fn row_counts(app: &TestApp) -> Vec<(&'static str, i64)> {
    let mut counts = Vec::new();
    for table in TABLES {
        counts.push((table, app.count_rows(table).await));
    }
    counts
}

/// A JSON document with `path` (`a.b[0].c` form) set to `value`.
fn with(document: &Value, path: &str, value: Value) -> Vec<u8> {
    let mut document = document.clone();
    let mut slot = &mut document;
    for part in path.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((key, index)) => (
                key,
                Some(index.trim_end_matches(']').parse::<usize>().unwrap()),
            ),
            None => (part, None),
        };
        slot = &mut slot[key];
        if let Some(index) = index {
            slot = &mut slot[index];
        }
    }
    *slot = value;
    serde_json::to_vec(&document).unwrap()
}

/// Documents that are not JSON, or not a document, whatever the endpoint.
fn malformed_bodies(
    document: &Value,
    duplicated: &'static str,
) -> Vec<(&'static str, Vec<u8>, Refusal)> {
    let valid = serde_json::to_vec(document).unwrap();
    let mut invalid_utf8 = valid.clone();
    // Inside the first string value: bytes that are no UTF-8 at all.
    let first_quote = valid.iter().position(|b| *b == b':').unwrap() + 3;
    invalid_utf8.splice(first_quote..first_quote, [0xff, 0xfe, 0xc3]);
    // Broken documents start with a key the endpoint knows, so the syntax is what is refused.
    let literal = |text: &str| text.replace("KEY", duplicated).into_bytes();
    let mut duplicate_key = literal("{\"KEY\": \"first\", ");
    duplicate_key.extend_from_slice(&valid[1..]);
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_field = with(
        document,
        duplicated,
        serde_json::from_str(&format!("{}1{}", "[".repeat(100), "]".repeat(100))).unwrap(),
    );
    let over_body_limit = with(document, duplicated, json!("x".repeat(2 * 1024 * 1024)));
    vec![
        ("empty body", Vec::new(), MALFORMED),
        ("cut short", valid[..valid.len() / 2].to_vec(), MALFORMED),
        ("trailing comma", literal("{\"KEY\": \"a\",}"), MALFORMED),
        (
            "trailing garbage",
            [valid.as_slice(), b" }"].concat(),
            MALFORMED,
        ),
        ("single quotes", literal("{'KEY': 'a'}"), MALFORMED),
        ("invalid UTF-8 in a string", invalid_utf8, MALFORMED),
        (
            "lone surrogate escape",
            literal("{\"KEY\": \"\\ud800\"}"),
            MALFORMED,
        ),
        (
            "NUL byte outside strings",
            literal("{\"KEY\"\0: \"a\"}"),
            MALFORMED,
        ),
        ("null document", b"null".to_vec(), invalid("body")),
        ("array document", b"[]".to_vec(), invalid("body")),
        ("string document", b"\"title\"".to_vec(), invalid("body")),
        ("number document", b"1e309".to_vec(), MALFORMED),
        ("duplicate key", duplicate_key, invalid(duplicated)),
        ("deeply nested array", deep.into_bytes(), invalid("body")),
        ("deeply nested field", deep_field, invalid("body")),
        (
            "over the body limit",
            over_body_limit,
            refused(413, "payload-too-large", None),
        ),
    ]
}

/// Values of the wrong type, and text no field may hold.
fn field_values(max: usize) -> Vec<(String, Value)> {
    vec![
        ("a number".into(), json!(42)),
        ("an object".into(), json!({"$ne": null})),
        ("an array".into(), json!([SQL_OR])),
        ("a NUL".into(), json!("before\0after")),
        ("a control character".into(), json!("bell\u{7}")),
        (
            format!("{} characters", max + 1),
            json!("é".repeat(max + 1)),
        ),
    ]
}

/// A write endpoint, its document, and who may write there.
struct Endpoint<'a> {
    method: &'static str,
    target: &'a str,
    token: &'a str,
    document: Value,
    /// A key of the document that holds text.
    text_key: &'static str,
}

impl Endpoint<'_> {
    fn case(&self, what: &str, body: Vec<u8>, expect: Refusal) -> Case {
        Case::write(
            format!("{} {}: {what}", self.method, self.target),
            self.method,
            self.target,
            self.token,
            body,
            expect,
        )
    }

    /// Malformed documents, texts of the wrong type or too long for each field, and
    /// values each refused in its own field.
    fn cases(
        &self,
        limits: &[(&'static str, usize)],
        refused: &[(&'static str, Value)],
    ) -> Vec<Case> {
        let mut cases: Vec<Case> = malformed_bodies(&self.document, self.text_key)
            .into_iter()
            .map(|(what, body, expect)| self.case(what, body, expect))
            .collect();
        for &(field, max) in limits {
            for (what, value) in field_values(max) {
                let body = with(&self.document, field, value);
                cases.push(self.case(&format!("{field} is {what}"), body, invalid(field)));
            }
        }
        for (field, value) in refused {
            let body = with(&self.document, field, value.clone());
            cases.push(self.case(&format!("{field} is {value}"), body, invalid(field)));
        }
        cases
    }
}

fn case_study_cases(endpoint: &Endpoint) -> Vec<Case> {
    let limits = [
        ("title", 200),
        ("summary", 2_000),
        ("you_asked", 20_000),
        ("we_said", 20_000),
        ("we_did", 20_000),
        ("what_worked", 20_000),
        ("could_improve", 20_000),
        ("locality", 200),
        ("message", 2_000),
        ("outcomes[0].description", 2_000),
    ];
    let mut refused = Vec::new();
    for field in ["start_year", "end_year"] {
        for value in [
            json!(-1),
            json!(99_999),
            json!(2015.5),
            json!("2015"),
            json!(9_223_372_036_854_775_808u64),
        ] {
            refused.push((field, value));
        }
    }
    for value in [json!(-1e16), json!(1e300), json!("11"), json!(null)] {
        refused.push(("outcomes[0].metric.value", value));
    }
    refused.extend([
        ("slug", json!(TRAVERSAL)),
        ("slug", json!("%2e%2e%2f")),
        ("slug", json!(SQL_DROP)),
        ("title", json!("two\nlines")),
        ("quadrants[0]", json!(SQL_OR)),
        ("journey_steps[0]", json!(SCRIPT)),
        ("values[0]", json!(SQL_DROP)),
        ("sector", json!(SCRIPT)),
        ("scale", json!(SQL_OR)),
        ("country", json!(TRAVERSAL)),
        ("owner", json!(TRAVERSAL)),
        ("partners[0].organisation", json!(SQL_DROP)),
        ("partners[0].organisation", json!(TRAVERSAL)),
        ("partners[0].role", json!(SCRIPT)),
        ("outcomes[0].category", json!(SQL_OR)),
        ("outcomes[0].metric.unit", json!(SCRIPT)),
    ]);
    let mut cases = endpoint.cases(&limits, &refused);
    // JSON numbers too large for any float: `json!` cannot write them.
    let huge_metric = String::from_utf8(with(
        &endpoint.document,
        "outcomes[0].metric.value",
        json!(1),
    ))
    .unwrap()
    .replace("\"value\":1", "\"value\":1e309");
    cases.push(endpoint.case("metric value 1e309", huge_metric.into_bytes(), MALFORMED));
    cases
}

fn organisation_cases(endpoint: &Endpoint) -> Vec<Case> {
    endpoint.cases(
        &[("name", 200), ("website", 300), ("description", 2_000)],
        &[
            ("slug", json!(TRAVERSAL)),
            ("slug", json!("%2e%2e%2f")),
            ("slug", json!(SQL_DROP)),
            ("kind", json!(SCRIPT)),
            ("website", json!("javascript:alert(1)")),
        ],
    )
}

fn user_cases(endpoint: &Endpoint) -> Vec<Case> {
    endpoint.cases(
        &[],
        &[
            ("email", json!(SQL_DROP)),
            ("email", json!("a@b\0.org")),
            ("email", json!(format!("{}@example.org", "a".repeat(300)))),
            ("email", json!(42)),
            ("password", json!("short")),
            ("password", json!("p".repeat(1_025))),
            ("organisation", json!(TRAVERSAL)),
            ("organisation", json!(SQL_OR)),
            ("role", json!("admin' --")),
        ],
    )
}

fn query_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let listing = "/api/v1/case-studies?";
    let encoded =
        |value: &str| form_urlencoded::byte_serialize(value.as_bytes()).collect::<String>();
    for parameter in [
        "quadrant",
        "sector",
        "scale",
        "outcome",
        "value",
        "journey_step",
        "country",
        "partner_role",
        "flag",
        "sort",
    ] {
        for value in [SQL_DROP, SQL_OR, SCRIPT, TRAVERSAL] {
            cases.push(Case::get(
                format!("{parameter}={value}"),
                format!("{listing}{parameter}={}", encoded(value)),
                bad_parameter(parameter),
            ));
        }
    }
    for (parameter, values) in [
        (
            "limit",
            &[
                "-1",
                "0",
                "101",
                "1e309",
                "99999999999999999999",
                "NaN",
                "'%20OR%201=1%20--",
                "%00",
                "%FF",
            ][..],
        ),
        ("year_from", &["-1", "99999", "1e309", "x", "%00"][..]),
        ("min_completeness", &["-1", "101", "256", "1e309"][..]),
        (
            "cursor",
            &[
                "'%20OR%201=1%20--",
                "..%2F..%2Fetc%2Fpasswd",
                "%FF%FE",
                "%3Cscript%3E",
                "AAAA",
                "%00",
            ][..],
        ),
        ("q", &["%00", "a%00b"][..]),
        ("status", &["%3Cscript%3E"][..]),
    ] {
        for value in values {
            cases.push(Case::get(
                format!("{parameter}={value}"),
                format!("{listing}{parameter}={value}"),
                bad_parameter(parameter),
            ));
        }
    }
    let long = "x".repeat(1_001);
    for (name, query, parameter) in [
        (
            "cursor of 1001 characters",
            format!("cursor={long}"),
            "cursor",
        ),
        (
            "cursor of 10000 characters",
            format!("cursor={}", "A".repeat(10_000)),
            "cursor",
        ),
        ("q of 501 characters", format!("q={}", "x".repeat(501)), "q"),
        (
            "partner of 1001 characters",
            format!("partner={long}"),
            "partner",
        ),
        ("q given twice", "q=a&q=b".to_owned(), "q"),
        (
            "NUL in a parameter name",
            "li%00mit=1".to_owned(),
            "li\0mit",
        ),
    ] {
        cases.push(Case::get(
            name,
            format!("{listing}{query}"),
            bad_parameter(parameter),
        ));
    }
    // Raw bytes that are not UTF-8, unencoded in the request line.
    for (parameter, bytes) in [("limit", [0xff, 0xfe]), ("quadrant", [0xc3, 0x28])] {
        let raw = [format!("{listing}{parameter}=").as_bytes(), &bytes].concat();
        let name = format!("raw non-UTF-8 bytes in {parameter}");
        cases.push(Case::get(name, raw, UNPARSEABLE));
    }
    cases
}

fn path_cases(editor_token: &str, admin_token: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    for resource in ["case-studies", "organisations", "users"] {
        for key in [
            "../../etc/passwd",
            "..%2F..%2Fetc%2Fpasswd",
            "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "%2e%2e",
            "'%20OR%201=1%20--",
            "%27%3B%20DROP%20TABLE%20case_studies%3B%20--",
            "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "a%00b",
            "%FF%FE",
            "00000000-0000-0000-0000-00000000000g",
        ] {
            let mut case = Case::get(
                format!("GET /{resource}/{key}"),
                format!("/api/v1/{resource}/{key}"),
                NOT_FOUND,
            );
            case.token = Some(admin_token.to_owned());
            cases.push(case);
        }
    }
    let mut raw = b"/api/v1/case-studies/".to_vec();
    raw.extend_from_slice(&[0xff, 0xfe]);
    cases.push(Case::get("raw non-UTF-8 bytes in an id", raw, UNPARSEABLE));
    let document = serde_json::to_vec(&sample_case_study("x")).unwrap();
    for key in ["../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "a%00b", "%FF"] {
        cases.push(Case::write(
            format!("PUT /case-studies/{key}"),
            "PUT",
            &format!("/api/v1/case-studies/{key}"),
            editor_token,
            document.clone(),
            NOT_FOUND,
        ));
    }
    cases
}

#[tokio::test]
async fn hostile_requests_are_refused_and_write_nothing() {
    let app = spawn_app().await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&lead).await;
    let document = sample_case_study(&lead);
    let existing = app.case_study(&editor, &document).await;
    let existing_path = format!("/api/v1/case-studies/{}", existing["id"].as_str().unwrap());
    let organisation_path = format!("/api/v1/organisations/{lead}");

    let organisation = json!({"name": "Langlee Residents", "kind": "community-group", "website": "https://langlee.example", "description": "Residents."});
    let account = json!({"email": "someone@example.org", "password": "a long enough passphrase", "organisation": lead, "role": "editor"});
    let endpoint = |method, target, token, document: &Value, text_key| Endpoint {
        method,
        target,
        token,
        document: document.clone(),
        text_key,
    };
    let mut cases = case_study_cases(&endpoint(
        "POST",
        "/api/v1/case-studies",
        &editor.token,
        &document,
        "title",
    ));
    cases.extend(case_study_cases(&endpoint(
        "PUT",
        &existing_path,
        &editor.token,
        &document,
        "title",
    )));
    let admin = &app.admin.token;
    cases.extend(organisation_cases(&endpoint(
        "POST",
        "/api/v1/organisations",
        admin,
        &organisation,
        "name",
    )));
    cases.extend(organisation_cases(&endpoint(
        "PUT",
        &organisation_path,
        admin,
        &organisation,
        "name",
    )));
    cases.extend(user_cases(&endpoint(
        "POST",
        "/api/v1/users",
        admin,
        &account,
        "email",
    )));
    cases.extend(query_cases());
    cases.extend(path_cases(&editor.token, &app.admin.token));

    let before = row_counts(&app).await;
    let organisation_before = app.get(&organisation_path).await.text().await.unwrap();
    let mut wrong = Vec::new();
    for case in &cases {
        if let Err(message) = case.check(&app).await {
            wrong.push(message);
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(row_counts(&app).await, before, "nothing written");
    let unchanged: Value = app
        .as_user(&editor)
        .get(&existing_path)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(unchanged, existing, "the case study is as it was");
    let organisation_after = app.get(&organisation_path).await.text().await.unwrap();
    assert_eq!(
        organisation_after, organisation_before,
        "the organisation is as it was"
    );
    println!("{} hostile requests refused", cases.len());
}

/// SQL and markup in prose are text like any other: stored, returned and searched exactly
/// as written, and escaped where the service itself writes markup (the highlights).
#[tokio::test]
async fn unusual_text_is_stored_and_returned_as_sent() {
    let app = spawn_app().await;
    let partner = app.organisation(SQL_DROP, "community-group").await;
    let organisation: Value = app
        .get(&format!("/api/v1/organisations/{partner}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(organisation["name"], SQL_DROP);

    let lead = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&lead).await;
    let mut document = sample_case_study(&lead);
    let texts = [
        ("title", format!("{SCRIPT} {SQL_OR}")),
        (
            "summary",
            format!("{SQL_DROP}\n{SCRIPT} \"quoted\" \\ back\\slash"),
        ),
        ("you_asked", format!("{SQL_OR} &amp; &lt; ünïcödé 🙂")),
        ("we_said", format!("{SCRIPT}{SCRIPT}")),
        (
            "we_did",
            format!("%2e%2e%2f {TRAVERSAL} $$; SELECT pg_sleep(10); $$"),
        ),
        (
            "what_worked",
            "\\x00 \\u0000 %00 (escaped, not NUL)".to_owned(),
        ),
        (
            "could_improve",
            format!("<img src=x onerror=alert(1)> {SQL_DROP}"),
        ),
        ("locality", format!("{SQL_OR}, <b>Kelso</b>")),
    ];
    for (field, text) in &texts {
        document[field] = json!(text);
    }
    document["outcomes"][0]["description"] = json!(SCRIPT);
    document["partners"] = json!([
        {"organisation": lead, "role": "lead"},
        {"organisation": partner, "role": "community"}
    ]);
    let created = app.published_case_study(&editor, &document).await;
    let fetched: Value = app
        .get(&format!(
            "/api/v1/case-studies/{}",
            created["id"].as_str().unwrap()
        ))
        .await
        .json()
        .await
        .unwrap();
    for (field, text) in &texts {
        assert_eq!(fetched[field], json!(text), "{field}");
    }
    assert_eq!(fetched["outcomes"][0]["description"], SCRIPT);
    assert_eq!(fetched["partners"][1]["organisation"]["name"], SQL_DROP);

    let search = async |q: &str| {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("q", q)
            .finish();
        app.get(&format!("/api/v1/case-studies?{query}")).await
    };
    let results: Value = search("alert").await.json().await.unwrap();
    let highlight = &results["items"][0]["highlight"];
    assert_eq!(
        highlight["title"], "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt; &#39; OR 1=1 --",
        "{results}"
    );
    assert!(!highlight.to_string().contains("<script"), "{highlight}");
    for q in [SQL_DROP, SQL_OR] {
        let results: Value = search(q).await.json().await.unwrap();
        assert_eq!(results["items"][0]["id"], created["id"], "{q}: {results}");
    }
    // PostgreSQL's parser reads tags and paths as tokens of their own, not words, so these
    // need not find anything; they are still only text.
    for q in [SCRIPT, TRAVERSAL] {
        assert_eq!(search(q).await.status(), 200, "{q}");
    }
    assert_eq!(app.count_rows("case_studies").await, 1);

    // The service takes any address with one `@` and a dotted domain: markup included.
    let email = format!("{SCRIPT}@example.org");
    let response = app
        .as_user(&app.admin)
        .post(
            "/api/v1/users",
            &json!({"email": email, "password": "a long enough passphrase", "organisation": lead, "role": "editor"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["email"], email);
}
