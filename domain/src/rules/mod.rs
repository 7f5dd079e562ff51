//! The rules of 922 KAR 2:240, the Kentucky Early Care and Education
//! Trainer's Credential, as pure functions over plain data.
//!
//! Nothing here reads a clock: every evaluation takes its date (`as_of`,
//! `on`, …) from the caller. Applications, review and renewal call this
//! engine rather than re-implement any rule.
//!
//! Every failed check is an [`Unmet`]: a stable rule id (public API — never
//! renamed), the clause it comes from, and a sentence a person understands.
//! Evaluations return every unmet requirement, not the first.
//! `docs/RULES.md` maps each section of the regulation to the function and
//! test that enforce it, and records the readings chosen where the text is
//! unclear.
//!
//! Modules, one concept each:
//! - [`citation`]: where a rule comes from.
//! - [`quantities`]: clock hours, credit hours, years of experience.
//! - [`calendar`]: the date arithmetic every period uses.
//! - [`level`], [`qualifications`]: the input document.
//! - [`eligibility`] (Sec. 2, 3(2)), [`seminar`] (Sec. 3(4), 4),
//!   [`levels`] (Sec. 5–10), [`evaluation`] (all of them for a level).
//! - [`authority`] (what a level may train), [`training`] (Sec. 11).
//! - [`renewal`] (Sec. 13).
//! - [`deadlines`] (Sec. 12, 13–15, 18), [`preapproval`] (Sec. 16),
//!   [`certificate`] (Sec. 12(2), 17(2)).

pub mod authority;
pub mod calendar;
pub mod certificate;
pub mod citation;
pub mod deadlines;
pub mod eligibility;
pub mod evaluation;
pub mod level;
pub mod levels;
pub mod preapproval;
pub mod qualifications;
pub mod quantities;
pub mod renewal;
pub mod seminar;
pub mod training;

#[cfg(test)]
mod monotonicity_tests;

pub use authority::{
    CdaAuthority, ProposedTraining, TrainingAuthority, TrainingPurpose, may_train,
};
pub use calendar::{working_days_after, working_days_after_excluding};
pub use citation::{Citation, REGULATION};
pub use evaluation::{LevelEvaluation, evaluate, evaluate_level};
pub use level::Level;
pub use levels::{QualifyingPath, Requirement, qualifying_paths};
pub use qualifications::{
    Degree, DegreeField, DegreeLevel, Qualifications, SeminarWaiver, SpecialtyQualification, Topic,
};
pub use quantities::{ClockHours, CreditHours, ExperienceYears, ParseError};
pub use renewal::{
    CeCategory, CeEntry, CeSummary, RenewalEvaluation, RenewalRequest, evaluate_renewal,
};

/// A requirement that is not met: the contract's `{rule, citation, message}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Unmet {
    /// Stable, machine-readable id, e.g. `sec7_1_a_2_ece_experience_and_related_bachelor`.
    /// Part of the public API: ids are added, never renamed.
    pub rule: &'static str,
    /// The clause, e.g. `922 KAR 2:240 Section 7(1)(a)2` when displayed.
    pub citation: Citation,
    /// What is missing, for a person.
    pub message: String,
}

impl Unmet {
    pub fn new(rule: &'static str, citation: Citation, message: impl Into<String>) -> Self {
        Self {
            rule,
            citation,
            message: message.into(),
        }
    }
}

/// A limit on what the holder of a credential may do, which does not bar its
/// award (Sec. 5(2), 6(1)(b)). Same shape as [`Unmet`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Restriction {
    pub rule: &'static str,
    pub citation: Citation,
    pub message: String,
}

impl Restriction {
    pub fn new(rule: &'static str, citation: Citation, message: impl Into<String>) -> Self {
        Self {
            rule,
            citation,
            message: message.into(),
        }
    }
}
