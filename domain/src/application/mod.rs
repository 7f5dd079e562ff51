//! Applications for a trainer's credential (the user guide's "Apply for a
//! credential"): what is requested, the clarifying answers, the elements to
//! complete, and the status an application moves through.
//!
//! Modules, one concept each:
//! - `request_type`: request types, element keys, who submits an element.
//! - [`questions`]: the clarifying questions and their answers.
//! - [`plan`]: the elements a selection and its answers need.
//! - [`element_data`]: what each element records.
//! - [`character_and_fitness`]: its questions and the check of the answers.
//! - [`completeness`]: the overview, decided by the rules engine.
//! - `status`: the life of an application.
//! - `deficiency`: an application returned to the applicant as deficient.
//! - `withdrawal`: the applicant gives an application up.
//! - `element`: an element as kept, with what was saved in it.
//! - [`attachment`]: the documents attached to elements.
//! - `invitation`: the link a third party submits an element through.
//! - `limits`: the operator's caps on attachments and open applications.
//! - `review_queue`: what the specialists' queue is filtered by.
//! - `denial`: a denial's reasons and the review of it.
//!
//! The application itself, as kept, is [`Application`] below.

pub mod attachment;
mod character_and_fitness;
pub mod completeness;
mod deficiency;
mod denial;
mod element;
pub mod element_data;
mod invitation;
pub mod invitee;
mod limits;
pub mod plan;
pub mod questions;
mod request_type;
mod review_queue;
mod status;
mod withdrawal;

#[cfg(test)]
mod completeness_tests;

pub use attachment::{
    Attachment, AttachmentName, DocumentType, parse_description as parse_attachment_description,
};
pub use character_and_fitness::{
    CharacterAndFitnessAnswer, CharacterAndFitnessAnswers, CharacterAndFitnessQuestion,
    QUESTIONS as CHARACTER_AND_FITNESS_QUESTIONS, STATEMENT_MAX_CHARS,
    check as check_character_and_fitness,
};
pub use completeness::{
    ElementOverview, ElementStatus, Evaluation, Missing, Overview, overview, qualifications,
};
pub use deficiency::{Deficiency, ReturnedAsDeficient, check_deficiencies_addressed};
pub use denial::{Denial, DenialReason, NextStep, ReviewDecision, next_step};
pub use element::{Element, ElementContent, Verifier};
pub use element_data::{ElementData, ThirdParty};
pub use invitation::{
    INVITATION_TTL, Invitation, check_invitee_is_not_applicant, invitation_expires_at,
};
pub use limits::{check_attachment_room, check_open_application_room};
pub use plan::{ApplicationPlan, ElementSpec, PlanError, plan};
pub use questions::{Answers, Choice, Question, QuestionKind, all_questions, questions};
pub use request_type::{ElementKey, RequestType, Submitter};
pub use review_queue::{QueuedApplication, ReviewQueueFilter};
pub use status::{ApplicationStatus, EXPIRES_AFTER_DAYS, Transition, TransitionError, expires_at};

use crate::rules::Level;
use chrono::NaiveDateTime;

/// An application as stored: typed status, level, request types and
/// clarifying answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Application {
    pub id: String,
    pub account_id: String,
    pub status: ApplicationStatus,
    pub credential: Level,
    pub renewal: bool,
    pub request_types: Vec<RequestType>,
    pub answers: Answers,
    pub started_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
    /// The certification specialist reviewing it.
    pub assigned_to: Option<String>,
    /// For a renewal: the credential it renews (Sec. 13).
    pub renews_credential_id: Option<String>,
}
