//! Accounts: sign-in identity, role and contact details.

use crate::schema::{accounts, people};
use crate::{DbConnection, PersistenceError};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use kecs_domain::account::{
    Account, EmailAddress, MailingAddress, MailingAddressInput, PhoneNumber, Profile, Role,
    Username,
};
use kecs_domain::validation::FieldErrors;

pub struct NewAccount<'a> {
    pub person_id: Option<&'a str>,
    pub role: Role,
    pub username: &'a Username,
    pub email: &'a EmailAddress,
    pub password_hash: &'a str,
}

/// An account row to insert (the bulk loader inserts many at once, so
/// `None` is written as NULL: SQLite's multi-row inserts take no DEFAULT).
#[derive(Insertable)]
#[diesel(table_name = accounts, treat_none_as_default_value = false)]
pub(crate) struct NewAccountRow<'a> {
    pub(crate) id: String,
    pub(crate) person_id: Option<&'a str>,
    pub(crate) role: &'a str,
    pub(crate) username: &'a str,
    pub(crate) username_key: String,
    pub(crate) email: &'a str,
    pub(crate) email_key: String,
    pub(crate) email_confirmed_at: Option<NaiveDateTime>,
    pub(crate) password_hash: &'a str,
    pub(crate) address_line1: Option<&'a str>,
    pub(crate) address_city: Option<&'a str>,
    pub(crate) address_state: Option<&'a str>,
    pub(crate) address_postal_code: Option<&'a str>,
    pub(crate) phone: Option<&'a str>,
    pub(crate) created_at: NaiveDateTime,
    pub(crate) updated_at: NaiveDateTime,
}

impl NewAccountRow<'_> {
    pub(crate) const COLUMNS: usize = 16;
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = accounts)]
struct AccountQuery {
    id: String,
    person_id: Option<String>,
    role: String,
    username: String,
    email: String,
    email_confirmed_at: Option<NaiveDateTime>,
    password_hash: String,
    disabled_at: Option<NaiveDateTime>,
}

impl AccountQuery {
    fn into_domain(self) -> Result<Account, PersistenceError> {
        let role = Role::parse(&self.role).ok_or_else(|| {
            PersistenceError::Unavailable(format!("account {} has an unknown role", self.id))
        })?;
        Ok(Account {
            id: self.id,
            person_id: self.person_id,
            role,
            username: self.username,
            email: self.email,
            email_confirmed_at: self.email_confirmed_at,
            password_hash: self.password_hash,
            disabled_at: self.disabled_at,
        })
    }
}

pub fn insert(
    conn: &mut DbConnection,
    account: &NewAccount<'_>,
    now: NaiveDateTime,
) -> Result<Account, PersistenceError> {
    let id = super::new_id();
    diesel::insert_into(accounts::table)
        .values(&NewAccountRow {
            id: id.clone(),
            person_id: account.person_id,
            role: account.role.as_str(),
            username: account.username.as_str(),
            username_key: account.username.key(),
            email: account.email.as_str(),
            email_key: account.email.key(),
            email_confirmed_at: None,
            password_hash: account.password_hash,
            address_line1: None,
            address_city: None,
            address_state: None,
            address_postal_code: None,
            phone: None,
            created_at: now,
            updated_at: now,
        })
        .execute(conn)?;
    get(conn, &id)
}

pub fn get(conn: &mut DbConnection, id: &str) -> Result<Account, PersistenceError> {
    accounts::table
        .filter(accounts::id.eq(id))
        .select(AccountQuery::as_select())
        .first(conn)?
        .into_domain()
}

/// The account, if it exists (a token may outlive a deleted row).
pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<Account>, PersistenceError> {
    accounts::table
        .filter(accounts::id.eq(id))
        .select(AccountQuery::as_select())
        .first(conn)
        .optional()?
        .map(AccountQuery::into_domain)
        .transpose()
}

/// Disables (`Some(at)`) or enables (`None`) an account; `false` if no
/// account has this id.
pub fn set_disabled(
    conn: &mut DbConnection,
    id: &str,
    disabled_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    let changed = diesel::update(accounts::table.filter(accounts::id.eq(id)))
        .set((
            accounts::disabled_at.eq(disabled_at),
            accounts::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

/// Holds the account's row for this transaction (an `UPDATE` that changes
/// nothing takes the row lock on PostgreSQL; SQLite serializes writers), so
/// a check over the account's records and the insert it allows are not
/// interleaved with another request's.
pub fn hold(conn: &mut DbConnection, id: &str) -> Result<(), PersistenceError> {
    diesel::update(accounts::table.filter(accounts::id.eq(id)))
        .set(accounts::updated_at.eq(accounts::updated_at))
        .execute(conn)?;
    Ok(())
}

pub fn set_role(
    conn: &mut DbConnection,
    id: &str,
    role: Role,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    let changed = diesel::update(accounts::table.filter(accounts::id.eq(id)))
        .set((
            accounts::role.eq(role.as_str()),
            accounts::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

pub fn find_by_username_key(
    conn: &mut DbConnection,
    key: &str,
) -> Result<Option<Account>, PersistenceError> {
    accounts::table
        .filter(accounts::username_key.eq(key))
        .select(AccountQuery::as_select())
        .first(conn)
        .optional()?
        .map(AccountQuery::into_domain)
        .transpose()
}

pub fn find_by_email_key(
    conn: &mut DbConnection,
    key: &str,
) -> Result<Option<Account>, PersistenceError> {
    accounts::table
        .filter(accounts::email_key.eq(key))
        .select(AccountQuery::as_select())
        .first(conn)
        .optional()?
        .map(AccountQuery::into_domain)
        .transpose()
}

pub fn username_taken(
    conn: &mut DbConnection,
    username: &Username,
) -> Result<bool, PersistenceError> {
    Ok(find_by_username_key(conn, &username.key())?.is_some())
}

pub fn email_taken(
    conn: &mut DbConnection,
    email: &EmailAddress,
    except_account: Option<&str>,
) -> Result<bool, PersistenceError> {
    Ok(find_by_email_key(conn, &email.key())?
        .is_some_and(|holder| Some(holder.id.as_str()) != except_account))
}

pub fn confirm_email(
    conn: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::update(accounts::table.filter(accounts::id.eq(id)))
        .set((
            accounts::email_confirmed_at.eq(now),
            accounts::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_password_hash(
    conn: &mut DbConnection,
    id: &str,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::update(accounts::table.filter(accounts::id.eq(id)))
        .set((
            accounts::password_hash.eq(password_hash),
            accounts::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

type ProfileTuple = (
    String,
    String,
    String,
    Option<NaiveDateTime>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    String,
    NaiveDate,
);

/// The profile of an applicant account (staff have no person record).
pub fn profile(conn: &mut DbConnection, account_id: &str) -> Result<Profile, PersistenceError> {
    let (
        id,
        username,
        email,
        email_confirmed_at,
        line1,
        line2,
        city,
        state,
        postal_code,
        phone,
        first_name,
        middle_name,
        last_name,
        date_of_birth,
    ): ProfileTuple = accounts::table
        .inner_join(people::table)
        .filter(accounts::id.eq(account_id))
        .select((
            accounts::id,
            accounts::username,
            accounts::email,
            accounts::email_confirmed_at,
            accounts::address_line1,
            accounts::address_line2,
            accounts::address_city,
            accounts::address_state,
            accounts::address_postal_code,
            accounts::phone,
            people::first_name,
            people::middle_name,
            people::last_name,
            people::date_of_birth,
        ))
        .first(conn)?;
    // Stored values were parsed before they were written; re-parsing only
    // restores their types, and a value that no longer parses reads as absent.
    let mailing_address = match (&line1, &city, &state, &postal_code) {
        (Some(line1), Some(city), Some(state), Some(postal_code)) => MailingAddress::parse(
            MailingAddressInput {
                line1,
                line2: line2.as_deref(),
                city,
                state,
                postal_code,
            },
            "mailing_address",
            &mut FieldErrors::new(),
        ),
        _ => None,
    };
    Ok(Profile {
        account_id: id,
        username,
        first_name,
        middle_name,
        last_name,
        date_of_birth,
        email,
        email_confirmed_at,
        mailing_address,
        phone: phone.and_then(|p| PhoneNumber::from_e164(&p).ok()),
    })
}

/// A change of contact details; `None` leaves a part as it is.
pub struct ContactUpdate<'a> {
    pub email: Option<&'a EmailAddress>,
    pub mailing_address: Option<&'a MailingAddress>,
    pub phone: Option<&'a PhoneNumber>,
}

/// Saves contact details. A new email address is unconfirmed until its
/// owner confirms it again.
pub fn update_contact(
    conn: &mut DbConnection,
    id: &str,
    update: &ContactUpdate<'_>,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    let target = accounts::table.filter(accounts::id.eq(id));
    if let Some(email) = update.email {
        diesel::update(target)
            .set((
                accounts::email.eq(email.as_str()),
                accounts::email_key.eq(email.key()),
                accounts::email_confirmed_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
    }
    if let Some(address) = update.mailing_address {
        diesel::update(target)
            .set((
                accounts::address_line1.eq(&address.line1),
                accounts::address_line2.eq(address.line2.as_deref()),
                accounts::address_city.eq(&address.city),
                accounts::address_state.eq(address.state.as_str()),
                accounts::address_postal_code.eq(address.postal_code.as_str()),
            ))
            .execute(conn)?;
    }
    if let Some(phone) = update.phone {
        diesel::update(target)
            .set(accounts::phone.eq(phone.as_e164()))
            .execute(conn)?;
    }
    diesel::update(target)
        .set(accounts::updated_at.eq(now))
        .execute(conn)?;
    Ok(())
}
