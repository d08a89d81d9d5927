//! schema.org JSON-LD: an `Article` about the `Project` the case study describes, for
//! search engines, data portals and anything that reads linked data.

use chrono::SecondsFormat;
use serde_json::{Value, json};

use super::{Citable, VersionState};
use crate::domain::organisation::OrganisationSummary;

pub fn document(citable: &Citable) -> Value {
    let case_study = citable.case_study;
    let content = &case_study.content;
    let stamp = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    let subjects = citable.subjects();
    let about: Vec<Value> = subjects
        .iter()
        .map(|subject| {
            json!({
                "@type": "DefinedTerm",
                "@id": citable.subject_uri(subject),
                "termCode": subject.code,
                "name": subject.label,
                "inDefinedTermSet": {
                    "@type": "DefinedTermSet",
                    "@id": citable.scheme_uri(subject),
                    "name": subject.scheme_name,
                },
            })
        })
        .collect();
    let members: Vec<Value> = citable
        .partners()
        .map(|(organisation, role)| {
            json!({
                "@type": "OrganizationRole",
                "roleName": role.to_string(),
                "member": organisation_node(citable, organisation),
            })
        })
        .collect();
    let funders: Vec<Value> = citable
        .funders()
        .into_iter()
        .map(|o| organisation_node(citable, o))
        .collect();
    let mut project = json!({
        "@type": "Project",
        "name": content.title,
        "member": members,
        "funder": funders,
    });
    let mut article = json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "@id": citable.version_url(),
        "url": citable.url(),
        "identifier": citable.version_url(),
        "sameAs": citable.url(),
        "name": content.title,
        "headline": content.title,
        "abstract": content.summary,
        "inLanguage": "en-GB",
        "isAccessibleForFree": true,
        "genre": "Co-production case study",
        "author": citable.creators().into_iter().map(|o| organisation_node(citable, o)).collect::<Vec<_>>(),
        "funder": funders,
        "publisher": {"@type": "Organization", "name": citable.site.publisher},
        "keywords": subjects.iter().map(|s| s.label).collect::<Vec<_>>(),
        "about": about,
        "license": content.license.url(),
        "datePublished": stamp(citable.first_published()),
        "dateModified": stamp(citable.issued()),
        "version": citable.publication.number.to_string(),
        "creativeWorkStatus": match citable.publication.state {
            VersionState::Current => "Published",
            VersionState::Superseded => "Superseded",
            VersionState::Withdrawn => "Withdrawn",
        },
    });
    if let Some(place) = citable.place() {
        let place = json!({"@type": "Place", "name": place});
        article["spatialCoverage"] = place.clone();
        project["location"] = place;
    }
    if let Some(temporal) = citable.temporal() {
        article["temporalCoverage"] = temporal.into();
    }
    if let Some(doi) = &citable.publication.doi {
        article["identifier"] = json!([citable.version_url(), doi.url()]);
        article["sameAs"] = json!([citable.url(), doi.url()]);
    }
    article["about"]
        .as_array_mut()
        .expect("about is a list")
        .insert(0, project);
    article
}

fn organisation_node(citable: &Citable, organisation: &OrganisationSummary) -> Value {
    let ids = &organisation.identifiers;
    let mut identifiers = Vec::new();
    let mut push = |scheme: &str, value: &Option<String>| {
        if let Some(value) = value {
            identifiers
                .push(json!({"@type": "PropertyValue", "propertyID": scheme, "value": value}));
        }
    };
    push("ROR", &ids.ror);
    push("UK charity number", &ids.charity_number);
    push("Companies House number", &ids.company_number);
    push("GSS code", &ids.gss_code);
    let mut node = json!({
        "@type": "Organization",
        "@id": format!("{}/api/v1/organisations/{}", citable.site.base, organisation.slug),
        "name": organisation.name,
    });
    if !identifiers.is_empty() {
        node["identifier"] = identifiers.into();
    }
    if let Some(ror) = &ids.ror {
        node["sameAs"] = ror.clone().into();
    }
    node
}
