//! The controlled lists are written once, in Rust; the database's CHECK constraints must agree.

use std::collections::BTreeSet;

use casebook::domain::vocabulary::*;
use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;

use crate::helpers::spawn_app;

#[derive(diesel::QueryableByName)]
struct Definition {
    #[diesel(sql_type = Text)]
    definition: String,
}

fn codes<V: Vocabulary>() -> BTreeSet<String> {
    V::CODES.iter().map(|c| c.to_string()).collect()
}

#[tokio::test]
async fn database_constraints_allow_exactly_the_rust_vocabularies() {
    let app = spawn_app().await;
    let mut conn = app.pool.get().await.unwrap();
    let cases = [
        ("case_studies_quadrants_check", codes::<StarQuadrant>()),
        ("case_studies_journey_steps_check", codes::<JourneyStep>()),
        (
            "case_studies_coproduction_values_check",
            codes::<CoproductionValue>(),
        ),
        ("case_studies_scale_check", codes::<Scale>()),
        ("case_studies_sector_check", codes::<Sector>()),
        ("case_studies_country_check", codes::<Country>()),
        ("case_studies_status_check", codes::<Status>()),
        ("case_study_partners_role_check", codes::<PartnerRole>()),
        (
            "case_study_outcomes_category_check",
            codes::<OutcomeCategory>(),
        ),
        (
            "case_study_outcomes_metric_unit_check",
            codes::<MetricUnit>(),
        ),
        ("organisations_kind_check", codes::<OrganisationKind>()),
        ("users_role_check", codes::<Role>()),
        ("audit_events_kind_check", codes::<AuditKind>()),
        ("change_log_kind_check", codes::<ChangeKind>()),
        ("change_log_entity_check", codes::<ChangedEntity>()),
        (
            "case_study_self_assessments_question_check",
            codes::<AssessmentQuestion>(),
        ),
        (
            "case_study_self_assessments_answer_check",
            codes::<AssessmentAnswer>(),
        ),
        (
            "case_studies_pending_status_check",
            ["draft".to_owned(), "submitted".to_owned()].into(),
        ),
    ];
    for (constraint, expected) in cases {
        let Definition { definition } = diesel::sql_query(
            "SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conname = $1",
        )
        .bind::<Text, _>(constraint)
        .get_result(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{constraint}: {e}"));
        let in_database: BTreeSet<String> = definition
            .split('\'')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect();
        assert_eq!(in_database, expected, "{constraint}: {definition}");
    }
}
