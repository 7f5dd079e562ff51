//! Applications: ownership, the guard every write passes, and withdrawal.

use super::RequestContext;
use super::sessions::audit;
use crate::error::ApiError;
use crate::state::AppState;
use kecs_domain::application::{ApplicationStatus, Transition};
use kecs_persistence::repo::applications::{self, NotEditable, StoredApplication};
use kecs_persistence::{DbConnection, PersistenceError};
use serde_json::json;

/// The application if the caller owns it; anyone else's is a 404, exactly
/// like one that does not exist (contract: ids cannot be probed).
pub fn owned(
    conn: &mut DbConnection,
    id: &str,
    account_id: &str,
) -> Result<StoredApplication, ApiError> {
    applications::get_owned(conn, id, account_id).map_err(|e| match e {
        PersistenceError::NotFound => ApiError::NotFound,
        other => other.into(),
    })
}

/// Why a write was refused, in words the applicant can act on.
pub fn not_editable(application: &StoredApplication, reason: NotEditable) -> ApiError {
    match reason {
        NotEditable::ExpiredNow => ApiError::Conflict {
            code: "application_expired",
            detail: format!(
                "this application was not paid within 90 days of being started and expired on {} (UTC); \
                 start a new application",
                application.expires_at.format("%Y-%m-%d %H:%M")
            ),
        },
        NotEditable::Status(ApplicationStatus::Expired) => ApiError::Conflict {
            code: "application_expired",
            detail: "this application expired unpaid; start a new application".to_owned(),
        },
        NotEditable::Status(status) => ApiError::Conflict {
            code: "application_not_editable",
            detail: format!("this application is {status} and can no longer be changed"),
        },
    }
}

/// Runs `work` on the caller's application in one transaction, after
/// claiming it for a change: refused unless it is editable and unexpired.
/// An application found past its expiry is marked expired once the refused
/// transaction has rolled back (never inside it: on SQLite a second
/// transaction would wait on this one's write lock).
pub fn edit<T>(
    state: &AppState,
    ctx: &RequestContext,
    id: &str,
    account_id: &str,
    work: impl FnOnce(&mut DbConnection, &StoredApplication) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let mut found_expired = None;
    let result = state.db.transaction(|conn| {
        let application = owned(conn, id, account_id)?;
        match applications::claim_for_edit(conn, id, ctx.now)? {
            Ok(application) => work(conn, &application),
            Err(reason) => {
                if reason == NotEditable::ExpiredNow {
                    found_expired = Some(application.clone());
                }
                Err(not_editable(&application, reason))
            }
        }
    });
    if let Some(application) = found_expired {
        super::sweeper::expire_now(state, ctx, &application);
    }
    result
}

/// Withdraws the caller's application (before submission, or while it is
/// back as deficient).
pub fn withdraw(
    state: &AppState,
    ctx: &RequestContext,
    id: &str,
    account_id: &str,
) -> Result<StoredApplication, ApiError> {
    edit(state, ctx, id, account_id, |conn, application| {
        let to = application
            .status
            .apply(Transition::Withdraw)
            .map_err(|e| ApiError::Conflict {
                code: "application_not_editable",
                detail: e.to_string(),
            })?;
        if !applications::change_status(conn, id, application.status, to, ctx.now)? {
            return Err(ApiError::Conflict {
                code: "application_changed",
                detail: "the application changed meanwhile; reload it".to_owned(),
            });
        }
        audit(
            conn,
            ctx,
            Some(account_id),
            "application.withdrawn",
            ("application", id),
            json!({"from": application.status.as_str()}),
        )?;
        Ok(applications::get(conn, id)?)
    })
}
