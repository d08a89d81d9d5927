//! TLS to PostgreSQL against a server that allows nothing else: `sslmode` in the URL decides
//! whether the service encrypts and how far it trusts the server's certificate.

use casebook::db::{self, connect};
use diesel_async::RunQueryDsl;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};

use crate::helpers::spawn_app_on;
use crate::support::Cluster;

const PASSWORD: &str = "a server password: p@ss/w#rd";

/// A certificate authority: its certificate in PEM, and what it needs to sign.
fn authority(name: &str) -> (String, CertificateParams, KeyPair) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    let pem = params.self_signed(&key).unwrap().pem();
    (pem, params, key)
}

#[tokio::test]
async fn the_database_is_reached_over_tls_and_its_certificate_checked_as_sslmode_asks() {
    let (ca_pem, ca_params, ca_key) = authority("casebook test CA");
    let (other_ca_pem, _, _) = authority("someone else's CA");
    // The server's certificate names `localhost` only, so 127.0.0.1 is the wrong host name.
    let server_key = KeyPair::generate().unwrap();
    let server_certificate = CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .signed_by(&server_key, &Issuer::from_params(&ca_params, &ca_key))
        .unwrap();
    let cluster = Cluster::tls_only(
        &server_certificate.pem(),
        &server_key.serialize_pem(),
        PASSWORD,
    )
    .await;
    let files = std::env::temp_dir().join(format!("casebook-tls-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir(&files).unwrap();
    let (ca_file, other_ca_file) = (files.join("ca.pem"), files.join("other.pem"));
    std::fs::write(&ca_file, &ca_pem).unwrap();
    std::fs::write(&other_ca_file, &other_ca_pem).unwrap();
    let password =
        percent_encoding::utf8_percent_encode(PASSWORD, percent_encoding::NON_ALPHANUMERIC);
    let url = |host: &str, database: &str, query: &str| {
        format!(
            "postgres://postgres:{password}@{host}:{}/{database}?{query}",
            cluster.port
        )
    };
    let right_ca = format!("sslrootcert={}", ca_file.display());
    let wrong_ca = format!("sslrootcert={}", other_ca_file.display());

    // Encrypted, without checking the certificate, then checked fully; the session is on TLS.
    for query in [
        "sslmode=require".to_owned(),
        format!("sslmode=verify-full&{right_ca}"),
    ] {
        let mut connection = connect::establish(&url("localhost", "postgres", &query))
            .await
            .unwrap_or_else(|e| panic!("{query}: {e}"));
        let encrypted: bool = diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(
            "(SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid())",
        ))
        .get_result(&mut connection)
        .await
        .unwrap();
        assert!(encrypted, "{query}");
    }
    // verify-ca checks the signer, not the name.
    connect::establish(&url(
        "127.0.0.1",
        "postgres",
        &format!("sslmode=verify-ca&{right_ca}"),
    ))
    .await
    .expect("verify-ca with the right CA");

    // Refused, each saying why.
    let refusals = [
        (
            url(
                "localhost",
                "postgres",
                &format!("sslmode=verify-full&{wrong_ca}"),
            ),
            "UnknownIssuer",
        ),
        (
            url(
                "127.0.0.1",
                "postgres",
                &format!("sslmode=verify-full&{right_ca}"),
            ),
            "not valid for name",
        ),
        (
            url("localhost", "postgres", "sslmode=disable"),
            "no encryption",
        ),
        (
            url("localhost", "postgres", "sslmode=sometimes"),
            "verify-full",
        ),
    ];
    for (url, reason) in refusals {
        let error = connect::establish(&url).await.err().expect("refused");
        let error = error.to_string();
        assert!(error.contains(reason), "{reason}: {error}");
        assert!(!error.contains("p@ss"), "the password never shows: {error}");
    }

    // The service itself: database made, migrated and served, every connection verified.
    let service_url = url(
        "localhost",
        "casebook",
        &format!("sslmode=verify-full&{right_ca}"),
    );
    db::create_database_if_missing(&service_url).await.unwrap();
    db::migrate(&service_url).await.unwrap();
    let app = spawn_app_on(service_url, |_| {}).await;
    let health = app.get("/health").await;
    assert_eq!(health.status(), 200);
    let created = app
        .as_user(&app.admin)
        .post(
            "/api/v1/organisations",
            &serde_json::json!({"name": "Ark Housing", "kind": "housing-association"}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let _ = std::fs::remove_dir_all(&files);
}
