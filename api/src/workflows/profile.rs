//! The applicant's profile: name and date of birth as recorded (read-only),
//! email, mailing address and phone.

use super::RequestContext;
use super::mail_templates;
use super::record::{enqueue_mail, record};
use super::registration::send_confirmation;
use crate::workflows::Ports;
use crate::workflows::WorkflowError;
use kecs_domain::DomainError;
use kecs_domain::account::{EmailAddress, MailingAddress, PhoneNumber, Profile};
use kecs_persistence::PersistenceError;
use kecs_persistence::repo::accounts::{self, ContactUpdate};
use serde_json::json;

pub fn get(state: &Ports, account_id: &str) -> Result<Profile, WorkflowError> {
    Ok(state.db.read(|conn| accounts::profile(conn, account_id))?)
}

pub struct ContactDetails {
    pub email: EmailAddress,
    pub mailing_address: MailingAddress,
    pub phone: PhoneNumber,
}

/// Replaces the contact details. A changed email must be confirmed again;
/// the old address is told of the change.
pub fn update(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    details: ContactDetails,
) -> Result<Profile, WorkflowError> {
    let profile = state.change(|conn| {
        let before = accounts::profile(conn, account_id)?;
        let email_changed = EmailAddress::key_of(&before.email) != details.email.key();
        if email_changed && accounts::email_taken(conn, &details.email, Some(account_id))? {
            return Err(WorkflowError::from(DomainError::EmailTaken));
        }
        accounts::update_contact(
            conn,
            account_id,
            &ContactUpdate {
                email: email_changed.then_some(&details.email),
                mailing_address: Some(&details.mailing_address),
                phone: Some(&details.phone),
            },
            ctx.now,
        )
        .map_err(|e| match e {
            PersistenceError::Conflict { what: "email" } => {
                WorkflowError::from(DomainError::EmailTaken)
            }
            other => other.into(),
        })?;
        if email_changed {
            let account = accounts::get(conn, account_id)?;
            send_confirmation(conn, state, ctx, &account, &before.first_name)?;
            enqueue_mail(
                conn,
                &before.email,
                &mail_templates::email_changed(details.email.as_str()),
                ctx.now,
            )?;
        }
        record(conn, ctx, Some(account_id)).audit(
            "profile.updated",
            ("account", account_id),
            json!({"email_changed": email_changed}),
        )?;
        Ok::<_, WorkflowError>(accounts::profile(conn, account_id)?)
    })?;
    Ok(profile)
}
