//! The registration guide: find yourself on record and claim it ("This is
//! me!"), or create a new account; confirm the email address.

use super::RequestContext;
use super::human_check;
use super::mail_templates;
use super::oidc;
use super::record::{audit, enqueue_mail, record};
use super::sessions::{self, Session};
use super::throttle::{self, CREATE_ACCOUNT_PER_ADDRESS, SEARCH_PER_ADDRESS};
use crate::workflows::Ports;
use crate::workflows::WorkflowError;
use crate::workflows::crypto::{random_token, token_hash};
use chrono::Duration;
use kecs_domain::DomainError;
use kecs_domain::account::{
    Account, DateOfBirth, EmailAddress, Password, PersonName, PersonOnRecord, Role, Ssn, SsnLast4,
    Username,
};
use kecs_persistence::repo::one_time_tokens::{self, Purpose};
use kecs_persistence::repo::{accounts, people};
use kecs_persistence::{DbConnection, PersistenceError};
use serde_json::json;

/// A claim token lets its holder claim the record for this long.
const CLAIM_TOKEN_TTL_SECS: i64 = 15 * 60;
const CONFIRMATION_TTL: Duration = Duration::hours(48);

pub struct SearchQuery {
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub ssn_last4: SsnLast4,
    pub date_of_birth: DateOfBirth,
}

pub struct SearchMatch {
    pub claim_token: String,
    pub person: PersonOnRecord,
}

/// Records that match on all four facts and have no account yet. The
/// search is counted, then the "I'm not a robot" token checked
/// (`human_check`), before any record is looked at.
pub fn search(
    state: &Ports,
    ctx: &RequestContext,
    query: &SearchQuery,
    human_check_token: Option<&str>,
) -> Result<Vec<SearchMatch>, WorkflowError> {
    let bucket = throttle::address_bucket("account-search", ctx.client_address.as_deref());
    let _counted = state
        .db
        .transaction(|conn| throttle::reserve(conn, &[(&bucket, SEARCH_PER_ADDRESS)], ctx.now))?;
    human_check::require(state, ctx, human_check_token)?;
    let found = state.db.read(|conn| {
        Ok::<_, WorkflowError>(people::search(
            conn,
            &query.first_name.key(),
            &query.last_name.key(),
            query.date_of_birth.date(),
            &state.vault.last4_hash(&query.ssn_last4),
        )?)
    })?;
    found
        .into_iter()
        .filter(|person| !person.claimed)
        .map(|person| {
            let claim_token = state.jwt.claim_token(
                &person.id,
                ctx.now.and_utc().timestamp(),
                CLAIM_TOKEN_TTL_SECS,
            )?;
            Ok(SearchMatch {
                claim_token,
                person,
            })
        })
        .collect()
}

/// How the new account will sign in.
pub struct Credentials {
    pub username: Username,
    pub email: EmailAddress,
    pub password: Password,
}

pub struct NewPerson {
    pub first_name: PersonName,
    pub middle_name: Option<PersonName>,
    pub last_name: PersonName,
    pub date_of_birth: DateOfBirth,
    pub ssn: Ssn,
}

/// Claims the record named by `claim_token`: its name, date of birth and SSN
/// stay as recorded. With a `registration_token` (an OpenID sign-in whose
/// identity no account had), the new account is linked to that identity.
/// The "I'm not a robot" check comes first.
pub fn claim(
    state: &Ports,
    ctx: &RequestContext,
    claim_token: &str,
    credentials: Credentials,
    human_check_token: Option<&str>,
    registration_token: Option<&str>,
) -> Result<Session, WorkflowError> {
    human_check::require(state, ctx, human_check_token)?;
    let person_id = state.jwt.verify_claim(claim_token).ok_or_else(|| {
        WorkflowError::field(
            "claim_token",
            "is invalid or has expired; search for your record again",
        )
    })?;
    if let Some(token) = registration_token {
        oidc::verify_registration(state, token)?;
    }
    let password_hash = state.passwords.hash(&credentials.password)?;
    let session = state.change(|conn| {
        let person = people::get(conn, &person_id).map_err(|e| match e {
            PersistenceError::NotFound => {
                WorkflowError::field("claim_token", "names no record; search again")
            }
            other => other.into(),
        })?;
        if person.claimed {
            return Err(WorkflowError::from(DomainError::AlreadyClaimed));
        }
        let account = open_account(conn, state, ctx, &person, &credentials, &password_hash)?;
        record(conn, ctx, Some(&account.id)).audit(
            "account.claimed",
            ("person", &person.id),
            json!({"account_id": account.id}),
        )?;
        if let Some(token) = registration_token {
            oidc::link_registration(conn, state, ctx, &account.id, token)?;
        }
        sessions::issue(conn, state, account, None, ctx.now)
    })?;
    Ok(session)
}

/// A new person and their account. Someone whose SSN is already on record
/// gets one answer, whatever the record holds ([`DomainError::AlreadyOnRecord`]):
/// which answer came back must not tell whether that SSN has an account or
/// which date of birth goes with it. So every attempt is counted against the
/// address before any work, the password is hashed before the database is
/// asked anything, and the username and email are checked before the SSN,
/// so their refusals say nothing about it. The "I'm not a robot" check
/// comes right after the count; a failed one stays counted.
pub fn create(
    state: &Ports,
    ctx: &RequestContext,
    person: NewPerson,
    credentials: Credentials,
    human_check_token: Option<&str>,
    registration_token: Option<&str>,
) -> Result<Session, WorkflowError> {
    // Checked before anything is counted or hashed: a stale token is the
    // client's to renew, not an attempt.
    if let Some(token) = registration_token {
        oidc::verify_registration(state, token)?;
    }
    let bucket = throttle::address_bucket("create-account", ctx.client_address.as_deref());
    let reserved = state.db.transaction(|conn| {
        throttle::reserve(conn, &[(&bucket, CREATE_ACCOUNT_PER_ADDRESS)], ctx.now)
    })?;
    human_check::require(state, ctx, human_check_token)?;
    let ssn_hash = state.vault.ssn_hash(&person.ssn);
    let ssn_ciphertext = state
        .vault
        .encrypt(&person.ssn)
        .map_err(WorkflowError::internal)?;
    let password_hash = match state.passwords.hash(&credentials.password) {
        Ok(hash) => hash,
        // Refused before anything was looked at: the attempt does not count.
        Err(busy) => {
            state
                .db
                .transaction(|conn| throttle::release(conn, reserved))?;
            return Err(busy);
        }
    };
    let session = state.change(|conn| {
        refuse_taken(conn, &credentials)?;
        if people::find_by_ssn_hash(conn, &ssn_hash)?.is_some() {
            return Err(WorkflowError::from(DomainError::AlreadyOnRecord));
        }
        let recorded = people::insert(
            conn,
            &people::NewPerson {
                first_name: &person.first_name,
                middle_name: person.middle_name.as_ref(),
                last_name: &person.last_name,
                date_of_birth: person.date_of_birth.date(),
                ssn_ciphertext,
                ssn_hash,
                ssn_last4_hash: state.vault.last4_hash(&person.ssn.last4()),
            },
            ctx.now,
        )
        .map_err(|e| match e {
            // Another request recorded the same SSN a moment ago.
            PersistenceError::Conflict { what: "ssn" } => {
                WorkflowError::from(DomainError::AlreadyOnRecord)
            }
            other => other.into(),
        })?;
        let account = open_account(conn, state, ctx, &recorded, &credentials, &password_hash)?;
        record(conn, ctx, Some(&account.id)).audit(
            "account.created",
            ("person", &recorded.id),
            json!({"account_id": account.id}),
        )?;
        if let Some(token) = registration_token {
            oidc::link_registration(conn, state, ctx, &account.id, token)?;
        }
        sessions::issue(conn, state, account, None, ctx.now)
    })?;
    Ok(session)
}

/// The username and the email must be free; each refusal names its field.
fn refuse_taken(conn: &mut DbConnection, credentials: &Credentials) -> Result<(), WorkflowError> {
    if accounts::username_taken(conn, &credentials.username)? {
        return Err(WorkflowError::from(DomainError::UsernameTaken));
    }
    if accounts::email_taken(conn, &credentials.email, None)? {
        return Err(WorkflowError::from(DomainError::EmailTaken));
    }
    Ok(())
}

/// The account itself, its confirmation mail, and the uniqueness checks with
/// answers that name the field.
fn open_account(
    conn: &mut DbConnection,
    state: &Ports,
    ctx: &RequestContext,
    person: &PersonOnRecord,
    credentials: &Credentials,
    password_hash: &str,
) -> Result<Account, WorkflowError> {
    refuse_taken(conn, credentials)?;
    let account = accounts::insert(
        conn,
        &accounts::NewAccount {
            person_id: Some(&person.id),
            role: Role::Applicant,
            username: &credentials.username,
            email: &credentials.email,
            password_hash,
        },
        ctx.now,
    )
    .map_err(|e| match e {
        PersistenceError::Conflict { what: "username" } => {
            WorkflowError::from(DomainError::UsernameTaken)
        }
        PersistenceError::Conflict { what: "email" } => {
            WorkflowError::from(DomainError::EmailTaken)
        }
        PersistenceError::Conflict { what: "person" } => {
            WorkflowError::from(DomainError::AlreadyClaimed)
        }
        other => other.into(),
    })?;
    send_confirmation(conn, state, ctx, &account, &person.first_name)?;
    Ok(account)
}

pub fn send_confirmation(
    conn: &mut DbConnection,
    state: &Ports,
    ctx: &RequestContext,
    account: &Account,
    first_name: &str,
) -> Result<(), WorkflowError> {
    let token = random_token();
    one_time_tokens::issue(
        conn,
        &account.id,
        Purpose::ConfirmEmail,
        &token_hash(&token),
        ctx.now,
        ctx.now + CONFIRMATION_TTL,
    )?;
    let mail = mail_templates::confirm_email(&state.config.public_url, first_name, &token);
    enqueue_mail(conn, &account.email, &mail, ctx.now)
}

/// Confirms the address the mailed token was sent to.
pub fn confirm_email(
    state: &Ports,
    ctx: &RequestContext,
    token: &str,
) -> Result<(), WorkflowError> {
    state.db.transaction(|conn| {
        let account_id = one_time_tokens::consume(
            conn,
            Purpose::ConfirmEmail,
            &token_hash(token),
            ctx.now,
        )?
        .ok_or_else(|| {
            WorkflowError::field(
                "token",
                "is invalid, was already used or has expired; ask for a new confirmation mail",
            )
        })?;
        accounts::confirm_email(conn, &account_id, ctx.now)?;
        audit(
            conn,
            ctx,
            Some(&account_id),
            "account.email_confirmed",
            ("account", &account_id),
            json!({}),
        )
    })
}

/// Mails a fresh confirmation link (the earlier ones stop working).
pub fn resend_confirmation(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
) -> Result<(), WorkflowError> {
    state.change(|conn| {
        let account = accounts::get(conn, account_id)?;
        if account.email_confirmed_at.is_some() {
            return Err(WorkflowError::from(DomainError::EmailAlreadyConfirmed));
        }
        let first_name = match &account.person_id {
            Some(person_id) => people::get(conn, person_id)?.first_name,
            None => account.username.clone(),
        };
        send_confirmation(conn, state, ctx, &account, &first_name)?;
        audit(
            conn,
            ctx,
            Some(account_id),
            "account.confirmation_resent",
            ("account", account_id),
            json!({}),
        )
    })?;
    Ok(())
}
