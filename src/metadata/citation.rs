//! Citations for reference managers: CSL-JSON, BibTeX and RIS, each naming the version
//! cited and its permanent address.

use std::fmt::Write;

use chrono::Datelike;
use serde_json::{Value, json};

use super::Citable;

/// CSL-JSON: one item, as citation processors (citeproc-js, citeproc-py, pandoc) take it.
pub fn csl(citable: &Citable) -> Value {
    let issued = citable.issued();
    let mut item = json!({
        "id": citable.key(),
        "type": "report",
        "genre": "Co-production case study",
        "title": citable.title(),
        "abstract": citable.summary(),
        "author": citable.creators().iter().map(|o| json!({"literal": o.name})).collect::<Vec<_>>(),
        "publisher": citable.site.publisher,
        "issued": {"date-parts": [[issued.year(), issued.month(), issued.day()]]},
        "URL": citable.version_url(),
        "version": citable.publication.number.to_string(),
        "keyword": citable.subjects().iter().map(|s| s.label).collect::<Vec<_>>().join(", "),
        "language": "en-GB",
        "license": citable.case_study.content.license.id(),
    });
    if let Some(note) = citable.publication.note() {
        item["note"] = note.into();
    }
    if let Some(doi) = &citable.publication.doi {
        item["DOI"] = doi.as_str().into();
    }
    if let Some(place) = citable.place() {
        item["event-place"] = place.into();
    }
    item
}

/// BibTeX: a `@misc` entry, organisations as corporate authors (braced, so no style takes
/// "Scottish Borders Council" for a person's name).
pub fn bibtex(citable: &Citable) -> String {
    let text = |value: &str| format!("{{{}}}", escape_bibtex(value));
    let subjects: Vec<&str> = citable.subjects().iter().map(|s| s.label).collect();
    let authors: Vec<String> = citable.creators().iter().map(|o| text(&o.name)).collect();
    let number = citable.publication.number;
    let mut fields: Vec<(&str, String)> = vec![
        // Braced twice: styles lower-case a title's words unless they are protected.
        ("title", format!("{{{}}}", text(citable.title()))),
        ("author", format!("{{{}}}", authors.join(" and "))),
        ("year", citable.year().to_string()),
        (
            "month",
            MONTHS[citable.issued().month0() as usize].to_owned(),
        ),
        ("publisher", text(&citable.site.publisher)),
        (
            "howpublished",
            text(&format!("Co-production case study, version {number}")),
        ),
        ("version", number.to_string()),
        // Addresses are written as they are: `url` fields are read verbatim.
        ("url", format!("{{{}}}", citable.version_url())),
        ("abstract", text(citable.summary())),
        ("keywords", text(&subjects.join(", "))),
        ("copyright", text(citable.case_study.content.license.id())),
    ];
    if let Some(note) = citable.publication.note() {
        fields.push(("note", text(&note)));
    }
    // Read verbatim like `url`; a DOI holding a brace or backslash could not be, and the
    // address still leads to the work.
    if let Some(doi) = &citable.publication.doi
        && !doi.as_str().contains(['{', '}', '\\'])
    {
        fields.push(("doi", format!("{{{doi}}}")));
    }
    let mut entry = format!("@misc{{{},\n", citable.key());
    for (name, value) in fields {
        let _ = writeln!(entry, "  {name} = {value},");
    }
    entry.push_str("}\n");
    entry
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Characters BibTeX or LaTeX would read as commands, written as text; line breaks become
/// spaces (a blank line would end a field in some parsers).
fn escape_bibtex(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => escaped.push_str("\\textbackslash{}"),
            // BibTeX counts braces even after a backslash: a lone one would unbalance the field.
            '{' => escaped.push_str("\\textbraceleft{}"),
            '}' => escaped.push_str("\\textbraceright{}"),
            '%' | '&' | '$' | '#' | '_' => {
                escaped.push('\\');
                escaped.push(c);
            }
            '~' => escaped.push_str("\\textasciitilde{}"),
            '^' => escaped.push_str("\\textasciicircum{}"),
            '\n' | '\r' => escaped.push(' '),
            c => escaped.push(c),
        }
    }
    escaped
}

/// RIS: one `RPRT` record; each tag on its own line, so text is kept to one line.
pub fn ris(citable: &Citable) -> String {
    let mut lines: Vec<(&str, String)> = vec![
        ("TY", "RPRT".to_owned()),
        ("TI", citable.title().to_owned()),
    ];
    lines.extend(citable.creators().iter().map(|o| ("AU", o.name.clone())));
    lines.extend([
        ("AB", citable.summary().to_owned()),
        ("PY", citable.year().to_string()),
        ("DA", citable.issued().format("%Y/%m/%d/").to_string()),
        ("PB", citable.site.publisher.clone()),
        ("ET", format!("Version {}", citable.publication.number)),
        ("M3", "Co-production case study".to_owned()),
        ("UR", citable.version_url()),
        (
            "DO",
            citable
                .publication
                .doi
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        ),
        ("LA", "en-GB".to_owned()),
    ]);
    lines.extend(
        citable
            .subjects()
            .iter()
            .map(|s| ("KW", s.label.to_owned())),
    );
    if let Some(place) = citable.place() {
        lines.push(("CY", place));
    }
    lines.push((
        "N1",
        match citable.publication.note() {
            Some(note) => format!(
                "Licence: {}. {note}",
                citable.case_study.content.license.id()
            ),
            None => format!("Licence: {}.", citable.case_study.content.license.id()),
        },
    ));
    let mut record = String::new();
    for (tag, value) in lines.into_iter().filter(|(_, value)| !value.is_empty()) {
        let value: String = value
            .chars()
            .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
            .collect();
        let _ = write!(record, "{tag}  - {}\r\n", value.trim());
    }
    record.push_str("ER  - \r\n");
    record
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latex_specials_stay_text() {
        assert_eq!(
            escape_bibtex("50% & {more}_x\\"),
            "50\\% \\& \\textbraceleft{}more\\textbraceright{}\\_x\\textbackslash{}"
        );
    }
}
