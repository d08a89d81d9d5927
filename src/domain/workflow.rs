//! The editorial workflow and who may take part in it.
//!
//! `draft → submitted → published → archived`, and `submitted → draft` when a reviewer
//! returns it; a draft may also be archived (abandoned). Editing a published case study
//! does not change what the public sees: the edit becomes a pending revision with its own
//! draft/submitted status, and goes live when a reviewer publishes it.

use uuid::Uuid;

use super::user::Principal;
use super::vocabulary::{KeyScope, Status};
use crate::error::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Submit,
    Publish,
    Return,
    Archive,
}

impl Transition {
    pub const ALL: [Transition; 4] = [Self::Submit, Self::Publish, Self::Return, Self::Archive];

    pub fn name(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Publish => "publish",
            Self::Return => "return",
            Self::Archive => "archive",
        }
    }

    fn target(self, from: Status) -> Option<Status> {
        use Status::*;
        match (self, from) {
            (Self::Submit, Draft) => Some(Submitted),
            (Self::Publish, Submitted) => Some(Published),
            (Self::Return, Submitted) => Some(Draft),
            (Self::Archive, Published | Draft) => Some(Archived),
            _ => None,
        }
    }
}

/// Where a case study stands: its live record, and a pending revision of it if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifecycle {
    pub live: Status,
    /// Draft or submitted, only while a published case study is being revised.
    pub pending: Option<Status>,
}

impl Lifecycle {
    /// The status of the version editors work on.
    pub fn working(&self) -> Status {
        self.pending.unwrap_or(self.live)
    }

    /// Archiving acts on the live record; the other transitions on the working version.
    fn subject(&self, transition: Transition) -> Status {
        match transition {
            Transition::Archive => self.live,
            _ => self.working(),
        }
    }

    pub fn allowed(&self) -> Vec<&'static str> {
        Transition::ALL
            .into_iter()
            .filter(|t| t.target(self.subject(*t)).is_some())
            .map(Transition::name)
            .collect()
    }

    /// The status the transition leads to, or a 409 naming what is possible instead.
    pub fn apply(&self, transition: Transition) -> Result<Status, ApiError> {
        transition
            .target(self.subject(transition))
            .ok_or_else(|| ApiError::InvalidTransition {
                current: self.working(),
                detail: format!("it cannot be {}", past_tense(transition)),
                allowed: self.allowed(),
            })
    }

    /// Drafts can be edited, and so can published case studies (the edit becomes pending).
    pub fn check_editable(&self) -> Result<(), ApiError> {
        match (self.live, self.pending) {
            (_, Some(Status::Draft)) | (Status::Draft, None) | (Status::Published, None) => Ok(()),
            _ => Err(ApiError::InvalidTransition {
                current: self.working(),
                detail: "only drafts can be edited; a submitted case study must be returned to draft first".into(),
                allowed: self.allowed(),
            }),
        }
    }
}

fn past_tense(transition: Transition) -> &'static str {
    match transition {
        Transition::Submit => "submitted",
        Transition::Publish => "published",
        Transition::Return => "returned",
        Transition::Archive => "archived",
    }
}

/// The organisations a case study belongs to: its owner and every named partner.
#[derive(Debug, Clone)]
pub struct Membership {
    pub owner_id: Uuid,
    pub partner_ids: Vec<Uuid>,
}

impl Membership {
    fn includes(&self, principal: &Principal) -> bool {
        self.owner_id == principal.organisation_id
            || self.partner_ids.contains(&principal.organisation_id)
    }
}

/// Who may see and change a case study: the rules of the partner-editor model.
pub struct Rights<'a> {
    pub principal: Option<&'a Principal>,
    pub membership: &'a Membership,
    pub lifecycle: Lifecycle,
}

impl Rights<'_> {
    /// Editors of its organisations see the working version (drafts, pending revisions,
    /// review comments); reviewers see what is submitted to them; admins see everything.
    pub fn sees_working_version(&self) -> bool {
        self.principal.is_some_and(|p| {
            p.is_admin()
                || (p.reads_drafts() && self.membership.includes(p))
                || (p.reads_submitted() && self.lifecycle.working() == Status::Submitted)
        })
    }

    /// Anyone sees a published case study's live record.
    pub fn sees_anything(&self) -> bool {
        self.lifecycle.live == Status::Published || self.sees_working_version()
    }

    /// Editing and submitting: editors of the owner or of any partner, and admins.
    pub fn may_edit(&self) -> Result<(), ApiError> {
        let allowed = self
            .principal
            .is_some_and(|p| p.is_admin() || self.membership.includes(p));
        self.require(allowed, "only editors of its partner organisations")?;
        self.require_scope(KeyScope::Write)
    }

    /// Publishing and returning: reviewers and admins, of any organisation.
    pub fn may_review(&self) -> Result<(), ApiError> {
        self.require(
            self.principal.is_some_and(Principal::is_reviewer),
            "only reviewers",
        )?;
        self.require_scope(KeyScope::Review)
    }

    /// Archiving: its editors and admins; reviewers of any organisation may unpublish.
    pub fn may_archive(&self) -> Result<(), ApiError> {
        let published = self.lifecycle.live == Status::Published;
        let editor = self
            .principal
            .is_some_and(|p| p.is_admin() || self.membership.includes(p));
        let reviewer = published && self.principal.is_some_and(Principal::is_reviewer);
        self.require(editor || reviewer, "only its editors and reviewers")?;
        let unpublishing = reviewer && self.principal.is_some_and(|p| p.can_review());
        if unpublishing {
            Ok(())
        } else if editor {
            self.require_scope(KeyScope::Write)
        } else {
            self.require_scope(KeyScope::Review)
        }
    }

    /// Revisions and review comments: whoever sees the working version.
    pub fn may_read_history(&self) -> Result<(), ApiError> {
        self.require(
            self.sees_working_version(),
            "only its editors and reviewers",
        )
    }

    /// A key that its user's rights would let through still needs the scope for the act.
    fn require_scope(&self, scope: KeyScope) -> Result<(), ApiError> {
        self.principal.map_or(Ok(()), |p| p.require(scope))
    }

    /// Those who cannot even see the case study are told it does not exist (404), not that
    /// it is forbidden (403): drafts stay private.
    fn require(&self, allowed: bool, who: &str) -> Result<(), ApiError> {
        if allowed {
            Ok(())
        } else if !self.sees_anything() {
            Err(ApiError::NotFound("case study"))
        } else {
            Err(ApiError::Forbidden(format!(
                "{who} may do this to this case study"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    #[test]
    fn the_workflow_moves_one_way_with_a_way_back_from_review() {
        let draft = Lifecycle {
            live: Draft,
            pending: None,
        };
        assert_eq!(draft.apply(Transition::Submit).unwrap(), Submitted);
        assert_eq!(draft.allowed(), ["submit", "archive"]);
        let submitted = Lifecycle {
            live: Submitted,
            pending: None,
        };
        assert_eq!(submitted.apply(Transition::Return).unwrap(), Draft);
        assert_eq!(submitted.apply(Transition::Publish).unwrap(), Published);
        match submitted.apply(Transition::Archive) {
            Err(ApiError::InvalidTransition {
                current, allowed, ..
            }) => {
                assert_eq!(current, Submitted);
                assert_eq!(allowed, ["publish", "return"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_published_case_study_is_revised_through_a_pending_version() {
        let revising = Lifecycle {
            live: Published,
            pending: Some(Draft),
        };
        assert!(revising.check_editable().is_ok());
        assert_eq!(revising.apply(Transition::Submit).unwrap(), Submitted);
        assert_eq!(revising.apply(Transition::Archive).unwrap(), Archived);
        let in_review = Lifecycle {
            live: Published,
            pending: Some(Submitted),
        };
        assert!(in_review.check_editable().is_err());
        assert!(
            Lifecycle {
                live: Archived,
                pending: None
            }
            .check_editable()
            .is_err()
        );
    }
}
