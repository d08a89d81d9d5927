//! Files attached to case studies: typed by their bytes, stripped of metadata, served in
//! ranges, and as private as the case study they belong to.

use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{
    TestApp, TestUser, assert_problem, partnered_case_study, spawn_app, spawn_app_with,
};

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A PDF of about 600 KB: three chunks in the database.
fn report() -> Vec<u8> {
    let mut file = b"%PDF-1.7\n".to_vec();
    file.extend((0..600_000u32).map(|i| (i % 251) as u8));
    file.extend_from_slice(b"\n%%EOF\n");
    file
}

fn jpeg_segment(marker: u8, body: &[u8]) -> Vec<u8> {
    let mut segment = vec![0xFF, marker];
    segment.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
    segment.extend_from_slice(body);
    segment
}

/// A JPEG's structure with a phone's EXIF block (where it was taken) in it.
fn photo() -> (Vec<u8>, Vec<u8>) {
    let jfif = jpeg_segment(0xE0, b"JFIF\0\x01\x01");
    let exif = jpeg_segment(0xE1, b"Exif\0\0GPSLatitude 55.5973 GPSLongitude -2.4331");
    let table = jpeg_segment(0xDB, &[3; 65]);
    let scan = [
        jpeg_segment(0xDA, &[1, 2, 3]),
        vec![7, 0xFF, 0x00, 9, 0xFF, 0xD9],
    ]
    .concat();
    let taken = [
        vec![0xFF, 0xD8],
        jfif.clone(),
        exif,
        table.clone(),
        scan.clone(),
    ]
    .concat();
    let served = [vec![0xFF, 0xD8], jfif, table, scan].concat();
    (taken, served)
}

async fn upload(
    app: &TestApp,
    user: &TestUser,
    case_study: &str,
    query: &str,
    content_type: &str,
    file: Vec<u8>,
) -> reqwest::Response {
    app.as_user(user)
        .request(
            Method::POST,
            &format!("/api/v1/case-studies/{case_study}/attachments?{query}"),
        )
        .header("content-type", content_type)
        .body(file)
        .send()
        .await
        .unwrap()
}

struct World {
    editor: TestUser,
    outsider: TestUser,
    id: String,
}

async fn world(app: &TestApp) -> World {
    let lead = app
        .organisation(
            "Scottish Borders Housing Association",
            "housing-association",
        )
        .await;
    let tenants = app
        .organisation("Tenants of Rutherford Square", "community-group")
        .await;
    let other = app.organisation("Elsewhere Council", "council").await;
    let editor = app.editor(&lead).await;
    let outsider = app.editor(&other).await;
    let created = app
        .case_study(&editor, &partnered_case_study(&lead, &tenants))
        .await;
    World {
        editor,
        outsider,
        id: created["id"].as_str().unwrap().to_owned(),
    }
}

#[tokio::test]
async fn a_file_is_kept_whole_and_served_in_ranges() {
    let app = spawn_app().await;
    let World { editor, id, .. } = world(&app).await;
    let file = report();
    let response = upload(
        &app,
        &editor,
        &id,
        "filename=evaluation%202016.pdf&title=Independent%20evaluation",
        "application/pdf",
        file.clone(),
    )
    .await;
    assert_eq!(response.status(), 201);
    let attached: Value = response.json().await.unwrap();
    assert_eq!(attached["size"], file.len());
    assert_eq!(attached["sha256"], hex(&file));
    assert_eq!(attached["media_type"], "application/pdf");
    assert_eq!(attached["filename"], "evaluation 2016.pdf");
    let path = format!(
        "/api/v1/case-studies/{id}/attachments/{}",
        attached["id"].as_str().unwrap()
    );

    let whole = app.as_user(&editor).get(&path).await;
    assert_eq!(whole.status(), 200);
    let headers = whole.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(
        headers["etag"].to_str().unwrap(),
        format!("\"{}\"", hex(&file))
    );
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("evaluation 2016.pdf"),
        "{headers:?}"
    );
    assert_eq!(whole.bytes().await.unwrap(), file);

    // Across the boundary of two chunks, to the end, and the last bytes.
    let chunk = 256 * 1024;
    for (range, first, last) in [
        (
            format!("bytes={}-{}", chunk - 5, chunk + 5),
            chunk - 5,
            chunk + 5,
        ),
        ("bytes=600000-".to_owned(), 600_000, file.len() - 1),
        ("bytes=-10".to_owned(), file.len() - 10, file.len() - 1),
    ] {
        let part = app
            .as_user(&editor)
            .request(Method::GET, &path)
            .header("range", &range)
            .send()
            .await
            .unwrap();
        assert_eq!(part.status(), 206, "{range}");
        assert_eq!(
            part.headers()["content-range"].to_str().unwrap(),
            format!("bytes {first}-{last}/{}", file.len())
        );
        assert_eq!(part.bytes().await.unwrap(), file[first..=last], "{range}");
    }
    // A browser asking for compression still gets the bytes of the range it asked for.
    let compressible = app
        .as_user(&editor)
        .request(Method::GET, &path)
        .header("range", "bytes=100-199")
        .header("accept-encoding", "gzip, br, zstd")
        .send()
        .await
        .unwrap();
    assert_eq!(compressible.status(), 206);
    assert_eq!(compressible.headers()["content-encoding"], "identity");
    assert_eq!(compressible.bytes().await.unwrap(), file[100..200]);
    let beyond = app
        .as_user(&editor)
        .request(Method::GET, &path)
        .header("range", "bytes=9999999-")
        .send()
        .await
        .unwrap();
    assert_eq!(
        beyond.headers()["content-range"].to_str().unwrap(),
        format!("bytes */{}", file.len())
    );
    assert_problem(beyond, 416, "range-not-satisfiable").await;

    let listed: Value = app
        .as_user(&editor)
        .get(&format!("/api/v1/case-studies/{id}/attachments"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed, json!([attached]));

    let removed = app
        .as_user(&editor)
        .request(Method::DELETE, &path)
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);
    assert_eq!(app.as_user(&editor).get(&path).await.status(), 404);
    assert_eq!(app.count_rows("attachment_chunks").await, 0);
}

#[tokio::test]
async fn a_file_must_be_what_it_says_and_a_refused_one_leaves_nothing() {
    let app = spawn_app_with(|config| config.max_attachment_bytes = 64 * 1024).await;
    let World { editor, id, .. } = world(&app).await;
    let (photo, _) = photo();
    for (content_type, query, file) in [
        ("image/png", "alt=A%20report", report()[..1000].to_vec()),
        ("application/pdf", "", b"year,homes\n2016,11\n".to_vec()),
        ("text/csv", "", report()[..1000].to_vec()),
        ("text/plain", "", vec![b'a', 0, 0xC3, 0x28]),
        ("image/jpeg", "alt=Tenants", photo[..20].to_vec()),
        ("image/gif", "alt=A%20gif", b"GIF89a".to_vec()),
    ] {
        let response = upload(&app, &editor, &id, query, content_type, file).await;
        let body = assert_problem(response, 415, "unsupported-media-type").await;
        assert!(body["detail"].as_str().is_some(), "{body}");
    }
    let body = assert_problem(
        upload(&app, &editor, &id, "", "image/jpeg", photo.clone()).await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "alt");
    let body = assert_problem(
        upload(
            &app,
            &editor,
            &id,
            "filename=..%2Fetc%2Fpasswd",
            "text/plain",
            b"x".to_vec(),
        )
        .await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "filename");
    assert_problem(
        upload(&app, &editor, &id, "", "application/pdf", report()).await,
        413,
        "payload-too-large",
    )
    .await;
    let body = assert_problem(
        upload(&app, &editor, &id, "", "text/plain", Vec::new()).await,
        422,
        "validation-failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "body");
    assert_eq!(app.count_rows("attachments").await, 0);
    assert_eq!(app.count_rows("attachment_chunks").await, 0);

    // A CSV is text, in any encoding of Unicode that is UTF-8, cut anywhere.
    let csv = "place,homes\nKelso — Rutherford Square,11\n".repeat(500);
    let response = upload(
        &app,
        &editor,
        &id,
        "",
        "text/csv; charset=utf-8",
        csv.into(),
    )
    .await;
    assert_eq!(response.status(), 201);
}

#[tokio::test]
async fn a_photo_loses_its_metadata_before_anyone_reads_it() {
    let app = spawn_app().await;
    let World { editor, id, .. } = world(&app).await;
    let (taken, served) = photo();
    let response = upload(
        &app,
        &editor,
        &id,
        "alt=Tenants%20at%20the%20opening&consent=true",
        "image/jpeg",
        taken,
    )
    .await;
    assert_eq!(response.status(), 201);
    let attached: Value = response.json().await.unwrap();
    assert_eq!(attached["size"], served.len());
    assert_eq!(attached["sha256"], hex(&served));
    let bytes = app
        .as_user(&editor)
        .get(&format!(
            "/api/v1/case-studies/{id}/attachments/{}",
            attached["id"].as_str().unwrap()
        ))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(bytes, served);
    assert!(!String::from_utf8_lossy(&bytes).contains("GPS"));
}

#[tokio::test]
async fn a_drafts_files_are_as_private_as_the_draft() {
    let app = spawn_app().await;
    let World {
        editor,
        outsider,
        id,
    } = world(&app).await;
    let pdf: Value = upload(&app, &editor, &id, "", "application/pdf", report())
        .await
        .json()
        .await
        .unwrap();
    let (photo, _) = photo();
    let private: Value = upload(
        &app,
        &editor,
        &id,
        "alt=Tenants",
        "image/jpeg",
        photo.clone(),
    )
    .await
    .json()
    .await
    .unwrap();
    let public: Value = upload(
        &app,
        &editor,
        &id,
        "alt=The%20square&consent=true",
        "image/jpeg",
        photo,
    )
    .await
    .json()
    .await
    .unwrap();
    let list = format!("/api/v1/case-studies/{id}/attachments");
    let file = |attachment: &Value| format!("{list}/{}", attachment["id"].as_str().unwrap());
    for reader in [app.anonymous(), app.as_user(&outsider)] {
        assert_eq!(reader.get(&list).await.status(), 404);
        assert_eq!(reader.get(&file(&pdf)).await.status(), 404);
    }
    let taken = app
        .as_user(&outsider)
        .request(Method::DELETE, &file(&pdf))
        .send()
        .await
        .unwrap();
    assert_eq!(taken.status(), 404);
    assert_eq!(
        upload(&app, &outsider, &id, "", "text/plain", b"mine".to_vec())
            .await
            .status(),
        404
    );

    // Published: the public gets the report and the photo with consent, not the other.
    let path = format!("/api/v1/case-studies/{id}");
    app.as_user(&editor)
        .post_if_match(&format!("{path}/submit"), None, "\"1\"")
        .await;
    let published = app
        .as_user(&app.admin)
        .post_if_match(&format!("{path}/publish"), None, "\"2\"")
        .await;
    assert_eq!(published.status(), 200);
    for reader in [app.anonymous(), app.as_user(&outsider)] {
        let seen: Value = reader.get(&list).await.json().await.unwrap();
        let ids: Vec<&Value> = seen.as_array().unwrap().iter().map(|a| &a["id"]).collect();
        assert_eq!(ids, [&pdf["id"], &public["id"]]);
        assert_eq!(reader.get(&file(&pdf)).await.status(), 200);
        assert_eq!(reader.get(&file(&private)).await.status(), 404);
    }
    // A file added now waits for the next publication, as an edit does.
    let later: Value = upload(&app, &editor, &id, "", "text/plain", b"minutes".to_vec())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(later["published"], false);
    assert_eq!(app.anonymous().get(&file(&later)).await.status(), 404);
    let all: Value = app.as_user(&editor).get(&list).await.json().await.unwrap();
    assert_eq!(all.as_array().unwrap().len(), 4);
    let removed = app
        .as_user(&editor)
        .request(Method::DELETE, &file(&later))
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);

    // Searches know which case studies have files anyone may read.
    let total = async |filters: &str| {
        let found: Value = app
            .get(&format!("/api/v1/case-studies?{filters}"))
            .await
            .json()
            .await
            .unwrap();
        found["total"].as_u64().unwrap()
    };
    assert_eq!(total("has_attachments=true").await, 1);
    for attachment in [&pdf, &public] {
        let removed = app
            .as_user(&editor)
            .request(Method::DELETE, &file(attachment))
            .send()
            .await
            .unwrap();
        assert_eq!(removed.status(), 204);
    }
    assert_eq!(
        total("has_attachments=true").await,
        0,
        "an image without consent is not one anyone may read"
    );
    assert_eq!(total("has_attachments=false").await, 1);
}

#[tokio::test]
async fn strong_evidence_without_a_report_is_flagged_until_one_is_attached() {
    let app = spawn_app().await;
    let lead = app.organisation("Ark Housing", "housing-association").await;
    let tenants = app.organisation("Tenants Group", "community-group").await;
    let editor = app.editor(&lead).await;
    let mut document = partnered_case_study(&lead, &tenants);
    document["evidence"] =
        json!({"level": 3, "rationale": "A comparison scheme.", "evaluation": "independent"});
    let published = app.published_case_study(&editor, &document).await;
    let id = published["id"].as_str().unwrap();
    let flags = async || -> (Value, u64) {
        let read: Value = app
            .get(&format!("/api/v1/case-studies/{id}"))
            .await
            .json()
            .await
            .unwrap();
        let found: Value = app
            .get("/api/v1/case-studies?flag=unreported-evidence")
            .await
            .json()
            .await
            .unwrap();
        (
            read["quality"]["flags"].clone(),
            found["total"].as_u64().unwrap(),
        )
    };
    let (flagged, found) = flags().await;
    assert!(
        flagged
            .as_array()
            .unwrap()
            .contains(&json!("unreported-evidence")),
        "{flagged}"
    );
    assert_eq!(found, 1);

    let attached = upload(
        &app,
        &editor,
        id,
        "title=Evaluation",
        "application/pdf",
        report(),
    )
    .await;
    assert_eq!(attached.status(), 201);
    let (flagged, found) = flags().await;
    assert!(
        !flagged
            .as_array()
            .unwrap()
            .contains(&json!("unreported-evidence")),
        "{flagged}"
    );
    assert_eq!(found, 0);
}
