//! The other side of the counter: certification specialists take submitted
//! applications, return them as deficient or approve them (approval awards
//! the credential, Sec. 3(3)).

use super::RequestContext;
use super::applications::{edit, plan_view_ready, return_as_deficient};
use super::sessions::{audit, enqueue_mail};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;
use kecs_domain::account::Role;
use kecs_domain::application::{ApplicationStatus, ElementKey, Transition};
use kecs_domain::credential::award;
use kecs_persistence::PersistenceError;
use kecs_persistence::repo::accounts;
use kecs_persistence::repo::applications::{self, StoredApplication};
use kecs_persistence::repo::credentials::{self, Credential};
use serde_json::json;

pub fn queue(state: &AppState, limit: i64) -> Result<Vec<StoredApplication>, ApiError> {
    Ok(state
        .db
        .read(|conn| applications::review_queue(conn, limit))?)
}

fn found(
    result: Result<StoredApplication, PersistenceError>,
) -> Result<StoredApplication, ApiError> {
    result.map_err(|e| match e {
        PersistenceError::NotFound => ApiError::NotFound,
        other => other.into(),
    })
}

/// A specialist takes an application for review (moving it to
/// `pending_review`); an admin may assign it to a specialist, or re-assign.
pub fn assign(
    state: &AppState,
    ctx: &RequestContext,
    caller: &Caller,
    id: &str,
    specialist: Option<&str>,
) -> Result<StoredApplication, ApiError> {
    let reviewer = match (caller.role, specialist) {
        (Role::Specialist, None) => caller.account_id.clone(),
        (Role::Specialist, Some(_)) => return Err(ApiError::Forbidden),
        (Role::Admin, Some(specialist)) => specialist.to_owned(),
        (Role::Admin, None) => {
            return Err(ApiError::field(
                "specialist_id",
                "is required when an admin assigns",
            ));
        }
        (Role::Applicant, _) => return Err(ApiError::Forbidden),
    };
    let application = state.db.transaction(|conn| {
        let reviewer_account = accounts::get(conn, &reviewer)
            .map_err(|_| ApiError::field("specialist_id", "is not a certification specialist"))?;
        if reviewer_account.role != Role::Specialist {
            return Err(ApiError::field(
                "specialist_id",
                "is not a certification specialist",
            ));
        }
        let application = found(applications::get(conn, id))?;
        if !applications::assign(conn, id, &reviewer, caller.role == Role::Admin, ctx.now)? {
            return Err(ApiError::Conflict {
                code: "invalid_transition",
                detail: format!(
                    "an application that is {} cannot be assigned",
                    application.status
                ),
            });
        }
        if application.status == ApplicationStatus::Submitted {
            let owner = accounts::get(conn, &application.account_id)?;
            enqueue_mail(
                conn,
                &owner.email,
                &super::mail_templates::pending_review(id),
                ctx.now,
            )?;
        }
        audit(
            conn,
            ctx,
            Some(&caller.account_id),
            "application.assigned",
            ("application", id),
            json!({"specialist_id": reviewer}),
        )?;
        found(applications::get(conn, id))
    })?;
    state.outbox_signal.notify_one();
    Ok(application)
}

/// Only the specialist assigned may decide; nobody decides their own.
fn require_assigned(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<StoredApplication, ApiError> {
    let application = state.db.read(|conn| found(applications::get(conn, id)))?;
    if caller.role != Role::Specialist || application.account_id == caller.account_id {
        return Err(ApiError::Forbidden);
    }
    if application.status != ApplicationStatus::PendingReview {
        return Err(ApiError::Conflict {
            code: "invalid_transition",
            detail: format!(
                "an application that is {} is not under review",
                application.status
            ),
        });
    }
    if application.assigned_to.as_deref() != Some(caller.account_id.as_str()) {
        return Err(ApiError::Conflict {
            code: "not_assigned_to_you",
            detail: "this application is assigned to another specialist".to_owned(),
        });
    }
    Ok(application)
}

pub fn return_deficient(
    state: &AppState,
    ctx: &RequestContext,
    caller: &Caller,
    id: &str,
    deficiencies: &[(ElementKey, String)],
) -> Result<StoredApplication, ApiError> {
    require_assigned(state, caller, id)?;
    return_as_deficient(state, ctx, &caller.account_id, id, deficiencies)
}

/// Approves: the application becomes `approved` and the credential is issued
/// in the same transaction.
pub fn approve(
    state: &AppState,
    ctx: &RequestContext,
    caller: &Caller,
    id: &str,
) -> Result<Credential, ApiError> {
    let application = require_assigned(state, caller, id)?;
    let to = application
        .status
        .apply(Transition::Approve)
        .map_err(|e| ApiError::Conflict {
            code: "invalid_transition",
            detail: e.to_string(),
        })?;
    let credential = state.db.transaction(|conn| {
        if !applications::change_status(conn, id, ApplicationStatus::PendingReview, to, ctx.now)? {
            return Err(ApiError::Conflict {
                code: "application_changed",
                detail: "the application changed meanwhile; reload it".to_owned(),
            });
        }
        let awarded = award(application.credential, ctx.now.date());
        let credential = credentials::issue(conn, &application.account_id, id, &awarded, ctx.now)?;
        let owner = accounts::get(conn, &application.account_id)?;
        let mail = super::mail_templates::approved(
            &credential.number,
            application.credential.title(),
            &credential.expires_on.to_string(),
        );
        enqueue_mail(conn, &owner.email, &mail, ctx.now)?;
        audit(
            conn,
            ctx,
            Some(&caller.account_id),
            "application.approved",
            ("application", id),
            json!({"credential": credential.number}),
        )?;
        Ok(credential)
    })?;
    state.outbox_signal.notify_one();
    Ok(credential)
}

/// The applicant resubmits a deficient application once its required
/// elements are complete again; it is not paid for again.
pub fn resubmit(
    state: &AppState,
    ctx: &RequestContext,
    account_id: &str,
    id: &str,
) -> Result<StoredApplication, ApiError> {
    edit(state, ctx, id, account_id, |conn, application| {
        if application.status != ApplicationStatus::Deficient {
            return Err(ApiError::Conflict {
                code: "not_deficient",
                detail: "only an application returned as deficient is resubmitted".to_owned(),
            });
        }
        plan_view_ready(conn, application, ctx.now)?;
        let to = application
            .status
            .apply(Transition::Submit)
            .map_err(|e| ApiError::Conflict {
                code: "invalid_transition",
                detail: e.to_string(),
            })?;
        applications::change_status(conn, id, application.status, to, ctx.now)?;
        audit(
            conn,
            ctx,
            Some(account_id),
            "application.resubmitted",
            ("application", id),
            json!({}),
        )?;
        found(applications::get(conn, id))
    })
}

pub fn my_credentials(state: &AppState, account_id: &str) -> Result<Vec<Credential>, ApiError> {
    Ok(state
        .db
        .read(|conn| credentials::for_account(conn, account_id))?)
}

/// A credential its holder — or staff — may see.
pub fn credential(state: &AppState, caller: &Caller, number: &str) -> Result<Credential, ApiError> {
    let credential = state
        .db
        .read(|conn| credentials::get_by_number(conn, number))
        .map_err(|e| match e {
            PersistenceError::NotFound => ApiError::NotFound,
            other => other.into(),
        })?;
    if caller.role == Role::Applicant && credential.account_id != caller.account_id {
        return Err(ApiError::NotFound);
    }
    Ok(credential)
}
