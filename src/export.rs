//! Case studies written out for spreadsheets and other systems: CSV (one row each, lists
//! joined with "; ") and NDJSON (the document as the API returns it, one a line); and the
//! slots that bound how many exports stream at once, so that slow readers can never starve
//! the rest of the API.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures_util::Stream;
use utoipa::ToSchema;

use crate::config::ExportLimits;
use crate::error::ApiError;
use crate::metadata::Site;

use crate::domain::case_study::CaseStudy;
use crate::domain::vocabulary::{PartnerRole, Vocabulary};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Ndjson,
}

/// A CSV column: its heading, and how a case study fills it.
type Column = (&'static str, fn(&CaseStudy) -> String);

/// The columns of the CSV, in order; lists are joined with "; ".
const CSV_COLUMNS: &[Column] = &[
    ("id", |c| c.id.to_string()),
    ("slug", |c| c.slug.clone()),
    ("title", |c| c.content.title.clone()),
    ("summary", |c| c.content.summary.clone()),
    ("status", |c| c.status.code().to_owned()),
    ("quadrants", |c| codes(&c.content.quadrants)),
    ("journey_steps", |c| codes(&c.content.journey_steps)),
    ("values", |c| codes(&c.content.values)),
    ("scale", |c| c.content.scale.code().to_owned()),
    ("sector", |c| c.content.sector.code().to_owned()),
    ("locality", |c| text(&c.content.locality)),
    ("country", |c| c.content.country.code().to_owned()),
    ("start_year", |c| year(c.content.start_year)),
    ("end_year", |c| year(c.content.end_year)),
    ("owner", |c| c.owner.name.clone()),
    ("partners", |c| {
        joined(
            c.partners
                .iter()
                .map(|p| format!("{} ({})", p.organisation.name, p.role)),
        )
    }),
    ("community_partners", |c| {
        joined(
            c.partners
                .iter()
                .filter(|p| p.role == PartnerRole::Community)
                .map(|p| p.organisation.name.clone()),
        )
    }),
    ("outcomes", |c| {
        joined(c.outcomes.iter().map(|o| o.category.code().to_owned()))
    }),
    ("outcome_figures", |c| {
        joined(c.outcomes.iter().filter_map(|o| {
            o.metric
                .map(|m| format!("{} {}", serde_json::json!(m)["value"], m.unit))
        }))
    }),
    ("you_asked", |c| text(&c.content.you_asked)),
    ("we_said", |c| text(&c.content.we_said)),
    ("we_did", |c| text(&c.content.we_did)),
    ("what_worked", |c| text(&c.content.what_worked)),
    ("could_improve", |c| text(&c.content.could_improve)),
    ("objectives", |c| text(&c.content.practice.objectives)),
    ("leadership", |c| text(&c.content.practice.leadership)),
    ("next_steps", |c| text(&c.content.practice.next_steps)),
    ("obstacles", |c| {
        joined(
            c.content
                .practice
                .obstacles
                .iter()
                .map(|o| format!("{} (overcome by: {})", o.obstacle, o.overcome_by)),
        )
    }),
    ("total_cost_gbp", |c| {
        number(c.content.practice.total_cost_gbp)
    }),
    ("total_hours", |c| number(c.content.practice.total_hours)),
    ("cost_band", |c| {
        c.content.practice.cost_band.code().to_owned()
    }),
    ("indicators", |c| {
        joined(c.content.practice.indicators.iter().map(|i| {
            let reading = |r: &crate::domain::practice::Reading| {
                format!("{} {} ({})", number(r.value), i.unit, r.year)
            };
            match &i.baseline {
                Some(baseline) => format!(
                    "{}: {} to {}",
                    i.name,
                    reading(baseline),
                    reading(&i.result)
                ),
                None => format!("{}: {}", i.name, reading(&i.result)),
            }
        }))
    }),
    ("evidence_level", |c| {
        let evidence = c.content.practice.evidence.as_ref();
        evidence
            .map(|e| e.level.number().to_string())
            .unwrap_or_default()
    }),
    ("evaluation", |c| {
        let evidence = c.content.practice.evidence.as_ref();
        evidence
            .map(|e| e.evaluation.code().to_owned())
            .unwrap_or_default()
    }),
    // Rows are public views: only quotes whose speakers consented reach here.
    ("quotes", |c| {
        joined(
            c.content
                .practice
                .quotes
                .iter()
                .map(|q| format!("\u{201c}{}\u{201d} ({})", q.text, q.speaker)),
        )
    }),
    ("published_at", |c| {
        c.published_at.map(|t| t.to_rfc3339()).unwrap_or_default()
    }),
    ("license", |c| c.content.license.id().to_owned()),
];

/// The column after the document's own: the case study's permanent address.
const URL_COLUMN: &str = "url";

/// The headings, after a byte-order mark so spreadsheets read the file as UTF-8.
pub fn csv_header() -> String {
    let headings: Vec<&str> = CSV_COLUMNS
        .iter()
        .map(|(heading, _)| *heading)
        .chain([URL_COLUMN])
        .collect();
    format!("\u{feff}{}\r\n", headings.join(","))
}

/// A line of NDJSON: the document, and where it permanently lives.
#[derive(serde::Serialize)]
struct Exported<'a> {
    #[serde(flatten)]
    case_study: &'a CaseStudy,
    url: String,
}

/// One case study, as a line of the export.
pub fn encode(format: ExportFormat, row: &CaseStudy, site: &Site) -> String {
    let url = site.case_study_url(row.id);
    match format {
        ExportFormat::Ndjson => {
            let line = Exported {
                case_study: row,
                url,
            };
            format!("{}\n", serde_json::to_string(&line).unwrap_or_default())
        }
        ExportFormat::Csv => {
            let cells: Vec<String> = CSV_COLUMNS
                .iter()
                .map(|(_, cell)| csv_cell(&cell(row)))
                .chain([csv_cell(&url)])
                .collect();
            format!("{}\r\n", cells.join(","))
        }
    }
}

fn codes<V: Vocabulary>(members: &[V]) -> String {
    joined(members.iter().map(|m| m.code().to_owned()))
}

fn joined(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join("; ")
}

fn text(text: &Option<String>) -> String {
    text.clone().unwrap_or_default()
}

/// Whole numbers without a decimal point, as the JSON writes them.
fn number(value: f64) -> String {
    serde_json::json!(value)
        .to_string()
        .trim_end_matches(".0")
        .to_owned()
}

fn year(year: Option<i16>) -> String {
    year.map(|y| y.to_string()).unwrap_or_default()
}

/// RFC 4180 quoting, and a leading apostrophe for cells a spreadsheet would take for a
/// formula (`=`, `+`, `-`, `@`, tab, carriage return): exported text must never run.
fn csv_cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// Exports streaming now, in total and by client.
pub struct ExportSlots {
    limits: ExportLimits,
    taken: Mutex<HashMap<String, usize>>,
}

impl ExportSlots {
    pub fn new(limits: ExportLimits) -> Arc<Self> {
        Arc::new(Self {
            limits,
            taken: Mutex::default(),
        })
    }

    /// A slot for `client`, or 429 while it (or everyone together) has as many as allowed.
    pub fn take(self: &Arc<Self>, client: &str) -> Result<ExportSlot, ApiError> {
        let mut taken = self.taken.lock().unwrap_or_else(|p| p.into_inner());
        let total: usize = taken.values().sum();
        let mine = taken.get(client).copied().unwrap_or(0);
        if total >= self.limits.total || mine >= self.limits.per_client {
            return Err(ApiError::TooManyRequests {
                what: "exports at once",
                retry_after_secs: 10,
            });
        }
        *taken.entry(client.to_owned()).or_default() += 1;
        Ok(ExportSlot {
            slots: self.clone(),
            client: client.to_owned(),
        })
    }
}

/// One export's right to stream; given back when dropped.
pub struct ExportSlot {
    slots: Arc<ExportSlots>,
    client: String,
}

impl Drop for ExportSlot {
    fn drop(&mut self) {
        let mut taken = self.slots.taken.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = taken.get_mut(&self.client) {
            *count -= 1;
            if *count == 0 {
                taken.remove(&self.client);
            }
        }
    }
}

/// An export's body that gives its slot back when the client stops reading for longer
/// than `idle`: a body nobody reads is not even polled, so a watchdog task keeps the time,
/// and the body ends with an error the next time it is polled.
pub struct Watched<S> {
    body: S,
    progress: Arc<Progress>,
}

struct Progress {
    started: Instant,
    /// Milliseconds after `started` of the last chunk handed over.
    last: AtomicU64,
    finished: AtomicBool,
    expired: AtomicBool,
    slot: Mutex<Option<ExportSlot>>,
}

impl Progress {
    fn now(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    fn release(&self) {
        self.slot.lock().unwrap_or_else(|p| p.into_inner()).take();
    }
}

impl<S> Watched<S> {
    pub fn new(body: S, slot: ExportSlot, idle: Duration) -> Self {
        let progress = Arc::new(Progress {
            started: Instant::now(),
            last: AtomicU64::new(0),
            finished: AtomicBool::new(false),
            expired: AtomicBool::new(false),
            slot: Mutex::new(Some(slot)),
        });
        let watched = Arc::downgrade(&progress);
        let idle_ms = idle.as_millis() as u64;
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(idle / 4);
            loop {
                ticks.tick().await;
                let Some(progress) = watched.upgrade() else {
                    return;
                };
                if progress.finished.load(Ordering::Relaxed) {
                    return;
                }
                if progress.now() - progress.last.load(Ordering::Relaxed) > idle_ms {
                    progress.expired.store(true, Ordering::Relaxed);
                    progress.release();
                    tracing::info!("an export was left unread; its slot is taken back");
                    return;
                }
            }
        });
        Self { body, progress }
    }
}

impl<S, E> Stream for Watched<S>
where
    S: Stream<Item = Result<actix_web::web::Bytes, E>> + Unpin,
    E: From<actix_web::error::Error>,
{
    type Item = Result<actix_web::web::Bytes, E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let progress = self.progress.clone();
        if progress.expired.swap(false, Ordering::Relaxed) {
            progress.finished.store(true, Ordering::Relaxed);
            let stopped = actix_web::error::ErrorRequestTimeout("the export was left unread");
            return Poll::Ready(Some(Err(stopped.into())));
        }
        if progress.finished.load(Ordering::Relaxed) {
            return Poll::Ready(None);
        }
        let polled = Pin::new(&mut self.body).poll_next(cx);
        match &polled {
            Poll::Ready(Some(_)) => progress.last.store(progress.now(), Ordering::Relaxed),
            Poll::Ready(None) => {
                progress.finished.store(true, Ordering::Relaxed);
                progress.release();
            }
            Poll::Pending => {}
        }
        polled
    }
}

impl<S> Drop for Watched<S> {
    fn drop(&mut self) {
        self.progress.finished.store(true, Ordering::Relaxed);
        self.progress.release();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_would_run_as_formulas_are_defused() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+44 1835"), "'+44 1835");
        assert_eq!(csv_cell("-5"), "'-5");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(
            csv_cell("Kelso, Scottish Borders"),
            "\"Kelso, Scottish Borders\""
        );
        assert_eq!(csv_cell("plain"), "plain");
    }
}
