//! The demo case studies: the stories of the Scottish Borders co-production toolkit,
//! loaded into an empty database so a newcomer's first request returns something real.

use serde::Deserialize;

use crate::db::{self, PgConnection, case_studies, organisations};
use crate::domain::case_study::CaseStudyInput;
use crate::domain::license::License;
use crate::domain::organisation::OrganisationInput;
use crate::domain::user::Actor;
use crate::domain::vocabulary::Status;
use crate::editorial::{self, Owner};

const DEMO_DATA: &str = include_str!("../data/demo.json");

#[derive(Deserialize)]
struct DemoData {
    organisations: Vec<OrganisationInput>,
    case_studies: Vec<CaseStudyInput>,
}

/// Loads the demo data when there are no case studies at all; returns how many it loaded.
/// Runs under the start-up lock, so instances starting together load it once.
pub async fn load_if_empty(
    conn: &mut PgConnection,
    license: License,
) -> anyhow::Result<Option<usize>> {
    db::with_startup_lock(conn, async |conn| {
        if case_studies::count(conn).await? > 0 {
            return Ok(None);
        }
        let data: DemoData = serde_json::from_str(DEMO_DATA)?;
        for input in data.organisations {
            let organisation = input.parse().map_err(invalid)?;
            if organisations::find_by_slug(conn, &organisation.slug)
                .await?
                .is_none()
            {
                organisations::insert(conn, &organisation).await?;
            }
        }
        let count = data.case_studies.len();
        for input in data.case_studies {
            let (document, _) = input.parse(license).map_err(invalid)?;
            editorial::create(
                conn,
                document,
                Owner::LeadPartner,
                Status::Published,
                &Actor::default(),
            )
            .await?;
        }
        Ok(Some(count))
    })
    .await
}

fn invalid(errors: Vec<crate::error::FieldError>) -> anyhow::Error {
    anyhow::anyhow!("the demo data breaks the rules: {errors:?}")
}
