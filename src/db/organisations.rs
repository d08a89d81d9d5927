//! Queries on `organisations`.

use std::collections::HashMap;

use diesel::prelude::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel::sql_types::{Array, Text, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, RunQueryDsl};
use uuid::Uuid;

use super::schema::organisations;
use super::{PgConnection, Prepared, changes};
use crate::domain::organisation::{
    NewOrganisation, Organisation, OrganisationRef, OrganisationSummary,
};
use crate::domain::vocabulary::{ChangeKind, ChangedEntity, OrganisationKind};
use crate::error::ApiError;

/// Adds an organisation, and says so in the change log.
pub async fn insert(
    conn: &mut PgConnection,
    new: &NewOrganisation,
) -> Result<Organisation, ApiError> {
    conn.transaction(async |conn| {
        let inserted = diesel::insert_into(organisations::table)
            .values((
                organisations::id.eq(Uuid::now_v7()),
                organisations::slug.eq(&new.slug),
                organisations::name.eq(&new.name),
                organisations::kind.eq(new.kind),
                organisations::website.eq(&new.website),
                organisations::description.eq(&new.description),
                organisations::identifiers.eq(&new.identifiers),
            ))
            .returning(Organisation::as_returning())
            .get_result::<Organisation>(conn)
            .await?;
        changes::record(
            conn,
            ChangedEntity::Organisation,
            inserted.id,
            ChangeKind::Created,
            false,
        )
        .await?;
        Ok(inserted)
    })
    .await
}

pub async fn find_by_slug(
    conn: &mut PgConnection,
    slug: &str,
) -> Result<Option<Organisation>, ApiError> {
    Ok(organisations::table
        .filter(organisations::slug.eq(slug))
        .select(Organisation::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// One page of organisations in slug order, starting after `after`.
pub async fn list(
    conn: &mut PgConnection,
    kinds: &[OrganisationKind],
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<Organisation>, ApiError> {
    let mut query = organisations::table
        .select(Organisation::as_select())
        .order(organisations::slug.asc())
        .limit(limit)
        .into_boxed();
    if !kinds.is_empty() {
        query = query.filter(organisations::kind.eq_any(kinds));
    }
    if let Some(after) = after {
        query = query.filter(organisations::slug.gt(after));
    }
    Ok(query.load(conn).await?)
}

/// Looks up every referenced organisation; the ones that do not exist come back in `Err`.
pub async fn resolve(
    conn: &mut PgConnection,
    refs: &[&OrganisationRef],
) -> Result<Result<HashMap<OrganisationRef, OrganisationSummary>, Vec<OrganisationRef>>, ApiError> {
    let mut ids: Vec<Uuid> = refs
        .iter()
        .filter_map(|r| match r {
            OrganisationRef::Id(id) => Some(*id),
            OrganisationRef::Slug(_) => None,
        })
        .collect();
    let mut slugs: Vec<&str> = refs
        .iter()
        .filter_map(|r| match r {
            OrganisationRef::Slug(slug) => Some(slug.as_str()),
            OrganisationRef::Id(_) => None,
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    slugs.sort_unstable();
    slugs.dedup();
    // Joined rather than `= ANY($1)`: a plan kept from when the table was small scans it and
    // compares every row with every element of the array, which an import of thousands of
    // references a batch made quadratic. A semi-join stays in proportion whatever the plan.
    let found: Vec<OrganisationSummary> = Prepared::new(
        "SELECT o.id, o.slug, o.name, o.kind, o.identifiers FROM organisations o
          WHERE o.id IN (SELECT unnest($1::uuid[]))
         UNION
         SELECT o.id, o.slug, o.name, o.kind, o.identifiers FROM organisations o
          WHERE o.slug IN (SELECT unnest($2::text[]))",
        |query| {
            query
                .bind::<Array<SqlUuid>, _>(&ids)
                .bind::<Array<Text>, _>(&slugs)
        },
    )
    .load(conn)
    .await?;
    let by_id: HashMap<Uuid, &OrganisationSummary> = found.iter().map(|o| (o.id, o)).collect();
    let by_slug: HashMap<&str, &OrganisationSummary> =
        found.iter().map(|o| (o.slug.as_str(), o)).collect();
    let mut resolved = HashMap::with_capacity(refs.len());
    let mut missing = Vec::new();
    for reference in refs {
        let hit = match reference {
            OrganisationRef::Id(id) => by_id.get(id),
            OrganisationRef::Slug(slug) => by_slug.get(slug.as_str()),
        };
        match hit {
            Some(organisation) => {
                resolved.insert((*reference).clone(), (*organisation).clone());
            }
            None => missing.push((*reference).clone()),
        }
    }
    Ok(if missing.is_empty() {
        Ok(resolved)
    } else {
        Err(missing)
    })
}

pub async fn summary(conn: &mut PgConnection, id: Uuid) -> Result<OrganisationSummary, ApiError> {
    Ok(organisations::table
        .find(id)
        .select(OrganisationSummary::as_select())
        .first(conn)
        .await?)
}

/// Changes an organisation; the search vectors of case studies naming it follow.
pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    changed: &NewOrganisation,
) -> Result<Organisation, ApiError> {
    conn.transaction(async |conn| {
        let updated = diesel::update(organisations::table.find(id))
            .set((
                organisations::slug.eq(&changed.slug),
                organisations::name.eq(&changed.name),
                organisations::kind.eq(changed.kind),
                organisations::website.eq(&changed.website),
                organisations::description.eq(&changed.description),
                organisations::identifiers.eq(&changed.identifiers),
                organisations::updated_at.eq(chrono::Utc::now()),
            ))
            .returning(Organisation::as_returning())
            .get_result::<Organisation>(conn)
            .await?;
        changes::record(
            conn,
            ChangedEntity::Organisation,
            id,
            ChangeKind::Changed,
            false,
        )
        .await?;
        Ok(updated)
    })
    .await
}

/// The organisation with this name, whatever its case.
pub async fn find_by_name(
    conn: &mut PgConnection,
    name: &str,
) -> Result<Option<Organisation>, ApiError> {
    Ok(organisations::table
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("lower(name) = lower(")
                .bind::<diesel::sql_types::Text, _>(name)
                .sql(")"),
        )
        .select(Organisation::as_select())
        .first(conn)
        .await
        .optional()?)
}
