// Diesel's view of the tables in `migrations/`; keep the two in step.

diesel::table! {
    organisations (id) {
        id -> Uuid,
        slug -> Text,
        name -> Text,
        kind -> Text,
        website -> Nullable<Text>,
        description -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        identifiers -> Jsonb,
    }
}

diesel::table! {
    case_studies (id) {
        id -> Uuid,
        slug -> Text,
        owner_id -> Uuid,
        status -> Text,
        title -> Text,
        summary -> Text,
        you_asked -> Nullable<Text>,
        we_said -> Nullable<Text>,
        we_did -> Nullable<Text>,
        what_worked -> Nullable<Text>,
        could_improve -> Nullable<Text>,
        quadrants -> Array<Text>,
        journey_steps -> Array<Text>,
        coproduction_values -> Array<Text>,
        scale -> Text,
        sector -> Text,
        locality -> Nullable<Text>,
        country -> Text,
        start_year -> Nullable<SmallInt>,
        end_year -> Nullable<SmallInt>,
        version -> Integer,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        published_at -> Nullable<Timestamptz>,
        live_version -> Integer,
        pending_status -> Nullable<Text>,
        practice -> Jsonb,
        license -> Text,
        doi -> Nullable<Text>,
    }
}

diesel::table! {
    case_study_partners (case_study_id, organisation_id) {
        case_study_id -> Uuid,
        organisation_id -> Uuid,
        role -> Text,
        position -> SmallInt,
    }
}

diesel::table! {
    case_study_outcomes (case_study_id, position) {
        case_study_id -> Uuid,
        position -> SmallInt,
        category -> Text,
        description -> Text,
        metric_value -> Nullable<Double>,
        metric_unit -> Nullable<Text>,
    }
}

diesel::table! {
    case_study_self_assessments (case_study_id, question) {
        case_study_id -> Uuid,
        question -> Text,
        answer -> Text,
        note -> Text,
    }
}

diesel::table! {
    attachments (id) {
        id -> Uuid,
        case_study_id -> Uuid,
        filename -> Text,
        title -> Nullable<Text>,
        media_type -> Text,
        alt -> Nullable<Text>,
        consent -> Bool,
        published -> Bool,
        size -> BigInt,
        sha256 -> Bytea,
        author_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    attachment_chunks (attachment_id, position) {
        attachment_id -> Uuid,
        position -> Integer,
        bytes -> Bytea,
    }
}

diesel::table! {
    case_study_former_slugs (slug) {
        slug -> Text,
        case_study_id -> Uuid,
        retired_at -> Timestamptz,
    }
}

diesel::table! {
    case_study_revisions (case_study_id, number) {
        case_study_id -> Uuid,
        number -> Integer,
        status -> Text,
        document -> Jsonb,
        message -> Nullable<Text>,
        created_at -> Timestamptz,
        author_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    case_study_comments (id) {
        id -> Uuid,
        case_study_id -> Uuid,
        revision -> Integer,
        author_id -> Nullable<Uuid>,
        body -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        email -> Text,
        organisation_id -> Uuid,
        role -> Text,
        password_hash -> Text,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        deactivated_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Uuid,
        user_id -> Uuid,
        family_id -> Uuid,
        token_hash -> Bytea,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    audit_events (id) {
        id -> BigInt,
        occurred_at -> Timestamptz,
        kind -> Text,
        actor_id -> Nullable<Uuid>,
        user_id -> Nullable<Uuid>,
        organisation_id -> Nullable<Uuid>,
        case_study_id -> Nullable<Uuid>,
        client -> Nullable<Text>,
        detail -> Jsonb,
        api_key_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Uuid,
        user_id -> Uuid,
        name -> Text,
        scopes -> Array<Text>,
        key_hash -> Bytea,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    search_documents (doc) {
        doc -> Integer,
        case_study_id -> Uuid,
    }
}

diesel::table! {
    change_log (seq) {
        seq -> BigInt,
        entity -> Text,
        entity_id -> Uuid,
        kind -> Text,
        public -> Bool,
        occurred_at -> Timestamptz,
    }
}

diesel::joinable!(case_studies -> organisations (owner_id));
diesel::joinable!(api_keys -> users (user_id));
diesel::joinable!(search_documents -> case_studies (case_study_id));
diesel::joinable!(case_study_partners -> case_studies (case_study_id));
diesel::joinable!(case_study_partners -> organisations (organisation_id));
diesel::joinable!(case_study_outcomes -> case_studies (case_study_id));
diesel::joinable!(case_study_revisions -> case_studies (case_study_id));
diesel::joinable!(case_study_former_slugs -> case_studies (case_study_id));
diesel::joinable!(case_study_comments -> case_studies (case_study_id));
diesel::joinable!(users -> organisations (organisation_id));
diesel::joinable!(refresh_tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    case_studies,
    case_study_partners,
    case_study_outcomes,
    case_study_self_assessments,
    case_study_revisions,
    case_study_former_slugs,
    case_study_comments,
    users,
    refresh_tokens,
    api_keys,
    audit_events,
    search_documents,
    change_log,
);
