//! The practice template: objectives, leadership, obstacles, costs and savings, indicators,
//! quotes and evidence, as a commissioner reads them.

use serde_json::{Value, json};

use crate::helpers::{TestApp, TestUser, assert_problem, sample_case_study, spawn_app};

/// A housing association's case study with a community partner and a funder, and every
/// part of the template filled in.
struct Story {
    editor: TestUser,
    funder: String,
    document: Value,
}

async fn story(app: &TestApp) -> Story {
    let lead = app
        .organisation("Eildon Housing Association", "housing-association")
        .await;
    let tenants = app
        .organisation("Tenants of Orchard Park", "community-group")
        .await;
    let funder = app.organisation("Orchard Park Trust", "charity").await;
    let editor = app.editor(&lead).await;
    let mut document = sample_case_study(&lead);
    document["partners"] = json!([
        {"organisation": lead, "role": "lead"},
        {"organisation": tenants, "role": "lead"},
        {"organisation": funder, "role": "funder"}
    ]);
    let template = json!({
        "objectives": "Empty flats and a scheme tenants no longer wanted to live in.",
        "leadership": "The board backed it; a tenants' panel chaired every design meeting.",
        "next_steps": "Repeat the panel at the next two schemes.",
        "obstacles": [
            {"obstacle": "Tenants had to move out during the works.", "overcome_by": "Temporary homes on the same street."},
            {"obstacle": "Officers feared losing control of the budget.", "overcome_by": "The panel set spending rules in its first month."}
        ],
        "costs": [
            {"kind": "money", "amount": 240000, "unit": "GBP", "funder": funder, "description": "Capital works."},
            {"kind": "money", "amount": 10000.5, "unit": "GBP"},
            {"kind": "staff-time", "amount": 300, "unit": "hours"},
            {"kind": "volunteer-time", "amount": 120.5, "unit": "hours", "description": "Tenants' panel meetings."}
        ],
        "savings": [
            {"amount": 18000, "unit": "GBP", "period": "per-year", "cashable": true, "description": "Rent no longer lost on empty flats."}
        ],
        "indicators": [
            {"name": "Homes let", "unit": "percent", "baseline": {"value": 64, "year": 2014},
             "target": {"value": 95, "year": 2016}, "result": {"value": 100, "year": 2016},
             "source": "Lettings records"},
            {"name": "Complaints about noise", "unit": "events", "baseline": {"value": 12, "year": 2014},
             "result": {"value": 3, "year": 2017}, "source": "Housing officer log"},
            {"name": "Tenants at events", "unit": "people", "result": {"value": 40, "year": 2017},
             "source": "Sign-in sheets"}
        ],
        "quotes": [
            {"text": "We chose the colours of our own front doors.", "speaker": "Tenant, Orchard Park", "consent": true},
            {"text": "Honestly the marmalade-coloured carpets were a disaster.", "speaker": "Housing officer"}
        ],
        "evidence": {"level": 2, "rationale": "Lettings before and after, no comparison scheme.", "evaluation": "internal"}
    });
    for (field, value) in template.as_object().unwrap() {
        document[field] = value.clone();
    }
    Story {
        editor,
        funder,
        document,
    }
}

#[tokio::test]
async fn the_practice_template_round_trips_with_its_figures_derived() {
    let app = spawn_app().await;
    let Story {
        editor,
        funder,
        document,
    } = story(&app).await;
    let created = app.case_study(&editor, &document).await;
    let path = format!("/api/v1/case-studies/{}", created["id"].as_str().unwrap());
    let fetched: Value = app.as_user(&editor).get(&path).await.json().await.unwrap();
    assert_eq!(fetched, created);

    for field in [
        "objectives",
        "leadership",
        "next_steps",
        "obstacles",
        "savings",
        "evidence",
    ] {
        assert_eq!(fetched[field], document[field], "{field}");
    }
    // A quote whose speaker's consent is not recorded has none.
    assert_eq!(fetched["quotes"][0], document["quotes"][0]);
    assert_eq!(fetched["quotes"][1]["consent"], false);
    // Two organisations share the lead.
    let roles: Vec<&str> = fetched["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["lead", "lead", "funder"]);
    // The funder named by slug is kept by id, the id of that partner.
    let funder_id = fetched["partners"][2]["organisation"]["id"].clone();
    assert_eq!(fetched["partners"][2]["organisation"]["slug"], funder);
    assert_eq!(fetched["costs"][0]["funder"], funder_id);
    assert_eq!(fetched["costs"][1]["funder"], Value::Null);
    assert_eq!(
        fetched["costs"][3]["description"],
        "Tenants' panel meetings."
    );

    assert_eq!(fetched["total_cost_gbp"], json!(250000.5));
    assert_eq!(fetched["total_hours"], json!(420.5));
    assert_eq!(fetched["cost_band"], "100k-1m");
    let indicators = &fetched["indicators"];
    assert_eq!(indicators[0]["change"], 36);
    assert_eq!(indicators[0]["direction"], "up");
    assert_eq!(indicators[0]["target"], json!({"value": 95, "year": 2016}));
    assert_eq!(indicators[1]["change"], -9);
    assert_eq!(indicators[1]["direction"], "down");
    assert_eq!(indicators[2]["baseline"], Value::Null);
    assert_eq!(indicators[2]["change"], Value::Null);
    assert_eq!(indicators[2]["direction"], Value::Null);

    // The read document, less what the service decides, is a document to write again.
    let mut again = document.clone();
    again["costs"][0]["funder"] = funder_id.clone();
    again["evidence"]["level"] = json!(4);
    again["evidence"]["evaluation"] = json!("independent");
    again["quotes"] = json!([]);
    let replaced = app.as_user(&editor).put(&path, &again, Some("\"1\"")).await;
    assert_eq!(replaced.status(), 200);

    // Revisions keep each version of the template, and the diff names what changed.
    let diff: Value = app
        .as_user(&editor)
        .get(&format!("{path}/diff?from=1&to=2"))
        .await
        .json()
        .await
        .unwrap();
    let fields: Vec<&str> = diff["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    for field in ["evidence.level", "evidence.evaluation", "quotes"] {
        assert!(
            fields.iter().any(|f| f.starts_with(field)),
            "{field} in {fields:?}"
        );
    }
    assert!(!fields.iter().any(|f| f.starts_with("costs")), "{fields:?}");
    let restored = app
        .as_user(&editor)
        .post_if_match(&format!("{path}/revisions/1/restore"), None, "\"2\"")
        .await;
    assert_eq!(restored.status(), 200);
    let restored: Value = restored.json().await.unwrap();
    assert_eq!(restored["evidence"], document["evidence"]);
    assert_eq!(restored["quotes"], fetched["quotes"]);
    assert_eq!(restored["costs"], fetched["costs"]);
}

#[tokio::test]
async fn every_broken_rule_of_the_template_is_reported_against_its_field() {
    let app = spawn_app().await;
    let Story {
        editor, document, ..
    } = story(&app).await;
    let mut broken = document.clone();
    broken["objectives"] = json!("x".repeat(5001));
    broken["obstacles"][1]["overcome_by"] = json!("   ");
    broken["costs"][0]["amount"] = json!(-5);
    broken["costs"][1]["unit"] = json!("hours");
    broken["costs"][2]["amount"] = json!(0);
    broken["savings"][0]["description"] = json!("");
    broken["indicators"][0]["baseline"]["year"] = json!(1850);
    broken["indicators"][1]["result"]["year"] = json!(2010);
    broken["quotes"][0]["speaker"] = json!("Tenant\nOrchard Park");
    broken["evidence"]["rationale"] = json!(" ");
    let body = assert_problem(
        app.as_user(&editor)
            .post("/api/v1/case-studies", &broken)
            .await,
        422,
        "validation-failed",
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "objectives",
            "obstacles[1].overcome_by",
            "costs[0].amount",
            "costs[1].unit",
            "costs[2].amount",
            "savings[0].description",
            "indicators[0].baseline.year",
            "indicators[1].result.year",
            "quotes[0].speaker",
            "evidence.rationale",
        ]
    );

    let mut too_many = document.clone();
    too_many["obstacles"] = json!(vec![document["obstacles"][0].clone(); 6]);
    let body = assert_problem(
        app.as_user(&editor)
            .post("/api/v1/case-studies", &too_many)
            .await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "obstacles", "{body}");

    // Codes outside their lists are refused by name.
    for (field, value, named) in [
        (
            "evidence",
            json!({"level": 6, "rationale": "r", "evaluation": "internal"}),
            "evidence.level",
        ),
        (
            "evidence",
            json!({"level": 3, "rationale": "r", "evaluation": "anecdotal"}),
            "evidence.evaluation",
        ),
        (
            "costs",
            json!([{"kind": "goodwill", "amount": 1, "unit": "GBP"}]),
            "costs[0].kind",
        ),
        (
            "savings",
            json!([{"amount": 1, "unit": "EUR", "period": "per-year", "cashable": false, "description": "d"}]),
            "savings[0].unit",
        ),
    ] {
        let mut wrong = document.clone();
        wrong[field] = value;
        let body = assert_problem(
            app.as_user(&editor)
                .post("/api/v1/case-studies", &wrong)
                .await,
            422,
            "validation-failed",
        )
        .await;
        assert_eq!(body["errors"][0]["field"], named, "{body}");
    }

    // A funder must be one of the partners, and an organisation that exists.
    let outsider = app.organisation("Another Trust", "charity").await;
    let mut unlisted = document.clone();
    unlisted["costs"][1]["funder"] = json!(outsider);
    unlisted["costs"][2]["funder"] = json!("no-such-trust");
    let body = assert_problem(
        app.as_user(&editor)
            .post("/api/v1/case-studies", &unlisted)
            .await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "costs[2].funder", "{body}");
    unlisted["costs"][2]["funder"] = Value::Null;
    let body = assert_problem(
        app.as_user(&editor)
            .post("/api/v1/case-studies", &unlisted)
            .await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "costs[1].funder", "{body}");

    // Partners without a lead.
    let mut leaderless = document.clone();
    leaderless["partners"][0]["role"] = json!("partner");
    leaderless["partners"][1]["role"] = json!("community");
    let body = assert_problem(
        app.as_user(&editor)
            .post("/api/v1/case-studies", &leaderless)
            .await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "partners", "{body}");
    assert_eq!(
        app.count_rows("case_studies").await,
        0,
        "nothing was written"
    );
}

#[tokio::test]
async fn a_quote_without_consent_is_for_editors_only() {
    let app = spawn_app().await;
    let Story {
        editor, document, ..
    } = story(&app).await;
    let published = app.published_case_study(&editor, &document).await;
    let id = published["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/case-studies/{id}");
    let secret = "marmalade";

    let own: Value = app.as_user(&editor).get(&path).await.json().await.unwrap();
    assert_eq!(own["quotes"].as_array().unwrap().len(), 2);

    let stranger = app
        .editor(&app.organisation("Elsewhere", "council").await)
        .await;
    let mut public_reads = vec![
        app.anonymous().get(&path).await,
        app.as_user(&stranger).get(&path).await,
        app.anonymous()
            .get(&format!(
                "/api/v1/case-studies/{}",
                published["slug"].as_str().unwrap()
            ))
            .await,
    ];
    for response in public_reads.drain(..) {
        assert_eq!(response.status(), 200);
        let read: Value = response.json().await.unwrap();
        assert_eq!(read["quotes"], json!([document["quotes"][0]]));
    }
    let profile = format!(
        "/api/v1/organisations/{}/profile",
        document["partners"][0]["organisation"].as_str().unwrap()
    );
    for path in [
        "/api/v1/case-studies/export?format=ndjson",
        "/api/v1/case-studies/export?format=csv",
        "/api/v1/feed.atom",
        "/api/v1/changes",
        "/api/v1/case-studies?q=carpets",
        &format!("/api/v1/case-studies/{id}/related"),
        &profile,
    ] {
        for viewer in [app.anonymous(), app.as_user(&editor)] {
            let response = viewer.get(path).await;
            assert_eq!(response.status(), 200, "{path}");
            let body = response.text().await.unwrap();
            assert!(!body.contains(secret), "{path}: {body}");
        }
    }
    let csv = app
        .get("/api/v1/case-studies/export?format=csv")
        .await
        .text()
        .await
        .unwrap();
    let header = csv.lines().next().unwrap();
    for column in [
        "objectives",
        "total_cost_gbp",
        "cost_band",
        "evidence_level",
        "quotes",
    ] {
        assert!(header.contains(column), "{column} in {header}");
    }
    assert!(csv.contains("We chose the colours of our own front doors."));
    assert!(csv.contains(",100k-1m,"));
}

/// The facet's counts by value, leaving out values nobody has.
fn counts(facet: &Value) -> Vec<(String, u64)> {
    facet
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

async fn total(app: &TestApp, filters: &str) -> u64 {
    let response = app.get(&format!("/api/v1/case-studies?{filters}")).await;
    assert_eq!(response.status(), 200, "{filters}");
    response.json::<Value>().await.unwrap()["total"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn analysts_filter_and_count_by_evidence_cost_and_indicators() {
    let app = spawn_app().await;
    let Story {
        editor,
        document: measured,
        ..
    } = story(&app).await;
    let lead = measured["partners"][0]["organisation"].as_str().unwrap();
    let mut plain = sample_case_study(lead);
    plain["title"] = json!("A plain story");
    let mut evaluated = sample_case_study(lead);
    evaluated["title"] = json!("An evaluated story");
    evaluated["evidence"] =
        json!({"level": 4, "rationale": "Replicated in two towns.", "evaluation": "independent"});
    evaluated["costs"] = json!([{"kind": "money", "amount": 5000, "unit": "GBP"}]);
    evaluated["savings"] = json!([{"amount": 900, "unit": "GBP", "period": "one-off", "cashable": false, "description": "Room hire."}]);
    let mut one_sided = sample_case_study(lead);
    one_sided["title"] = json!("A costed story");
    one_sided["costs"] = json!([{"kind": "volunteer-time", "amount": 40, "unit": "hours"}]);
    for document in [&measured, &plain, &evaluated, &one_sided] {
        app.published_case_study(&editor, document).await;
    }

    assert_eq!(total(&app, "").await, 4);
    assert_eq!(total(&app, "evidence_level_min=2").await, 2);
    assert_eq!(total(&app, "evidence_level_min=3").await, 1);
    assert_eq!(total(&app, "evaluation=internal").await, 1);
    assert_eq!(total(&app, "evaluation=internal,independent").await, 2);
    assert_eq!(total(&app, "cost_band=none").await, 2);
    assert_eq!(
        total(&app, "cost_band=under-10k&evidence_level_min=4").await,
        1
    );
    assert_eq!(total(&app, "has_indicators=true").await, 1);
    assert_eq!(total(&app, "has_indicators=false").await, 3);
    for bad in [
        "has_indicators=maybe",
        "evidence_level_min=6",
        "evidence_level_min=0",
        "cost_band=cheap",
        "evaluation=anecdotal",
    ] {
        assert_problem(
            app.get(&format!("/api/v1/case-studies?{bad}")).await,
            400,
            "invalid-parameter",
        )
        .await;
    }

    // Each facet counts with every other filter applied, but not its own.
    let found: Value = app
        .get("/api/v1/case-studies?evidence_level_min=3")
        .await
        .json()
        .await
        .unwrap();
    let facets = &found["facets"];
    assert_eq!(
        counts(&facets["evidence_level"]),
        [("2".to_owned(), 1), ("4".to_owned(), 1)]
    );
    assert_eq!(
        counts(&facets["evaluation"]),
        [("independent".to_owned(), 1)]
    );
    assert_eq!(counts(&facets["cost_band"]), [("under-10k".to_owned(), 1)]);
    let all: Value = app.get("/api/v1/case-studies").await.json().await.unwrap();
    assert_eq!(
        counts(&all["facets"]["cost_band"]),
        [
            ("none".to_owned(), 2),
            ("under-10k".to_owned(), 1),
            ("100k-1m".to_owned(), 1)
        ]
    );
    assert_eq!(
        counts(&all["facets"]["flag"])
            .into_iter()
            .filter(|(flag, _)| ["unevidenced-outcomes", "one-sided-costs"].contains(&flag.as_str()))
            .collect::<Vec<_>>(),
        [
            ("unevidenced-outcomes".to_owned(), 2),
            ("one-sided-costs".to_owned(), 1)
        ]
    );

    let table: Value = app
        .get("/api/v1/stats/crosstab?rows=evidence_level&cols=cost_band")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(table["row_values"], json!(["1", "2", "3", "4", "5"]));
    assert_eq!(
        table["column_values"],
        json!(["none", "under-10k", "10k-100k", "100k-1m", "over-1m"])
    );
    assert_eq!(table["counts"][1][3], 1, "{table}");
    assert_eq!(table["counts"][3][1], 1, "{table}");
    assert_eq!(
        table["counts"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r.as_array().unwrap())
            .map(|c| c.as_u64().unwrap())
            .sum::<u64>(),
        2,
        "case studies without a level are not counted"
    );

    // The Star weighted by evidence: level 2 and level 4 in every quadrant they share.
    let star: Value = app.get("/api/v1/stats/star").await.json().await.unwrap();
    let quadrants = measured["quadrants"].as_array().unwrap();
    for quadrant in star["quadrants"].as_array().unwrap() {
        let shared = quadrants.contains(&quadrant["quadrant"]);
        assert_eq!(quadrant["case_studies"], if shared { 4 } else { 0 });
        assert_eq!(quadrant["evidence_weighted"], if shared { 6 } else { 0 });
    }
}
