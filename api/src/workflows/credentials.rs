//! A credential's life after approval: award or renewal (Sec. 3(3), 13),
//! revocation and the hearing request (Sec. 15), expiry and its reminders,
//! and the public register.

use super::RequestContext;
use super::letter::LetterOfApproval;
use super::mail_templates;
use super::record::{enqueue_mail, record};
use crate::workflows::Ports;
use crate::workflows::WorkflowError;
use crate::workflows::tokens::Caller;
use chrono::{NaiveDate, NaiveDateTime};
use kecs_domain::DomainError;
use kecs_domain::account::{PersonName, Role};
use kecs_domain::application::{Application, ElementData, ElementKey};
use kecs_domain::credential::{
    Credential, HeldCredential, PublicSearch, RevocationGround, award, check_renewal,
    credential_to_renew, expiry_reminder_due,
};
use kecs_domain::rules::deadlines::{check_reapplication, reapplication_allowed_on};
use kecs_domain::rules::{Level, may_train};
use kecs_persistence::DbConnection;
use kecs_persistence::repo::accounts;
use kecs_persistence::repo::applications;
use kecs_persistence::repo::credentials::{self, Holder};
use serde_json::json;

/// What an approval gave: a new credential, or the renewed one.
pub enum Awarded {
    Issued(Credential),
    Renewed(Credential),
}

impl Awarded {
    pub fn credential(&self) -> &Credential {
        match self {
            Awarded::Issued(c) | Awarded::Renewed(c) => c,
        }
    }
}

/// Awards what an approved application asks for, inside the approval's
/// transaction, and mails the applicant.
pub(crate) fn award_for(
    conn: &mut DbConnection,
    application: &Application,
    public_url: &str,
    now: NaiveDateTime,
) -> Result<Awarded, WorkflowError> {
    let today = now.date();
    let owner = accounts::profile(conn, &application.account_id)?;
    let awarded =
        if application.renewal {
            let held = renewed_credential(conn, application)?;
            let expires_on = check_renewal(held.level, held.status, held.expires_on, today)
                .map_err(|unmet| DomainError::NotRenewable {
                    field: "renews_credential",
                    unmet,
                })?;
            if !credentials::renew(conn, &held.id, expires_on, today)? {
                return Err(WorkflowError::from(DomainError::CredentialChanged));
            }
            Awarded::Renewed(credentials::get(conn, &held.id)?)
        } else {
            let display_name = format!("{} {}", owner.first_name, owner.last_name);
            let holder = Holder {
                display_name: &display_name,
                first_name_key: &PersonName::key_of(&owner.first_name),
                last_name_key: &PersonName::key_of(&owner.last_name),
            };
            let area = specialty_area(conn, application)?;
            Awarded::Issued(credentials::issue(
                conn,
                &application.account_id,
                &application.id,
                &award(application.credential, today),
                &holder,
                area.as_deref(),
                now,
            )?)
        };
    let credential = awarded.credential();
    let expires_on = credential.expires_on.to_string();
    let mail = match &awarded {
        Awarded::Issued(_) => mail_templates::approved(
            public_url,
            &credential.number,
            credential.level.title(),
            &expires_on,
        ),
        Awarded::Renewed(_) => mail_templates::renewed(
            public_url,
            &credential.number,
            credential.level.title(),
            &expires_on,
        ),
    };
    enqueue_mail(conn, &owner.email, &mail, now)?;
    Ok(awarded)
}

/// The Specialty area named in the application's license element.
fn specialty_area(
    conn: &mut DbConnection,
    application: &Application,
) -> Result<Option<String>, WorkflowError> {
    if application.credential != Level::Specialty {
        return Ok(None);
    }
    let elements = applications::elements(conn, &application.id)?;
    Ok(elements
        .iter()
        .filter(|e| e.key == ElementKey::SpecialtyLicense)
        .filter_map(|e| e.data.as_ref()?.data())
        .find_map(|data| match data {
            ElementData::SpecialtyLicense { area, .. } => area.clone(),
            _ => None,
        }))
}

/// The credential a renewal application renews: the one it was started
/// for.
fn renewed_credential(
    conn: &mut DbConnection,
    application: &Application,
) -> Result<Credential, WorkflowError> {
    let id = application.renews_credential_id.as_deref().ok_or_else(|| {
        WorkflowError::internal(format!(
            "renewal application {} names no credential",
            application.id
        ))
    })?;
    Ok(credentials::get(conn, id)?)
}

/// Before an application starts: a revoked credential bars every new
/// application for two years (Sec. 15(2)(b)); a renewal needs a renewable
/// credential of its level (Sec. 13). Returns the credential a renewal
/// renews.
pub(crate) fn check_may_apply(
    conn: &mut DbConnection,
    account_id: &str,
    renewal_of: Option<Level>,
    today: NaiveDate,
) -> Result<Option<String>, WorkflowError> {
    if let Some(revoked_on) = credentials::last_revoked_on(conn, account_id)? {
        check_reapplication(revoked_on, today).map_err(DomainError::ReapplicationBarred)?;
    }
    let Some(level) = renewal_of else {
        return Ok(None);
    };
    let held = credentials::for_account(conn, account_id)?
        .into_iter()
        .map(|c| HeldCredential {
            id: c.id,
            level: c.level,
            status: c.status,
            expires_on: c.expires_on,
        });
    Ok(Some(credential_to_renew(held, level, today)?))
}

pub fn my_credentials(state: &Ports, account_id: &str) -> Result<Vec<Credential>, WorkflowError> {
    Ok(state
        .db
        .read(|conn| credentials::for_account(conn, account_id))?)
}

/// A credential its holder — or staff — may see; anyone else's is 404.
pub fn credential(
    state: &Ports,
    caller: &Caller,
    number: &str,
) -> Result<Credential, WorkflowError> {
    let credential = state
        .db
        .read(|conn| credentials::get_by_number(conn, number))?;
    if caller.role == Role::Applicant && credential.account_id != caller.account_id {
        return Err(WorkflowError::NotFound);
    }
    Ok(credential)
}

/// The letter of approval of a credential the caller may see, as a PDF:
/// generated on demand, never stored. A revoked credential has none.
pub fn letter_of_approval(
    state: &Ports,
    caller: &Caller,
    number: &str,
) -> Result<(Credential, Vec<u8>), WorkflowError> {
    let credential = credential(state, caller, number)?;
    credential.check_letter()?;
    let sentences = may_train(credential.level).sentences();
    let dated = credential
        .renewed_on
        .unwrap_or(credential.issued_on)
        .to_string();
    let pdf = LetterOfApproval {
        holder_name: &credential.holder_name,
        number: &credential.number,
        credential_title: credential.level.title(),
        specialty_area: credential.specialty_area.as_deref(),
        dated: &dated,
        issued_on: &credential.issued_on.to_string(),
        expires_on: &credential.expires_on.to_string(),
        renewed: credential.renewed_on.is_some(),
        renewable: credential.renewable,
        may_train: &sentences,
    }
    .render();
    Ok((credential, pdf))
}

/// Revokes a credential on a ground of Sec. 15(1); the holder is told the
/// ground, the hearing right and from when they may reapply.
pub fn revoke(
    state: &Ports,
    ctx: &RequestContext,
    admin_id: &str,
    number: &str,
    ground: RevocationGround,
    statement: &str,
    cited_events: &[String],
) -> Result<Credential, WorkflowError> {
    let today = ctx.now.date();
    if let Err(unmet) = ground.check_cited_training(cited_events.len()) {
        let mut errors = kecs_domain::validation::FieldErrors::new();
        errors.push_unmet("training_events", &unmet);
        return Err(WorkflowError::Invalid(errors));
    }
    let credential = state.change(|conn| {
        let credential = credentials::get_by_number(conn, number)?;
        check_events_given_under(conn, &credential, cited_events)?;
        if !credentials::revoke(
            conn,
            &credential.id,
            ground,
            statement,
            cited_events,
            admin_id,
            today,
        )? {
            return Err(WorkflowError::from(DomainError::AlreadyRevoked(
                number.to_owned(),
            )));
        }
        record(conn, ctx, Some(admin_id))
            .tell(
                &credential.account_id,
                &mail_templates::revoked(
                    number,
                    ground.description(),
                    &ground.citation().to_string(),
                    &reapplication_allowed_on(today).to_string(),
                ),
            )?
            .audit(
                "credential.revoked",
                ("credential", number),
                json!({
                    "ground": ground.as_str(),
                    "citation": ground.citation().to_string(),
                    "training_events": cited_events,
                }),
            )?;
        Ok(credentials::get(conn, &credential.id)?)
    })?;
    Ok(credential)
}

/// Each cited event must be one of the holder's, given under this
/// credential (led or co-trained), and cited once: every other is named.
fn check_events_given_under(
    conn: &mut DbConnection,
    credential: &Credential,
    cited_events: &[String],
) -> Result<(), WorkflowError> {
    if cited_events.is_empty() {
        return Ok(());
    }
    let given = credentials::events_given_under(conn, &credential.id, cited_events)?;
    let mut errors = kecs_domain::validation::FieldErrors::new();
    for (index, event) in cited_events.iter().enumerate() {
        let field = format!("training_events[{index}]");
        if cited_events[..index].contains(event) {
            errors.push(field, "is cited twice");
        } else if !given.contains(event) {
            errors.push(
                field,
                format!(
                    "is not a training event given under credential {}",
                    credential.number
                ),
            );
        }
    }
    errors.into_result().map_err(WorkflowError::Invalid)
}

/// The holder of a revoked credential requests a hearing (Sec. 15(2)(a),
/// under 922 KAR 2:260); it is recorded once.
pub fn request_hearing(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    number: &str,
    statement: &str,
) -> Result<Credential, WorkflowError> {
    state.db.transaction(|conn| {
        let credential = credentials::get_by_number(conn, number)?;
        if credential.account_id != account_id {
            return Err(WorkflowError::NotFound);
        }
        credential.status.check_hearing_request()?;
        if !credentials::request_hearing(conn, &credential.id, statement, ctx.now)? {
            return Err(WorkflowError::from(DomainError::HearingAlreadyRequested));
        }
        record(conn, ctx, Some(account_id)).audit(
            "credential.hearing_requested",
            ("credential", number),
            json!({}),
        )?;
        Ok(credentials::get(conn, &credential.id)?)
    })
}

/// The public register: never more than the name and the credential.
pub fn public_search(
    state: &Ports,
    search: &PublicSearch,
) -> Result<Vec<(Credential, String)>, WorkflowError> {
    Ok(state
        .db
        .read(|conn| credentials::public_search(conn, search))?)
}

pub fn public_credential(state: &Ports, number: &str) -> Result<Credential, WorkflowError> {
    Ok(state
        .db
        .read(|conn| credentials::get_by_number(conn, number))?)
}

/// Expires credentials past their term and sends the 90- and 30-day
/// reminders. Each change is a conditional update, safe on several nodes.
pub(crate) fn sweep(
    state: &Ports,
    ctx: &RequestContext,
    batch: i64,
) -> Result<(usize, usize), WorkflowError> {
    let today = ctx.now.date();
    let mut expired = 0;
    loop {
        let due = state
            .db
            .read(|conn| credentials::due_to_expire(conn, today, batch))?;
        for credential in &due {
            let done = state.db.transaction(|conn| {
                if !credentials::expire(conn, &credential.id, today)? {
                    return Ok::<_, WorkflowError>(false);
                }
                record(conn, ctx, None)
                    .tell_now(
                        &credential.account_id,
                        &mail_templates::credential_expired(&credential.number),
                    )?
                    .audit(
                        "credential.expired",
                        ("credential", &credential.number),
                        json!({"expires_on": credential.expires_on}),
                    )?;
                Ok(true)
            })?;
            expired += usize::from(done);
        }
        if due.len() < usize::try_from(batch).unwrap_or(usize::MAX) {
            break;
        }
    }
    let mut reminded = 0;
    let candidates = state
        .db
        .read(|conn| credentials::reminder_candidates(conn, today, batch))?;
    for credential in &candidates {
        let Some(reminder) = expiry_reminder_due(
            credential.expires_on,
            today,
            credential.reminded_90,
            credential.reminded_30,
        ) else {
            continue;
        };
        let sent = state.db.transaction(|conn| {
            if !credentials::mark_reminded(
                conn,
                &credential.id,
                reminder.days(),
                credential.expires_on,
            )? {
                return Ok::<_, WorkflowError>(false);
            }
            record(conn, ctx, None)
                .tell_now(
                    &credential.account_id,
                    &mail_templates::credential_expiry_reminder(
                        &credential.number,
                        reminder.days(),
                        &credential.expires_on.to_string(),
                        credential.renewable,
                    ),
                )?
                .audit(
                    "credential.expiry_reminder_sent",
                    ("credential", &credential.number),
                    json!({"days": reminder.days(), "expires_on": credential.expires_on}),
                )?;
            Ok(true)
        })?;
        reminded += usize::from(sent);
    }
    Ok((expired, reminded))
}
