//! Staff accounts (certification specialists, admins), created by an
//! operator with `kecs staff add`.

use super::RequestContext;
use super::record::record;
use crate::workflows::Ports;
use crate::workflows::WorkflowError;
use kecs_domain::DomainError;
use kecs_domain::account::{Account, EmailAddress, Password, Role, Username};
use kecs_persistence::PersistenceError;
use kecs_persistence::repo::accounts;
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
