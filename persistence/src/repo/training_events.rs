//! Training events (Sec. 11), their co-trainers, and the attendance entered
//! for them (Sec. 12(1)(a)).

use crate::schema::{
    accounts, credentials, training_attendance as att, training_event_co_trainers as co,
    training_events as t,
};
use crate::{DbConnection, PersistenceError};
use chrono::{Days, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use kecs_domain::rules::deadlines::ATTENDANCE_ENTRY_DAYS;
use kecs_domain::rules::training::{Delivery, DeliveryMode};
use kecs_domain::rules::{ClockHours, Level, Topic};
use kecs_domain::training::event::CoTrainer;
use kecs_domain::training::{
    AttendanceRecord, County, EmployerAtTraining, EventPlan, Trainee, TraineeMatch, TrainerOnEvent,
    TrainingEvent, parse_purpose, purpose_name,
};

fn corrupt(id: &str, what: &str) -> PersistenceError {
    PersistenceError::Unavailable(format!("training event {id} has an unreadable {what}"))
}

fn minutes_of(length: ClockHours) -> i32 {
    i32::try_from(length.minutes()).unwrap_or(i32::MAX)
}

fn joined<T>(items: impl IntoIterator<Item = T>, name: impl Fn(T) -> String) -> String {
    items.into_iter().map(name).collect::<Vec<_>>().join(",")
}

fn split(raw: &str) -> impl Iterator<Item = &str> {
    raw.split(',').filter(|part| !part.is_empty())
}

#[derive(Insertable)]
#[diesel(table_name = t)]
struct NewEventRow<'a> {
    id: &'a str,
    trainer_account_id: &'a str,
    credential_id: &'a str,
    title: &'a str,
    sponsor: &'a str,
    course_key: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    clock_minutes: i32,
    face_to_face: bool,
    synchronous: bool,
    delivery_modes: String,
    interactive: bool,
    gauges_participation: bool,
    topics: String,
    purposes: String,
    within_area_of_expertise: bool,
    created_at: NaiveDateTime,
    attendance_late: bool,
    county: Option<&'static str>,
}

#[derive(Insertable)]
#[diesel(table_name = co)]
struct NewCoTrainerRow<'a> {
    event_id: &'a str,
    credential_id: &'a str,
    account_id: &'a str,
    position: i32,
}

/// Records an event checked by `training::check_event`.
pub fn insert(
    conn: &mut DbConnection,
    plan: &EventPlan,
    lead: &TrainerOnEvent,
    co_trainers: &[TrainerOnEvent],
    now: NaiveDateTime,
) -> Result<TrainingEvent, PersistenceError> {
    let id = super::new_id();
    diesel::insert_into(t::table)
        .values(&NewEventRow {
            id: &id,
            trainer_account_id: &lead.account_id,
            credential_id: &lead.credential_id,
            title: &plan.title,
            sponsor: &plan.sponsor,
            course_key: plan.course_key(),
            starts_on: plan.starts_on,
            ends_on: plan.ends_on,
            clock_minutes: minutes_of(plan.length),
            face_to_face: plan.delivery.face_to_face,
            synchronous: plan.delivery.synchronous,
            delivery_modes: joined(plan.delivery.modes.iter(), |m| m.as_str().to_owned()),
            interactive: plan.delivery.interactive,
            gauges_participation: plan.delivery.gauges_participation,
            topics: joined(plan.topics.iter(), |topic| topic.as_str().to_owned()),
            purposes: joined(plan.purposes.iter(), |p| purpose_name(*p)),
            within_area_of_expertise: plan.within_area_of_expertise,
            county: plan.county.map(County::name),
            created_at: now,
            attendance_late: false,
        })
        .execute(conn)?;
    for (position, trainer) in co_trainers.iter().enumerate() {
        diesel::insert_into(co::table)
            .values(&NewCoTrainerRow {
                event_id: &id,
                credential_id: &trainer.credential_id,
                account_id: &trainer.account_id,
                position: i32::try_from(position).unwrap_or(i32::MAX),
            })
            .execute(conn)?;
    }
    get(conn, &id)?.ok_or(PersistenceError::NotFound)
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = t)]
struct EventRow {
    id: String,
    trainer_account_id: String,
    credential_id: String,
    title: String,
    sponsor: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    clock_minutes: i32,
    face_to_face: bool,
    synchronous: bool,
    delivery_modes: String,
    interactive: bool,
    gauges_participation: bool,
    topics: String,
    purposes: String,
    within_area_of_expertise: bool,
    created_at: NaiveDateTime,
    attendance_entered_at: Option<NaiveDateTime>,
    attendance_late: bool,
    county: Option<String>,
}

impl EventRow {
    fn plan(&self) -> Result<EventPlan, PersistenceError> {
        let modes = split(&self.delivery_modes)
            .map(|m| DeliveryMode::parse(m).map_err(|_| corrupt(&self.id, "delivery mode")))
            .collect::<Result<_, _>>()?;
        let topics = split(&self.topics)
            .map(|topic| Topic::parse(topic).map_err(|_| corrupt(&self.id, "topic")))
            .collect::<Result<_, _>>()?;
        let purposes = split(&self.purposes)
            .map(|p| parse_purpose(p).map_err(|_| corrupt(&self.id, "purpose")))
            .collect::<Result<_, _>>()?;
        Ok(EventPlan {
            title: self.title.clone(),
            sponsor: self.sponsor.clone(),
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            length: ClockHours::from_minutes(
                u32::try_from(self.clock_minutes).map_err(|_| corrupt(&self.id, "length"))?,
            ),
            delivery: Delivery {
                face_to_face: self.face_to_face,
                synchronous: self.synchronous,
                modes,
                interactive: self.interactive,
                gauges_participation: self.gauges_participation,
            },
            topics,
            purposes,
            within_area_of_expertise: self.within_area_of_expertise,
            county: self
                .county
                .as_deref()
                .map(|county| County::parse(county).map_err(|_| corrupt(&self.id, "county")))
                .transpose()?,
        })
    }
}

/// (number, level) of a credential.
fn credential_of(
    conn: &mut DbConnection,
    credential_id: &str,
) -> Result<(String, Level), PersistenceError> {
    let (number, level): (String, String) = credentials::table
        .filter(credentials::id.eq(credential_id))
        .select((credentials::number, credentials::level))
        .first(conn)?;
    let level = Level::parse(&level).map_err(|_| corrupt(credential_id, "credential level"))?;
    Ok((number, level))
}

fn load(conn: &mut DbConnection, row: EventRow) -> Result<TrainingEvent, PersistenceError> {
    let (credential_number, trainer_level) = credential_of(conn, &row.credential_id)?;
    let co_rows: Vec<(String, String)> = co::table
        .filter(co::event_id.eq(&row.id))
        .order(co::position.asc())
        .select((co::credential_id, co::account_id))
        .load(conn)?;
    let mut co_trainers = Vec::with_capacity(co_rows.len());
    for (credential_id, account_id) in co_rows {
        let (credential_number, level) = credential_of(conn, &credential_id)?;
        co_trainers.push(CoTrainer {
            credential_id,
            credential_number,
            account_id,
            level,
        });
    }
    Ok(TrainingEvent {
        plan: row.plan()?,
        id: row.id,
        trainer_account_id: row.trainer_account_id,
        credential_id: row.credential_id,
        credential_number,
        trainer_level,
        co_trainers,
        created_at: row.created_at,
        attendance_entered_at: row.attendance_entered_at,
        attendance_late: row.attendance_late,
    })
}

fn load_all(
    conn: &mut DbConnection,
    rows: Vec<EventRow>,
) -> Result<Vec<TrainingEvent>, PersistenceError> {
    rows.into_iter().map(|row| load(conn, row)).collect()
}

pub fn get(conn: &mut DbConnection, id: &str) -> Result<Option<TrainingEvent>, PersistenceError> {
    let row: Option<EventRow> = t::table
        .filter(t::id.eq(id))
        .select(EventRow::as_select())
        .first(conn)
        .optional()?;
    row.map(|row| load(conn, row)).transpose()
}

/// Every roster row of a person on record with the plan of its training,
/// the minutes credited and the certificate's number once signed: a
/// transcript in one fixed-shape query (diesel keeps it prepared).
pub fn attended_by(
    conn: &mut DbConnection,
    person_id: &str,
) -> Result<Vec<(EventPlan, i32, Option<String>)>, PersistenceError> {
    use crate::schema::training_certificates as tc;
    let rows: Vec<(EventRow, i32, Option<String>)> = att::table
        .inner_join(t::table)
        .left_join(tc::table.on(tc::attendance_id.eq(att::id)))
        .filter(att::person_id.eq(person_id))
        .select((
            EventRow::as_select(),
            att::clock_minutes,
            tc::number.nullable(),
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(row, minutes, number)| Ok((row.plan()?, minutes, number)))
        .collect()
}

/// The events an account leads or co-trains, newest recorded first, after
/// (`created_at`, `id`) of the previous page.
pub fn visible_to(
    conn: &mut DbConnection,
    account_id: &str,
    after: Option<&(NaiveDateTime, String)>,
    limit: i64,
) -> Result<Vec<TrainingEvent>, PersistenceError> {
    let co_trained = co::table
        .filter(co::account_id.eq(account_id.to_owned()))
        .select(co::event_id);
    let mut query = t::table
        .filter(
            t::trainer_account_id
                .eq(account_id.to_owned())
                .or(t::id.eq_any(co_trained)),
        )
        .into_boxed();
    if let Some((at, id)) = after {
        query = query.filter(
            t::created_at
                .lt(*at)
                .or(t::created_at.eq(*at).and(t::id.lt(id.clone()))),
        );
    }
    let rows = query
        .order((t::created_at.desc(), t::id.desc()))
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)?;
    load_all(conn, rows)
}

/// Sec. 6(1)(b): the clock hours the credential's holder co-trained with a
/// Level 4 or 5 trainer on events that ended before `before`.
pub fn co_training_with_level_4_or_5(
    conn: &mut DbConnection,
    credential_id: &str,
    before: NaiveDate,
) -> Result<ClockHours, PersistenceError> {
    let co_trained = co::table
        .filter(co::credential_id.eq(credential_id.to_owned()))
        .select(co::event_id);
    let rows = t::table
        .filter(
            t::credential_id
                .eq(credential_id.to_owned())
                .or(t::id.eq_any(co_trained)),
        )
        .filter(t::ends_on.lt(before))
        .select(EventRow::as_select())
        .load(conn)?;
    let mut total = ClockHours::ZERO;
    for event in load_all(conn, rows)? {
        let others = std::iter::once((&event.credential_id, event.trainer_level))
            .chain(
                event
                    .co_trainers
                    .iter()
                    .map(|c| (&c.credential_id, c.level)),
            )
            .filter(|(id, _)| id.as_str() != credential_id);
        if others
            .into_iter()
            .any(|(_, level)| level.rank().is_some_and(|rank| rank >= 4))
        {
            total = total + event.plan.length;
        }
    }
    Ok(total)
}

/// Marks attendance entered, once: false when it already was.
pub fn mark_attendance_entered(
    conn: &mut DbConnection,
    event_id: &str,
    late: bool,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    let changed = diesel::update(
        t::table
            .filter(t::id.eq(event_id))
            .filter(t::attendance_entered_at.is_null()),
    )
    .set((
        t::attendance_entered_at.eq(Some(now)),
        t::attendance_late.eq(late),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// A row to enter: the trainee, and the person on record they matched.
pub struct NewAttendance<'a> {
    pub line: u32,
    pub person_id: Option<&'a str>,
    pub trainee: &'a Trainee,
}

#[derive(Insertable)]
#[diesel(table_name = att)]
struct NewAttendanceRow<'a> {
    id: String,
    event_id: &'a str,
    line: i32,
    person_id: Option<&'a str>,
    first_name: &'a str,
    last_name: &'a str,
    date_of_birth: NaiveDate,
    employer_name: &'a str,
    employer_is_trainers_centre: bool,
    employer_head_start: bool,
    disciplinary_directive: Option<&'a str>,
    clock_minutes: i32,
    entered_at: NaiveDateTime,
    late: bool,
}

/// Enters the roster's rows, each with the event's clock hours.
pub fn insert_attendance(
    conn: &mut DbConnection,
    event: &TrainingEvent,
    rows: &[NewAttendance<'_>],
    late: bool,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    for row in rows {
        diesel::insert_into(att::table)
            .values(&NewAttendanceRow {
                id: super::new_id(),
                event_id: &event.id,
                line: i32::try_from(row.line).unwrap_or(i32::MAX),
                person_id: row.person_id,
                first_name: &row.trainee.first_name,
                last_name: &row.trainee.last_name,
                date_of_birth: row.trainee.date_of_birth,
                employer_name: &row.trainee.employer.name,
                employer_is_trainers_centre: row.trainee.employer.works_at_trainers_centre,
                employer_head_start: row.trainee.employer.head_start_program,
                disciplinary_directive: row.trainee.disciplinary_directive.as_deref(),
                clock_minutes: minutes_of(event.plan.length),
                entered_at: now,
                late,
            })
            .execute(conn)?;
    }
    Ok(())
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = att)]
struct AttendanceRow {
    id: String,
    event_id: String,
    line: i32,
    person_id: Option<String>,
    first_name: String,
    last_name: String,
    date_of_birth: NaiveDate,
    employer_name: String,
    employer_is_trainers_centre: bool,
    employer_head_start: bool,
    disciplinary_directive: Option<String>,
    clock_minutes: i32,
    entered_at: NaiveDateTime,
    late: bool,
}

/// The roster of an event, in its order, each row with the account of the
/// person it matched, if they have one.
pub fn attendance(
    conn: &mut DbConnection,
    event_id: &str,
) -> Result<Vec<AttendanceRecord>, PersistenceError> {
    let rows: Vec<(AttendanceRow, Option<String>)> = att::table
        .left_join(accounts::table.on(accounts::person_id.eq(att::person_id)))
        .filter(att::event_id.eq(event_id))
        .order(att::line.asc())
        .select((AttendanceRow::as_select(), accounts::id.nullable()))
        .load(conn)?;
    rows.into_iter()
        .map(|(row, account_id)| {
            Ok(AttendanceRecord {
                matched: match row.person_id {
                    Some(person_id) => TraineeMatch::OnRecord {
                        person_id,
                        account_id,
                    },
                    None => TraineeMatch::NewParticipant,
                },
                line: u32::try_from(row.line).map_err(|_| corrupt(&row.event_id, "line"))?,
                clock_hours: ClockHours::from_minutes(
                    u32::try_from(row.clock_minutes)
                        .map_err(|_| corrupt(&row.event_id, "clock hours"))?,
                ),
                trainee: Trainee {
                    first_name: row.first_name,
                    last_name: row.last_name,
                    date_of_birth: row.date_of_birth,
                    employer: EmployerAtTraining {
                        name: row.employer_name,
                        works_at_trainers_centre: row.employer_is_trainers_centre,
                        head_start_program: row.employer_head_start,
                    },
                    disciplinary_directive: row.disciplinary_directive,
                },
                id: row.id,
                event_id: row.event_id,
                entered_at: row.entered_at,
                late: row.late,
            })
        })
        .collect()
}

/// Sec. 11(11): when each of `person_ids` attended an online event of the
/// course `course_key` (other than `excluding`): (person id, last day).
pub fn previous_online(
    conn: &mut DbConnection,
    person_ids: &[String],
    course_key: &str,
    excluding: &str,
) -> Result<Vec<(String, NaiveDate)>, PersistenceError> {
    if person_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Option<String>, NaiveDate)> = att::table
        .inner_join(t::table)
        .filter(att::person_id.eq_any(person_ids))
        .filter(t::course_key.eq(course_key))
        .filter(t::face_to_face.eq(false))
        .filter(t::id.ne(excluding))
        .select((att::person_id, t::ends_on))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(person, ended)| person.map(|p| (p, ended)))
        .collect())
}

/// The last day a training may have ended for its ten days to be over by
/// `today`.
fn ended_by_overdue(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_days(Days::new(ATTENDANCE_ENTRY_DAYS + 1))
        .unwrap_or(NaiveDate::MIN)
}

/// Staff's list: events whose attendance was entered late, or is still
/// missing past the ten days of Sec. 12(1)(a); oldest training first, after
/// (`ends_on`, `id`) of the previous page.
pub fn late_attendance(
    conn: &mut DbConnection,
    today: NaiveDate,
    after: Option<&(NaiveDate, String)>,
    limit: i64,
) -> Result<Vec<TrainingEvent>, PersistenceError> {
    let mut query = t::table
        .filter(
            t::attendance_late.eq(true).or(t::attendance_entered_at
                .is_null()
                .and(t::ends_on.le(ended_by_overdue(today)))),
        )
        .into_boxed();
    if let Some((ends_on, id)) = after {
        query = query.filter(
            t::ends_on
                .gt(*ends_on)
                .or(t::ends_on.eq(*ends_on).and(t::id.gt(id.clone()))),
        );
    }
    let rows = query
        .order((t::ends_on.asc(), t::id.asc()))
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)?;
    load_all(conn, rows)
}

/// Which of the two attendance notices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttendanceNotice {
    /// The ten days end within `days_before` days.
    DueSoon { days_before: u64 },
    /// The ten days ended without attendance.
    Overdue,
}

/// Events without attendance due `notice` that have not had it yet.
pub fn due_for_notice(
    conn: &mut DbConnection,
    notice: AttendanceNotice,
    today: NaiveDate,
    limit: i64,
) -> Result<Vec<TrainingEvent>, PersistenceError> {
    let query = t::table
        .filter(t::attendance_entered_at.is_null())
        .into_boxed();
    let query = match notice {
        AttendanceNotice::DueSoon { days_before } => {
            // Due on ends_on + 10: within `days_before` of it, not past it.
            let earliest_end = today
                .checked_sub_days(Days::new(ATTENDANCE_ENTRY_DAYS))
                .unwrap_or(NaiveDate::MIN);
            let latest_end = today
                .checked_sub_days(Days::new(ATTENDANCE_ENTRY_DAYS.saturating_sub(days_before)))
                .unwrap_or(NaiveDate::MIN);
            query
                .filter(t::reminded_due_at.is_null())
                .filter(t::ends_on.ge(earliest_end))
                .filter(t::ends_on.le(latest_end))
        }
        AttendanceNotice::Overdue => query
            .filter(t::reminded_overdue_at.is_null())
            .filter(t::ends_on.le(ended_by_overdue(today))),
    };
    let rows = query
        .order((t::ends_on.asc(), t::id.asc()))
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)?;
    load_all(conn, rows)
}

/// Records that `notice` went out, once: false when another sweep (on any
/// node) already sent it, or attendance arrived meanwhile.
pub fn mark_noticed(
    conn: &mut DbConnection,
    event_id: &str,
    notice: AttendanceNotice,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    let target = t::table
        .filter(t::id.eq(event_id))
        .filter(t::attendance_entered_at.is_null());
    let changed = match notice {
        AttendanceNotice::DueSoon { .. } => {
            diesel::update(target.filter(t::reminded_due_at.is_null()))
                .set(t::reminded_due_at.eq(Some(now)))
                .execute(conn)?
        }
        AttendanceNotice::Overdue => {
            diesel::update(target.filter(t::reminded_overdue_at.is_null()))
                .set(t::reminded_overdue_at.eq(Some(now)))
                .execute(conn)?
        }
    };
    Ok(changed == 1)
}

/// What staff search the records of training by (Sec. 11(2), (10),
/// 12(1)(c)); every given part must hold.
#[derive(Debug, Clone, Default)]
pub struct EventSearch {
    /// A trainer's credential number: events they lead or co-train.
    pub trainer_credential: Option<String>,
    /// Events that start on or after this day.
    pub from: Option<NaiveDate>,
    /// Events that start on or before this day.
    pub to: Option<NaiveDate>,
    pub topic: Option<Topic>,
    pub county: Option<County>,
}

/// Events matching `search`, latest start first, after (`starts_on`, `id`)
/// of the previous page.
pub fn search(
    conn: &mut DbConnection,
    search: &EventSearch,
    after: Option<&(NaiveDate, String)>,
    limit: i64,
) -> Result<Vec<TrainingEvent>, PersistenceError> {
    let mut query = t::table.into_boxed();
    if let Some(number) = &search.trainer_credential {
        let credential_ids = credentials::table
            .filter(credentials::number.eq(number.clone()))
            .select(credentials::id);
        let co_trained = co::table
            .filter(
                co::credential_id.eq_any(
                    credentials::table
                        .filter(credentials::number.eq(number.clone()))
                        .select(credentials::id),
                ),
            )
            .select(co::event_id);
        query = query.filter(
            t::credential_id
                .eq_any(credential_ids)
                .or(t::id.eq_any(co_trained)),
        );
    }
    if let Some(from) = search.from {
        query = query.filter(t::starts_on.ge(from));
    }
    if let Some(to) = search.to {
        query = query.filter(t::starts_on.le(to));
    }
    if let Some(topic) = search.topic {
        // Topics are kept comma-separated; no topic's name is part of
        // another's, so a substring match is exact.
        query = query.filter(t::topics.like(format!("%{}%", topic.as_str())));
    }
    if let Some(county) = search.county {
        query = query.filter(t::county.eq(county.name()));
    }
    if let Some((day, id)) = after {
        query = query.filter(
            t::starts_on
                .lt(*day)
                .or(t::starts_on.eq(*day).and(t::id.lt(id.clone()))),
        );
    }
    let rows = query
        .order((t::starts_on.desc(), t::id.desc()))
        .limit(limit)
        .select(EventRow::as_select())
        .load(conn)?;
    load_all(conn, rows)
}

/// Every event led under any of the account's credentials, latest start
/// first (a trainer's own records, Sec. 12(1)(b)).
pub fn led_by(
    conn: &mut DbConnection,
    account_id: &str,
) -> Result<Vec<TrainingEvent>, PersistenceError> {
    let rows = t::table
        .filter(t::trainer_account_id.eq(account_id.to_owned()))
        .order((t::starts_on.desc(), t::id.desc()))
        .select(EventRow::as_select())
        .load(conn)?;
    load_all(conn, rows)
}
