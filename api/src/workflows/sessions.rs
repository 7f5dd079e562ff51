//! Signing in and out: access tokens, rotating refresh tokens, forgotten
//! usernames and passwords.

use super::RequestContext;
use super::human_check;
use super::mail_templates;
use super::record::{audit, enqueue_mail, record};
use super::throttle::{self, MAIL_REQUESTS_PER_ADDRESS, SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_ADDRESS};
use crate::workflows::Ports;
use crate::workflows::WorkflowError;
use crate::workflows::crypto::{random_token, token_hash};
use chrono::{Duration, NaiveDateTime};
use kecs_domain::account::{Account, EmailAddress, Password, Username};
use kecs_persistence::DbConnection;
use kecs_persistence::repo::one_time_tokens::{self, Purpose};
use kecs_persistence::repo::{accounts, refresh_tokens};
use serde_json::json;

pub const RESET_TOKEN_TTL: Duration = Duration::hours(1);

/// What a client holds after signing in.
#[derive(Debug, Clone)]
pub struct Session {
    pub access_token: String,
    pub access_expires_in: i64,
    pub refresh_token: String,
    pub refresh_expires_in: i64,
    pub account: Account,
}

fn ttl_secs(duration: std::time::Duration) -> i64 {
    i64::try_from(duration.as_secs()).unwrap_or(i64::MAX)
}

/// Starts a session (a new refresh-token family) or continues `family`.
pub fn issue(
    conn: &mut DbConnection,
    state: &Ports,
    account: Account,
    family: Option<&str>,
    now: NaiveDateTime,
) -> Result<Session, WorkflowError> {
    let access_ttl = ttl_secs(state.config.access_token_ttl);
    let refresh_ttl = ttl_secs(state.config.refresh_token_ttl);
    let access_token = state.jwt.access_token(
        &account.id,
        account.role,
        now.and_utc().timestamp(),
        access_ttl,
    )?;
    let refresh_token = random_token();
    let family = family
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    refresh_tokens::insert(
        conn,
        &account.id,
        &family,
        &token_hash(&refresh_token),
        now,
        now + Duration::seconds(refresh_ttl),
    )?;
    Ok(Session {
        access_token,
        access_expires_in: access_ttl,
        refresh_token,
        refresh_expires_in: refresh_ttl,
        account,
    })
}

const BAD_CREDENTIALS: WorkflowError =
    WorkflowError::Unauthorized("the username or password is incorrect");

/// Signs in with username and password. Each attempt is reserved against
/// the username (whether or not it exists, so the limit reveals nothing) and
/// the client address before the password is checked, so a burst cannot
/// check more passwords than the limits allow; a locked username is refused
/// even with the right password. Only failures stay counted: a good sign-in
/// clears the username's attempts and takes back its own on the address.
/// A disabled staff account is refused with the same answer as a wrong
/// password, so sign-in reveals nothing about which accounts are disabled
/// (the operator who disabled it tells its holder).
pub fn login(
    state: &Ports,
    ctx: &RequestContext,
    username: &str,
    password: &str,
) -> Result<Session, WorkflowError> {
    let key = Username::key_of(username);
    let account_bucket = format!("sign-in:user:{key}");
    let address_bucket = throttle::address_bucket("sign-in", ctx.client_address.as_deref());
    let (reserved, account) = state.db.transaction(|conn| {
        let reserved = throttle::reserve(
            conn,
            &[
                (&account_bucket, SIGN_IN_PER_ACCOUNT),
                (&address_bucket, SIGN_IN_PER_ADDRESS),
            ],
            ctx.now,
        )?;
        Ok::<_, WorkflowError>((reserved, accounts::find_by_username_key(conn, &key)?))
    })?;
    let verified = match &account {
        Some(account) => state.passwords.verify(&account.password_hash, password),
        None => state
            .passwords
            .verify(&state.decoy_password_hash, password)
            .map(|_| false),
    };
    let verified = match verified {
        Ok(verified) => verified,
        // No password was checked: the attempt does not count.
        Err(busy) => {
            state
                .db
                .transaction(|conn| throttle::release(conn, reserved))?;
            return Err(busy);
        }
    };
    match account {
        Some(account) if verified && account.disabled_at.is_none() => {
            state.db.transaction(|conn| {
                throttle::clear(conn, &account_bucket)?;
                throttle::release(conn, reserved)?;
                record(conn, ctx, Some(&account.id)).audit(
                    "session.started",
                    ("account", &account.id.clone()),
                    json!({}),
                )?;
                issue(conn, state, account, None, ctx.now)
            })
        }
        _ => Err(BAD_CREDENTIALS),
    }
}

enum Refreshed {
    Session(Session),
    Refused(&'static str),
}

/// Trades a refresh token for a new pair. A token that was already rotated
/// is a stolen copy or a replay: the whole family is revoked.
pub fn refresh(state: &Ports, ctx: &RequestContext, token: &str) -> Result<Session, WorkflowError> {
    let outcome = state.db.transaction(|conn| {
        let Some(stored) = refresh_tokens::find_by_hash(conn, &token_hash(token))? else {
            return Ok(Refreshed::Refused("the refresh token is not valid"));
        };
        if stored.revoked_at.is_some() {
            return Ok(Refreshed::Refused("the session has ended; sign in again"));
        }
        if stored.rotated_at.is_some() || !refresh_tokens::rotate(conn, &stored.id, ctx.now)? {
            refresh_tokens::revoke_family(conn, &stored.family_id, ctx.now)?;
            record(conn, ctx, Some(&stored.account_id)).audit(
                "session.revoked_on_reuse",
                ("account", &stored.account_id),
                json!({}),
            )?;
            return Ok(Refreshed::Refused(
                "the refresh token was already used; the session has been ended",
            ));
        }
        if stored.expires_at <= ctx.now {
            return Ok(Refreshed::Refused("the session has expired; sign in again"));
        }
        let account = accounts::get(conn, &stored.account_id)?;
        // Disabling revokes the account's refresh tokens; this holds even
        // for one issued in a race with it.
        if account.disabled_at.is_some() {
            return Ok(Refreshed::Refused("the session has ended; sign in again"));
        }
        issue(conn, state, account, Some(&stored.family_id), ctx.now).map(Refreshed::Session)
    })?;
    match outcome {
        Refreshed::Session(session) => Ok(session),
        Refreshed::Refused(reason) => Err(WorkflowError::Unauthorized(reason)),
    }
}

/// Ends the session the refresh token belongs to. Unknown tokens are
/// ignored: signing out twice is not an error.
pub fn logout(state: &Ports, ctx: &RequestContext, token: &str) -> Result<(), WorkflowError> {
    state.db.transaction(|conn| {
        if let Some(stored) = refresh_tokens::find_by_hash(conn, &token_hash(token))? {
            refresh_tokens::revoke_family(conn, &stored.family_id, ctx.now)?;
            record(conn, ctx, Some(&stored.account_id)).audit(
                "session.ended",
                ("account", &stored.account_id),
                json!({}),
            )?;
        }
        Ok(())
    })
}

/// Counts a forgot-username or forgot-password request against the client's
/// address, in a transaction of its own: the "I'm not a robot" check that
/// follows may wait on the provider, and no transaction waits with it.
fn count_mail_request(
    state: &Ports,
    ctx: &RequestContext,
) -> Result<throttle::Reserved, WorkflowError> {
    let bucket = throttle::address_bucket("mail-request", ctx.client_address.as_deref());
    state.db.transaction(|conn| {
        throttle::reserve(conn, &[(&bucket, MAIL_REQUESTS_PER_ADDRESS)], ctx.now)
    })
}

/// Mails the username to the address if an account has it; the answer is
/// the same either way.
pub fn forgot_username(
    state: &Ports,
    ctx: &RequestContext,
    email: &str,
    human_check_token: Option<&str>,
) -> Result<(), WorkflowError> {
    let _counted = count_mail_request(state, ctx)?;
    human_check::require(state, ctx, human_check_token)?;
    state.change(|conn| {
        if let Some(account) = accounts::find_by_email_key(conn, &EmailAddress::key_of(email))? {
            enqueue_mail(
                conn,
                &account.email,
                &mail_templates::forgot_username(&account.username),
                ctx.now,
            )?;
            record(conn, ctx, None).audit(
                "account.username_reminder_sent",
                ("account", &account.id),
                json!({}),
            )?;
        }
        Ok::<_, WorkflowError>(())
    })?;
    Ok(())
}

/// Mails a one-hour reset link if the username exists; same answer either way.
pub fn forgot_password(
    state: &Ports,
    ctx: &RequestContext,
    username: &str,
    human_check_token: Option<&str>,
) -> Result<(), WorkflowError> {
    let _counted = count_mail_request(state, ctx)?;
    human_check::require(state, ctx, human_check_token)?;
    state.change(|conn| {
        if let Some(account) = accounts::find_by_username_key(conn, &Username::key_of(username))? {
            let token = random_token();
            one_time_tokens::issue(
                conn,
                &account.id,
                Purpose::ResetPassword,
                &token_hash(&token),
                ctx.now,
                ctx.now + RESET_TOKEN_TTL,
            )?;
            enqueue_mail(
                conn,
                &account.email,
                &mail_templates::reset_password(&state.config.public_url, &token),
                ctx.now,
            )?;
            record(conn, ctx, None).audit(
                "account.password_reset_requested",
                ("account", &account.id),
                json!({}),
            )?;
        }
        Ok::<_, WorkflowError>(())
    })?;
    Ok(())
}

/// Sets a new password with a mailed token; every session of the account ends.
pub fn reset_password(
    state: &Ports,
    ctx: &RequestContext,
    token: &str,
    password: Password,
) -> Result<(), WorkflowError> {
    let password_hash = state.passwords.hash(&password)?;
    state.change(|conn| {
        let account_id =
            one_time_tokens::consume(conn, Purpose::ResetPassword, &token_hash(token), ctx.now)?
                .ok_or_else(|| {
                    WorkflowError::field(
                        "token",
                        "is invalid, was already used or has expired; ask for a new link",
                    )
                })?;
        let account = accounts::get(conn, &account_id)?;
        password
            .clone()
            .refuse_if_contains(&Username::key_of(&account.username))
            .map_err(|e| WorkflowError::field("password", e.0))?;
        accounts::set_password_hash(conn, &account_id, &password_hash, ctx.now)?;
        refresh_tokens::revoke_all_for_account(conn, &account_id, ctx.now)?;
        enqueue_mail(
            conn,
            &account.email,
            &mail_templates::password_changed(),
            ctx.now,
        )?;
        audit(
            conn,
            ctx,
            Some(&account_id),
            "account.password_reset",
            ("account", &account_id),
            json!({}),
        )
    })?;
    Ok(())
}
