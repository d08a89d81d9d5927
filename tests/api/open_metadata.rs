//! Open metadata: a published case study in the formats repositories, harvesters and
//! reference managers read, each publication a version that stays citable, and old slugs
//! that still lead to their case study.

use serde_json::{Value, json};

use crate::helpers::{
    TestApp, TestUser, assert_problem, sample_case_study, spawn_app, spawn_app_with,
};

/// A published case study by a council (with its register numbers), a tenants' group and
/// a funder; returns its editor and the case study.
async fn published(app: &TestApp) -> (TestUser, Value) {
    let council = app
        .as_user(&app.admin)
        .post(
            "/api/v1/organisations",
            &json!({
                "name": "Scottish Borders Council", "kind": "council",
                "identifiers": {"ror": "01nrxwf90", "gss_code": "S12000026"}
            }),
        )
        .await;
    assert_eq!(council.status(), 201);
    let council: Value = council.json().await.unwrap();
    assert_eq!(
        council["identifiers"],
        json!({"ror": "https://ror.org/01nrxwf90", "gss_code": "S12000026"})
    );
    let tenants = app
        .organisation("Langlee Tenants' Group", "community-group")
        .await;
    let funder = app.organisation("Big Lottery Fund", "charity").await;
    let editor = app.editor("scottish-borders-council").await;
    let mut document = sample_case_study("scottish-borders-council");
    document["slug"] = "homes-together".into();
    document["license"] = "CC-BY-SA-4.0".into();
    document["partners"] = json!([
        {"organisation": "scottish-borders-council", "role": "lead"},
        {"organisation": tenants, "role": "community"},
        {"organisation": funder, "role": "funder"}
    ]);
    let case_study = app.published_case_study(&editor, &document).await;
    (editor, case_study)
}

/// Where the deployment says it is: every permanent address starts here.
const PUBLIC_URL: &str = "https://casebook.example.org";

async fn spawn_public_app() -> TestApp {
    spawn_app_with(|config| config.public_url = Some(PUBLIC_URL.to_owned())).await
}

async fn read_as(app: &TestApp, path: &str, accept: &str) -> (String, String) {
    let response = app
        .anonymous()
        .request(reqwest::Method::GET, path)
        .header("Accept", accept)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path} as {accept}");
    assert!(
        response
            .headers()
            .get_all("vary")
            .iter()
            .any(|v| v.to_str().unwrap().contains("Accept")),
        "the answer varies with Accept"
    );
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    (content_type, response.text().await.unwrap())
}

#[tokio::test]
async fn every_format_cites_the_same_published_version() {
    let app = spawn_public_app().await;
    let (_, case_study) = published(&app).await;
    let id = case_study["id"].as_str().unwrap();
    let path = format!("/api/v1/case-studies/{id}");
    let permanent = format!("{PUBLIC_URL}{path}");
    let version = format!("{permanent}/versions/1");

    let (content_type, body) = read_as(&app, &path, "application/ld+json").await;
    assert_eq!(content_type, "application/ld+json");
    let jsonld: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(jsonld["@context"], "https://schema.org");
    assert_eq!(jsonld["@type"], "Article");
    assert_eq!(jsonld["url"], permanent);
    assert_eq!(jsonld["@id"], version);
    assert_eq!(jsonld["version"], "1");
    assert_eq!(
        jsonld["license"],
        "https://spdx.org/licenses/CC-BY-SA-4.0.html"
    );
    let authors: Vec<&str> = jsonld["author"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        authors,
        ["Scottish Borders Council", "Langlee Tenants' Group"]
    );
    assert_eq!(jsonld["author"][0]["sameAs"], "https://ror.org/01nrxwf90");
    assert_eq!(jsonld["funder"][0]["name"], "Big Lottery Fund");
    assert_eq!(
        jsonld["spatialCoverage"]["name"],
        "Galashiels, Scottish Borders, Scotland"
    );
    assert_eq!(jsonld["temporalCoverage"], "2014/2016");
    assert_eq!(jsonld["about"][0]["@type"], "Project");
    assert_eq!(jsonld["about"][0]["member"][1]["roleName"], "community");
    assert!(
        jsonld["keywords"]
            .as_array()
            .unwrap()
            .contains(&json!("Co-design"))
    );

    let (content_type, body) =
        read_as(&app, &path, "application/vnd.citationstyles.csl+json").await;
    assert_eq!(content_type, "application/vnd.citationstyles.csl+json");
    let csl: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(csl["title"], case_study["title"]);
    assert_eq!(csl["URL"], version);
    assert_eq!(csl["author"][0]["literal"], "Scottish Borders Council");
    assert_eq!(csl["version"], "1");

    let (_, bibtex) = read_as(&app, &path, "application/x-bibtex").await;
    assert!(bibtex.starts_with("@misc{homes-together-v1,"), "{bibtex}");
    assert!(bibtex.contains(&format!("url = {{{version}}}")), "{bibtex}");
    assert!(
        bibtex.contains("author = {{Scottish Borders Council} and {Langlee Tenants' Group}}"),
        "{bibtex}"
    );

    let (_, ris) = read_as(&app, &path, "application/x-research-info-systems").await;
    assert!(ris.starts_with("TY  - RPRT\r\n"), "{ris}");
    assert!(ris.contains(&format!("UR  - {version}\r\n")), "{ris}");
    assert!(ris.ends_with("ER  - \r\n"), "{ris}");

    let (_, datacite) = read_as(&app, &path, "application/vnd.datacite.datacite+xml").await;
    for expected in [
        "<resource xmlns=\"http://datacite.org/schema/kernel-4\"",
        "<creatorName nameType=\"Organizational\">Scottish Borders Council</creatorName>",
        "<nameIdentifier nameIdentifierScheme=\"ROR\" schemeURI=\"https://ror.org/\">https://ror.org/01nrxwf90</nameIdentifier>",
        "<resourceType resourceTypeGeneral=\"Text\">",
        "rightsIdentifier=\"CC-BY-SA-4.0\"",
        "<funderName>Big Lottery Fund</funderName>",
        &format!(
            "<alternateIdentifier alternateIdentifierType=\"URL\">{version}</alternateIdentifier>"
        ),
    ] {
        assert!(datacite.contains(expected), "{expected} in {datacite}");
    }

    // The short names do what `Accept` does, for links and browsers.
    let (content_type, dublin_core) =
        read_as(&app, &format!("{path}?format=dc"), "text/html").await;
    assert_eq!(content_type, "application/oai_dc+xml");
    assert!(dublin_core.contains(&format!(
        "<dc:title>{}</dc:title>",
        case_study["title"].as_str().unwrap()
    )));
    let (_, by_name) = read_as(
        &app,
        "/api/v1/case-studies/homes-together?format=ris",
        "*/*",
    )
    .await;
    assert_eq!(by_name, ris);
    // Feed readers and exports are sent to the permanent address too.
    let feed = app.get("/api/v1/feed.atom").await.text().await.unwrap();
    assert!(
        feed.contains(&format!(
            "<link rel=\"alternate\" type=\"application/json\" href=\"{permanent}\"/>"
        )),
        "{feed}"
    );
    let ndjson = app
        .get("/api/v1/case-studies/export?format=ndjson")
        .await
        .text()
        .await
        .unwrap();
    let exported: Value =
        serde_json::from_str(ndjson.lines().find(|l| l.contains(id)).unwrap()).unwrap();
    assert_eq!(exported["url"], permanent);
    assert_eq!(exported["license"], "CC-BY-SA-4.0");
    let csv = app
        .get("/api/v1/case-studies/export?format=csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",license,url"));
    assert!(
        csv.lines()
            .any(|l| l.ends_with(&format!(",CC-BY-SA-4.0,{permanent}"))),
        "{csv}"
    );
    // The document itself stays the default, and carries its licence.
    let (content_type, body) =
        read_as(&app, &path, "text/html,application/xhtml+xml,*/*;q=0.8").await;
    assert_eq!(content_type, "application/json");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["license"],
        "CC-BY-SA-4.0"
    );
}

#[tokio::test]
async fn a_format_not_offered_is_refused_with_the_list_of_those_that_are() {
    let app = spawn_app().await;
    let (editor, case_study) = published(&app).await;
    let path = format!(
        "/api/v1/case-studies/{}",
        case_study["id"].as_str().unwrap()
    );
    let response = app
        .anonymous()
        .request(reqwest::Method::GET, &path)
        .header("Accept", "text/html, application/json;q=0")
        .send()
        .await
        .unwrap();
    let problem = assert_problem(response, 406, "not-acceptable").await;
    assert!(
        problem["allowed"]
            .as_array()
            .unwrap()
            .contains(&json!("application/x-bibtex"))
    );
    let response = app.get(&format!("{path}?format=pdf")).await;
    assert_problem(response, 406, "not-acceptable").await;

    // A draft is nobody's to cite yet, its editors included.
    let draft = app
        .case_study(&editor, &sample_case_study("scottish-borders-council"))
        .await;
    let draft_path = format!(
        "/api/v1/case-studies/{}?format=bibtex",
        draft["id"].as_str().unwrap()
    );
    assert_problem(
        app.as_user(&editor).get(&draft_path).await,
        404,
        "not-found",
    )
    .await;
}

#[tokio::test]
async fn each_publication_stays_readable_as_the_public_saw_it() {
    let app = spawn_public_app().await;
    let (editor, case_study) = published(&app).await;
    let path = format!(
        "/api/v1/case-studies/{}",
        case_study["id"].as_str().unwrap()
    );
    let first_title = case_study["title"].as_str().unwrap().to_owned();

    // A second publication, with a new title and a new slug.
    let mut document = sample_case_study("scottish-borders-council");
    document["title"] = "Eleven homes designed with their tenants".into();
    document["slug"] = "eleven-homes".into();
    let edited = app
        .as_user(&editor)
        .put(&path, &document, Some("\"3\""))
        .await;
    assert_eq!(edited.status(), 200);
    let submitted = app
        .as_user(&editor)
        .post_if_match(&format!("{path}/submit"), None, "\"4\"")
        .await;
    assert_eq!(submitted.status(), 200);
    let published = app
        .as_user(&app.admin)
        .post_if_match(&format!("{path}/publish"), None, "\"5\"")
        .await;
    assert_eq!(published.status(), 200);

    let versions: Value = app
        .get(&format!("{path}/versions"))
        .await
        .json()
        .await
        .unwrap();
    let states: Vec<&str> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["superseded", "current"]);
    let first: Value = app
        .get(&format!("{path}/versions/1"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["case_study"]["title"], first_title.as_str());
    assert_eq!(first["case_study"]["slug"], "homes-together");
    assert_eq!(first["latest"], 2);
    assert!(first["note"].as_str().unwrap().contains("newer version"));
    let bibtex = app
        .get(&format!("{path}/versions/1?format=bibtex"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        bibtex.contains(&format!("title = {{{{{first_title}}}}}")),
        "{bibtex}"
    );
    assert!(
        bibtex.contains("note = {Version 1 of 2: a newer version"),
        "{bibtex}"
    );
    let datacite = app
        .get(&format!("{path}/versions/1?format=datacite"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        datacite.contains(&format!(
            "relationType=\"IsPreviousVersionOf\">{PUBLIC_URL}{path}/versions/2<"
        )),
        "{datacite}"
    );

    // The old slug leads to the case study under its new one, keeping the format asked for.
    let moved = app
        .get("/api/v1/case-studies/homes-together?format=ris")
        .await;
    assert_eq!(moved.status(), 301);
    assert_eq!(
        moved.headers()["location"],
        "/api/v1/case-studies/eleven-homes?format=ris"
    );
    assert_problem(
        app.get("/api/v1/case-studies/never-was-a-slug").await,
        404,
        "not-found",
    )
    .await;

    // Withdrawn: the live record is gone, every version still answers, and says why.
    let archived = app.as_user(&app.admin).archive(&path, "\"6\"").await;
    assert_eq!(archived.status(), 200);
    assert_problem(app.get(&path).await, 404, "not-found").await;
    assert_problem(
        app.get("/api/v1/case-studies/homes-together").await,
        404,
        "not-found",
    )
    .await;
    let second: Value = app
        .get(&format!("{path}/versions/2"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["state"], "withdrawn");
    assert_eq!(
        second["case_study"]["title"],
        "Eleven homes designed with their tenants"
    );
    assert!(second["note"].as_str().unwrap().contains("withdrawn"));
    let jsonld: Value = app
        .get(&format!("{path}/versions/2?format=jsonld"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(jsonld["creativeWorkStatus"], "Withdrawn");
    assert_problem(
        app.get(&format!("{path}/versions/3")).await,
        404,
        "not-found",
    )
    .await;
    assert_problem(
        app.get(&format!("{path}/versions/zero")).await,
        404,
        "not-found",
    )
    .await;
}

#[tokio::test]
async fn a_licence_is_an_spdx_identifier_and_the_deployment_chooses_the_default() {
    let app = spawn_app_with(|config| {
        config.default_license = casebook::domain::license::License::parse("OGL-UK-3.0").unwrap();
    })
    .await;
    let lead = app.organisation("Ability Borders", "voluntary").await;
    let editor = app.editor(&lead).await;
    let created = app.case_study(&editor, &sample_case_study(&lead)).await;
    assert_eq!(created["license"], "OGL-UK-3.0");
    let mut document = sample_case_study(&lead);
    document["license"] = "Free-For-All".into();
    let refused = app
        .as_user(&editor)
        .post("/api/v1/case-studies", &document)
        .await;
    let problem = assert_problem(refused, 422, "validation-failed").await;
    assert_eq!(problem["errors"][0]["field"], "license", "{problem}");

    let refused = app
        .as_user(&app.admin)
        .post(
            "/api/v1/organisations",
            &json!({"name": "Nowhere Trust", "kind": "charity", "identifiers": {"charity_number": "12", "ror": "https://ror.org/01nrxwf90"}}),
        )
        .await;
    let problem = assert_problem(refused, 422, "validation-failed").await;
    assert_eq!(
        problem["errors"][0]["field"], "identifiers.charity_number",
        "{problem}"
    );
}

#[tokio::test]
async fn an_administrator_records_the_doi_every_format_then_names() {
    let app = spawn_public_app().await;
    let (editor, case_study) = published(&app).await;
    let path = format!(
        "/api/v1/case-studies/{}",
        case_study["id"].as_str().unwrap()
    );
    let doi_path = format!("{path}/doi");
    let request = |user: &TestUser, body: Value| {
        app.as_user(user)
            .request(reqwest::Method::PUT, &doi_path)
            .json(&body)
            .send()
    };
    let refused = request(&editor, json!({"doi": "10.5555/casebook.1"}))
        .await
        .unwrap();
    assert_problem(refused, 403, "forbidden").await;
    let invalid = request(&app.admin, json!({"doi": "10.55/x"}))
        .await
        .unwrap();
    let problem = assert_problem(invalid, 422, "validation-failed").await;
    assert_eq!(problem["errors"][0]["field"], "doi", "{problem}");

    let recorded = request(
        &app.admin,
        json!({"doi": "https://doi.org/10.5555/Casebook.1"}),
    )
    .await
    .unwrap();
    assert_eq!(recorded.status(), 200);
    assert_eq!(
        recorded.json::<Value>().await.unwrap()["doi"],
        "10.5555/Casebook.1"
    );
    let datacite = app
        .get(&format!("{path}?format=datacite"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        datacite.contains(r#"<identifier identifierType="DOI">10.5555/Casebook.1</identifier>"#),
        "{datacite}"
    );
    let bibtex = app
        .get(&format!("{path}?format=bibtex"))
        .await
        .text()
        .await
        .unwrap();
    assert!(bibtex.contains("doi = {10.5555/Casebook.1},"), "{bibtex}");
    let csl: Value = app
        .get(&format!("{path}?format=csl"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(csl["DOI"], "10.5555/Casebook.1");
    let versions: Value = app
        .get(&format!("{path}/versions"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(versions[0]["doi"], "10.5555/Casebook.1");

    // One DOI names one case study, whatever its case.
    let other = app
        .published_case_study(&editor, &sample_case_study("scottish-borders-council"))
        .await;
    let taken = app
        .as_user(&app.admin)
        .request(
            reqwest::Method::PUT,
            &format!("/api/v1/case-studies/{}/doi", other["id"].as_str().unwrap()),
        )
        .json(&json!({"doi": "10.5555/casebook.1"}))
        .send()
        .await
        .unwrap();
    assert_problem(taken, 409, "conflict").await;
    // The current publication's DataCite record names the case studies most like it.
    let datacite = app
        .get(&format!("{path}?format=datacite"))
        .await
        .text()
        .await
        .unwrap();
    let related = format!(
        r#"relationType="References">{PUBLIC_URL}/api/v1/case-studies/{}<"#,
        other["id"].as_str().unwrap()
    );
    assert!(datacite.contains(&related), "{datacite}");
    let frozen = app
        .get(&format!("{path}/versions/1?format=datacite"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !frozen.contains(r#"relationType="References""#),
        "a version says what it said: {frozen}"
    );

    let cleared = request(&app.admin, json!({"doi": null})).await.unwrap();
    assert_eq!(cleared.status(), 200);
    let datacite = app
        .get(&format!("{path}?format=datacite"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!datacite.contains("<identifier "), "{datacite}");
}
