//! Cabinet-approved training agencies (Sec. 18): an applicant account files
//! the DCC-203 for an agency; staff decide within 45 days of receipt, an
//! approval confirming it does not rest solely on the density of agencies
//! in the district (18(2)); approved agencies are listed publicly.

use super::mail_templates;
use super::record::record;
use super::tokens::Caller;
use super::{Ports, RequestContext, WorkflowError};
use chrono::NaiveDate;
use kecs_domain::DomainError;
use kecs_domain::approval::agency::{
    AgencyStatus, AreaDevelopmentDistrict, CdaInstruction, TrainingAgency, check_approval,
};
use kecs_domain::approval::cda_instruction::{
    Session, TraineeProgress, check_session, trainee_key,
};
use kecs_domain::rules::deadlines::agency_application_decision_due;
use kecs_domain::training::County;
use kecs_domain::validation::FieldErrors;
use kecs_persistence::repo::training_agencies::{self, AgencyTrainee, NewAgency, NewSession};
use serde_json::json;

/// The DCC-203's details as the applicant gives them.
pub struct AgencyDetails {
    pub name: String,
    pub district: AreaDevelopmentDistrict,
    pub county: County,
    pub address: String,
    pub email: String,
    pub phone: String,
    pub instruction: CdaInstruction,
}

/// Files the DCC-203: received today, decided within 45 days.
pub fn apply(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    details: &AgencyDetails,
) -> Result<TrainingAgency, WorkflowError> {
    let today = ctx.now.date();
    let due = agency_application_decision_due(today);
    state.change(|conn| {
        let agency = training_agencies::insert(
            conn,
            account_id,
            &NewAgency {
                name: &details.name,
                district: details.district,
                county: details.county,
                address: &details.address,
                email: &details.email,
                phone: &details.phone,
                instruction: details.instruction,
            },
            today,
            due,
            ctx.now,
        )?;
        record(conn, ctx, Some(account_id))
            .tell(
                account_id,
                &mail_templates::agency_received(&agency.name, &agency.id, &due.to_string()),
            )?
            .audit(
                "training_agency.applied",
                ("training_agency", &agency.id),
                json!({"district": agency.district.as_str(), "decision_due_on": due}),
            )?;
        Ok(agency)
    })
}

/// The application, for the account that filed it and for staff.
pub fn get(state: &Ports, caller: &Caller, id: &str) -> Result<TrainingAgency, WorkflowError> {
    state.db.read(|conn| {
        let agency = training_agencies::get(conn, id)?;
        if caller.role.is_staff() || agency.applicant_account_id == caller.account_id {
            return Ok(agency);
        }
        Err(WorkflowError::NotFound)
    })
}

pub fn mine(state: &Ports, account_id: &str) -> Result<Vec<TrainingAgency>, WorkflowError> {
    Ok(state
        .db
        .read(|conn| training_agencies::of_applicant(conn, account_id))?)
}

pub fn queue(
    state: &Ports,
    overdue_on: Option<NaiveDate>,
    after: Option<(NaiveDate, String)>,
    limit: i64,
) -> Result<Vec<TrainingAgency>, WorkflowError> {
    Ok(state
        .db
        .read(|conn| training_agencies::queue(conn, overdue_on, after.as_ref(), limit))?)
}

pub fn approved(
    state: &Ports,
    district: Option<AreaDevelopmentDistrict>,
    after: Option<String>,
    limit: i64,
) -> Result<Vec<TrainingAgency>, WorkflowError> {
    Ok(state
        .db
        .read(|conn| training_agencies::approved(conn, district, after.as_deref(), limit))?)
}

/// The cabinet's decision, once: approved (onto the list, Sec. 18(1)(c))
/// or denied, with its reasons; the applicant is mailed.
pub fn decide(
    state: &Ports,
    ctx: &RequestContext,
    staff_id: &str,
    id: &str,
    approve: bool,
    reasons: &str,
    not_solely_density: bool,
) -> Result<TrainingAgency, WorkflowError> {
    if approve && let Err(unmet) = check_approval(not_solely_density) {
        let mut errors = FieldErrors::new();
        errors.push_unmet("not_solely_density", &unmet);
        return Err(WorkflowError::Invalid(errors));
    }
    let today = ctx.now.date();
    state.change(|conn| {
        let agency = training_agencies::get(conn, id)?;
        let to = if approve {
            AgencyStatus::Approved
        } else {
            AgencyStatus::Denied
        };
        let confirmed = approve.then_some(not_solely_density);
        if !training_agencies::decide(conn, id, to, staff_id, today, reasons, confirmed)? {
            let decided = training_agencies::get(conn, id)?;
            return Err(DomainError::AgencyAlreadyDecided(decided.status.as_str()).into());
        }
        record(conn, ctx, Some(staff_id))
            .tell(
                &agency.applicant_account_id,
                &mail_templates::agency_decided(&agency.name, id, approve, reasons),
            )?
            .audit(
                if approve {
                    "training_agency.approved"
                } else {
                    "training_agency.denied"
                },
                ("training_agency", id),
                json!({"not_solely_density": confirmed}),
            )?;
        Ok(training_agencies::get(conn, id)?)
    })
}

/// A trainee as the agency names them.
pub struct TraineeInput {
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
}

/// A trainee's instruction at the agency, and where it stands.
pub struct TraineeRecord {
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    pub sessions: Vec<Session>,
    pub progress: TraineeProgress,
}

impl From<AgencyTrainee> for TraineeRecord {
    fn from(trainee: AgencyTrainee) -> Self {
        Self {
            progress: TraineeProgress::of(&trainee.sessions),
            first_name: trainee.first_name,
            last_name: trainee.last_name,
            date_of_birth: trainee.date_of_birth,
            sessions: trainee.sessions,
        }
    }
}

/// Records a session of the instruction of Sec. 18(3) an approved agency
/// gave a trainee: refused (every rule at once, nothing saved) past the
/// sixty hours of (a) or (b), before (a) is complete, after the two years
/// of (b), or outside what the agency offers. Under the agency's row lock,
/// so concurrent sessions cannot pass the sixty hours.
pub fn record_session(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    id: &str,
    trainee: &TraineeInput,
    session: Session,
) -> Result<TraineeRecord, WorkflowError> {
    if session.given_on > ctx.now.date() {
        return Err(WorkflowError::field(
            "given_on",
            "must not be in the future",
        ));
    }
    let key = trainee_key(
        &trainee.first_name,
        &trainee.last_name,
        trainee.date_of_birth,
    );
    state.change(|conn| {
        let agency = training_agencies::get(conn, id)?;
        if agency.applicant_account_id != account_id {
            return Err(WorkflowError::NotFound);
        }
        if agency.status != AgencyStatus::Approved {
            return Err(DomainError::AgencyNotApproved(agency.status.as_str()).into());
        }
        training_agencies::lock(conn, id)?;
        let earlier: Vec<Session> = training_agencies::trainees(conn, id, Some(&key))?
            .into_iter()
            .flat_map(|t| t.sessions)
            .collect();
        let approved_on = agency.decided_on.unwrap_or(agency.received_on);
        let unmet = check_session(agency.instruction, approved_on, &earlier, session);
        if !unmet.is_empty() {
            let mut errors = FieldErrors::new();
            for found in &unmet {
                let field = match found.rule {
                    "sec18_3_instruction_offered" | "sec18_3_b_after_the_first_sixty" => "part",
                    "sec18_3_b_within_two_years" | "sec18_3_given_by_an_approved_agency" => {
                        "given_on"
                    }
                    _ => "minutes",
                };
                errors.push_unmet(field, found);
            }
            return Err(DomainError::TrainingRefused(errors).into());
        }
        training_agencies::insert_session(
            conn,
            id,
            &NewSession {
                trainee_key: &key,
                first_name: &trainee.first_name,
                last_name: &trainee.last_name,
                date_of_birth: trainee.date_of_birth,
                session,
                recorded_by: account_id,
            },
            ctx.now,
        )?;
        record(conn, ctx, Some(account_id)).audit(
            "training_agency.instruction_recorded",
            ("training_agency", id),
            json!({"part": session.part.as_str(), "minutes": session.length.minutes(), "given_on": session.given_on}),
        )?;
        training_agencies::trainees(conn, id, Some(&key))?
            .into_iter()
            .next()
            .map(TraineeRecord::from)
            .ok_or(WorkflowError::NotFound)
    })
}

/// The agency's trainees and their progress, for the agency's account and
/// for staff.
pub fn trainees(
    state: &Ports,
    caller: &Caller,
    id: &str,
) -> Result<Vec<TraineeRecord>, WorkflowError> {
    let agency = get(state, caller, id)?;
    Ok(state
        .db
        .read(|conn| training_agencies::trainees(conn, &agency.id, None))?
        .into_iter()
        .map(TraineeRecord::from)
        .collect())
}
