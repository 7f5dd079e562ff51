//! A denial as the person denied reads it: the cited reasons, until when a
//! review may be asked for, the review and its written order (Sec. 14(3)).
//! Only what the applicant was told or wrote: never who denied or decided.

use super::rfc3339;
use crate::workflows::applications::DenialView;
use kecs_domain::application::{self as domain, NextStep};
use serde::Serialize;
use utoipa::ToSchema;

/// One reason of a denial: the clause it rests on and the specialist's
/// words.
#[derive(Serialize, ToSchema)]
pub struct DenialReasonBody {
    /// The clause of 922 KAR 2:240 the denial rests on.
    #[schema(example = "922 KAR 2:240 Section 5(1)")]
    pub citation: String,
    /// The specialist's explanation.
    #[schema(example = "The experience shown is under three years.")]
    pub message: String,
}

impl From<&domain::DenialReason> for DenialReasonBody {
    fn from(reason: &domain::DenialReason) -> Self {
        DenialReasonBody {
            citation: reason.citation.clone(),
            message: reason.message.clone(),
        }
    }
}

/// The written order's outcome (Sec. 14(3)(c)).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecisionName {
    /// The denial stands.
    Upheld,
    /// The application is approved and the credential awarded.
    Overturned,
}

impl From<domain::ReviewDecision> for ReviewDecisionName {
    fn from(decision: domain::ReviewDecision) -> Self {
        match decision {
            domain::ReviewDecision::Upheld => Self::Upheld,
            domain::ReviewDecision::Overturned => Self::Overturned,
        }
    }
}

/// An extension of the review, of which the applicant was notified
/// (Sec. 14(3)(c)1-2).
#[derive(Serialize, ToSchema)]
pub struct ReviewExtensionBody {
    /// The new date by which the written order will be issued.
    #[schema(value_type = String, format = Date)]
    pub until: String,
    /// The extenuating circumstances, as the applicant was told them.
    pub reason: String,
    /// The day the applicant was notified.
    #[schema(value_type = Option<String>, format = Date)]
    pub notified_on: Option<String>,
}

/// The applicant's request for review and, once issued, the written order
/// (Sec. 14(3)(b)-(c)).
#[derive(Serialize, ToSchema)]
pub struct ApplicantDenialReviewBody {
    #[schema(value_type = String, format = DateTime)]
    pub requested_at: String,
    /// The applicant's own statement.
    pub statement: Option<String>,
    /// When the written order is due: 30 days after the request
    /// (Sec. 14(3)(c)), or the date of a notified extension.
    #[schema(value_type = Option<String>, format = Date)]
    pub order_due_on: Option<String>,
    /// Null unless the review was extended.
    pub extension: Option<ReviewExtensionBody>,
    /// Null until the written order is issued.
    pub decision: Option<ReviewDecisionName>,
    /// The written order's text; null until issued.
    pub order: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub decided_at: Option<String>,
}

/// Where the denial stands, as a machine-readable kind.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NextStepKind {
    /// A review may still be requested, until `date` (Sec. 14(3)(b)).
    ReviewMayBeRequested,
    /// The 10 days to request a review ended on `date` (Sec. 14(3)(b)).
    ReviewNoLongerPossible,
    /// The written order is due by `date` (Sec. 14(3)(c)).
    OrderDue,
    /// The review was extended with notice; the order is due by `date`
    /// (Sec. 14(3)(c)1-2).
    OrderExtended,
    /// The order was due by `date` and has not been issued.
    OrderOverdue,
    /// The written order of `date` upheld the denial.
    Upheld,
    /// The written order of `date` overturned the denial.
    Overturned,
}

impl From<NextStep> for NextStepKind {
    fn from(step: NextStep) -> Self {
        match step {
            NextStep::ReviewMayBeRequested { .. } => Self::ReviewMayBeRequested,
            NextStep::ReviewNoLongerPossible { .. } => Self::ReviewNoLongerPossible,
            NextStep::OrderDue { .. } => Self::OrderDue,
            NextStep::OrderExtended { .. } => Self::OrderExtended,
            NextStep::OrderOverdue { .. } => Self::OrderOverdue,
            NextStep::Upheld { .. } => Self::Upheld,
            NextStep::Overturned { .. } => Self::Overturned,
        }
    }
}

/// What comes next for the applicant, on the day the overview is read.
#[derive(Serialize, ToSchema)]
pub struct NextStepBody {
    pub kind: NextStepKind,
    #[schema(example = "You may ask for a review of this denial until 2026-12-11.")]
    pub message: String,
    /// The date the sentence turns on.
    #[schema(value_type = String, format = Date)]
    pub date: String,
}

/// A denial, its review and what comes next, for the person denied.
#[derive(Serialize, ToSchema)]
pub struct ApplicantDenialBody {
    #[schema(value_type = String, format = Date)]
    pub denied_on: String,
    /// Each reason with the clause it rests on.
    pub reasons: Vec<DenialReasonBody>,
    /// The last day a review may be requested: 10 days after the denial
    /// (Sec. 14(3)(b)).
    #[schema(value_type = String, format = Date)]
    pub review_request_by: String,
    /// Null until a review is requested.
    pub review: Option<ApplicantDenialReviewBody>,
    pub next_step: NextStepBody,
}

impl From<&DenialView> for ApplicantDenialBody {
    fn from(view: &DenialView) -> Self {
        let denial = &view.denial;
        let review = denial
            .review_requested_at
            .map(|requested_at| ApplicantDenialReviewBody {
                requested_at: rfc3339(requested_at),
                statement: denial.review_statement.clone(),
                order_due_on: denial.order_due_on().map(|d| d.to_string()),
                extension: denial
                    .review_extended_until
                    .map(|until| ReviewExtensionBody {
                        until: until.to_string(),
                        reason: denial.review_extension_reason.clone().unwrap_or_default(),
                        notified_on: denial.review_extended_on.map(|d| d.to_string()),
                    }),
                decision: denial.review_decision.map(ReviewDecisionName::from),
                order: denial.review_order.clone(),
                decided_at: denial.review_decided_at.map(rfc3339),
            });
        ApplicantDenialBody {
            denied_on: denial.denied_on.to_string(),
            reasons: denial.reasons.iter().map(DenialReasonBody::from).collect(),
            review_request_by: denial.review_request_by().to_string(),
            review,
            next_step: NextStepBody {
                kind: view.next_step.into(),
                message: view.next_step.sentence(),
                date: view.next_step.date().to_string(),
            },
        }
    }
}
