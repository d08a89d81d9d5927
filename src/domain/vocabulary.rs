//! The controlled lists of co-production, written once.
//!
//! Each list is a Rust enum whose codes are what the JSON, the database CHECK constraints,
//! the OpenAPI document and `GET /api/v1/vocabularies` all use. The `vocabulary!` macro gives
//! every list the same behaviour: parsing with a clear error, serde, diesel (as `text`) and
//! an OpenAPI schema that lists the codes with their meaning.

use std::fmt;

/// A code that is not in the list it was checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    pub vocabulary: &'static str,
    pub value: String,
    pub allowed: &'static [&'static str],
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} `{}`; allowed values: {}",
            self.vocabulary,
            self.value,
            self.allowed.join(", ")
        )
    }
}

impl std::error::Error for UnknownCode {}

/// What every controlled list offers, so generic code (query parsing, vocabularies) can use any of them.
pub trait Vocabulary:
    Sized + Copy + Eq + Ord + std::hash::Hash + std::fmt::Debug + 'static
{
    /// The list's name in messages, e.g. "quadrant".
    const NAME: &'static str;
    /// Every member, in the order the domain presents them.
    const ALL: &'static [Self];
    /// Every code, in the same order.
    const CODES: &'static [&'static str];

    fn code(self) -> &'static str;
    /// Where the member stands in `ALL`.
    fn position(self) -> usize;
    fn label(self) -> &'static str;
    fn description(self) -> &'static str;

    fn parse(value: &str) -> Result<Self, UnknownCode> {
        Self::ALL
            .iter()
            .copied()
            .find(|member| member.code() == value)
            .ok_or_else(|| UnknownCode {
                vocabulary: Self::NAME,
                value: value.to_owned(),
                allowed: Self::CODES,
            })
    }
}

macro_rules! vocabulary {
    (
        $(#[doc = $type_doc:literal])*
        $name:ident as $display_name:literal {
            $( $variant:ident = $code:literal, $label:literal, $description:literal; )+
        }
    ) => {
        $(#[doc = $type_doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name {
            $( #[doc = $description] $variant, )+
        }

        impl $crate::domain::vocabulary::Vocabulary for $name {
            const NAME: &'static str = $display_name;
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            const CODES: &'static [&'static str] = &[$($code),+];

            fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }

            fn position(self) -> usize {
                // The variants are declared in the order of `ALL`.
                self as usize
            }

            fn label(self) -> &'static str {
                match self { $(Self::$variant => $label),+ }
            }

            fn description(self) -> &'static str {
                match self { $(Self::$variant => $description),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::domain::vocabulary::Vocabulary::code(*self))
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::domain::vocabulary::UnknownCode;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                <Self as $crate::domain::vocabulary::Vocabulary>::parse(value)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str($crate::domain::vocabulary::Vocabulary::code(*self))
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                <Self as $crate::domain::vocabulary::Vocabulary>::parse(&value)
                    .map_err(serde::de::Error::custom)
            }
        }

        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg>>::to_sql(
                    $crate::domain::vocabulary::Vocabulary::code(*self),
                    out,
                )
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn from_sql(value: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                let text = std::str::from_utf8(value.as_bytes())?;
                Ok(<Self as $crate::domain::vocabulary::Vocabulary>::parse(text)?)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $crate::domain::vocabulary::enum_schema::<Self>(concat!($($type_doc, "\n"),*))
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

/// An OpenAPI string enum whose description explains every code, so a partner's developer
/// reading the document learns what "co-design" means without the toolkit at hand.
pub fn enum_schema<V: Vocabulary>(
    type_doc: &str,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{ObjectBuilder, Type};

    let mut description = type_doc
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
        .trim()
        .to_owned();
    description.push_str("\n\n");
    for member in V::ALL {
        description.push_str(&format!(
            "- `{}`: {}\n",
            member.code(),
            member.description()
        ));
    }
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(V::CODES.iter().copied()))
        .description(Some(description.trim_end()))
        .into()
}

vocabulary! {
    /// A quadrant of Governance International's Co-production Star: the part of the
    /// service cycle that users and communities shared.
    StarQuadrant as "quadrant" {
        CoCommissioning = "co-commissioning", "Co-commissioning",
            "Communities help prioritise and plan which services are bought or provided.";
        CoDesign = "co-design", "Co-design",
            "Service providers and the people who use a service redesign it together.";
        CoDelivery = "co-delivery", "Co-delivery",
            "Users and communities help deliver the service, or take preventive action together.";
        CoAssessment = "co-assessment", "Co-assessment",
            "Users and communities evaluate service quality and outcomes (for example young inspectors).";
    }
}

vocabulary! {
    /// A step of the five-step co-production journey on the inner ring of the Star.
    JourneyStep as "journey step" {
        MapIt = "map-it", "Map it",
            "Find where co-production already happens and where it could help achieve key outcomes.";
        FocusIt = "focus-it", "Focus it",
            "Pick where co-production has most impact; quick wins are high impact for low effort.";
        PeopleIt = "people-it", "People it",
            "Find the people and community assets willing and able to co-produce, building capacity where needed.";
        MarketIt = "market-it", "Market it",
            "Give users, communities and staff incentives to start and keep going (charters, recognition).";
        GrowIt = "grow-it", "Grow it",
            "Showcase the results and embed co-production in the organisation so it can scale.";
    }
}

vocabulary! {
    /// One of the four values that effective co-production partnerships rest on.
    CoproductionValue as "value" {
        Equality = "equality", "Equality",
            "Everyone has something to contribute; no group or person matters more than another.";
        MutualBenefit = "mutual-benefit", "Mutual benefit",
            "People get something back for what they put in; responsibility, risk and power are shared.";
        SocialRelationships = "social-relationships", "Social relationships",
            "Families, communities and social networks matter; partners are proactive about diversity and inclusion.";
        Access = "access", "Access",
            "Everyone has the same opportunity to take part fully, in a way that suits them.";
    }
}

vocabulary! {
    /// How many people the co-production involved.
    Scale as "scale" {
        Individual = "individual", "Individual",
            "One person working with their worker, for example a care manager.";
        Group = "group", "Group",
            "A group of people who use a service, or their families.";
        Community = "community", "Community",
            "A whole neighbourhood, town or community of interest.";
        Organisation = "organisation", "Organisation",
            "An organisation or partnership changing the way it works.";
    }
}

vocabulary! {
    /// The service area the case study belongs to.
    Sector as "sector" {
        Health = "health", "Health", "Health services, hospitals and public health.";
        SocialCare = "social-care", "Social care", "Social work and social care services.";
        Housing = "housing", "Housing", "Housing, tenancy and homes.";
        YouthWork = "youth-work", "Youth work", "Youth work and services for young people.";
        CommunityLearning = "community-learning", "Community learning",
            "Community learning and development.";
        ParksAndEnvironment = "parks-and-environment", "Parks and environment",
            "Parks, green spaces and the local environment.";
        CommunitySafety = "community-safety", "Community safety", "Community safety and policing.";
        AlcoholAndDrugs = "alcohol-and-drugs", "Alcohol and drugs", "Alcohol and drug harm.";
        Disability = "disability", "Disability", "Services with and for disabled people, including learning disability.";
        OlderPeople = "older-people", "Older people", "Services with and for older people.";
        ChildrenAndFamilies = "children-and-families", "Children and families",
            "Services for children, young people in care and families.";
        LocalGovernment = "local-government", "Local government",
            "Council-wide planning, community planning and local democracy.";
        CriminalJustice = "criminal-justice", "Criminal justice", "Criminal and community justice.";
        Education = "education", "Education", "Schools, colleges and universities.";
        Other = "other", "Other", "Any other service area.";
    }
}

vocabulary! {
    /// The country of the United Kingdom where the work took place.
    Country as "country" {
        Scotland = "Scotland", "Scotland", "Scotland.";
        England = "England", "England", "England.";
        Wales = "Wales", "Wales", "Wales.";
        NorthernIreland = "Northern Ireland", "Northern Ireland", "Northern Ireland.";
        Other = "other", "Other", "Anywhere else.";
    }
}

vocabulary! {
    /// Where a case study is in its editorial life.
    Status as "status" {
        Draft = "draft", "Draft", "Being written by its partners; not public.";
        Submitted = "submitted", "Submitted", "Sent for review; not public yet.";
        Published = "published", "Published", "Public: anyone can read and search it.";
        Archived = "archived", "Archived", "Withdrawn from public view; kept, never deleted.";
    }
}

vocabulary! {
    /// The part an organisation played in a case study.
    PartnerRole as "partner role" {
        Lead = "lead", "Lead", "Led the work.";
        Partner = "partner", "Partner", "A service or organisation that shared the work.";
        Funder = "funder", "Funder", "Paid for some or all of the work.";
        Community = "community", "Community",
            "People who use the service, their families or a community group: the lived-experience partner.";
        Supporter = "supporter", "Supporter", "Gave advice, facilitation or other support.";
    }
}

vocabulary! {
    /// The kind of change an outcome describes.
    OutcomeCategory as "outcome category" {
        ImprovedWellbeing = "improved-wellbeing", "Improved wellbeing", "People's health or wellbeing improved.";
        IndependentLiving = "independent-living", "Independent living",
            "People live more independently, in homes and lives of their choosing.";
        ReducedIsolation = "reduced-isolation", "Reduced isolation", "People are less isolated or lonely.";
        CommunityOwnership = "community-ownership", "Community ownership",
            "The community owns, runs or takes pride in an asset or service.";
        ServiceRedesign = "service-redesign", "Service redesign", "A service was redesigned around its users.";
        CostSaving = "cost-saving", "Cost saving", "Money was saved or raised.";
        CapacityBuilding = "capacity-building", "Capacity building",
            "People or groups gained skills, confidence or structures to take part.";
        BetterInformation = "better-information", "Better information",
            "Information became clearer, more accessible or better shared.";
        VoiceAndInfluence = "voice-and-influence", "Voice and influence",
            "People have a say in decisions that affect them.";
        SaferCommunities = "safer-communities", "Safer communities", "Communities became safer.";
        ImprovedFacilities = "improved-facilities", "Improved facilities",
            "Buildings, parks or other facilities improved.";
        EmploymentAndSkills = "employment-and-skills", "Employment and skills",
            "People gained work, volunteering or skills.";
        ReducedDemand = "reduced-demand", "Reduced demand",
            "Less demand on services through prevention or earlier help.";
    }
}

vocabulary! {
    /// The unit of an outcome's measured figure.
    MetricUnit as "metric unit" {
        People = "people", "People", "A number of people.";
        Homes = "homes", "Homes", "A number of homes.";
        Gbp = "GBP", "Pounds sterling", "An amount of money in pounds sterling.";
        Percent = "percent", "Percent", "A percentage.";
        Organisations = "organisations", "Organisations", "A number of organisations.";
        Events = "events", "Events", "A number of events or sessions.";
        Other = "other", "Other", "Any other unit (say which in the description).";
    }
}

vocabulary! {
    /// What a cost of the work was paid in.
    CostKind as "cost kind" {
        Money = "money", "Money", "Money spent: grants, budgets, contracts (in GBP).";
        StaffTime = "staff-time", "Staff time", "Time given by officers and other paid staff.";
        VolunteerTime = "volunteer-time", "Volunteer time",
            "Time given by citizens, service users and volunteers.";
        InKind = "in-kind", "In kind", "Rooms, equipment, materials or services given rather than bought.";
    }
}

vocabulary! {
    /// What a cost is counted in.
    CostUnit as "cost unit" {
        Gbp = "GBP", "Pounds sterling", "An amount of money in pounds sterling.";
        Hours = "hours", "Hours", "Hours of people's time.";
    }
}

vocabulary! {
    /// The currency of a saving.
    Currency as "currency" {
        Gbp = "GBP", "Pounds sterling", "An amount of money in pounds sterling.";
    }
}

vocabulary! {
    /// How often a saving recurs.
    SavingPeriod as "saving period" {
        OneOff = "one-off", "One-off", "Saved once.";
        PerYear = "per-year", "Per year", "Saved every year.";
    }
}

vocabulary! {
    /// A case study's money costs, banded so that like can be compared with like.
    CostBand as "cost band" {
        Unrecorded = "none", "None recorded", "No money cost is recorded.";
        Under10k = "under-10k", "Under £10,000", "Money costs under £10,000.";
        From10kTo100k = "10k-100k", "£10,000 to £100,000", "Money costs from £10,000 up to £100,000.";
        From100kTo1m = "100k-1m", "£100,000 to £1m", "Money costs from £100,000 up to £1,000,000.";
        Over1m = "over-1m", "Over £1m", "Money costs of £1,000,000 or more.";
    }
}

vocabulary! {
    /// Who evaluated the work.
    Evaluation as "evaluation" {
        NotEvaluated = "none", "None", "The work has not been evaluated.";
        Internal = "internal", "Internal", "The partners evaluated it themselves.";
        Independent = "independent", "Independent", "Someone independent of the partners evaluated it.";
        PeerReviewed = "peer-reviewed", "Peer reviewed", "The evaluation was published after peer review.";
    }
}

vocabulary! {
    /// Which way an indicator moved from its baseline to its result.
    Direction as "direction" {
        Up = "up", "Up", "The result is higher than the baseline.";
        Down = "down", "Down", "The result is lower than the baseline.";
        Unchanged = "unchanged", "Unchanged", "The result equals the baseline.";
    }
}

vocabulary! {
    /// What kind of body a partner organisation is.
    OrganisationKind as "organisation kind" {
        Council = "council", "Council", "A local authority.";
        Nhs = "nhs", "NHS", "An NHS board or trust.";
        HealthAndSocialCarePartnership = "health-and-social-care-partnership",
            "Health and social care partnership", "An integration joint board or health and social care partnership.";
        HousingAssociation = "housing-association", "Housing association", "A registered social landlord.";
        Voluntary = "voluntary", "Voluntary organisation", "A voluntary sector organisation or council for voluntary service.";
        CommunityGroup = "community-group", "Community group",
            "A community group, residents' association or group of people who use a service.";
        School = "school", "School", "A school.";
        College = "college", "College", "A further education college.";
        University = "university", "University", "A university.";
        SocialEnterprise = "social-enterprise", "Social enterprise", "A social enterprise.";
        Charity = "charity", "Charity", "A registered charity.";
        Police = "police", "Police", "A police service.";
        Government = "government", "Government", "A national government body or agency.";
        Business = "business", "Business", "A private business.";
        Other = "other", "Other", "Any other kind of organisation.";
    }
}

vocabulary! {
    /// What a user may do. Every user belongs to one organisation.
    Role as "role" {
        Editor = "editor", "Editor",
            "Writes case studies for their organisation and edits those their organisation is a partner on.";
        Reviewer = "reviewer", "Reviewer",
            "An editor who may also publish, unpublish and return submitted case studies of any organisation.";
        Admin = "admin", "Administrator", "Manages organisations and users, and may do everything.";
    }
}

vocabulary! {
    /// What an API key may do, within what its user may do.
    KeyScope as "API key scope" {
        Read = "read", "Read",
            "Read what its user may read beyond the public: drafts, pending revisions, history and comments.";
        Write = "write", "Write",
            "Create case studies for its user's organisation, and read, edit, submit, restore and archive those its user may.";
        Review = "review", "Review",
            "Read, publish and return submitted case studies (keys of reviewers and administrators only).";
    }
}

vocabulary! {
    /// A kind of security or editorial event in the audit trail.
    AuditKind as "audit event kind" {
        Login = "login", "Login", "A user obtained tokens with their password.";
        LoginFailed = "login-failed", "Failed login", "A wrong email or password was presented.";
        TokenRefreshed = "token-refreshed", "Token refreshed", "A refresh token was exchanged for new tokens.";
        TokenReuseDetected = "token-reuse-detected", "Refresh token reused",
            "A refresh token was presented again after use; its whole family was revoked.";
        Logout = "logout", "Logout", "A refresh token was revoked by its holder.";
        UserCreated = "user-created", "User created", "An administrator created an account.";
        UserDeactivated = "user-deactivated", "User deactivated",
            "An account was deactivated; its tokens stopped working.";
        RoleChanged = "role-changed", "Role changed", "A user's role was changed.";
        PasswordChanged = "password-changed", "Password changed",
            "A user changed their own password; every sign-in of theirs was ended.";
        PasswordReset = "password-reset", "Password reset",
            "An administrator set a user's password; every sign-in of theirs was ended.";
        ApiKeyCreated = "api-key-created", "API key created",
            "A user made an API key for a machine client.";
        ApiKeyRevoked = "api-key-revoked", "API key revoked",
            "An API key was revoked by its user or an administrator, and stopped working.";
        OrganisationCreated = "organisation-created", "Organisation created", "A partner organisation was added.";
        OrganisationUpdated = "organisation-updated", "Organisation updated", "A partner organisation was changed.";
        CaseStudyCreated = "case-study-created", "Case study created", "A case study was written.";
        CaseStudyChanged = "case-study-changed", "Case study changed",
            "A case study (or its self-assessment) was changed; its revisions say how.";
        CaseStudySubmitted = "case-study-submitted", "Submitted", "A case study was sent for review.";
        CaseStudyPublished = "case-study-published", "Published", "A case study (or a revision of it) went live.";
        CaseStudyReturned = "case-study-returned", "Returned", "A reviewer returned a case study with comments.";
        CaseStudyArchived = "case-study-archived", "Archived", "A case study was withdrawn from public view.";
        CaseStudyRestored = "case-study-restored", "Restored", "An earlier revision was restored as a new one.";
        AttachmentAdded = "attachment-added", "Attachment added", "A file was attached to a case study.";
        AttachmentRemoved = "attachment-removed", "Attachment removed", "A file was removed from a case study.";
        DoiRecorded = "doi-recorded", "DOI recorded", "An administrator recorded (or cleared) the DOI registered for a case study.";
    }
}

vocabulary! {
    /// A heading of the co-production self-assessment (after the National Standards for
    /// Community Engagement).
    AssessmentHeading as "self-assessment heading" {
        Involve = "involve", "Involve", "Were the right partners involved, to their satisfaction?";
        Support = "support", "Support", "Did partners get the support they needed to take part?";
        Planning = "planning", "Planning", "Did the work go to plan, and what would change next time?";
        Methods = "methods", "Methods", "Which ways of engaging worked, and which did not?";
        WorkingTogether = "working-together", "Working together", "Could everyone work well together?";
        SharingInformation = "sharing-information", "Sharing information", "Was information shared to everyone's satisfaction?";
        WorkingWithOthers = "working-with-others", "Working with others", "Were all the stakeholders found in time?";
        Improvement = "improvement", "Improvement", "Did partners grow in skills, knowledge or confidence?";
        Feedback = "feedback", "Feedback", "Were the ways of giving feedback right?";
        MonitoringAndEvaluation = "monitoring-and-evaluation", "Monitoring and evaluation", "Was the aim achieved, and what else came of it?";
    }
}

vocabulary! {
    /// A question of the co-production self-assessment; the label is its heading's code.
    AssessmentQuestion as "self-assessment question" {
        PartnersInvolved = "partners-involved", "involve",
            "Did we involve all the co-production partners we identified?";
        InvolvedToSatisfaction = "involved-to-satisfaction", "involve",
            "Were co-production partners involved to their satisfaction?";
        SupportToTakePart = "support-to-take-part", "support",
            "Did co-production partners receive appropriate support to take part?";
        StuckToPlan = "stuck-to-plan", "planning", "Did we stick to our plan?";
        DoDifferently = "do-differently", "planning", "Were there things that we would do differently next time?";
        ImproveProcess = "improve-process", "planning", "Could we do anything to improve the process?";
        SaidButDidNot = "said-but-did-not", "planning", "Were there any things that we said we'd do but we didn't?";
        MethodsDidNotWork = "methods-did-not-work", "methods", "Were there any methods of engagement that didn't work?";
        BetterMethods = "better-methods", "methods",
            "Were there any methods of engagement identified during the process that were better suited to the group or to what we were doing?";
        WorkedWellTogether = "worked-well-together", "working-together", "Was everyone involved able to work well together?";
        UnexpectedHurdles = "unexpected-hurdles", "working-together",
            "Were there any unexpected hurdles that we had to overcome in order for all partners to work well together?";
        InformationShared = "information-shared", "sharing-information",
            "Was all information communicated to the satisfaction of all partners?";
        StakeholdersLate = "stakeholders-late", "working-with-others",
            "Were there any stakeholders identified during the process that should have been identified earlier?";
        SkillsImproved = "skills-improved", "improvement",
            "Were co-production partners supported to improve their skills, knowledge or confidence?";
        SupportNotProvided = "support-not-provided", "improvement", "Was support required but not provided?";
        FeedbackAppropriate = "feedback-appropriate", "feedback", "Were our feedback methods appropriate?";
        AimAchieved = "aim-achieved", "monitoring-and-evaluation", "Did we achieve our aim?";
        UnanticipatedOutcomes = "unanticipated-outcomes", "monitoring-and-evaluation", "Were there any unanticipated outcomes?";
    }
}

impl AssessmentQuestion {
    pub fn heading(self) -> AssessmentHeading {
        AssessmentHeading::parse(self.label()).expect("every question's label is a heading code")
    }
}

vocabulary! {
    /// An answer to a self-assessment question; each needs its note.
    AssessmentAnswer as "self-assessment answer" {
        Yes = "yes", "Yes", "Yes: the note gives the evidence.";
        NotSure = "not-sure", "Not sure", "Not sure: the note gives the reason.";
        No = "no", "No", "No: the note says what action is being taken.";
    }
}

vocabulary! {
    /// A sign that work called co-production may be closer to engagement, computed from the
    /// case study itself.
    DepthFlag as "depth flag" {
        NoCommunityPartner = "no-community-partner", "No community partner",
            "No partner takes the community or lived-experience role.";
        SingleQuadrant = "single-quadrant", "Single quadrant",
            "Only one quadrant of the Co-production Star.";
        NoOutcome = "no-outcome", "No outcome", "No outcome is recorded.";
        PartnersNotInvolved = "partners-not-involved", "Partners not involved",
            "The self-assessment says partners were not involved to their satisfaction.";
        UnevidencedOutcomes = "unevidenced-outcomes", "Unevidenced outcomes",
            "Outcomes are claimed with neither an indicator nor an evidence level behind them.";
        OneSidedCosts = "one-sided-costs", "One-sided costs",
            "Costs are given without savings, or savings without costs.";
        UnreportedEvidence = "unreported-evidence", "Unreported evidence",
            "Evidence of level 3 or more is claimed with no evaluation report (a PDF) attached.";
    }
}

vocabulary! {
    /// What kind of change the change log records.
    ChangeKind as "change kind" {
        Created = "created", "Created", "A case study was created (as a draft).";
        Changed = "changed", "Changed", "A case study or organisation changed without going public.";
        Published = "published", "Published", "A case study went public.";
        Updated = "updated", "Updated", "A new revision of a published case study replaced the public one.";
        Withdrawn = "withdrawn", "Withdrawn", "A published case study was withdrawn from public view.";
    }
}

vocabulary! {
    /// What a change-log entry is about.
    ChangedEntity as "changed entity" {
        CaseStudy = "case-study", "Case study", "A case study.";
        Organisation = "organisation", "Organisation", "A partner organisation.";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_back_to_their_member() {
        for quadrant in StarQuadrant::ALL {
            assert_eq!(quadrant.code().parse::<StarQuadrant>().unwrap(), *quadrant);
        }
        assert_eq!(
            "Northern Ireland".parse::<Country>().unwrap(),
            Country::NorthernIreland
        );
    }

    #[test]
    fn an_unknown_code_names_the_allowed_ones() {
        let error = "co-production".parse::<StarQuadrant>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown quadrant `co-production`; allowed values: co-commissioning, co-design, co-delivery, co-assessment"
        );
    }

    #[test]
    fn json_uses_the_codes() {
        assert_eq!(serde_json::to_string(&MetricUnit::Gbp).unwrap(), "\"GBP\"");
        let parsed: Vec<JourneyStep> = serde_json::from_str(r#"["map-it","grow-it"]"#).unwrap();
        assert_eq!(parsed, vec![JourneyStep::MapIt, JourneyStep::GrowIt]);
        assert!(serde_json::from_str::<Sector>("\"Housing\"").is_err());
    }
}
