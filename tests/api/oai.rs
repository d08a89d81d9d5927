//! OAI-PMH at `/oai`, as a harvester uses it: listing page by page, incrementally by date
//! and by set, seeing withdrawals as deletions, and told what it got wrong in the
//! protocol's own codes.

use regex::Regex;

use crate::helpers::{TestApp, sample_case_study, spawn_app_with};

async fn oai(app: &TestApp, query: &str) -> String {
    let response = app.get(&format!("/oai?{query}")).await;
    assert_eq!(response.status(), 200, "{query}");
    assert_eq!(
        response.headers()["content-type"],
        "text/xml; charset=utf-8"
    );
    response.text().await.unwrap()
}

fn error_code(xml: &str) -> String {
    Regex::new(r#"<error code="([A-Za-z]+)""#)
        .unwrap()
        .captures(xml)
        .map(|c| c[1].to_owned())
        .unwrap_or_else(|| panic!("no error in {xml}"))
}

fn identifiers(xml: &str) -> Vec<String> {
    Regex::new(r"<identifier>(oai:[^<]+)</identifier>")
        .unwrap()
        .captures_iter(xml)
        .map(|c| c[1].to_owned())
        .collect()
}

fn token(xml: &str) -> Option<String> {
    Regex::new(r#"<resumptionToken cursor="\d+">([^<]+)</resumptionToken>"#)
        .unwrap()
        .captures(xml)
        .map(|c| c[1].to_owned())
}

/// Every identifier of a list, following its resumption tokens.
async fn harvest(app: &TestApp, query: &str) -> Vec<String> {
    let mut xml = oai(app, query).await;
    let mut found = identifiers(&xml);
    let verb = query.split('&').next().unwrap();
    while let Some(token) = token(&xml) {
        xml = oai(app, &format!("{verb}&resumptionToken={token}")).await;
        found.extend(identifiers(&xml));
    }
    found
}

#[tokio::test]
async fn a_harvester_gets_every_published_case_study_and_sees_withdrawals() {
    let app = spawn_app_with(|config| {
        config.public_url = Some("https://casebook.example.org".into());
        config.oai_page_size = 2;
    })
    .await;
    let lead = app.organisation("Ability Borders", "voluntary").await;
    let editor = app.editor(&lead).await;
    let mut published = Vec::new();
    for n in 0..5 {
        let mut document = sample_case_study(&lead);
        document["title"] = format!("Homes designed together, part {n}").into();
        if n == 0 {
            document["quadrants"] = serde_json::json!(["co-assessment"]);
        }
        let case_study = app.published_case_study(&editor, &document).await;
        published.push(format!(
            "oai:casebook.example.org:{}",
            case_study["id"].as_str().unwrap()
        ));
    }
    // A draft is no harvester's business.
    app.case_study(&editor, &sample_case_study(&lead)).await;

    let identify = oai(&app, "verb=Identify").await;
    assert!(identify.contains("<baseURL>https://casebook.example.org/oai</baseURL>"));
    assert!(identify.contains("<deletedRecord>persistent</deletedRecord>"));
    let formats = oai(&app, "verb=ListMetadataFormats").await;
    assert!(formats.contains("<metadataPrefix>oai_dc</metadataPrefix>"));
    assert!(formats.contains("<metadataPrefix>datacite</metadataPrefix>"));
    let sets = oai(&app, "verb=ListSets").await;
    assert!(sets.contains("<setSpec>quadrant:co-assessment</setSpec>"));
    assert!(sets.contains(&format!("<setSpec>organisation:{lead}</setSpec>")));

    // Two records a page: three pages, each token leading to the next.
    let listed = harvest(&app, "verb=ListRecords&metadataPrefix=oai_dc").await;
    assert_eq!(listed, published);
    let headers = harvest(&app, "verb=ListIdentifiers&metadataPrefix=datacite").await;
    assert_eq!(headers, published);
    let in_set = harvest(
        &app,
        "verb=ListIdentifiers&metadataPrefix=oai_dc&set=quadrant:co-assessment",
    )
    .await;
    assert_eq!(in_set, published[..1]);

    let record = oai(
        &app,
        &format!(
            "verb=GetRecord&metadataPrefix=oai_dc&identifier={}",
            published[1]
        ),
    )
    .await;
    assert!(
        record.contains("<dc:title>Homes designed together, part 1</dc:title>"),
        "{record}"
    );

    // Withdrawn: reported as deleted, and harvested again from its withdrawal on.
    // Datestamps are to the second: let one pass, so `from` tells the two changes apart.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let before_withdrawal = chrono::Utc::now();
    let id = published[2].rsplit(':').next().unwrap();
    let archived = app
        .as_user(&app.admin)
        .archive(&format!("/api/v1/case-studies/{id}"), "\"3\"")
        .await;
    assert_eq!(archived.status(), 200);
    let from = before_withdrawal.format("%Y-%m-%dT%H:%M:%SZ");
    let changed = oai(
        &app,
        &format!("verb=ListRecords&metadataPrefix=datacite&from={from}"),
    )
    .await;
    assert_eq!(identifiers(&changed), [published[2].clone()]);
    assert!(
        changed.contains(r#"<header status="deleted">"#),
        "{changed}"
    );
    assert!(
        !changed.contains("<metadata>"),
        "a deleted record has no metadata"
    );
    let all = harvest(&app, "verb=ListIdentifiers&metadataPrefix=oai_dc").await;
    assert_eq!(all.len(), 5, "deleted records stay listed");

    // Renaming the partner changes every record that names it: harvested again.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let from = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ");
    let renamed = app
        .as_user(&app.admin)
        .request(
            reqwest::Method::PUT,
            &format!("/api/v1/organisations/{lead}"),
        )
        .json(
            &serde_json::json!({"name": "Ability Borders SCIO", "kind": "voluntary", "slug": lead}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), 200);
    let changed = oai(
        &app,
        &format!("verb=ListRecords&metadataPrefix=oai_dc&from={from}"),
    )
    .await;
    let mut live = published.clone();
    live.remove(2);
    assert_eq!(identifiers(&changed).len(), 2, "a page of two: {changed}");
    assert_eq!(
        harvest(
            &app,
            &format!("verb=ListIdentifiers&metadataPrefix=oai_dc&from={from}")
        )
        .await,
        live
    );
    assert!(
        changed.contains("<dc:creator>Ability Borders SCIO</dc:creator>"),
        "{changed}"
    );
}

#[tokio::test]
async fn protocol_mistakes_are_answered_with_their_codes() {
    let app = spawn_app_with(|config| {
        config.public_url = Some("https://casebook.example.org".into());
    })
    .await;
    let cases = [
        ("verb=Harvest", "badVerb"),
        ("metadataPrefix=oai_dc", "badVerb"),
        ("verb=ListRecords", "badArgument"),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=yesterday",
            "badArgument",
        ),
        ("verb=Identify&identifier=x", "badArgument"),
        (
            "verb=ListRecords&metadataPrefix=marc21",
            "cannotDisseminateFormat",
        ),
        (
            "verb=ListRecords&resumptionToken=forged",
            "badResumptionToken",
        ),
        (
            "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:casebook.example.org:0190b2a4-5c6d-7e8f-9a0b-1c2d3e4f5a6b",
            "idDoesNotExist",
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&set=quadrant:co-nothing",
            "noRecordsMatch",
        ),
        (
            "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2100-01-01",
            "noRecordsMatch",
        ),
    ];
    for (query, code) in cases {
        let xml = oai(&app, query).await;
        assert_eq!(error_code(&xml), code, "{query}: {xml}");
    }
    // The request is echoed without its arguments when they were the problem.
    let xml = oai(&app, "verb=ListRecords").await;
    assert!(
        xml.contains("<request>https://casebook.example.org/oai</request>"),
        "{xml}"
    );

    // A form POST is the same request.
    let response = app
        .anonymous()
        .request(reqwest::Method::POST, "/oai")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("verb=ListMetadataFormats")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("<ListMetadataFormats>")
    );
}
