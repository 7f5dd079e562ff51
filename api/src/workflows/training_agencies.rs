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
use kecs_domain::rules::deadlines::agency_application_decision_due;
use kecs_domain::training::County;
use kecs_domain::validation::FieldErrors;
use kecs_persistence::repo::training_agencies::{self, NewAgency};
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
