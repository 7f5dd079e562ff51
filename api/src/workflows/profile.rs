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

/// The contact details to change; `None` keeps what is on file.
pub struct ContactDetails {
    pub email: Option<EmailAddress>,
    pub mailing_address: Option<MailingAddress>,
    pub phone: Option<PhoneNumber>,
}

/// Changes the contact details given. A changed email must be confirmed
/// again; the old address is told of the change.
pub fn update(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    details: ContactDetails,
) -> Result<Profile, WorkflowError> {
    let profile = state.change(|conn| {
        let before = accounts::profile(conn, account_id)?;
        let new_email = details
            .email
            .as_ref()
            .filter(|email| EmailAddress::key_of(&before.email) != email.key());
        if let Some(email) = new_email
            && accounts::email_taken(conn, email, Some(account_id))?
        {
            return Err(WorkflowError::from(DomainError::EmailTaken));
        }
        accounts::update_contact(
            conn,
            account_id,
            &ContactUpdate {
                email: new_email,
                mailing_address: details.mailing_address.as_ref(),
                phone: details.phone.as_ref(),
            },
            ctx.now,
        )
        .map_err(|e| match e {
            PersistenceError::Conflict { what: "email" } => {
                WorkflowError::from(DomainError::EmailTaken)
            }
            other => other.into(),
        })?;
        if let Some(email) = new_email {
            let account = accounts::get(conn, account_id)?;
            send_confirmation(conn, state, ctx, &account, &before.first_name)?;
            enqueue_mail(
                conn,
                &before.email,
                &mail_templates::email_changed(email.as_str()),
                ctx.now,
            )?;
        }
        record(conn, ctx, Some(account_id)).audit(
            "profile.updated",
            ("account", account_id),
            json!({
                "email_changed": new_email.is_some(),
                "mailing_address_changed": details.mailing_address.is_some(),
                "phone_changed": details.phone.is_some(),
            }),
        )?;
        Ok::<_, WorkflowError>(accounts::profile(conn, account_id)?)
    })?;
    Ok(profile)
}
