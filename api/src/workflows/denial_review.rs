//! The commissioner's designee (an admin) decides a requested review of a
//! denial within 30 days, or records an extension and tells the applicant
//! (Sec. 14(3)(c)); reviews past due are listed for them.

use super::RequestContext;
use super::credentials::award_for;
use super::mail_templates;
use super::record::{move_application, record};
use crate::workflows::Ports;
use crate::workflows::WorkflowError;
use chrono::NaiveDate;
use kecs_domain::DomainError;
use kecs_domain::application::{Denial, ReviewDecision, Transition};
use kecs_domain::credential::Credential;
use kecs_domain::rules::deadlines::check_review_extension_notice;
use kecs_persistence::repo::applications;
use kecs_persistence::repo::denials;
use serde_json::json;

pub fn open_reviews(
    state: &Ports,
    overdue_on: Option<NaiveDate>,
    after: Option<(NaiveDate, String)>,
    limit: i64,
) -> Result<Vec<Denial>, WorkflowError> {
    Ok(state
        .db
        .read(|conn| denials::open_reviews(conn, overdue_on, after, limit))?)
}

fn open_review(
    conn: &mut kecs_persistence::DbConnection,
    id: &str,
) -> Result<Denial, WorkflowError> {
    let denial = denials::get(conn, id)?;
    if denial.review_requested_at.is_none() {
        return Err(WorkflowError::from(DomainError::NoReviewRequested));
    }
    if denial.review_decided_at.is_some() {
        return Err(WorkflowError::from(DomainError::ReviewAlreadyDecided));
    }
    Ok(denial)
}

/// Records an extension with notice. Sec. 14(3)(c)2: the requester must be
/// notified of the need for it, so it is refused once the 30 days are past
/// (a late notice cannot cure a missed deadline).
pub fn extend(
    state: &Ports,
    ctx: &RequestContext,
    admin_id: &str,
    id: &str,
    reason: &str,
    until: NaiveDate,
) -> Result<Denial, WorkflowError> {
    let today = ctx.now.date();
    let denial = state.change(|conn| {
        let denial = open_review(conn, id)?;
        let due = denial.review_due_on.unwrap_or(today);
        check_review_extension_notice(due, today).map_err(DomainError::ExtensionTooLate)?;
        if until <= denial.order_due_on().unwrap_or(due) {
            return Err(WorkflowError::field(
                "decide_by",
                "must be later than the date the order is due now",
            ));
        }
        if !denials::extend_review(conn, id, reason, until, today)? {
            return Err(WorkflowError::from(DomainError::ReviewAlreadyDecided));
        }
        let application = applications::get(conn, id)?;
        record(conn, ctx, Some(admin_id))
            .tell(
                &application.account_id,
                &mail_templates::denial_review_extended(id, reason, &until.to_string()),
            )?
            .audit(
                "application.denial_review_extended",
                ("application", id),
                json!({"decide_by": until}),
            )?;
        Ok(denials::get(conn, id)?)
    })?;
    Ok(denial)
}

/// Issues the written order. Overturning it approves the application and
/// awards the credential in the same transaction.
pub fn decide(
    state: &Ports,
    ctx: &RequestContext,
    admin_id: &str,
    id: &str,
    decision: ReviewDecision,
    order: &str,
) -> Result<(Denial, Option<Credential>), WorkflowError> {
    let outcome = state.change(|conn| {
        applications::lock(conn, id, ctx.now)?;
        open_review(conn, id)?;
        let application = applications::get(conn, id)?;
        if application.account_id == admin_id {
            return Err(WorkflowError::Forbidden);
        }
        if !denials::decide_review(conn, id, decision, order, admin_id, ctx.now)? {
            return Err(WorkflowError::from(DomainError::ReviewAlreadyDecided));
        }
        let credential = match decision {
            ReviewDecision::Upheld => None,
            ReviewDecision::Overturned => {
                move_application(conn, &application, Transition::OverturnDenial, ctx.now)?;
                Some(
                    award_for(conn, &application, &state.config.public_url, ctx.now)?
                        .credential()
                        .clone(),
                )
            }
        };
        record(conn, ctx, Some(admin_id))
            .tell(
                &application.account_id,
                &mail_templates::denial_review_decided(
                    id,
                    decision == ReviewDecision::Overturned,
                    order,
                ),
            )?
            .audit(
                "application.denial_review_decided",
                ("application", id),
                json!({
                    "decision": decision.as_str(),
                    "credential": credential.as_ref().map(|c| c.number.clone()),
                }),
            )?;
        Ok((denials::get(conn, id)?, credential))
    })?;
    Ok(outcome)
}
