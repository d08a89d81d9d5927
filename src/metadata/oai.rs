//! OAI-PMH 2.0: what a harvester may ask (parsed, with the protocol's own error codes) and
//! how the answers are written. Which records exist is the harvest service's business.

use std::io;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, TimeDelta, Utc};
use quick_xml::events::BytesText;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::xml::{self, XmlWriter};

const OAI: &str = "http://www.openarchives.org/OAI/2.0/";
const OAI_SCHEMA: &str =
    "http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd";
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Identify,
    ListMetadataFormats,
    ListSets,
    ListIdentifiers,
    ListRecords,
    GetRecord,
}

impl Verb {
    const ALL: [Self; 6] = [
        Self::Identify,
        Self::ListMetadataFormats,
        Self::ListSets,
        Self::ListIdentifiers,
        Self::ListRecords,
        Self::GetRecord,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Identify => "Identify",
            Self::ListMetadataFormats => "ListMetadataFormats",
            Self::ListSets => "ListSets",
            Self::ListIdentifiers => "ListIdentifiers",
            Self::ListRecords => "ListRecords",
            Self::GetRecord => "GetRecord",
        }
    }

    /// The arguments the verb takes: required, then optional.
    fn arguments(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Self::Identify | Self::ListSets => (&[], &[]),
            Self::ListMetadataFormats => (&[], &["identifier"]),
            Self::ListIdentifiers | Self::ListRecords => {
                (&["metadataPrefix"], &["from", "until", "set"])
            }
            Self::GetRecord => (&["identifier", "metadataPrefix"], &[]),
        }
    }
}

/// A metadata format records are disseminated in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Prefix {
    #[serde(rename = "oai_dc")]
    DublinCore,
    #[serde(rename = "datacite")]
    DataCite,
}

impl Prefix {
    pub const ALL: [Self; 2] = [Self::DublinCore, Self::DataCite];

    pub fn name(self) -> &'static str {
        match self {
            Self::DublinCore => "oai_dc",
            Self::DataCite => "datacite",
        }
    }

    fn schema(self) -> &'static str {
        match self {
            Self::DublinCore => xml::OAI_DC_SCHEMA,
            Self::DataCite => "http://schema.datacite.org/meta/kernel-4.5/metadata.xsd",
        }
    }

    fn namespace(self) -> &'static str {
        match self {
            Self::DublinCore => xml::OAI_DC,
            Self::DataCite => xml::DATACITE,
        }
    }
}

/// An error of the protocol, answered inside a 200 response as OAI-PMH requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OaiError {
    pub code: &'static str,
    pub message: String,
}

impl OaiError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    fn bad_argument(message: impl Into<String>) -> Self {
        Self::new("badArgument", message)
    }
}

/// Which records a list asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    #[serde(rename = "p")]
    pub prefix: Prefix,
    #[serde(rename = "f", default, skip_serializing_if = "Option::is_none")]
    pub from: Option<DateTime<Utc>>,
    /// Exclusive: the first instant after the `until` the harvester gave.
    #[serde(rename = "u", default, skip_serializing_if = "Option::is_none")]
    pub before: Option<DateTime<Utc>>,
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    pub set: Option<String>,
    /// The change-log entry the previous page ended at.
    #[serde(rename = "a")]
    pub after: i64,
    /// How many records earlier pages held, for the token's `cursor`.
    #[serde(rename = "c")]
    pub cursor: u64,
}

impl Selection {
    pub fn token(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        URL_SAFE_NO_PAD.encode(json)
    }

    fn from_token(token: &str) -> Result<Self, OaiError> {
        URL_SAFE_NO_PAD
            .decode(token)
            .ok()
            .and_then(|json| serde_json::from_slice(&json).ok())
            .ok_or_else(|| {
                OaiError::new(
                    "badResumptionToken",
                    "the resumption token is not one this repository gave",
                )
            })
    }
}

/// A request that makes sense to the protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Identify,
    ListMetadataFormats { identifier: Option<Uuid> },
    ListSets,
    List { records: bool, selection: Selection },
    GetRecord { identifier: Uuid, prefix: Prefix },
}

/// The arguments as sent, for the `request` element that echoes them.
pub type Arguments = Vec<(String, String)>;

/// Parses `arguments` (from the query string or a form body) for a repository whose item
/// identifiers are `oai:{host}:{id}`.
pub fn parse(arguments: &Arguments, host: &str) -> Result<(Verb, Request), OaiError> {
    let verbs: Vec<&str> = values(arguments, "verb");
    let [verb] = verbs[..] else {
        return Err(OaiError::new("badVerb", "give exactly one verb"));
    };
    let verb = Verb::ALL
        .into_iter()
        .find(|v| v.name() == verb)
        .ok_or_else(|| OaiError::new("badVerb", format!("`{verb}` is not an OAI-PMH verb")))?;
    let (required, optional) = verb.arguments();
    let token = single(arguments, "resumptionToken")?;
    for (name, _) in arguments {
        let known = name == "verb"
            || required.contains(&name.as_str())
            || optional.contains(&name.as_str())
            || (name == "resumptionToken"
                && matches!(
                    verb,
                    Verb::ListSets | Verb::ListIdentifiers | Verb::ListRecords
                ));
        if !known {
            return Err(OaiError::bad_argument(format!(
                "{} does not take `{name}`",
                verb.name()
            )));
        }
    }
    if let Some(token) = token {
        if arguments.len() != 2 {
            return Err(OaiError::bad_argument(
                "resumptionToken is an exclusive argument: send it with the verb alone",
            ));
        }
        return match verb {
            Verb::ListSets => Err(OaiError::new(
                "badResumptionToken",
                "every set is listed on one page",
            )),
            _ => Ok((
                verb,
                Request::List {
                    records: verb == Verb::ListRecords,
                    selection: Selection::from_token(token)?,
                },
            )),
        };
    }
    for name in required {
        if single(arguments, name)?.is_none() {
            return Err(OaiError::bad_argument(format!(
                "{} needs `{name}`",
                verb.name()
            )));
        }
    }
    let identifier = single(arguments, "identifier")?
        .map(|text| item_id(text, host))
        .transpose()?;
    let prefix = single(arguments, "metadataPrefix")?
        .map(prefix)
        .transpose()?;
    let request = match verb {
        Verb::Identify => Request::Identify,
        Verb::ListMetadataFormats => Request::ListMetadataFormats { identifier },
        Verb::ListSets => Request::ListSets,
        Verb::GetRecord => Request::GetRecord {
            identifier: identifier.expect("required"),
            prefix: prefix.expect("required"),
        },
        Verb::ListIdentifiers | Verb::ListRecords => {
            let from = single(arguments, "from")?.map(datestamp).transpose()?;
            let until = single(arguments, "until")?.map(datestamp).transpose()?;
            if let (Some((_, from_day)), Some((_, until_day))) = (&from, &until)
                && from_day != until_day
            {
                return Err(OaiError::bad_argument(
                    "from and until must have the same granularity",
                ));
            }
            let from = from.map(|(at, _)| at);
            // A day's `until` takes in the whole day; a second's, the whole second.
            let before = until.map(|(at, day)| {
                at + if day {
                    TimeDelta::days(1)
                } else {
                    TimeDelta::seconds(1)
                }
            });
            if let (Some(from), Some(before)) = (from, before)
                && from >= before
            {
                return Err(OaiError::bad_argument("from is after until"));
            }
            Request::List {
                records: verb == Verb::ListRecords,
                selection: Selection {
                    prefix: prefix.expect("required"),
                    from,
                    before,
                    set: single(arguments, "set")?.map(str::to_owned),
                    after: 0,
                    cursor: 0,
                },
            }
        }
    };
    Ok((verb, request))
}

fn values<'a>(arguments: &'a Arguments, name: &str) -> Vec<&'a str> {
    arguments
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

fn single<'a>(arguments: &'a Arguments, name: &str) -> Result<Option<&'a str>, OaiError> {
    match values(arguments, name)[..] {
        [] => Ok(None),
        [value] => Ok(Some(value)),
        _ => Err(OaiError::bad_argument(format!("`{name}` is repeated"))),
    }
}

fn prefix(name: &str) -> Result<Prefix, OaiError> {
    Prefix::ALL
        .into_iter()
        .find(|p| p.name() == name)
        .ok_or_else(|| {
            OaiError::new(
                "cannotDisseminateFormat",
                format!("records are offered as oai_dc and datacite, not `{name}`"),
            )
        })
}

/// `oai:{host}:{id}`, for this repository's host.
pub fn item_identifier(host: &str, id: Uuid) -> String {
    format!("oai:{host}:{id}")
}

fn item_id(text: &str, host: &str) -> Result<Uuid, OaiError> {
    text.strip_prefix("oai:")
        .and_then(|rest| rest.strip_prefix(host))
        .and_then(|rest| rest.strip_prefix(':'))
        .and_then(|id| Uuid::parse_str(id).ok())
        .ok_or_else(|| {
            OaiError::new(
                "idDoesNotExist",
                format!("`{text}` is not an identifier of this repository"),
            )
        })
}

/// A datestamp at either granularity; true when it is a day.
fn datestamp(text: &str) -> Result<(DateTime<Utc>, bool), OaiError> {
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        && text.len() == 10
    {
        return Ok((day.and_hms_opt(0, 0, 0).expect("midnight").and_utc(), true));
    }
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%SZ")
        .ok()
        .filter(|_| text.len() == 20)
        .map(|at| (at.and_utc(), false))
        .ok_or_else(|| {
            OaiError::bad_argument(format!(
                "`{text}` is not a datestamp (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)"
            ))
        })
}

pub fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A record's header: its identifier, datestamp and sets, or that it was withdrawn.
pub struct Header {
    pub identifier: String,
    pub datestamp: DateTime<Utc>,
    pub sets: Vec<String>,
    pub deleted: bool,
}

/// What the repository says about itself.
pub struct Identity<'a> {
    pub name: &'a str,
    pub base_url: &'a str,
    pub admin_email: &'a str,
    pub earliest: DateTime<Utc>,
}

/// The whole response: the envelope, the request echoed (without its arguments when they
/// were bad, as the protocol asks), and either the verb's answer or an error.
pub fn response(
    base_url: &str,
    arguments: &Arguments,
    verb: Result<Verb, &OaiError>,
    body: impl FnOnce(&mut XmlWriter) -> io::Result<()>,
) -> io::Result<String> {
    xml::document(|writer| {
        writer
            .create_element("OAI-PMH")
            .with_attributes([
                ("xmlns", OAI),
                ("xmlns:xsi", XSI),
                ("xsi:schemaLocation", OAI_SCHEMA),
            ])
            .write_inner_content(|w| {
                xml::text(w, "responseDate", &stamp(Utc::now()))?;
                let echoed = match verb {
                    Err(error) if matches!(error.code, "badVerb" | "badArgument") => Vec::new(),
                    _ => arguments
                        .iter()
                        .map(|(n, v)| (n.as_str(), v.as_str()))
                        .collect(),
                };
                w.create_element("request")
                    .with_attributes(echoed)
                    .write_text_content(BytesText::new(base_url))?;
                match verb {
                    Ok(verb) => {
                        w.create_element(verb.name()).write_inner_content(body)?;
                    }
                    Err(error) => {
                        w.create_element("error")
                            .with_attribute(("code", error.code))
                            .write_text_content(BytesText::new(&error.message))?;
                    }
                }
                Ok(())
            })?;
        Ok(())
    })
}

pub fn identify(w: &mut XmlWriter, identity: &Identity, host: &str) -> io::Result<()> {
    xml::text(w, "repositoryName", identity.name)?;
    xml::text(w, "baseURL", identity.base_url)?;
    xml::text(w, "protocolVersion", "2.0")?;
    xml::text(w, "adminEmail", identity.admin_email)?;
    xml::text(w, "earliestDatestamp", &stamp(identity.earliest))?;
    xml::text(w, "deletedRecord", "persistent")?;
    xml::text(w, "granularity", "YYYY-MM-DDThh:mm:ssZ")?;
    w.create_element("description").write_inner_content(|w| {
        w.create_element("oai-identifier")
            .with_attributes([
                ("xmlns", "http://www.openarchives.org/OAI/2.0/oai-identifier"),
                (
                    "xsi:schemaLocation",
                    "http://www.openarchives.org/OAI/2.0/oai-identifier http://www.openarchives.org/OAI/2.0/oai-identifier.xsd",
                ),
            ])
            .write_inner_content(|w| {
                xml::text(w, "scheme", "oai")?;
                xml::text(w, "repositoryIdentifier", host)?;
                xml::text(w, "delimiter", ":")?;
                xml::text(w, "sampleIdentifier", &item_identifier(host, Uuid::nil()))
            })?;
        Ok(())
    })?;
    Ok(())
}

pub fn metadata_formats(w: &mut XmlWriter) -> io::Result<()> {
    for prefix in Prefix::ALL {
        w.create_element("metadataFormat")
            .write_inner_content(|w| {
                xml::text(w, "metadataPrefix", prefix.name())?;
                xml::text(w, "schema", prefix.schema())?;
                xml::text(w, "metadataNamespace", prefix.namespace())
            })?;
    }
    Ok(())
}

pub fn sets(w: &mut XmlWriter, sets: &[(String, String)]) -> io::Result<()> {
    for (spec, name) in sets {
        w.create_element("set").write_inner_content(|w| {
            xml::text(w, "setSpec", spec)?;
            xml::text(w, "setName", name)
        })?;
    }
    Ok(())
}

pub fn header(w: &mut XmlWriter, header: &Header) -> io::Result<()> {
    let mut element = w.create_element("header");
    if header.deleted {
        element = element.with_attribute(("status", "deleted"));
    }
    element.write_inner_content(|w| {
        xml::text(w, "identifier", &header.identifier)?;
        xml::text(w, "datestamp", &stamp(header.datestamp))?;
        for set in &header.sets {
            xml::text(w, "setSpec", set)?;
        }
        Ok(())
    })?;
    Ok(())
}

/// A list's resumption token: the next page's, or an empty one on the last page of a list
/// that had more than one, as the protocol asks.
pub fn resumption_token(
    w: &mut XmlWriter,
    next: Option<&Selection>,
    cursor: u64,
) -> io::Result<()> {
    let element = w
        .create_element("resumptionToken")
        .with_attribute(("cursor", cursor.to_string().as_str()));
    match next {
        Some(next) => element.write_text_content(BytesText::new(&next.token()))?,
        None => element.write_empty()?,
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arguments(pairs: &[(&str, &str)]) -> Arguments {
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn code(pairs: &[(&str, &str)]) -> &'static str {
        parse(&arguments(pairs), "casebook.example.org")
            .unwrap_err()
            .code
    }

    #[test]
    fn every_bad_request_gets_the_protocols_code() {
        assert_eq!(code(&[]), "badVerb");
        assert_eq!(code(&[("verb", "Harvest")]), "badVerb");
        assert_eq!(
            code(&[("verb", "Identify"), ("verb", "Identify")]),
            "badVerb"
        );
        assert_eq!(code(&[("verb", "Identify"), ("set", "x")]), "badArgument");
        assert_eq!(code(&[("verb", "ListRecords")]), "badArgument");
        assert_eq!(
            code(&[("verb", "ListRecords"), ("metadataPrefix", "marc21")]),
            "cannotDisseminateFormat"
        );
        assert_eq!(
            code(&[
                ("verb", "ListRecords"),
                ("metadataPrefix", "oai_dc"),
                ("from", "2026-13-01")
            ]),
            "badArgument"
        );
        assert_eq!(
            code(&[
                ("verb", "ListRecords"),
                ("metadataPrefix", "oai_dc"),
                ("from", "2026-01-01"),
                ("until", "2026-01-01T00:00:00Z")
            ]),
            "badArgument"
        );
        assert_eq!(
            code(&[("verb", "ListIdentifiers"), ("resumptionToken", "nonsense")]),
            "badResumptionToken"
        );
        assert_eq!(
            code(&[
                ("verb", "ListIdentifiers"),
                ("resumptionToken", "x"),
                ("metadataPrefix", "oai_dc")
            ]),
            "badArgument"
        );
        assert_eq!(
            code(&[
                ("verb", "GetRecord"),
                ("metadataPrefix", "oai_dc"),
                ("identifier", "oai:elsewhere.org:1")
            ]),
            "idDoesNotExist"
        );
    }

    #[test]
    fn a_days_until_takes_in_the_whole_day_and_tokens_round_trip() {
        let (_, request) = parse(
            &arguments(&[
                ("verb", "ListIdentifiers"),
                ("metadataPrefix", "datacite"),
                ("from", "2026-01-01"),
                ("until", "2026-01-01"),
                ("set", "quadrant:co-design"),
            ]),
            "h",
        )
        .unwrap();
        let Request::List { records, selection } = request else {
            panic!("a list")
        };
        assert!(!records);
        assert_eq!(
            selection.before.unwrap() - selection.from.unwrap(),
            TimeDelta::days(1)
        );
        assert_eq!(
            Selection::from_token(&selection.token()).unwrap(),
            selection
        );
    }
}
