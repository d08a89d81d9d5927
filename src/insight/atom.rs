//! The newest published case studies as an Atom feed (RFC 4287), for feed readers.

use std::fmt::Write;

use chrono::{DateTime, SecondsFormat, Utc};

use crate::markup::escape;

pub struct Entry {
    pub id: uuid::Uuid,
    pub title: String,
    pub summary: String,
    pub owner: String,
    pub published: DateTime<Utc>,
    pub updated: DateTime<Utc>,
}

/// `base` is where the service is reached, for the links (e.g. `https://casebook.example.org`).
pub fn feed(base: &str, entries: &[Entry]) -> String {
    let stamp = |t: &DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or(DateTime::UNIX_EPOCH);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(xml, "  <id>{}/api/v1/feed.atom</id>", escape(base));
    xml.push_str("  <title>casebook: co-production case studies</title>\n");
    let _ = writeln!(xml, "  <updated>{}</updated>", stamp(&updated));
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" href=\"{}/api/v1/feed.atom\"/>",
        escape(base)
    );
    for entry in entries {
        xml.push_str("  <entry>\n");
        let _ = writeln!(xml, "    <id>urn:uuid:{}</id>", entry.id);
        let _ = writeln!(xml, "    <title>{}</title>", escape(&entry.title));
        let _ = writeln!(
            xml,
            "    <link rel=\"alternate\" type=\"application/json\" href=\"{}/api/v1/case-studies/{}\"/>",
            escape(base),
            entry.id
        );
        let _ = writeln!(
            xml,
            "    <published>{}</published>",
            stamp(&entry.published)
        );
        let _ = writeln!(xml, "    <updated>{}</updated>", stamp(&entry.updated));
        let _ = writeln!(
            xml,
            "    <author><name>{}</name></author>",
            escape(&entry.owner)
        );
        let _ = writeln!(xml, "    <summary>{}</summary>", escape(&entry.summary));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}
