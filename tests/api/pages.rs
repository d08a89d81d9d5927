//! The pages for people, over HTTP as a browser without scripts uses them: cookies kept
//! between requests, forms posted, redirects followed by hand.

use std::collections::HashMap;

use casebook::domain::vocabulary::Role;
use serde_json::Value;

use crate::helpers::{PASSWORD, TestApp, TestUser, sample_case_study, spawn_app};

/// A browser's cookie jar and what it last read.
struct Browser<'a> {
    app: &'a TestApp,
    cookies: HashMap<String, String>,
}

struct Page {
    status: u16,
    location: Option<String>,
    set_cookies: Vec<String>,
    content_type: String,
    body: String,
}

impl<'a> Browser<'a> {
    fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            cookies: HashMap::new(),
        }
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let cookie: Vec<String> = self
            .cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        let response = request
            .header("Cookie", cookie.join("; "))
            .send()
            .await
            .unwrap();
        let set_cookies: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|value| value.to_str().unwrap().to_owned())
            .collect();
        for set in &set_cookies {
            let (pair, _) = set.split_once(';').unwrap_or((set, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|value| value.to_str().unwrap().to_owned())
        };
        Page {
            status: response.status().as_u16(),
            location: header("location"),
            content_type: header("content-type").unwrap_or_default(),
            set_cookies,
            body: response.text().await.unwrap(),
        }
    }

    async fn get(&mut self, path: &str) -> Page {
        let request = self.app.client.get(self.app.url(path));
        self.send(request).await
    }

    /// Posts a form as the page's own form would, with this browser's CSRF token.
    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self
            .cookies
            .get("casebook_csrf")
            .cloned()
            .unwrap_or_default();
        let mut all: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        let request = self
            .app
            .client
            .post(self.app.url(path))
            .header("Origin", &self.app.address)
            .form(&all);
        self.send(request).await
    }

    async fn post_owned(&mut self, path: &str, fields: &[(String, String)]) -> Page {
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.post(path, &fields).await
    }

    async fn sign_in(&mut self, user: &TestUser) {
        self.get("/sign-in").await;
        let signed = self
            .post(
                "/sign-in",
                &[("email", user.email.as_str()), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(signed.status, 303, "{}", signed.body);
        assert_eq!(signed.location.as_deref(), Some("/editor"));
    }
}

/// The value of `name="version"` in a page's form.
fn hidden_version(body: &str) -> String {
    let at = body
        .find("name=\"version\" value=\"")
        .expect("a version field")
        + 22;
    body[at..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_visitor_searches_narrows_and_reads() {
    let app = spawn_app().await;
    let editor = app.editor("casebook-stewards").await;
    let published = app
        .published_case_study(&editor, &sample_case_study("casebook-stewards"))
        .await;
    let slug = published["slug"].as_str().unwrap();
    let mut browser = Browser::new(&app);

    let home = browser.get("/").await;
    assert_eq!(home.status, 200);
    // Pages load only their own files, and keep their origin for their own forms.
    let headers = app.get("/").await;
    let csp = headers.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'self'") && csp.contains("form-action 'self'"));
    assert_eq!(headers.headers()["referrer-policy"], "same-origin");
    for asset in ["/assets/casebook.css", "/assets/casebook.js"] {
        assert_eq!(browser.get(asset).await.status, 200, "{asset}");
    }
    assert!(home.content_type.starts_with("text/html"));
    assert!(
        home.body
            .contains("Homes for people with learning disabilities")
    );
    assert!(
        home.body
            .contains("href=\"/case-studies?quadrant=co-design\"")
    );

    // Words are marked where they matched; every facet links to the search narrowed by it.
    let found = browser.get("/case-studies?q=tenants").await;
    assert_eq!(found.status, 200);
    assert!(
        found.body.contains("<mark>tenants</mark>"),
        "{}",
        found.body
    );
    assert!(found.body.contains("1 case study"));
    assert!(
        found
            .body
            .contains("href=\"/case-studies?q=tenants&#38;sector=housing\"")
    );
    let narrowed = browser
        .get("/case-studies?q=tenants&sector=housing&quadrant=co-design")
        .await;
    assert!(narrowed.body.contains("1 case study"));
    // Each filter in force can be taken away on its own.
    assert!(
        narrowed
            .body
            .contains("href=\"/case-studies?q=tenants&#38;quadrant=co-design\"")
    );
    let none = browser.get("/case-studies?q=tenants&sector=health").await;
    assert!(none.body.contains("0 case studies"));
    assert!(
        none.body
            .contains("/api/v1/case-studies/export?q=tenants&#38;sector=health&#38;format=csv")
    );

    let read = browser.get(&format!("/case-studies/{slug}")).await;
    assert_eq!(read.status, 200);
    for part in [
        "You asked",
        "We said",
        "We did",
        "What worked",
        "What could be improved",
    ] {
        assert!(read.body.contains(&format!("<h2>{part}</h2>")), "{part}");
    }
    assert!(read.body.contains("11 homes"));
    assert!(read.body.contains("<script type=\"application/ld+json\">"));
    assert!(read.body.contains("\"@context\""));

    // Mistakes are pages too, with the API's status and words.
    let missing = browser.get("/case-studies/no-such-case-study").await;
    assert_eq!(missing.status, 404);
    assert!(missing.content_type.starts_with("text/html"));
    let wrong = browser.get("/case-studies?year_from=3000").await;
    assert_eq!(wrong.status, 400);
    assert!(wrong.body.contains("year_from"), "{}", wrong.body);

    let star = browser.get("/star?rows=sector&cols=quadrant").await;
    assert_eq!(star.status, 200);
    assert!(
        star.body
            .contains("<caption>Case studies by quadrant</caption>")
    );
    let organisation = browser.get("/organisations/casebook-stewards").await;
    assert!(
        organisation
            .body
            .contains("Homes for people with learning disabilities")
    );
}

#[tokio::test]
async fn signing_in_and_out_uses_the_accounts_and_forms_need_their_token() {
    let app = spawn_app().await;
    let editor = app.editor("casebook-stewards").await;
    let mut browser = Browser::new(&app);
    browser.get("/sign-in").await;

    // A form from another site (no token, or another origin) changes nothing.
    let forged = app
        .client
        .post(app.url("/sign-in"))
        .form(&[("email", editor.email.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let elsewhere = browser
        .send(
            app.client
                .post(app.url("/sign-in"))
                .header("Origin", "https://elsewhere.example")
                .form(&[("csrf", browser.cookies["casebook_csrf"].as_str())]),
        )
        .await;
    assert_eq!(elsewhere.status, 403);

    let wrong = browser
        .post(
            "/sign-in",
            &[("email", editor.email.as_str()), ("password", "not it")],
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("There is a problem"));
    assert!(wrong.body.contains("href=\"#email\""));
    // What was typed is kept, except the password.
    assert!(wrong.body.contains(&format!("value=\"{}\"", editor.email)));

    let empty = browser.post("/sign-in", &[]).await;
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("href=\"#password\""));

    let signed = browser
        .post(
            "/sign-in",
            &[("email", editor.email.as_str()), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(signed.status, 303);
    let session = signed
        .set_cookies
        .iter()
        .find(|c| c.starts_with("casebook_session="))
        .expect("a session cookie");
    assert!(session.contains("HttpOnly"));
    assert!(session.contains("SameSite=Lax"));
    let dashboard = browser.get("/editor").await;
    assert_eq!(dashboard.status, 200, "{}", dashboard.body);
    assert!(dashboard.body.contains("Sign out"));

    // Signing out ends the sign-in itself: the old cookie, replayed, opens nothing.
    let stolen = browser.cookies["casebook_session"].clone();
    let out = browser.post("/sign-out", &[]).await;
    assert_eq!(out.status, 303);
    assert!(!browser.cookies.contains_key("casebook_session"));
    browser
        .cookies
        .insert("casebook_session".to_owned(), stolen);
    let after = browser.get("/editor").await;
    assert_eq!(after.status, 303);
    assert_eq!(after.location.as_deref(), Some("/sign-in"));

    // A cookie that is no session of ours reads as nobody signed in, and is cleared.
    browser
        .cookies
        .insert("casebook_session".to_owned(), "not-a-token".to_owned());
    let home = browser.get("/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("href=\"/sign-in\""));
    assert!(!browser.cookies.contains_key("casebook_session"));
}

#[tokio::test]
async fn a_reviewer_returns_then_publishes_a_case_study_an_editor_submitted() {
    let app = spawn_app().await;
    let editor = app.editor("casebook-stewards").await;
    let reviewer = app.user("casebook-stewards", Role::Reviewer).await;
    let outsider_organisation = app.organisation("Another Council", "council").await;
    let outsider = app.editor(&outsider_organisation).await;
    let mut document = sample_case_study("casebook-stewards");
    document["title"] = Value::from("Tenants design the Ladhope flats");
    let draft = app.case_study(&editor, &document).await;
    let (id, slug) = (
        draft["id"].as_str().unwrap(),
        draft["slug"].as_str().unwrap(),
    );

    // Another partner's editor cannot even see the draft, let alone submit it.
    let mut other = Browser::new(&app);
    other.sign_in(&outsider).await;
    assert_eq!(
        other.get(&format!("/case-studies/{slug}")).await.status,
        404
    );
    let refused = other
        .post(&format!("/editor/{id}/submit"), &[("version", "1")])
        .await;
    assert_eq!(refused.status, 404);

    let mut writer = Browser::new(&app);
    writer.sign_in(&editor).await;
    let dashboard = writer.get("/editor").await;
    assert!(dashboard.body.contains("Tenants design the Ladhope flats"));
    let own = writer.get(&format!("/case-studies/{slug}")).await;
    assert!(own.body.contains("Submit for review"));
    let submitted = writer
        .post(
            &format!("/editor/{id}/submit"),
            &[("version", &hidden_version(&own.body))],
        )
        .await;
    assert_eq!(submitted.status, 303, "{}", submitted.body);

    let mut reviewing = Browser::new(&app);
    reviewing.sign_in(&reviewer).await;
    let queue = reviewing.get("/review").await;
    assert!(queue.body.contains(&format!("/review/{id}")));
    let case = reviewing.get(&format!("/review/{id}")).await;
    let version = hidden_version(&case.body);
    // Returning needs a comment: the page says so beside the field, keeping the choice.
    let no_comment = reviewing
        .post(
            &format!("/review/{id}"),
            &[("version", &version), ("decision", "return")],
        )
        .await;
    assert_eq!(no_comment.status, 422);
    assert!(no_comment.body.contains("href=\"#comment\""));
    assert!(no_comment.body.contains("value=\"return\" checked"));
    let returned = reviewing
        .post(
            &format!("/review/{id}"),
            &[
                ("version", &version),
                ("decision", "return"),
                ("comment", "Please name the tenants' group as a partner."),
            ],
        )
        .await;
    assert_eq!(returned.status, 303, "{}", returned.body);

    let dashboard = writer.get("/editor").await;
    assert!(dashboard.body.contains("Returned with a comment"));
    assert!(
        dashboard
            .body
            .contains("Please name the tenants&#39; group as a partner.")
    );
    let own = writer.get(&format!("/case-studies/{slug}")).await;
    let resubmitted = writer
        .post(
            &format!("/editor/{id}/submit"),
            &[("version", &hidden_version(&own.body))],
        )
        .await;
    assert_eq!(resubmitted.status, 303);

    let case = reviewing.get(&format!("/review/{id}")).await;
    // A decision on a version the reviewer was not shown is refused, not applied.
    let stale = reviewing
        .post(
            &format!("/review/{id}"),
            &[("version", "1"), ("decision", "publish")],
        )
        .await;
    assert_eq!(stale.status, 422);
    assert!(stale.body.contains("Someone changed this case study"));
    let published = reviewing
        .post(
            &format!("/review/{id}"),
            &[
                ("version", &hidden_version(&case.body)),
                ("decision", "publish"),
            ],
        )
        .await;
    assert_eq!(published.status, 303);

    let found = Browser::new(&app).get("/case-studies?q=Ladhope").await;
    assert!(found.body.contains("1 case study"), "{}", found.body);
}

#[tokio::test]
async fn an_editor_writes_a_case_study_in_one_form_fixing_what_it_points_to() {
    let app = spawn_app().await;
    let community = app
        .organisation("Ladhope Tenants Group", "community-group")
        .await;
    let editor = app.editor("casebook-stewards").await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&editor).await;
    let blank = browser.get("/editor/new").await;
    assert_eq!(blank.status, 200);
    // The editor's own organisation is the first partner, chosen by name.
    assert!(blank.body.contains("value=\"Casebook Stewards\""));
    assert!(
        blank
            .body
            .contains("<option value=\"Ladhope Tenants Group\">")
    );

    let mut fields: Vec<(String, String)> = [
        ("title", "Tenants choose the Ladhope kitchens"),
        (
            "summary",
            "Tenants and the housing team chose kitchens together.",
        ),
        ("we_did", "Three open evenings with samples."),
        ("sector", "housing"),
        ("scale", "community"),
        ("country", "Scotland"),
        ("start_year", "twenty nineteen"),
        ("partners[0].organisation", "Casebook Stewards"),
        ("partners[0].role", "lead"),
        ("action", "add-partners"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    // Adding a row saves nothing and keeps what was typed.
    let more = browser.post_owned("/editor/new", &fields).await;
    assert_eq!(more.status, 200);
    assert!(more.body.contains("name=\"partners[1].organisation\""));
    assert!(
        more.body
            .contains("value=\"Tenants choose the Ladhope kitchens\"")
    );
    assert_eq!(app.count_rows("case_studies").await, 0);

    fields.retain(|(k, _)| k != "action");
    fields.extend(
        [
            ("partners[1].organisation", "Ladhope Tenants Grop"),
            ("partners[1].role", "community"),
            ("outcomes[0].category", "independent-living"),
            (
                "outcomes[0].description",
                "Every tenant chose their own kitchen.",
            ),
            ("outcomes[0].metric.value", "48"),
            ("outcomes[0].metric.unit", "homes"),
            ("assessment.partners-involved.answer", "yes"),
            ("assessment.partners-involved.note", ""),
            // The practice template's lists are rows like any other; row 0 left empty.
            ("costs[0].kind", ""),
            ("costs[0].amount", ""),
            ("costs[1].kind", "money"),
            ("costs[1].amount", "£12,500"),
            ("costs[1].unit", "GBP"),
            ("costs[1].funder", "Ladhope Tenants Group"),
            ("indicators[0].name", "Kitchens chosen by their tenants"),
            ("indicators[0].unit", "homes"),
            ("indicators[0].result.value", "48"),
            ("indicators[0].source", "Housing team records"),
            ("action", "save"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    let mistakes = browser.post_owned("/editor/new", &fields).await;
    assert_eq!(mistakes.status, 422);
    // Every mistake is listed, each linking to its field, and nothing is written.
    for field in [
        "start_year",
        "quadrants",
        "partners-1--organisation",
        "assessment-partners-involved-note",
        // The API's first indicator is the form's first row; its result lacks a year.
        "indicators-0--result-year",
    ] {
        assert!(
            mistakes.body.contains(&format!("href=\"#{field}\"")),
            "{field}: {}",
            mistakes.body
        );
    }
    assert!(
        mistakes
            .body
            .contains("No organisation is called “Ladhope Tenants Grop”")
    );
    assert!(mistakes.body.contains("value=\"twenty nineteen\""));
    assert!(
        mistakes
            .body
            .contains("Every tenant chose their own kitchen.")
    );
    assert_eq!(app.count_rows("case_studies").await, 0);

    for (key, value) in fields.iter_mut() {
        match key.as_str() {
            "start_year" => *value = "2019".into(),
            "partners[1].organisation" => *value = "ladhope tenants group".into(),
            "assessment.partners-involved.note" => {
                *value = "Tenants ran two of the evenings.".into()
            }
            _ => {}
        }
    }
    fields.push(("indicators[0].result.year".into(), "2020".into()));
    fields.push(("quadrants".into(), "co-design".into()));
    fields.push(("quadrants".into(), "co-delivery".into()));
    let saved = browser.post_owned("/editor/new", &fields).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let location = saved.location.unwrap();
    let read = browser.get(&location).await;
    assert!(read.body.contains("This is the version being worked on"));
    assert!(
        read.body
            .contains(&format!("href=\"/organisations/{community}\""))
    );
    assert!(read.body.contains("48 homes"));
    assert!(read.body.contains("Tenants ran two of the evenings."));
    assert!(read.body.contains("Submit for review"));
    let slug = location.rsplit('/').next().unwrap();
    let api = app
        .as_user(&editor)
        .get(&format!("/api/v1/case-studies/{slug}"))
        .await
        .json::<Value>()
        .await
        .unwrap();
    // The empty row is no cost; the other is, paid by the partner named.
    assert_eq!(api["costs"].as_array().unwrap().len(), 1, "{api}");
    assert_eq!(api["costs"][0]["amount"], 12500);
    assert_eq!(api["indicators"][0]["result"]["year"], 2020);
}

#[tokio::test]
async fn an_editor_who_saves_a_stale_form_sees_the_other_change_and_keeps_their_text() {
    let app = spawn_app().await;
    let editor = app.editor("casebook-stewards").await;
    let colleague = app.editor("casebook-stewards").await;
    let mut document = sample_case_study("casebook-stewards");
    document["quotes"] = serde_json::json!([
        {"text": "We chose the colours of our own front doors.", "speaker": "Tenant", "consent": true}
    ]);
    let draft = app.case_study(&editor, &document).await;
    let id = draft["id"].as_str().unwrap();

    let mut browser = Browser::new(&app);
    browser.sign_in(&editor).await;
    let form = browser.get(&format!("/editor/{id}/edit")).await;
    assert_eq!(form.status, 200);
    assert!(
        form.body
            .contains("value=\"Homes for people with learning disabilities\"")
    );
    // Every part of the document is in the form, the practice template's lists too.
    assert!(
        form.body
            .contains("We chose the colours of our own front doors.")
    );
    let version = hidden_version(&form.body);

    // A colleague saves first, through the API.
    let mut theirs = document.clone();
    theirs["summary"] = Value::from("A colleague's better summary.");
    let changed = app
        .as_user(&colleague)
        .put(
            &format!("/api/v1/case-studies/{id}"),
            &theirs,
            Some("\"1\""),
        )
        .await;
    assert_eq!(changed.status(), 200);

    let mine = [
        ("version", version.as_str()),
        ("title", "Eleven homes designed with their tenants"),
        ("summary", "My summary."),
        ("sector", "housing"),
        ("scale", "group"),
        ("country", "Scotland"),
        ("quadrants", "co-design"),
        ("partners[0].organisation", "Casebook Stewards"),
        ("partners[0].role", "lead"),
        (
            "quotes[0].text",
            "We chose the colours of our own front doors.",
        ),
        ("quotes[0].speaker", "Tenant"),
        ("quotes[0].consent", "true"),
        ("action", "save"),
    ];
    let stale = browser.post(&format!("/editor/{id}/edit"), &mine).await;
    assert_eq!(stale.status, 409);
    assert!(stale.body.contains("Someone else saved this case study"));
    assert!(stale.body.contains("A colleague&#39;s better summary."));
    assert!(
        stale
            .body
            .contains("value=\"Eleven homes designed with their tenants\"")
    );
    assert_eq!(hidden_version(&stale.body), "2");
    let api = app
        .as_user(&editor)
        .get(&format!("/api/v1/case-studies/{id}"))
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(api["summary"], "A colleague's better summary.");

    // Saving again, having seen theirs, replaces it.
    let mut again = mine;
    again[0] = ("version", "2");
    let saved = browser.post(&format!("/editor/{id}/edit"), &again).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let api = app
        .as_user(&editor)
        .get(&format!("/api/v1/case-studies/{id}"))
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(api["title"], "Eleven homes designed with their tenants");
    assert_eq!(
        api["quotes"][0]["text"],
        "We chose the colours of our own front doors."
    );
}
