//! The XML formats: DataCite Metadata Schema 4.5 (what DOIs are registered with, and what
//! research repositories harvest) and simple Dublin Core (`oai_dc`, every OAI-PMH
//! harvester's common ground).

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::{Citable, VersionState};
use crate::domain::organisation::OrganisationSummary;

pub type XmlWriter = Writer<Vec<u8>>;

pub const DATACITE: &str = "http://datacite.org/schema/kernel-4";
const DATACITE_SCHEMA: &str =
    "http://datacite.org/schema/kernel-4 https://schema.datacite.org/meta/kernel-4.5/metadata.xsd";
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
pub const OAI_DC: &str = "http://www.openarchives.org/OAI/2.0/oai_dc/";
pub const OAI_DC_SCHEMA: &str = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd";
const DC: &str = "http://purl.org/dc/elements/1.1/";

/// A whole XML document, declaration first.
pub fn document(write: impl FnOnce(&mut XmlWriter) -> io::Result<()>) -> io::Result<String> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    write(&mut writer)?;
    String::from_utf8(writer.into_inner()).map_err(io::Error::other)
}

pub fn text(writer: &mut XmlWriter, name: &str, value: &str) -> io::Result<()> {
    writer
        .create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

/// The DataCite record, as its own XML document.
pub fn datacite(citable: &Citable) -> io::Result<String> {
    document(|writer| datacite_resource(writer, citable))
}

/// The DataCite `resource` element, for a document of its own or an OAI-PMH record.
pub fn datacite_resource(writer: &mut XmlWriter, citable: &Citable) -> io::Result<()> {
    let license = citable.case_study.content.license;
    writer
        .create_element("resource")
        .with_attributes([
            ("xmlns", DATACITE),
            ("xmlns:xsi", XSI),
            ("xsi:schemaLocation", DATACITE_SCHEMA),
        ])
        .write_inner_content(|w| {
            if let Some(doi) = &citable.publication.doi {
                w.create_element("identifier")
                    .with_attribute(("identifierType", "DOI"))
                    .write_text_content(BytesText::new(doi.as_str()))?;
            }
            w.create_element("creators").write_inner_content(|w| {
                for organisation in citable.creators() {
                    w.create_element("creator").write_inner_content(|w| {
                        w.create_element("creatorName")
                            .with_attribute(("nameType", "Organizational"))
                            .write_text_content(BytesText::new(&organisation.name))?;
                        name_identifier(w, organisation)
                    })?;
                }
                Ok(())
            })?;
            w.create_element("titles").write_inner_content(|w| {
                w.create_element("title")
                    .with_attribute(("xml:lang", "en"))
                    .write_text_content(BytesText::new(citable.title()))?;
                Ok(())
            })?;
            text(w, "publisher", &citable.site.publisher)?;
            text(w, "publicationYear", &citable.year().to_string())?;
            w.create_element("resourceType")
                .with_attribute(("resourceTypeGeneral", "Text"))
                .write_text_content(BytesText::new("Co-production case study"))?;
            w.create_element("subjects").write_inner_content(|w| {
                for subject in citable.subjects() {
                    w.create_element("subject")
                        .with_attributes([
                            ("subjectScheme", subject.scheme_name),
                            ("schemeURI", &citable.scheme_uri(&subject)),
                            ("valueURI", &citable.subject_uri(&subject)),
                            ("xml:lang", "en"),
                        ])
                        .write_text_content(BytesText::new(subject.label))?;
                }
                Ok(())
            })?;
            w.create_element("dates").write_inner_content(|w| {
                let day = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d").to_string();
                w.create_element("date")
                    .with_attribute(("dateType", "Issued"))
                    .write_text_content(BytesText::new(&day(citable.issued())))?;
                w.create_element("date")
                    .with_attribute(("dateType", "Available"))
                    .write_text_content(BytesText::new(&day(citable.first_published())))?;
                if citable.publication.state == VersionState::Withdrawn {
                    w.create_element("date")
                        .with_attribute(("dateType", "Withdrawn"))
                        .write_text_content(BytesText::new(&day(citable.case_study.updated_at)))?;
                }
                // DataCite's dates are closed: work still running is its start year, said so.
                let content = &citable.case_study.content;
                let years = match (content.start_year, content.end_year) {
                    (Some(start), Some(end)) if start == end => {
                        Some((start.to_string(), "The year the work ran"))
                    }
                    (Some(start), Some(end)) => {
                        Some((format!("{start}/{end}"), "The years the work ran"))
                    }
                    (Some(start), None) => {
                        Some((start.to_string(), "The year the work began; it goes on"))
                    }
                    (None, Some(end)) => Some((end.to_string(), "The year the work ended")),
                    (None, None) => None,
                };
                if let Some((years, information)) = years {
                    w.create_element("date")
                        .with_attributes([("dateType", "Other"), ("dateInformation", information)])
                        .write_text_content(BytesText::new(&years))?;
                }
                Ok(())
            })?;
            text(w, "language", "en")?;
            w.create_element("alternateIdentifiers")
                .write_inner_content(|w| {
                    w.create_element("alternateIdentifier")
                        .with_attribute(("alternateIdentifierType", "URL"))
                        .write_text_content(BytesText::new(&citable.version_url()))?;
                    Ok(())
                })?;
            w.create_element("relatedIdentifiers")
                .write_inner_content(|w| {
                    let related = |w: &mut XmlWriter, relation: &str, url: &str| {
                        w.create_element("relatedIdentifier")
                            .with_attributes([
                                ("relatedIdentifierType", "URL"),
                                ("relationType", relation),
                            ])
                            .write_text_content(BytesText::new(url))
                            .map(|_| ())
                    };
                    related(w, "IsVersionOf", &citable.url())?;
                    let number = citable.publication.number;
                    if number > 1 {
                        related(w, "IsNewVersionOf", &citable.numbered_url(number - 1))?;
                    }
                    if number < citable.publication.latest {
                        related(w, "IsPreviousVersionOf", &citable.numbered_url(number + 1))?;
                    }
                    for id in citable.related {
                        related(w, "References", &citable.site.case_study_url(*id))?;
                    }
                    Ok(())
                })?;
            text(w, "version", &citable.publication.number.to_string())?;
            w.create_element("rightsList").write_inner_content(|w| {
                w.create_element("rights")
                    .with_attributes([
                        ("rightsURI", license.url().as_str()),
                        ("rightsIdentifier", license.id()),
                        ("rightsIdentifierScheme", "SPDX"),
                        ("schemeURI", "https://spdx.org/licenses/"),
                    ])
                    .write_text_content(BytesText::new(license.full_name()))?;
                Ok(())
            })?;
            w.create_element("descriptions").write_inner_content(|w| {
                w.create_element("description")
                    .with_attributes([("descriptionType", "Abstract"), ("xml:lang", "en")])
                    .write_text_content(BytesText::new(citable.summary()))?;
                if let Some(note) = citable.publication.note() {
                    w.create_element("description")
                        .with_attribute(("descriptionType", "Other"))
                        .write_text_content(BytesText::new(&note))?;
                }
                Ok(())
            })?;
            if let Some(place) = citable.place() {
                w.create_element("geoLocations").write_inner_content(|w| {
                    w.create_element("geoLocation")
                        .write_inner_content(|w| text(w, "geoLocationPlace", &place))?;
                    Ok(())
                })?;
            }
            let funders = citable.funders();
            if !funders.is_empty() {
                w.create_element("fundingReferences")
                    .write_inner_content(|w| {
                        for funder in funders {
                            w.create_element("fundingReference")
                                .write_inner_content(|w| {
                                    text(w, "funderName", &funder.name)?;
                                    if let Some(ror) = &funder.identifiers.ror {
                                        w.create_element("funderIdentifier")
                                            .with_attributes([
                                                ("funderIdentifierType", "ROR"),
                                                ("schemeURI", "https://ror.org/"),
                                            ])
                                            .write_text_content(BytesText::new(ror))?;
                                    }
                                    Ok(())
                                })?;
                        }
                        Ok(())
                    })?;
            }
            Ok(())
        })?;
    Ok(())
}

/// An organisation's register numbers, as DataCite names them.
fn name_identifier(w: &mut XmlWriter, organisation: &OrganisationSummary) -> io::Result<()> {
    let ids = &organisation.identifiers;
    let schemes = [
        ("ROR", Some("https://ror.org/"), &ids.ror),
        ("UK Charity Number", None, &ids.charity_number),
        (
            "Companies House",
            Some("https://find-and-update.company-information.service.gov.uk/company/"),
            &ids.company_number,
        ),
        ("GSS", None, &ids.gss_code),
    ];
    for (scheme, uri, value) in schemes {
        let Some(value) = value else { continue };
        let mut element = w
            .create_element("nameIdentifier")
            .with_attribute(("nameIdentifierScheme", scheme));
        if let Some(uri) = uri {
            element = element.with_attribute(("schemeURI", uri));
        }
        element.write_text_content(BytesText::new(value))?;
    }
    Ok(())
}

/// Simple Dublin Core, as OAI-PMH's `oai_dc` wraps it.
pub fn dublin_core(citable: &Citable) -> io::Result<String> {
    document(|writer| dublin_core_element(writer, citable))
}

pub fn dublin_core_element(writer: &mut XmlWriter, citable: &Citable) -> io::Result<()> {
    let schema_location = format!("{OAI_DC} {OAI_DC_SCHEMA}");
    writer
        .create_element("oai_dc:dc")
        .with_attributes([
            ("xmlns:oai_dc", OAI_DC),
            ("xmlns:dc", DC),
            ("xmlns:xsi", XSI),
            ("xsi:schemaLocation", schema_location.as_str()),
        ])
        .write_inner_content(|w| {
            text(w, "dc:title", citable.title())?;
            for creator in citable.creators() {
                text(w, "dc:creator", &creator.name)?;
            }
            for subject in citable.subjects() {
                text(w, "dc:subject", subject.label)?;
            }
            text(w, "dc:description", citable.summary())?;
            text(w, "dc:publisher", &citable.site.publisher)?;
            for funder in citable.funders() {
                text(w, "dc:contributor", &funder.name)?;
            }
            text(
                w,
                "dc:date",
                &citable.issued().format("%Y-%m-%d").to_string(),
            )?;
            text(w, "dc:type", "Text")?;
            text(w, "dc:identifier", &citable.version_url())?;
            text(w, "dc:identifier", &citable.url())?;
            if let Some(doi) = &citable.publication.doi {
                text(w, "dc:identifier", &doi.url())?;
            }
            text(w, "dc:language", "en")?;
            if let Some(place) = citable.place() {
                text(w, "dc:coverage", &place)?;
            }
            if let Some(temporal) = citable.temporal() {
                text(w, "dc:coverage", &temporal)?;
            }
            text(w, "dc:rights", &citable.case_study.content.license.url())?;
            Ok(())
        })?;
    Ok(())
}
