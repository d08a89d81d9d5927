//! Self-assessment, quality signals, the Star map, crosstabs, profiles and the feeds.

use std::collections::{BTreeMap, HashSet};

use serde_json::{Value, json};

use crate::helpers::{assert_problem, sample_case_study, spawn_app};
use crate::search::{fixture, publish, search, story};

fn answers(pairs: &[(&str, &str)]) -> Value {
    json!({ "answers": pairs.iter().map(|(q, a)| json!({"question": q, "answer": a, "note": format!("Because of {q}.")})).collect::<Vec<_>>() })
}

#[tokio::test]
async fn the_vocabularies_include_the_eighteen_questions() {
    let app = spawn_app().await;
    let vocabularies: Value = app.get("/api/v1/vocabularies").await.json().await.unwrap();
    let questions = vocabularies["self_assessment_questions"]
        .as_array()
        .unwrap();
    assert_eq!(questions.len(), 18);
    let headings: HashSet<&str> = questions
        .iter()
        .map(|q| q["heading"].as_str().unwrap())
        .collect();
    assert_eq!(headings.len(), 10);
    assert_eq!(
        questions[1]["text"],
        "Were co-production partners involved to their satisfaction?"
    );
    assert_eq!(vocabularies["quadrants"][1]["code"], "co-design");
    assert!(
        vocabularies["quadrants"][1]["description"]
            .as_str()
            .unwrap()
            .contains("redesign")
    );
    for list in [
        "journey_steps",
        "values",
        "sectors",
        "scales",
        "outcome_categories",
        "partner_roles",
        "organisation_kinds",
        "statuses",
    ] {
        assert!(!vocabularies[list].as_array().unwrap().is_empty(), "{list}");
    }
}

#[tokio::test]
async fn answers_need_notes_and_are_versioned_with_the_case_study() {
    let app = spawn_app().await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let editor = app.editor(&lead).await;
    let created = app.case_study(&editor, &sample_case_study(&lead)).await;
    let path = format!(
        "/api/v1/case-studies/{}/self-assessment",
        created["id"].as_str().unwrap()
    );

    let empty: Value = app.as_user(&editor).get(&path).await.json().await.unwrap();
    assert_eq!(empty["answers"], json!([]));
    assert_eq!(empty["summary"]["answered"], 0);
    assert_eq!(empty["summary"]["questions"], 18);

    let missing_note =
        json!({"answers": [{"question": "stakeholders-late", "answer": "no", "note": ""}]});
    let response = app
        .as_user(&editor)
        .put(&path, &missing_note, Some("\"1\""))
        .await;
    let body = assert_problem(response, 422, "validation-failed").await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("stakeholders-late"),
        "{body}"
    );
    let unknown = json!({"answers": [{"question": "were-we-good", "answer": "yes", "note": "x"}]});
    assert_problem(
        app.as_user(&editor)
            .put(&path, &unknown, Some("\"1\""))
            .await,
        422,
        "validation-failed",
    )
    .await;
    let first = answers(&[
        ("partners-involved", "yes"),
        ("involved-to-satisfaction", "no"),
    ]);
    assert_problem(
        app.as_user(&editor).put(&path, &first, None).await,
        428,
        "precondition-required",
    )
    .await;

    let response = app.as_user(&editor).put(&path, &first, Some("\"1\"")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["etag"], "\"2\"");
    let saved: Value = response.json().await.unwrap();
    assert_eq!(saved["summary"]["answered"], 2);
    assert_eq!(
        saved["summary"]["headings"][0],
        json!({"heading": "involve", "questions": 2, "answered": 2, "yes": 1, "not_sure": 0, "no": 1})
    );

    let second = answers(&[("aim-achieved", "yes")]);
    app.as_user(&editor)
        .put(&path, &second, Some("\"2\""))
        .await;
    let current: Value = app.as_user(&editor).get(&path).await.json().await.unwrap();
    assert_eq!(current["answers"].as_array().unwrap().len(), 1);

    // The earlier answers are a revision like any other, and come back on restore.
    let case_study = format!("/api/v1/case-studies/{}", created["id"].as_str().unwrap());
    let revision: Value = app
        .as_user(&editor)
        .get(&format!("{case_study}/revisions/2"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        revision["document"]["self_assessment"]["summary"]["answered"],
        2
    );
    let restored = app
        .as_user(&editor)
        .post_if_match(&format!("{case_study}/revisions/2/restore"), None, "\"3\"")
        .await;
    assert_eq!(restored.status(), 200);
    let current: Value = app.as_user(&editor).get(&path).await.json().await.unwrap();
    assert_eq!(current["answers"], saved["answers"]);

    // Outsiders cannot answer.
    let other = app.organisation("NHS Borders", "nhs").await;
    let outsider = app.editor(&other).await;
    assert_problem(
        app.as_user(&outsider)
            .put(&path, &second, Some("\"4\""))
            .await,
        404,
        "not-found",
    )
    .await;
}

#[tokio::test]
async fn completeness_and_flags_are_computed_from_the_document() {
    let app = spawn_app().await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let tenants = app.organisation("Tenants Group", "community-group").await;
    let editor = app.editor(&lead).await;

    // sample_case_study: every narrative part, two quadrants, a measured outcome, but no
    // community partner, no self-assessment, and no indicator or evidence level behind the
    // outcome.
    let thin = app.case_study(&editor, &sample_case_study(&lead)).await;
    assert_eq!(thin["quality"]["completeness"], 70);
    assert_eq!(
        thin["quality"]["missing"],
        json!(["community_partner", "self_assessment"])
    );
    assert_eq!(
        thin["quality"]["flags"],
        json!(["no-community-partner", "unevidenced-outcomes"])
    );

    let mut document = sample_case_study(&lead);
    document["partners"] = json!([{"organisation": lead, "role": "lead"}, {"organisation": tenants, "role": "community"}]);
    document["evidence"] =
        json!({"level": 2, "rationale": "Lettings before and after.", "evaluation": "internal"});
    let full = app.case_study(&editor, &document).await;
    let path = format!(
        "/api/v1/case-studies/{}/self-assessment",
        full["id"].as_str().unwrap()
    );
    let all: Vec<(&str, &str)> = [
        "partners-involved",
        "involved-to-satisfaction",
        "support-to-take-part",
        "stuck-to-plan",
        "do-differently",
        "improve-process",
        "said-but-did-not",
        "methods-did-not-work",
        "better-methods",
        "worked-well-together",
        "unexpected-hurdles",
        "information-shared",
        "stakeholders-late",
        "skills-improved",
        "support-not-provided",
        "feedback-appropriate",
        "aim-achieved",
        "unanticipated-outcomes",
    ]
    .into_iter()
    .map(|q| {
        (
            q,
            if q == "involved-to-satisfaction" {
                "no"
            } else {
                "yes"
            },
        )
    })
    .collect();
    app.as_user(&editor)
        .put(&path, &answers(&all), Some("\"1\""))
        .await;
    let full: Value = app
        .as_user(&editor)
        .get(&format!(
            "/api/v1/case-studies/{}",
            full["id"].as_str().unwrap()
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(full["quality"]["completeness"], 100);
    assert_eq!(full["quality"]["missing"], json!([]));
    assert_eq!(
        full["quality"]["flags"],
        json!(["partners-not-involved"]),
        "a complete record can still be thin co-production"
    );

    let mut bare = json!({
        "title": "A leaflet", "summary": "Consulted on a leaflet.", "quadrants": ["co-design"],
        "scale": "group", "sector": "health", "country": "Wales",
        "partners": [{"organisation": lead, "role": "lead"}]
    });
    bare["we_did"] = json!("Asked for views.");
    let bare = app.case_study(&editor, &bare).await;
    assert_eq!(bare["quality"]["completeness"], 15);
    assert_eq!(
        bare["quality"]["flags"],
        json!(["no-community-partner", "single-quadrant", "no-outcome"])
    );
}

#[tokio::test]
async fn search_filters_sorts_and_counts_by_quality() {
    let app = spawn_app().await;
    let council = app
        .organisation("Scottish Borders Council", "council")
        .await;
    let residents = app.organisation("Residents", "community-group").await;
    let thin = publish(
        &app,
        story(
            "Thin",
            &["co-design"],
            "health",
            "group",
            "Scotland",
            "Kelso",
            (None, None),
            json!([{"organisation": council, "role": "lead"}]),
            json!([]),
        ),
    )
    .await;
    let rich = publish(&app, story("Rich", &["co-design", "co-delivery"], "health", "group", "Scotland", "Kelso", (None, None),
        json!([{"organisation": council, "role": "lead"}, {"organisation": residents, "role": "community"}]),
        json!([{"category": "cost-saving", "description": "Saved.", "metric": {"value": 5, "unit": "GBP"}}]))).await;
    // The admin answers "not involved to their satisfaction" on the rich one (it becomes a
    // pending revision, then goes live again).
    let path = format!("/api/v1/case-studies/{rich}");
    let admin = app.as_user(&app.admin);
    let response = admin
        .put(
            &format!("{path}/self-assessment"),
            &answers(&[("involved-to-satisfaction", "no")]),
            Some("\"3\""),
        )
        .await;
    assert_eq!(response.status(), 200);
    let public = search(&app, "assessment=involved-to-satisfaction:no").await;
    assert_eq!(public["total"], 0, "pending until published");
    admin
        .post_if_match(&format!("{path}/submit"), None, "\"4\"")
        .await;
    admin
        .post_if_match(&format!("{path}/publish"), None, "\"5\"")
        .await;

    let flagged = search(&app, "flag=no-community-partner").await;
    assert_eq!(flagged["items"][0]["id"], json!(thin));
    assert_eq!(flagged["total"], 1);
    let unhappy = search(&app, "assessment=involved-to-satisfaction:no").await;
    assert_eq!(unhappy["items"][0]["id"], json!(rich));
    let complete = search(&app, "sort=completeness").await;
    assert_eq!(complete["items"][0]["id"], json!(rich));
    assert!(
        complete["items"][0]["completeness"].as_u64()
            > complete["items"][1]["completeness"].as_u64()
    );
    // The index computes completeness as the document does.
    let document: Value = app.get(&path).await.json().await.unwrap();
    assert_eq!(
        complete["items"][0]["completeness"],
        document["quality"]["completeness"]
    );
    let above = search(&app, "min_completeness=40").await;
    assert_eq!(above["total"], 1);
    let facets: BTreeMap<String, u64> = complete["facets"]["flag"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["value"].as_str().unwrap().to_owned(),
                f["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(facets["no-community-partner"], 1);
    assert_eq!(facets["partners-not-involved"], 1);
    assert_eq!(
        complete["facets"]["completeness"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["count"].as_u64().unwrap())
            .sum::<u64>(),
        2
    );
    assert_problem(
        app.get("/api/v1/case-studies?assessment=aim-achieved")
            .await,
        400,
        "invalid-parameter",
    )
    .await;
}

/// The star and the crosstab count exactly what the search with the same filters finds.
#[tokio::test]
async fn star_and_crosstab_counts_match_the_search() {
    let app = spawn_app().await;
    fixture(&app).await;
    for filters in [
        "",
        "country=Scotland",
        "q=services",
        "partner_role=community&year_from=2014",
    ] {
        let results = search(&app, &format!("{filters}&limit=100")).await;
        let items = results["items"].as_array().unwrap();
        let star: Value = app
            .get(&format!("/api/v1/stats/star?{filters}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(star["total"], results["total"], "{filters}");
        for quadrant in star["quadrants"].as_array().unwrap() {
            let code = quadrant["quadrant"].as_str().unwrap();
            let expected = items
                .iter()
                .filter(|i| i["quadrants"].as_array().unwrap().iter().any(|q| q == code))
                .count();
            assert_eq!(quadrant["case_studies"], expected, "{filters} {code}");
            let organisations: HashSet<&str> = items
                .iter()
                .filter(|i| i["quadrants"].as_array().unwrap().iter().any(|q| q == code))
                .flat_map(|i| {
                    i["partners"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|p| p["slug"].as_str().unwrap())
                })
                .collect();
            assert_eq!(
                quadrant["organisations"],
                organisations.len(),
                "{filters} {code}"
            );
        }
        let table: Value = app
            .get(&format!(
                "/api/v1/stats/crosstab?rows=quadrant&cols=country&{filters}"
            ))
            .await
            .json()
            .await
            .unwrap();
        let countries: Vec<&str> = table["column_values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        for (r, quadrant) in table["row_values"].as_array().unwrap().iter().enumerate() {
            for (c, country) in countries.iter().enumerate() {
                let expected = items
                    .iter()
                    .filter(|i| {
                        i["country"] == *country
                            && i["quadrants"].as_array().unwrap().contains(quadrant)
                    })
                    .count();
                assert_eq!(
                    table["counts"][r][c], expected,
                    "{filters}: {quadrant} x {country}"
                );
            }
        }
    }
    let response = app
        .client
        .get(app.url("/api/v1/stats/crosstab?rows=sector&cols=year"))
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = response.text().await.unwrap();
    assert!(
        csv.starts_with("sector\\year,2013,2014,2015,2018\r\n"),
        "{csv}"
    );
    assert!(csv.contains("\r\nhousing,1,0,0,0\r\n"), "{csv}");
    let body = assert_problem(
        app.get("/api/v1/stats/crosstab?rows=quadrant&cols=colour")
            .await,
        400,
        "invalid-parameter",
    )
    .await;
    assert_eq!(body["parameter"], "cols");
}

#[tokio::test]
async fn the_star_svg_renders_with_its_labels_and_shades() {
    let app = spawn_app().await;
    fixture(&app).await;
    let response = app.get("/api/v1/stats/star.svg").await;
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    let svg = response.text().await.unwrap();
    for text in [
        "Co-commissioning",
        "Co-design",
        "Co-delivery",
        "Co-assessment",
        ">3<",
        "Map it",
        "5 case studies",
    ] {
        assert!(svg.contains(text), "{text} in the picture");
    }
    let tree =
        resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default()).expect("valid SVG");
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    // Fixture counts: co-commissioning 1, co-design 3, co-delivery 2, co-assessment 1.
    let darkness = |position: usize| {
        let (x, y) = casebook::insight::svg::point_centre(position);
        let pixel = pixmap.pixel(x as u32, y as u32).unwrap();
        765 - (u32::from(pixel.red()) + u32::from(pixel.green()) + u32::from(pixel.blue()))
    };
    let shades: Vec<u32> = (0..4).map(darkness).collect();
    assert!(
        shades[1] > shades[2] && shades[2] > shades[0],
        "more case studies, darker point: {shades:?}"
    );
    assert_eq!(shades[0], shades[3], "equal counts, equal shades");
    assert!(shades[0] > 0, "every point with case studies is shaded");
}

#[tokio::test]
async fn an_organisation_profile_shows_its_co_production_at_a_glance() {
    let app = spawn_app().await;
    let fixture = fixture(&app).await;
    let profile: Value = app
        .get(&format!(
            "/api/v1/organisations/{}/profile",
            fixture.council
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        profile["case_studies"], 3,
        "two it leads and one it partners; its draft stays private"
    );
    let quadrant = |code: &str| {
        profile["by_quadrant"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["value"] == code)
            .unwrap()["count"]
            .clone()
    };
    assert_eq!(quadrant("co-delivery"), 2);
    assert_eq!(quadrant("co-design"), 2);
    assert_eq!(profile["works_with"].as_array().unwrap().len(), 3);
    assert_problem(
        app.get("/api/v1/organisations/nobody/profile").await,
        404,
        "not-found",
    )
    .await;
}

/// A mirror paging through the feed while case studies are published and withdrawn sees
/// every event exactly once, in order.
#[tokio::test]
async fn the_change_feed_delivers_every_event_exactly_once() {
    let app = spawn_app().await;
    let council = app
        .organisation("Scottish Borders Council", "council")
        .await;
    let writer = async {
        let mut published = Vec::new();
        for n in 0..12 {
            let id = publish(
                &app,
                story(
                    &format!("Story {n}"),
                    &["co-design"],
                    "housing",
                    "group",
                    "Scotland",
                    "Kelso",
                    (None, None),
                    json!([{"organisation": council, "role": "lead"}]),
                    json!([]),
                ),
            )
            .await;
            if n % 4 == 0 {
                let path = format!("/api/v1/case-studies/{id}");
                assert_eq!(
                    app.as_user(&app.admin)
                        .archive(&path, "\"3\"")
                        .await
                        .status(),
                    200
                );
            }
            published.push(id);
        }
        published
    };
    let reader = async {
        let mut seen: Vec<(String, String)> = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..60 {
            let path = match &cursor {
                Some(c) => format!("/api/v1/changes?since={c}&limit=3"),
                None => "/api/v1/changes?limit=3".to_owned(),
            };
            let page: Value = app.get(&path).await.json().await.unwrap();
            for item in page["items"].as_array().unwrap() {
                seen.push((
                    item["kind"].as_str().unwrap().to_owned(),
                    item["case_study"]["id"].as_str().unwrap().to_owned(),
                ));
            }
            cursor = Some(page["next_cursor"].as_str().unwrap().to_owned());
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        (seen, cursor)
    };
    let (published, (mut seen, cursor)) = tokio::join!(writer, reader);
    // Catch up after the writer is done.
    let mut cursor = cursor.unwrap();
    loop {
        let page: Value = app
            .get(&format!("/api/v1/changes?since={cursor}&limit=3"))
            .await
            .json()
            .await
            .unwrap();
        let items = page["items"].as_array().unwrap();
        if items.is_empty() {
            break;
        }
        for item in items {
            seen.push((
                item["kind"].as_str().unwrap().to_owned(),
                item["case_study"]["id"].as_str().unwrap().to_owned(),
            ));
        }
        cursor = page["next_cursor"].as_str().unwrap().to_owned();
    }
    let mut expected = Vec::new();
    for (n, id) in published.iter().enumerate() {
        expected.push(("published".to_owned(), id.clone()));
        if n % 4 == 0 {
            expected.push(("withdrawn".to_owned(), id.clone()));
        }
    }
    assert_eq!(
        seen, expected,
        "each event once, in order, drafts and internal changes left out"
    );
    assert_problem(
        app.get("/api/v1/changes?since=garbage").await,
        400,
        "invalid-parameter",
    )
    .await;
}

#[tokio::test]
async fn the_atom_feed_lists_the_newest_case_studies() {
    let app = spawn_app().await;
    fixture(&app).await;
    let response = app.get("/api/v1/feed.atom").await;
    assert_eq!(response.headers()["content-type"], "application/atom+xml");
    let xml = response.text().await.unwrap();
    assert!(xml.starts_with("<?xml"));
    assert_eq!(xml.matches("<entry>").count(), 5);
    assert!(xml.contains("<title>Citizens commission mental health services</title>"));
    assert!(!xml.contains("Draft notes"), "drafts stay out");
}
