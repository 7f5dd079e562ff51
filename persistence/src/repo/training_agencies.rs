//! Applications to become a cabinet-approved training agency (Sec. 18) and
//! the list of approved agencies.

use crate::schema::{agency_instruction as ai, training_agencies as t};
use crate::{DbConnection, PersistenceError};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use kecs_domain::approval::agency::{
    AgencyStatus, AreaDevelopmentDistrict, CdaInstruction, TrainingAgency,
};
use kecs_domain::approval::cda_instruction::{CdaPart, Session};
use kecs_domain::rules::ClockHours;
use kecs_domain::training::County;

fn corrupt(id: &str, what: &str) -> PersistenceError {
    PersistenceError::Unavailable(format!("training agency {id} has an unreadable {what}"))
}

pub struct NewAgency<'a> {
    pub name: &'a str,
    pub district: AreaDevelopmentDistrict,
    pub county: County,
    pub address: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub instruction: CdaInstruction,
}

/// Records a DCC-203 received on `received_on`, due `decision_due_on`.
pub fn insert(
    conn: &mut DbConnection,
    applicant: &str,
    new: &NewAgency<'_>,
    received_on: NaiveDate,
    decision_due_on: NaiveDate,
    now: NaiveDateTime,
) -> Result<TrainingAgency, PersistenceError> {
    let id = super::new_id();
    diesel::insert_into(t::table)
        .values((
            t::id.eq(&id),
            t::applicant_account_id.eq(applicant),
            t::name.eq(new.name),
            t::name_key.eq(super::sponsors::name_key(new.name)),
            t::district.eq(new.district.as_str()),
            t::county.eq(new.county.name()),
            t::address.eq(new.address),
            t::email.eq(new.email),
            t::phone.eq(new.phone),
            t::offers_commonwealth_child_care_credential
                .eq(new.instruction.commonwealth_child_care_credential),
            t::offers_child_development_associate.eq(new.instruction.child_development_associate),
            t::status.eq(AgencyStatus::Submitted.as_str()),
            t::received_on.eq(received_on),
            t::decision_due_on.eq(decision_due_on),
            t::created_at.eq(now),
        ))
        .execute(conn)?;
    get(conn, &id)
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = t)]
struct Row {
    id: String,
    applicant_account_id: String,
    name: String,
    district: String,
    county: String,
    address: String,
    email: String,
    phone: String,
    offers_commonwealth_child_care_credential: bool,
    offers_child_development_associate: bool,
    status: String,
    received_on: NaiveDate,
    decided_on: Option<NaiveDate>,
    decision_reasons: Option<String>,
    created_at: NaiveDateTime,
}

impl Row {
    fn into_domain(self) -> Result<TrainingAgency, PersistenceError> {
        Ok(TrainingAgency {
            district: AreaDevelopmentDistrict::parse(&self.district)
                .map_err(|_| corrupt(&self.id, "district"))?,
            county: County::parse(&self.county).map_err(|_| corrupt(&self.id, "county"))?,
            status: AgencyStatus::parse(&self.status).map_err(|_| corrupt(&self.id, "status"))?,
            instruction: CdaInstruction {
                commonwealth_child_care_credential: self.offers_commonwealth_child_care_credential,
                child_development_associate: self.offers_child_development_associate,
            },
            id: self.id,
            applicant_account_id: self.applicant_account_id,
            name: self.name,
            address: self.address,
            email: self.email,
            phone: self.phone,
            received_on: self.received_on,
            decided_on: self.decided_on,
            decision_reasons: self.decision_reasons,
            created_at: self.created_at,
        })
    }
}

fn load(rows: Vec<Row>) -> Result<Vec<TrainingAgency>, PersistenceError> {
    rows.into_iter().map(Row::into_domain).collect()
}

pub fn get(conn: &mut DbConnection, id: &str) -> Result<TrainingAgency, PersistenceError> {
    t::table
        .filter(t::id.eq(id))
        .select(Row::as_select())
        .first(conn)?
        .into_domain()
}

/// The account's applications, the latest first.
pub fn of_applicant(
    conn: &mut DbConnection,
    account_id: &str,
) -> Result<Vec<TrainingAgency>, PersistenceError> {
    load(
        t::table
            .filter(t::applicant_account_id.eq(account_id))
            .order((t::created_at.desc(), t::id.desc()))
            .select(Row::as_select())
            .load(conn)?,
    )
}

/// Records the decision on an application still undecided: whether it was
/// (a second decision finds it decided).
pub fn decide(
    conn: &mut DbConnection,
    id: &str,
    to: AgencyStatus,
    decided_by: &str,
    decided_on: NaiveDate,
    reasons: &str,
    not_solely_density: Option<bool>,
) -> Result<bool, PersistenceError> {
    Ok(diesel::update(
        t::table.filter(
            t::id
                .eq(id)
                .and(t::status.eq(AgencyStatus::Submitted.as_str())),
        ),
    )
    .set((
        t::status.eq(to.as_str()),
        t::decided_by.eq(decided_by),
        t::decided_on.eq(decided_on),
        t::decision_reasons.eq(reasons),
        t::not_solely_density.eq(not_solely_density),
    ))
    .execute(conn)?
        == 1)
}

/// Undecided applications by due date after `(due, id)`; only those due
/// before `overdue_on` if given.
pub fn queue(
    conn: &mut DbConnection,
    overdue_on: Option<NaiveDate>,
    after: Option<&(NaiveDate, String)>,
    limit: i64,
) -> Result<Vec<TrainingAgency>, PersistenceError> {
    let mut query = t::table
        .filter(t::status.eq(AgencyStatus::Submitted.as_str()))
        .order((t::decision_due_on, t::id))
        .select(Row::as_select())
        .into_boxed();
    if let Some(today) = overdue_on {
        query = query.filter(t::decision_due_on.lt(today));
    }
    if let Some((due, id)) = after {
        query = query.filter(
            t::decision_due_on
                .gt(*due)
                .or(t::decision_due_on.eq(*due).and(t::id.gt(id.clone()))),
        );
    }
    load(query.limit(limit).load(conn)?)
}

/// Approved agencies by name, in `district` if given, after the agency
/// `after` (an id: the name it is ordered by may hold any character).
pub fn approved(
    conn: &mut DbConnection,
    district: Option<AreaDevelopmentDistrict>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<TrainingAgency>, PersistenceError> {
    let after = match after {
        Some(id) => Some((
            t::table
                .filter(t::id.eq(id))
                .select(t::name_key)
                .first::<String>(conn)
                .optional()?
                .unwrap_or_default(),
            id.to_owned(),
        )),
        None => None,
    };
    let mut query = t::table
        .filter(t::status.eq(AgencyStatus::Approved.as_str()))
        .order((t::name_key, t::id))
        .select(Row::as_select())
        .into_boxed();
    if let Some(district) = district {
        query = query.filter(t::district.eq(district.as_str()));
    }
    if let Some((key, id)) = after {
        query = query.filter(
            t::name_key
                .gt(key.clone())
                .or(t::name_key.eq(key).and(t::id.gt(id))),
        );
    }
    load(query.limit(limit).load(conn)?)
}

// ---- the instruction of Sec. 18(3) ------------------------------------------

/// A trainee of an agency as recorded: (first name, last name, date of
/// birth) as first given, and their sessions.
pub struct AgencyTrainee {
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    pub sessions: Vec<Session>,
}

/// Serialises the recording of instruction at one agency (a row lock on
/// PostgreSQL; SQLite's writer is single anyway), so two sessions recorded
/// at once cannot both fit under the sixty hours.
pub fn lock(conn: &mut DbConnection, id: &str) -> Result<(), PersistenceError> {
    let touched = diesel::update(t::table.filter(t::id.eq(id)))
        .set(t::name.eq(t::name))
        .execute(conn)?;
    if touched == 0 {
        return Err(PersistenceError::NotFound);
    }
    Ok(())
}

pub struct NewSession<'a> {
    pub trainee_key: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub date_of_birth: NaiveDate,
    pub session: Session,
    pub recorded_by: &'a str,
}

pub fn insert_session(
    conn: &mut DbConnection,
    agency_id: &str,
    new: &NewSession<'_>,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::insert_into(ai::table)
        .values((
            ai::id.eq(super::new_id()),
            ai::agency_id.eq(agency_id),
            ai::trainee_key.eq(new.trainee_key),
            ai::first_name.eq(new.first_name),
            ai::last_name.eq(new.last_name),
            ai::date_of_birth.eq(new.date_of_birth),
            ai::part.eq(new.session.part.as_str()),
            ai::minutes.eq(i32::try_from(new.session.length.minutes()).unwrap_or(i32::MAX)),
            ai::given_on.eq(new.session.given_on),
            ai::recorded_by.eq(new.recorded_by),
            ai::recorded_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

type SessionRow = (String, String, String, NaiveDate, String, i32, NaiveDate);

/// The agency's trainees, each with every session, by name; only the one
/// with `trainee_key` if given.
pub fn trainees(
    conn: &mut DbConnection,
    agency_id: &str,
    trainee_key: Option<&str>,
) -> Result<Vec<AgencyTrainee>, PersistenceError> {
    let mut query = ai::table
        .filter(ai::agency_id.eq(agency_id))
        .order((ai::trainee_key, ai::given_on, ai::recorded_at))
        .select((
            ai::trainee_key,
            ai::first_name,
            ai::last_name,
            ai::date_of_birth,
            ai::part,
            ai::minutes,
            ai::given_on,
        ))
        .into_boxed();
    if let Some(key) = trainee_key {
        query = query.filter(ai::trainee_key.eq(key.to_owned()));
    }
    let rows: Vec<SessionRow> = query.load(conn)?;
    let mut out: Vec<(String, AgencyTrainee)> = Vec::new();
    for (key, first_name, last_name, date_of_birth, part, minutes, given_on) in rows {
        let session = Session {
            part: CdaPart::parse(&part).map_err(|_| corrupt(agency_id, "instruction part"))?,
            length: ClockHours::from_minutes(
                u32::try_from(minutes).map_err(|_| corrupt(agency_id, "instruction length"))?,
            ),
            given_on,
        };
        match out.last_mut() {
            Some((last, trainee)) if *last == key => trainee.sessions.push(session),
            _ => out.push((
                key,
                AgencyTrainee {
                    first_name,
                    last_name,
                    date_of_birth,
                    sessions: vec![session],
                },
            )),
        }
    }
    Ok(out.into_iter().map(|(_, trainee)| trainee).collect())
}
