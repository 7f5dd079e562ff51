//! Staff accounts (certification specialists, admins), created, disabled,
//! enabled and given a role by an operator with `kecs staff …`, and the
//! check of a staff token against its account on every request.

use super::RequestContext;
use super::record::record;
use crate::workflows::Ports;
use crate::workflows::WorkflowError;
use crate::workflows::tokens::Caller;
use kecs_domain::DomainError;
use kecs_domain::account::{Account, EmailAddress, Password, Role, Username};
use kecs_persistence::repo::{accounts, refresh_tokens};
use kecs_persistence::{DbConnection, PersistenceError};
use serde_json::json;

/// Staff have no person record; their email is taken as confirmed because
/// the operator who creates them vouches for it.
pub fn add(
    state: &Ports,
    role: Role,
    username: Username,
    email: EmailAddress,
    password: Password,
) -> Result<Account, WorkflowError> {
    let ctx = RequestContext::detached();
    let password = password
        .refuse_if_contains(&username.key())
        .map_err(|e| WorkflowError::field("password", e.0))?;
    let hash = state.passwords.hash(&password)?;
    state.db.transaction(|conn| {
        let account = accounts::insert(
            conn,
            &accounts::NewAccount {
                person_id: None,
                role,
                username: &username,
                email: &email,
                password_hash: &hash,
            },
            ctx.now,
        )
        .map_err(|e| match e {
            PersistenceError::Conflict { what } => {
                WorkflowError::from(DomainError::AlreadyExists(what))
            }
            other => other.into(),
        })?;
        accounts::confirm_email(conn, &account.id, ctx.now)?;
        record(conn, &ctx, None).audit(
            "staff.added",
            ("account", &account.id),
            json!({"role": role.as_str()}),
        )?;
        Ok(account)
    })
}

/// The staff account `username`, or a refusal naming the field: applicants
/// are not managed here (their role never changes and they are never
/// disabled).
fn staff_account(conn: &mut DbConnection, username: &str) -> Result<Account, WorkflowError> {
    accounts::find_by_username_key(conn, &Username::key_of(username))?
        .filter(|account| account.role.is_staff())
        .ok_or_else(|| WorkflowError::field("username", "names no staff account"))
}

/// Disables a staff account at once: its refresh tokens are revoked now,
/// sign-in is refused, and any access token it still holds stops working at
/// its next request (`current`).
pub fn disable(state: &Ports, username: &str) -> Result<Account, WorkflowError> {
    let ctx = RequestContext::detached();
    state.db.transaction(|conn| {
        let account = staff_account(conn, username)?;
        if account.disabled_at.is_none() {
            accounts::set_disabled(conn, &account.id, Some(ctx.now), ctx.now)?;
        }
        refresh_tokens::revoke_all_for_account(conn, &account.id, ctx.now)?;
        record(conn, &ctx, None).audit("staff.disabled", ("account", &account.id), json!({}))?;
        Ok(accounts::get(conn, &account.id)?)
    })
}

/// Enables a disabled staff account again; it signs in anew (its old
/// sessions stay ended).
pub fn enable(state: &Ports, username: &str) -> Result<Account, WorkflowError> {
    let ctx = RequestContext::detached();
    state.db.transaction(|conn| {
        let account = staff_account(conn, username)?;
        accounts::set_disabled(conn, &account.id, None, ctx.now)?;
        record(conn, &ctx, None).audit("staff.enabled", ("account", &account.id), json!({}))?;
        Ok(accounts::get(conn, &account.id)?)
    })
}

/// Changes a staff member's role; tokens issued under the old role carry
/// the new one from their next request (`current`).
pub fn set_role(state: &Ports, username: &str, role: Role) -> Result<Account, WorkflowError> {
    if !role.is_staff() {
        return Err(WorkflowError::field("role", "must be specialist or admin"));
    }
    let ctx = RequestContext::detached();
    state.db.transaction(|conn| {
        let account = staff_account(conn, username)?;
        accounts::set_role(conn, &account.id, role, ctx.now)?;
        record(conn, &ctx, None).audit(
            "staff.role_changed",
            ("account", &account.id),
            json!({"from": account.role.as_str(), "to": role.as_str()}),
        )?;
        Ok(accounts::get(conn, &account.id)?)
    })
}

/// The caller a staff access token names, as the account stands now: a
/// disabled (or deleted) account is unauthenticated, and the role is the
/// account's current one, so a demotion takes effect at the next request
/// rather than when the token expires. Applicant tokens are not checked
/// here: an applicant's role never changes and applicants are never
/// disabled, so their requests skip this read.
pub fn current(state: &Ports, caller: &Caller) -> Result<Caller, WorkflowError> {
    if !caller.role.is_staff() {
        return Ok(caller.clone());
    }
    let account = state
        .db
        .read(|conn| accounts::find(conn, &caller.account_id))?;
    match account {
        Some(account) if account.disabled_at.is_none() => Ok(Caller {
            account_id: account.id,
            role: account.role,
        }),
        Some(_) => Err(WorkflowError::Unauthorized("the account is disabled")),
        None => Err(WorkflowError::Unauthorized("the access token is invalid")),
    }
}
