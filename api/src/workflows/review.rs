//! The other side of the counter: certification specialists take submitted
//! applications, return them as deficient or approve them (approval awards
//! the credential, Sec. 3(3)).

use super::RequestContext;
use super::applications::{edit, plan_view_ready, return_as_deficient};
use super::credentials::award_for;
use super::record::{audit, mail_account, move_application, record};
use crate::workflows::Ports;
use crate::workflows::WorkflowError;
use crate::workflows::tokens::Caller;
use kecs_domain::DomainError;
use kecs_domain::account::Role;
use kecs_domain::application::{
    Application, ApplicationStatus, DenialReason, ElementKey, ReviewQueueFilter, Transition,
    check_deficiencies_addressed,
};
use kecs_domain::credential::Credential;
use kecs_domain::payment::{Refundable, check_still_paid};
use kecs_persistence::repo::accounts;
use kecs_persistence::repo::applications;
use kecs_persistence::repo::deficiencies;
use kecs_persistence::repo::payments;
use serde_json::json;

pub fn queue(
    state: &Ports,
    filter: &ReviewQueueFilter,
    limit: i64,
) -> Result<Vec<kecs_domain::application::QueuedApplication>, WorkflowError> {
    Ok(state
        .db
        .read(|conn| applications::review_queue(conn, filter, limit))?)
}

/// The whole file a specialist reviews: the overview with the engine's
/// evaluation, every element's data (Character & Fitness included), the
/// attachments, the applicant's contact details, and any denial.
pub struct ReviewFile {
    pub view: super::applications::ApplicationView,
    pub applicant: kecs_domain::account::Profile,
    pub denial: Option<kecs_domain::application::Denial>,
}

pub fn file(state: &Ports, ctx: &RequestContext, id: &str) -> Result<ReviewFile, WorkflowError> {
    state.db.read(|conn| {
        let application = applications::get(conn, id)?;
        let applicant = accounts::profile(conn, &application.account_id)?;
        let view = super::applications::view_of(conn, application, ctx.now)?;
        let denial = view.denial.as_ref().map(|d| d.denial.clone());
        Ok(ReviewFile {
            view,
            applicant,
            denial,
        })
    })
}

/// A specialist takes an application for review (moving it to
/// `pending_review`); an admin may assign it to a specialist, or re-assign.
pub fn assign(
    state: &Ports,
    ctx: &RequestContext,
    caller: &Caller,
    id: &str,
    specialist: Option<&str>,
) -> Result<Application, WorkflowError> {
    let reviewer = match (caller.role, specialist) {
        (Role::Specialist, None) => caller.account_id.clone(),
        (Role::Specialist, Some(_)) => return Err(WorkflowError::Forbidden),
        (Role::Admin, Some(specialist)) => specialist.to_owned(),
        (Role::Admin, None) => {
            return Err(WorkflowError::field(
                "specialist_id",
                "is required when an admin assigns",
            ));
        }
        (Role::Applicant, _) => return Err(WorkflowError::Forbidden),
    };
    let application = state.change(|conn| {
        let reviewer_account = accounts::get(conn, &reviewer).map_err(|_| {
            WorkflowError::field("specialist_id", "is not a certification specialist")
        })?;
        if reviewer_account.role != Role::Specialist {
            return Err(WorkflowError::field(
                "specialist_id",
                "is not a certification specialist",
            ));
        }
        let application = applications::get(conn, id)?;
        if !applications::assign(conn, id, &reviewer, caller.role == Role::Admin, ctx.now)? {
            return Err(DomainError::Transition(
                Transition::Assign.refused_from(application.status),
            )
            .into());
        }
        if application.status == ApplicationStatus::Submitted {
            mail_account(
                conn,
                &application.account_id,
                &super::mail_templates::pending_review(id),
                ctx.now,
            )?;
        }
        record(conn, ctx, Some(&caller.account_id)).audit(
            "application.assigned",
            ("application", id),
            json!({"specialist_id": reviewer}),
        )?;
        Ok(applications::get(conn, id)?)
    })?;
    Ok(application)
}

/// Only the specialist assigned may decide; nobody decides their own.
fn require_assigned(
    state: &Ports,
    caller: &Caller,
    id: &str,
) -> Result<Application, WorkflowError> {
    let application = state.db.read(|conn| applications::get(conn, id))?;
    if caller.role != Role::Specialist || application.account_id == caller.account_id {
        return Err(WorkflowError::Forbidden);
    }
    if application.status != ApplicationStatus::PendingReview {
        return Err(WorkflowError::from(DomainError::NotUnderReview(
            application.status,
        )));
    }
    if application.assigned_to.as_deref() != Some(caller.account_id.as_str()) {
        return Err(WorkflowError::from(DomainError::NotAssignedToYou));
    }
    Ok(application)
}

pub fn return_deficient(
    state: &Ports,
    ctx: &RequestContext,
    caller: &Caller,
    id: &str,
    deficiencies: &[(ElementKey, String)],
) -> Result<Application, WorkflowError> {
    require_assigned(state, caller, id)?;
    return_as_deficient(state, ctx, &caller.account_id, id, deficiencies)
}

/// Approves: the application becomes `approved` and the credential is issued
/// in the same transaction; refused while its payment is refunded in full.
pub fn approve(
    state: &Ports,
    ctx: &RequestContext,
    caller: &Caller,
    id: &str,
) -> Result<Credential, WorkflowError> {
    let application = require_assigned(state, caller, id)?;
    let credential = state.change(|conn| {
        // An admin may have refunded the payment in full after submission:
        // an application nobody paid for is not approved.
        let payments = payments::hold_for_application(conn, id)?;
        check_still_paid(payments.iter().map(|p| Refundable {
            status: p.status,
            amount_cents: p.amount_cents,
            refunded_cents: p.refunded_cents,
        }))?;
        move_application(conn, &application, Transition::Approve, ctx.now)?;
        let credential = award_for(conn, &application, &state.config.public_url, ctx.now)?
            .credential()
            .clone();
        record(conn, ctx, Some(&caller.account_id)).audit(
            "application.approved",
            ("application", id),
            json!({"credential": credential.number}),
        )?;
        Ok(credential)
    })?;
    Ok(credential)
}

/// The applicant resubmits a deficient application once its required
/// elements are complete again and every element cited as deficient was
/// saved since; it is not paid for again. Its open deficiencies are then
/// resolved.
pub fn resubmit(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    id: &str,
) -> Result<Application, WorkflowError> {
    let resubmitted = edit(state, ctx, id, account_id, |conn, application| {
        if application.status != ApplicationStatus::Deficient {
            return Err(WorkflowError::from(DomainError::NotDeficient));
        }
        plan_view_ready(conn, application, ctx.now)?;
        let open = deficiencies::for_application(conn, id)?;
        let elements = applications::elements(conn, id)?;
        check_deficiencies_addressed(&open, |key| {
            elements
                .iter()
                .find(|e| e.key == key)
                .and_then(|e| e.updated_at)
        })?;
        move_application(conn, application, Transition::Submit, ctx.now)?;
        deficiencies::resolve_open(conn, id, ctx.now)?;
        record(conn, ctx, Some(account_id))
            .tell(account_id, &super::mail_templates::resubmitted(id))?
            .audit("application.resubmitted", ("application", id), json!({}))?;
        Ok(applications::get(conn, id)?)
    })?;
    state.outbox_signal.notify_one();
    Ok(resubmitted)
}

/// Denies the application with reasons, each citing the regulation; the
/// applicant is told the reasons and until when they may request a review.
pub fn deny(
    state: &Ports,
    ctx: &RequestContext,
    caller: &Caller,
    id: &str,
    reasons: &[(String, String)],
) -> Result<chrono::NaiveDate, WorkflowError> {
    let application = require_assigned(state, caller, id)?;
    let review_by = kecs_domain::rules::deadlines::denial_review_request_deadline(ctx.now.date());
    state.change(|conn| {
        applications::lock(conn, id, ctx.now)?;
        move_application(conn, &application, Transition::Deny, ctx.now)?;
        let stored: Vec<serde_json::Value> = reasons
            .iter()
            .map(|(citation, message)| json!({"citation": citation, "message": message}))
            .collect();
        let denial_reasons: Vec<DenialReason> = reasons
            .iter()
            .map(|(citation, message)| DenialReason {
                citation: citation.clone(),
                message: message.clone(),
            })
            .collect();
        kecs_persistence::repo::denials::insert(
            conn,
            id,
            &denial_reasons,
            &caller.account_id,
            ctx.now,
        )?;
        mail_account(
            conn,
            &application.account_id,
            &super::mail_templates::denied(id, reasons, &review_by.to_string()),
            ctx.now,
        )?;
        audit(
            conn,
            ctx,
            Some(&caller.account_id),
            "application.denied",
            ("application", id),
            json!({"reasons": stored}),
        )
    })?;
    Ok(review_by)
}

/// The applicant asks for the denial to be reviewed: within 10 days of it
/// (Sec. 14(3)); the written order is then due within 30 days.
pub fn request_denial_review(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    id: &str,
    statement: &str,
) -> Result<chrono::NaiveDate, WorkflowError> {
    state.db.transaction(|conn| {
        let application = super::applications::owned(conn, id, account_id)?;
        if application.status != ApplicationStatus::Denied {
            return Err(WorkflowError::from(DomainError::NotDenied));
        }
        let denial = kecs_persistence::repo::denials::get(conn, id)?;
        if let Err(unmet) = kecs_domain::rules::deadlines::check_denial_review_request(
            denial.denied_on,
            ctx.now.date(),
        ) {
            return Err(DomainError::ReviewRequestTooLate(unmet).into());
        }
        let due = kecs_domain::rules::deadlines::denial_review_order_deadline(ctx.now.date());
        if !kecs_persistence::repo::denials::request_review(conn, id, statement, due, ctx.now)? {
            return Err(WorkflowError::from(DomainError::ReviewAlreadyRequested));
        }
        record(conn, ctx, Some(account_id)).audit(
            "application.denial_review_requested",
            ("application", id),
            json!({"due_on": due}),
        )?;
        Ok(due)
    })
}
