//! Opening one connection, in plain text or over TLS (rustls) as the URL's `sslmode` asks,
//! with libpq's meanings: `disable`; `prefer` and `require` encrypt without checking the
//! server's certificate (unless `sslrootcert` names a CA file, as in libpq); `verify-ca`
//! checks that a trusted CA signed it; `verify-full` also that it names the host. Without
//! `sslrootcert` the platform's root certificates are trusted. No `sslmode` means `disable`.

use std::path::Path;
use std::sync::Arc;

use diesel::ConnectionError;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio_postgres::config::SslMode as WireMode;
use tokio_postgres_rustls::MakeRustlsConnect;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

/// What a URL asks for: the URL tokio-postgres reads (without the TLS parameters it does
/// not know), the mode, and the CA file.
#[derive(Debug)]
struct Target {
    url: String,
    mode: SslMode,
    root_certificates: Option<String>,
}

fn target(url: &str) -> Result<Target, ConnectionError> {
    let bad = |message: String| ConnectionError::InvalidConnectionUrl(message);
    let mut parsed =
        url::Url::parse(url).map_err(|_| bad("the database URL is not a URL".into()))?;
    let mut mode = SslMode::Disable;
    let mut root_certificates = None;
    let mut kept = Vec::new();
    for (name, value) in parsed.query_pairs() {
        match name.as_ref() {
            "sslmode" => {
                mode = match value.as_ref() {
                    "disable" => SslMode::Disable,
                    "prefer" => SslMode::Prefer,
                    "require" => SslMode::Require,
                    "verify-ca" => SslMode::VerifyCa,
                    "verify-full" => SslMode::VerifyFull,
                    other => {
                        return Err(bad(format!(
                            "sslmode `{other}` is not one of disable, prefer, require, verify-ca, verify-full"
                        )));
                    }
                }
            }
            "sslrootcert" => root_certificates = Some(value.into_owned()),
            _ => kept.push((name.into_owned(), value.into_owned())),
        }
    }
    if kept.is_empty() {
        parsed.set_query(None);
    } else {
        parsed.query_pairs_mut().clear().extend_pairs(kept);
    }
    Ok(Target {
        url: parsed.into(),
        mode,
        root_certificates,
    })
}

/// A connection to the database the URL names, as its `sslmode` asks.
pub async fn establish(url: &str) -> Result<AsyncPgConnection, ConnectionError> {
    let target = target(url)?;
    let wire = match target.mode {
        SslMode::Disable => return AsyncPgConnection::establish(&target.url).await,
        SslMode::Prefer => WireMode::Prefer,
        _ => WireMode::Require,
    };
    let tls = client_config(target.mode, target.root_certificates.as_deref())?;
    let mut config: tokio_postgres::Config = target
        .url
        .parse()
        .map_err(|e| ConnectionError::InvalidConnectionUrl(format!("{e}")))?;
    config.ssl_mode(wire);
    let (client, connection) = config
        .connect(MakeRustlsConnect::new(tls))
        .await
        .map_err(|e| ConnectionError::BadConnection(with_causes(&e)))?;
    AsyncPgConnection::try_from_client_and_connection(client, connection).await
}

/// An error with what caused it (`error performing TLS handshake: invalid peer certificate:
/// UnknownIssuer`), as tokio-postgres shows only the first.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut cause = error.source();
    while let Some(error) = cause {
        let text = error.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        cause = error.source();
    }
    message
}

fn client_config(mode: SslMode, ca_file: Option<&str>) -> Result<ClientConfig, ConnectionError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let checked = matches!(mode, SslMode::VerifyCa | SslMode::VerifyFull) || ca_file.is_some();
    let chain = if checked {
        let roots = Arc::new(root_certificates(ca_file)?);
        let verifier = WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
            .build()
            .map_err(|e| tls_error(format!("no usable root certificates: {e}")))?;
        Some(verifier)
    } else {
        None
    };
    let trust = Trust {
        provider: provider.clone(),
        chain,
        check_name: mode == SslMode::VerifyFull,
    };
    Ok(ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error(format!("{e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(trust))
        .with_no_client_auth())
}

fn root_certificates(ca_file: Option<&str>) -> Result<RootCertStore, ConnectionError> {
    let mut roots = RootCertStore::empty();
    let certificates: Vec<CertificateDer<'static>> = match ca_file {
        Some(path) => CertificateDer::pem_file_iter(Path::new(path))
            .and_then(|certificates| certificates.collect())
            .map_err(|e| tls_error(format!("reading the CA file {path}: {e}")))?,
        None => rustls_native_certs::load_native_certs().certs,
    };
    let (added, _) = roots.add_parsable_certificates(certificates);
    if added == 0 {
        return Err(tls_error(match ca_file {
            Some(path) => format!("the CA file {path} holds no certificate"),
            None => "the platform has no root certificates; set CASEBOOK_DATABASE_CA_FILE".into(),
        }));
    }
    Ok(roots)
}

fn tls_error(message: String) -> ConnectionError {
    ConnectionError::BadConnection(format!("database TLS: {message}"))
}

/// How far the server's certificate is believed. The handshake's signatures are always
/// checked.
#[derive(Debug)]
struct Trust {
    provider: Arc<CryptoProvider>,
    /// The trusted CAs; `None` believes whoever answers (`prefer` and `require` without a
    /// CA file, as libpq does).
    chain: Option<Arc<WebPkiServerVerifier>>,
    /// `verify-full`: the certificate must also name the host (`verify-ca` does not ask).
    check_name: bool,
}

impl ServerCertVerifier for Trust {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.check_name => Ok(ServerCertVerified::assertion()),
            verified => verified,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_parameters_are_read_and_taken_out_of_the_url() {
        let read = target("postgres://u:p%40ss@db:5432/casebook?sslmode=verify-full&sslrootcert=/ca.pem&application_name=casebook").unwrap();
        assert_eq!(read.mode, SslMode::VerifyFull);
        assert_eq!(read.root_certificates.as_deref(), Some("/ca.pem"));
        assert_eq!(
            read.url,
            "postgres://u:p%40ss@db:5432/casebook?application_name=casebook"
        );
        let plain = target("postgres://u@db/casebook").unwrap();
        assert_eq!(
            (plain.mode, plain.url.as_str()),
            (SslMode::Disable, "postgres://u@db/casebook")
        );
        let error = target("postgres://u@db/casebook?sslmode=allow").unwrap_err();
        assert!(error.to_string().contains("verify-full"), "{error}");
    }
}
