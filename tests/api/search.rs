//! Search: filters, exact multi-select facets, relevance, typos, highlights, pages, export.

use std::collections::{BTreeMap, HashSet};

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, fresh_database, spawn_app, spawn_app_on};

/// Publishes a case study as the administrator and returns its id.
pub async fn publish(app: &TestApp, document: Value) -> String {
    let admin = app.as_user(&app.admin);
    let response = admin.post("/api/v1/case-studies", &document).await;
    let status = response.status();
    let created: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{created}");
    let path = format!("/api/v1/case-studies/{}", created["id"].as_str().unwrap());
    assert_eq!(
        admin
            .post_if_match(&format!("{path}/submit"), None, "\"1\"")
            .await
            .status(),
        200
    );
    assert_eq!(
        admin
            .post_if_match(&format!("{path}/publish"), None, "\"2\"")
            .await
            .status(),
        200
    );
    created["id"].as_str().unwrap().to_owned()
}

#[allow(clippy::too_many_arguments)]
pub fn story(
    title: &str,
    quadrants: &[&str],
    sector: &str,
    scale: &str,
    country: &str,
    locality: &str,
    years: (Option<i32>, Option<i32>),
    partners: Value,
    outcomes: Value,
) -> Value {
    json!({
        "title": title,
        "summary": format!("{title}: a summary of the work."),
        "we_did": "Partners met every month and agreed the next steps together.",
        "quadrants": quadrants, "scale": scale, "sector": sector, "country": country,
        "locality": locality, "start_year": years.0, "end_year": years.1,
        "partners": partners, "outcomes": outcomes,
        "owner": partners[0]["organisation"],
        "journey_steps": ["people-it"], "values": ["equality"]
    })
}

pub struct Fixture {
    pub ids: BTreeMap<&'static str, String>,
    pub council: String,
}

/// Five published case studies whose facet counts are worked out by hand in the tests, and
/// one draft that must never show to the public.
pub async fn fixture(app: &TestApp) -> Fixture {
    let council = app
        .organisation("Scottish Borders Council", "council")
        .await;
    let residents = app
        .organisation("Langlee Residents Association", "community-group")
        .await;
    let youth = app
        .organisation("Community Youth Voice", "community-group")
        .await;
    let housing = app
        .organisation("Eildon Housing Association", "housing-association")
        .await;
    let tenants = app
        .organisation("Rutherford Square Tenants", "community-group")
        .await;
    let inspectorate = app.organisation("Care Inspectorate", "government").await;
    let nhs = app.organisation("NHS Cardiff", "nhs").await;
    let outcome = |category: &str, metric: Value| json!([{"category": category, "description": "It changed.", "metric": metric}]);
    let mut ids = BTreeMap::new();
    ids.insert(
        "A",
        publish(app, story(
            "Volunteers run the Langlee community garden", &["co-delivery"], "parks-and-environment", "community",
            "Scotland", "Langlee, Galashiels, Scottish Borders", (Some(2014), Some(2016)),
            json!([{"organisation": council, "role": "lead"}, {"organisation": residents, "role": "community"}]),
            outcome("community-ownership", json!({"value": 250000, "unit": "GBP"})),
        ))
        .await,
    );
    ids.insert(
        "B",
        publish(app, story(
            "Young people shape youth services in Langlee", &["co-design", "co-delivery"], "youth-work", "group",
            "Scotland", "Langlee, Galashiels", (Some(2015), None),
            json!([{"organisation": council, "role": "lead"}, {"organisation": youth, "role": "community"}]),
            outcome("voice-and-influence", Value::Null),
        ))
        .await,
    );
    ids.insert(
        "C",
        publish(app, story(
            "Tenants design their homes in Kelso", &["co-design"], "housing", "group", "Scotland",
            "Kelso, Scottish Borders", (Some(2013), Some(2015)),
            json!([{"organisation": housing, "role": "lead"}, {"organisation": tenants, "role": "community"}]),
            outcome("independent-living", json!({"value": 11, "unit": "homes"})),
        ))
        .await,
    );
    ids.insert(
        "D",
        publish(
            app,
            story(
                "Young inspectors assess care services",
                &["co-assessment"],
                "social-care",
                "group",
                "England",
                "Leeds, West Yorkshire",
                (None, None),
                json!([{"organisation": inspectorate, "role": "lead"}]),
                outcome("service-redesign", Value::Null),
            ),
        )
        .await,
    );
    ids.insert(
        "E",
        publish(app, story(
            "Citizens commission mental health services", &["co-commissioning", "co-design"], "health", "community",
            "Wales", "Cardiff", (Some(2018), Some(2019)),
            json!([{"organisation": nhs, "role": "lead"}, {"organisation": council, "role": "partner"}]),
            outcome("service-redesign", Value::Null),
        ))
        .await,
    );
    // A draft about Langlee volunteering: never in public results.
    let draft = story(
        "Draft notes on Langlee volunteering",
        &["co-delivery"],
        "parks-and-environment",
        "community",
        "Scotland",
        "Langlee, Galashiels",
        (Some(2016), None),
        json!([{"organisation": council, "role": "lead"}]),
        json!([]),
    );
    let response = app
        .as_user(&app.admin)
        .post("/api/v1/case-studies", &draft)
        .await;
    assert_eq!(response.status(), 201);
    Fixture { ids, council }
}

pub async fn search(app: &TestApp, query: &str) -> Value {
    let response = app.get(&format!("/api/v1/case-studies?{query}")).await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{query}: {body}");
    body
}

/// The fixture letters of the results, in order.
fn letters(fixture: &Fixture, results: &Value) -> Vec<&'static str> {
    results["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let id = item["id"].as_str().unwrap();
            *fixture
                .ids
                .iter()
                .find(|(_, v)| v.as_str() == id)
                .map(|(k, _)| k)
                .unwrap_or(&"?")
        })
        .collect()
}

fn counts(results: &Value, facet: &str) -> BTreeMap<String, u64> {
    results["facets"][facet]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["count"].as_u64().unwrap() > 0)
        .map(|f| {
            (
                f["value"].as_str().unwrap().to_owned(),
                f["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn expect(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

#[tokio::test]
async fn facets_count_every_other_filter_but_their_own() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;

    let all = search(&app, "").await;
    assert_eq!(all["total"], 5, "drafts are not public");
    assert_eq!(
        counts(&all, "quadrant"),
        expect(&[
            ("co-commissioning", 1),
            ("co-design", 3),
            ("co-delivery", 2),
            ("co-assessment", 1)
        ])
    );
    assert_eq!(
        counts(&all, "country"),
        expect(&[("Scotland", 3), ("England", 1), ("Wales", 1)])
    );
    assert_eq!(
        counts(&all, "year"),
        expect(&[("2013", 1), ("2014", 1), ("2015", 1), ("2018", 1)])
    );
    assert_eq!(all["facets"]["partner"][0]["value"], json!(fixture.council));
    assert_eq!(all["facets"]["partner"][0]["count"], 3);
    assert_eq!(
        all["facets"]["quadrant"].as_array().unwrap().len(),
        4,
        "every value, even at zero"
    );

    let design = search(&app, "quadrant=co-design").await;
    assert_eq!(design["total"], 3);
    assert_eq!(
        counts(&design, "quadrant"),
        counts(&all, "quadrant"),
        "its own filter is not applied"
    );
    assert_eq!(
        counts(&design, "sector"),
        expect(&[("youth-work", 1), ("housing", 1), ("health", 1)])
    );
    assert_eq!(
        counts(&design, "country"),
        expect(&[("Scotland", 2), ("Wales", 1)])
    );

    let both = search(&app, "quadrant=co-design&country=Scotland").await;
    assert_eq!(letters(&fixture, &both).len(), 2);
    assert_eq!(
        counts(&both, "quadrant"),
        expect(&[("co-design", 2), ("co-delivery", 2)])
    );
    assert_eq!(
        counts(&both, "country"),
        expect(&[("Scotland", 2), ("Wales", 1)])
    );
    assert_eq!(
        counts(&both, "sector"),
        expect(&[("youth-work", 1), ("housing", 1)])
    );

    let either = search(&app, "quadrant=co-assessment&quadrant=co-commissioning").await;
    assert_eq!(either["total"], 2, "repeated values mean any of them");
}

#[tokio::test]
async fn facets_of_words_most_case_studies_hold_count_exactly_what_matched() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    // "services" is in three of the five public case studies; "Langlee" in two and the
    // draft. Either matches most of the collection, so its facets are worked out from what
    // it leaves out; a filter that leaves nothing out has them counted match by match.
    for words in ["services", "langlee"] {
        let common = search(&app, &format!("q={words}")).await;
        let one_by_one = search(&app, &format!("q={words}&min_completeness=0")).await;
        assert_eq!(common["total"], one_by_one["total"], "{words}");
        assert_eq!(common["facets"], one_by_one["facets"], "{words}");
    }
    let langlee = search(&app, "q=langlee").await;
    assert_eq!(
        letters(&fixture, &langlee).len(),
        2,
        "the draft is not public"
    );
    assert_eq!(
        counts(&langlee, "quadrant"),
        expect(&[("co-design", 1), ("co-delivery", 2)])
    );
    assert_eq!(counts(&langlee, "country"), expect(&[("Scotland", 2)]));
    assert_eq!(
        langlee["facets"]["partner"][0]["value"],
        json!(fixture.council)
    );
    assert_eq!(langlee["facets"]["partner"][0]["count"], 2);
}

#[tokio::test]
async fn every_filter_narrows_to_what_it_names() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let mut cases: Vec<(String, Vec<&str>)> = vec![
        ("sector=housing".into(), vec!["C"]),
        ("scale=community".into(), vec!["A", "E"]),
        ("outcome=service-redesign".into(), vec!["D", "E"]),
        ("country=England,Wales".into(), vec!["D", "E"]),
        (
            "journey_step=people-it&value=equality".into(),
            vec!["A", "B", "C", "D", "E"],
        ),
        ("partner_role=community".into(), vec!["A", "B", "C"]),
        ("locality=langlee".into(), vec!["A", "B"]),
        ("locality=Scottish%20Borders".into(), vec!["A", "C"]),
        ("locality=lang".into(), vec![]),
        ("year_from=2016".into(), vec!["A", "B", "E"]),
        ("year_to=2014".into(), vec!["A", "C"]),
        ("year_from=2014&year_to=2014".into(), vec!["A", "C"]),
        ("q=services&country=Scotland".into(), vec!["B"]),
    ];
    cases.push((format!("partner={}", fixture.council), vec!["A", "B", "E"]));
    cases.push((
        format!("partner={}&quadrant=co-design", fixture.council),
        vec!["B", "E"],
    ));
    for (query, mut expected) in cases {
        let results = search(&app, &format!("{query}&sort=title")).await;
        let mut found = letters(&fixture, &results);
        found.sort();
        expected.sort();
        assert_eq!(found, expected, "{query}");
        assert_eq!(results["total"], expected.len(), "{query}");
    }
}

#[tokio::test]
async fn words_are_stemmed_and_all_words_rank_before_some() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let stemmed = search(&app, "q=volunteering").await;
    assert_eq!(
        letters(&fixture, &stemmed),
        ["A"],
        "volunteering finds Volunteers, never the draft"
    );

    let ranked = search(&app, "q=young%20people%20langlee").await;
    let order = letters(&fixture, &ranked);
    assert_eq!(order[0], "B", "the one with all the words comes first");
    assert_eq!(
        order[1..].iter().copied().collect::<HashSet<_>>(),
        HashSet::from(["A", "D"]),
        "then partial matches"
    );
    assert!(
        ranked["items"][0]["score"].as_f64().unwrap()
            > ranked["items"][1]["score"].as_f64().unwrap()
    );

    let partial = search(&app, "q=langlee%20allotments").await;
    assert_eq!(
        partial["total"], 2,
        "no case study has both words: the best partial matches"
    );
    assert_eq!(
        letters(&fixture, &partial)
            .into_iter()
            .collect::<HashSet<_>>(),
        HashSet::from(["A", "B"])
    );

    let phrase = search(&app, "q=%22youth%20services%22").await;
    assert_eq!(letters(&fixture, &phrase), ["B"]);
    let excluded = search(&app, "q=langlee%20-garden").await;
    assert_eq!(letters(&fixture, &excluded), ["B"]);
    let either = search(&app, "q=homes%20or%20inspectors&sort=title").await;
    assert_eq!(letters(&fixture, &either), ["C", "D"]);
    let place_and_partner = search(&app, "q=eildon").await;
    assert_eq!(
        letters(&fixture, &place_and_partner),
        ["C"],
        "partner names are searchable"
    );
}

#[tokio::test]
async fn misspelt_names_and_places_are_corrected() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let results = search(&app, "q=Rutherfrd").await;
    assert_eq!(letters(&fixture, &results), ["C"]);
    assert_eq!(results["suggestion"], "rutherford");
    let results = search(&app, "q=homes%20in%20Kelsoo").await;
    assert_eq!(letters(&fixture, &results), ["C"]);
    assert_eq!(results["suggestion"], "homes in kelso");
    let exact = search(&app, "q=Kelso").await;
    assert!(exact.get("suggestion").is_none());
}

#[tokio::test]
async fn no_results_is_an_ordinary_answer() {
    let app = spawn_app().await;
    fixture(&app).await;
    let results = search(&app, "q=zzyzx%20qwxv&quadrant=co-design").await;
    assert_eq!(results["total"], 0);
    assert_eq!(results["items"], json!([]));
    assert!(
        results["facets"]["quadrant"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["count"] == 0)
    );
    assert_eq!(results["next_cursor"], Value::Null);
}

#[tokio::test]
async fn highlights_mark_matches_in_escaped_text() {
    let app = spawn_app().await;
    let council = app
        .organisation("Scottish Borders Council", "council")
        .await;
    let mut document = story(
        "<script>alert(1)</script> Safer streets in Hawick",
        &["co-delivery"],
        "community-safety",
        "community",
        "Scotland",
        "Burnfoot, Hawick",
        (None, None),
        json!([{"organisation": council, "role": "lead"}]),
        json!([]),
    );
    document["we_did"] =
        json!("Residents of Hawick walked the streets with <b>police</b> officers.");
    publish(&app, document).await;
    let results = search(&app, "q=hawick").await;
    let highlight = &results["items"][0]["highlight"];
    assert_eq!(
        highlight["title"],
        "&lt;script&gt;alert(1)&lt;/script&gt; Safer streets in <mark>Hawick</mark>"
    );
    let fragments: Vec<&str> = highlight["fragments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["text"].as_str().unwrap())
        .collect();
    assert!(
        fragments
            .iter()
            .any(|f| f.contains("&lt;b&gt;police&lt;/b&gt;") && f.contains("<mark>Hawick</mark>")),
        "{fragments:?}"
    );
    assert_eq!(
        results["items"][0]["title"], "<script>alert(1)</script> Safer streets in Hawick",
        "the title itself is data, unchanged"
    );
}

#[tokio::test]
async fn pages_visit_every_case_study_once_while_others_are_added() {
    let app = spawn_app().await;
    let council = app
        .organisation("Scottish Borders Council", "council")
        .await;
    let document = |n: usize| {
        story(
            &format!("Story number {n}"),
            &["co-design"],
            "housing",
            "group",
            "Scotland",
            "Kelso",
            (None, None),
            json!([{"organisation": council, "role": "lead"}]),
            json!([]),
        )
    };
    let mut existing = HashSet::new();
    for n in 0..12 {
        existing.insert(publish(&app, document(n)).await);
    }
    for sort in ["oldest", "newest", "title"] {
        let mut seen = Vec::new();
        let mut path = format!("/api/v1/case-studies?sort={sort}&limit=5");
        let mut added = 0;
        loop {
            let page: Value = app.get(&path).await.json().await.unwrap();
            seen.extend(
                page["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["id"].as_str().unwrap().to_owned()),
            );
            // Someone publishes between our pages.
            publish(&app, document(100 + added)).await;
            added += 1;
            match page["next_cursor"].as_str() {
                Some(cursor) => {
                    path = format!("/api/v1/case-studies?sort={sort}&limit=5&cursor={cursor}")
                }
                None => break,
            }
        }
        let unique: HashSet<&String> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "{sort}: no case study twice");
        assert!(
            existing.iter().all(|id| unique.contains(id)),
            "{sort}: none missed"
        );
    }
}

#[tokio::test]
async fn the_export_streams_exactly_what_the_search_finds() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let council = fixture.council.clone();
    publish(
        &app,
        story(
            "=HYPERLINK(\"http://evil.example\") Tidy-up day",
            &["co-delivery"],
            "parks-and-environment",
            "community",
            "Scotland",
            "Selkirk",
            (Some(2016), None),
            json!([{"organisation": council, "role": "lead"}]),
            json!([]),
        ),
    )
    .await;

    let query = "quadrant=co-design,co-delivery&sort=title";
    let searched = search(&app, &format!("{query}&limit=100")).await;
    let searched: Vec<&str> = searched["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();

    let response = app
        .get(&format!(
            "/api/v1/case-studies/export?format=ndjson&{query}"
        ))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/x-ndjson");
    let body = response.text().await.unwrap();
    let exported: Vec<Value> = body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let exported_ids: Vec<&str> = exported.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(exported_ids, searched);
    assert!(
        exported
            .iter()
            .all(|d| d["partners"].is_array() && d["status"] == "published")
    );

    let response = app
        .get(&format!("/api/v1/case-studies/export?format=csv&{query}"))
        .await;
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("case-studies.csv")
    );
    let csv = response.text().await.unwrap();
    let mut lines = csv.split("\r\n").filter(|l| !l.is_empty());
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("\u{feff}id,slug,title,summary,status,quadrants"),
        "{header}"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), searched.len());
    for (row, id) in rows.iter().zip(&searched) {
        assert!(row.starts_with(id), "same order: {row}");
    }
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\") Tidy-up day\""),
        "formulas are defused"
    );
    assert!(csv.contains("co-design; co-delivery"), "lists are joined");
}

/// The public's searches are answered from kept answers until the index changes.
#[tokio::test]
async fn a_public_search_is_kept_until_anything_changes() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let search = async |path: &str| -> Value { app.get(path).await.json().await.unwrap() };
    let cache_hits = async || app.metric("casebook_search_cache_hits_total").await;

    let first = search("/api/v1/case-studies?q=langlee").await;
    let hits = cache_hits().await;
    assert_eq!(search("/api/v1/case-studies?q=langlee").await, first);
    assert_eq!(cache_hits().await, hits + 1);

    // Pages cut from the kept answer are the same as the whole answer, in order.
    let mut path = "/api/v1/case-studies?q=langlee&limit=1".to_owned();
    let mut paged = Vec::new();
    loop {
        let page = search(&path).await;
        paged.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(cursor) => {
                path = format!("/api/v1/case-studies?q=langlee&limit=1&cursor={cursor}")
            }
            None => break,
        }
    }
    assert_eq!(&paged, first["items"].as_array().unwrap());

    // A publication and a withdrawal show at once.
    let council = fixture.council.clone();
    let added = publish(
        &app,
        story(
            "Langlee lunch club",
            &["co-delivery"],
            "older-people",
            "group",
            "Scotland",
            "Langlee, Galashiels",
            (Some(2020), None),
            json!([{"organisation": council, "role": "lead"}]),
            json!([]),
        ),
    )
    .await;
    let after_publishing = search("/api/v1/case-studies?q=langlee").await;
    assert_eq!(
        after_publishing["total"],
        first["total"].as_u64().unwrap() + 1
    );
    let archived = app
        .as_user(&app.admin)
        .archive(&format!("/api/v1/case-studies/{added}"), "\"3\"")
        .await;
    assert_eq!(archived.status(), 200);
    assert_eq!(
        search("/api/v1/case-studies?q=langlee").await["total"],
        first["total"]
    );
}

#[tokio::test]
async fn drafts_are_searchable_only_by_their_own_editors() {
    let app = spawn_app().await;
    fixture(&app).await;
    let outsider_org = app.organisation("Some Other Charity", "charity").await;
    let outsider = app.editor(&outsider_org).await;
    let admin_view: Value = app
        .as_user(&app.admin)
        .get("/api/v1/case-studies?status=draft&q=langlee")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(admin_view["total"], 1);
    let outsider_view: Value = app
        .as_user(&outsider)
        .get("/api/v1/case-studies?status=draft")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(outsider_view["total"], 0);
    assert_problem(
        app.get("/api/v1/case-studies?status=draft").await,
        401,
        "unauthorized",
    )
    .await;
}

#[tokio::test]
async fn bad_parameters_are_400_naming_the_parameter_and_the_choices() {
    let app = spawn_app().await;
    let cases = [
        ("quadrant=co-production", "quadrant"),
        ("sector=transport", "sector"),
        ("cursor=bm90LWEtY3Vyc29y", "cursor"),
        ("limit=0", "limit"),
        ("limit=1000", "limit"),
        ("year_from=1066", "year_from"),
        ("year_from=2020&year_to=2010", "year_from"),
        ("sort=popular", "sort"),
        ("partner=nobody-at-all", "partner"),
        ("q=a&q=b", "q"),
    ];
    for (query, parameter) in cases {
        let body = assert_problem(
            app.get(&format!("/api/v1/case-studies?{query}")).await,
            400,
            "invalid-parameter",
        )
        .await;
        assert_eq!(body["parameter"], parameter, "{query}: {body}");
    }
    let body = assert_problem(
        app.get("/api/v1/case-studies?quadrant=co-production").await,
        400,
        "invalid-parameter",
    )
    .await;
    assert_eq!(
        body["allowed"],
        json!([
            "co-commissioning",
            "co-design",
            "co-delivery",
            "co-assessment"
        ])
    );
    let long = "x".repeat(501);
    assert_problem(
        app.get(&format!("/api/v1/case-studies?q={long}")).await,
        400,
        "invalid-parameter",
    )
    .await;
    let body = assert_problem(
        app.get("/api/v1/case-studies/export").await,
        400,
        "invalid-parameter",
    )
    .await;
    assert_eq!(body["allowed"], json!(["csv", "ndjson"]));
}

#[tokio::test]
async fn related_case_studies_come_with_a_reason() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let a = &fixture.ids["A"];
    let related: Value = app
        .get(&format!("/api/v1/case-studies/{a}/related"))
        .await
        .json()
        .await
        .unwrap();
    let first = &related["items"][0];
    assert_eq!(
        first["case_study"]["id"],
        json!(fixture.ids["B"]),
        "same council, same quadrant, same place"
    );
    let reason = first["reason"].as_str().unwrap();
    assert!(
        reason.contains("co-delivery") && reason.contains("Scottish Borders Council"),
        "{reason}"
    );
    let ids: Vec<&str> = related["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["case_study"]["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&a.as_str()));
}

/// With `CASEBOOK_SEARCH_INDEX_DIR` the words outlive a restart: the next start analyses only
/// the case studies changed while the service was down, and answers as a fresh build would.
#[tokio::test]
async fn a_restart_keeps_its_words_and_takes_in_what_changed_while_it_was_down() {
    let words = std::env::temp_dir().join(format!("casebook-words-{}", uuid::Uuid::new_v4()));
    let keep =
        |config: &mut casebook::config::Config| config.search_index_dir = Some(words.clone());
    let database = fresh_database().await;
    let first = spawn_app_on(database.url.clone(), keep).await;
    let tenants = first
        .organisation("Ettrick Tenants Forum", "community-group")
        .await;
    let parents = first
        .organisation("Yarrow Parents Group", "community-group")
        .await;
    let partnered = |title: &str, organisation: &str| {
        story(
            title,
            &["co-design"],
            "housing",
            "community",
            "Scotland",
            "Selkirk",
            (Some(2021), None),
            json!([{"organisation": organisation, "role": "lead"}]),
            json!([]),
        )
    };
    publish(
        &first,
        partnered("Tenants redesign the repairs line", &tenants),
    )
    .await;
    publish(&first, partnered("A play park the children drew", &parents)).await;
    let allotments = publish(
        &first,
        partnered("Allotments for the whole street", &parents),
    )
    .await;
    first.server.stop(true).await;

    // Meanwhile another instance, its words in memory only, renames one partner and
    // archives a case study.
    let other = spawn_app_on(database.url.clone(), |_| {}).await;
    let renamed =
        json!({"name": "Yarrow Families Network", "kind": "community-group", "slug": parents});
    let response = other
        .as_user(&other.admin)
        .put(&format!("/api/v1/organisations/{parents}"), &renamed, None)
        .await;
    assert_eq!(response.status(), 200);
    let response = other
        .as_user(&other.admin)
        .archive(&format!("/api/v1/case-studies/{allotments}"), "\"3\"")
        .await;
    assert_eq!(response.status(), 200);
    other.server.stop(true).await;

    let second = spawn_app_on(database.url.clone(), keep).await;
    // The two case studies naming the renamed partner, and no other.
    assert_eq!(
        second.metric("casebook_search_words_indexed_total").await,
        2
    );
    let titles = |query: &'static str| {
        let second = &second;
        async move {
            let found: Value = second
                .get(&format!("/api/v1/case-studies?{query}"))
                .await
                .json()
                .await
                .unwrap();
            let mut titles: Vec<String> = found["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|item| item["title"].as_str().unwrap().to_owned())
                .collect();
            titles.sort();
            titles
        }
    };
    assert_eq!(
        titles("q=families+network").await,
        ["A play park the children drew"]
    );
    assert!(titles("q=parents").await.is_empty());
    assert_eq!(
        titles("q=repairs").await,
        ["Tenants redesign the repairs line"]
    );
    // Its words were not analysed again, yet its page quotes it from the kept index.
    let repairs: Value = second
        .get("/api/v1/case-studies?q=repairs")
        .await
        .json()
        .await
        .unwrap();
    let item = &repairs["items"][0];
    assert_eq!(
        item["summary"],
        "Tenants redesign the repairs line: a summary of the work."
    );
    assert_eq!(item["locality"], "Selkirk");
    assert!(
        item["highlight"]["title"]
            .as_str()
            .unwrap()
            .contains("<mark>repairs</mark>"),
        "{item}"
    );
    assert!(titles("q=allotments").await.is_empty());
    assert_eq!(titles("").await.len(), 2);
    second.server.stop(true).await;
    let _ = std::fs::remove_dir_all(&words);
}

/// Words written are searchable at once, before they are committed to the index in the
/// background, and answer the same afterwards; a record changed after that is found by
/// its new words only, and counted once.
#[tokio::test]
async fn words_answer_the_same_before_and_after_they_are_committed() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let admin = app.as_user(&app.admin);
    let ask = async |query: &str| -> Value {
        admin
            .get(&format!("/api/v1/case-studies?{query}"))
            .await
            .json()
            .await
            .unwrap()
    };
    let fresh = ask("q=langlee+garden").await;
    assert!(fresh["total"].as_u64().unwrap() > 0, "{fresh}");
    // Longer than the service waits before committing what it has written.
    tokio::time::sleep(std::time::Duration::from_millis(3000)).await;
    let committed = ask("q=langlee+garden").await;
    assert_eq!(committed["total"], fresh["total"]);
    assert_eq!(committed["items"], fresh["items"]);
    assert_eq!(committed["facets"], fresh["facets"]);

    let renamed =
        json!({"name": "Tweed Valley Council", "kind": "council", "slug": fixture.council});
    let response = admin
        .put(
            &format!("/api/v1/organisations/{}", fixture.council),
            &renamed,
            None,
        )
        .await;
    assert_eq!(response.status(), 200);
    let by_new_name = ask("q=tweed+valley").await;
    let by_old_name = ask("q=%22scottish+borders+council%22").await;
    assert!(by_new_name["total"].as_u64().unwrap() > 0, "{by_new_name}");
    assert_eq!(by_old_name["total"], 0, "{by_old_name}");
    let all = ask("limit=100").await;
    let ids: HashSet<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len() as u64, all["total"].as_u64().unwrap());
    let found = ask("q=tweed+valley&limit=100").await;
    let found_ids: Vec<&str> = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap())
        .collect();
    let distinct: HashSet<&&str> = found_ids.iter().collect();
    assert_eq!(
        distinct.len(),
        found_ids.len(),
        "a record counted twice: {found}"
    );
    assert_eq!(found_ids.len() as u64, found["total"].as_u64().unwrap());
}
