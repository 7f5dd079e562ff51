//! Sponsoring organisations: registered by a representative, who may add
//! others (one organisation, several accounts); read by its representatives
//! and by staff; barred by the cabinet for two years on a finding of
//! non-compliance with Sec. 17 (Sec. 16(10)).

use super::mail_templates;
use super::record::{enqueue_mail, record};
use super::tokens::Caller;
use super::{Ports, RequestContext, WorkflowError};
use kecs_domain::account::{Role, Username};
use kecs_domain::approval::Sponsor;
use kecs_domain::rules::preapproval::sponsor_preapproval_barred_until;
use kecs_persistence::repo::accounts;
use kecs_persistence::repo::sponsors::{self, NewSponsor};
use kecs_persistence::{DbConnection, PersistenceError};
use serde_json::json;

/// What the representative gives for the organisation.
pub struct SponsorDetails {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
}

pub fn register(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    details: &SponsorDetails,
) -> Result<Sponsor, WorkflowError> {
    let new = NewSponsor {
        name: &details.name,
        email: &details.email,
        phone: &details.phone,
        address: &details.address,
    };
    state.change(|conn| {
        let sponsor = sponsors::insert(conn, &new, account_id, ctx.now)?;
        record(conn, ctx, Some(account_id)).audit(
            "sponsor.registered",
            ("sponsor", &sponsor.id),
            json!({"name": sponsor.name}),
        )?;
        Ok(sponsor)
    })
}

/// The sponsor, if the caller may read it: a representative, or staff.
/// Anyone else hears it does not exist.
pub(crate) fn visible(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
) -> Result<Sponsor, WorkflowError> {
    let sponsor = sponsors::get(conn, id)?;
    if caller.role.is_staff() || sponsors::is_representative(conn, id, &caller.account_id)? {
        return Ok(sponsor);
    }
    Err(WorkflowError::NotFound)
}

/// The sponsor, if the account represents it (404 otherwise).
pub(crate) fn represented(
    conn: &mut DbConnection,
    account_id: &str,
    id: &str,
) -> Result<Sponsor, WorkflowError> {
    let sponsor = sponsors::get(conn, id)?;
    if sponsors::is_representative(conn, id, account_id)? {
        return Ok(sponsor);
    }
    Err(WorkflowError::NotFound)
}

pub fn get(state: &Ports, caller: &Caller, id: &str) -> Result<Sponsor, WorkflowError> {
    state.db.read(|conn| visible(conn, caller, id))
}

pub fn mine(state: &Ports, account_id: &str) -> Result<Vec<Sponsor>, WorkflowError> {
    Ok(state
        .db
        .read(|conn| sponsors::represented_by(conn, account_id))?)
}

/// Adds another account, by username, as a representative.
pub fn add_representative(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    id: &str,
    username: &Username,
) -> Result<Sponsor, WorkflowError> {
    state.change(|conn| {
        let sponsor = represented(conn, account_id, id)?;
        let added = match accounts::find_by_username_key(conn, &username.key())? {
            Some(account) if account.role == Role::Applicant => account,
            _ => {
                return Err(WorkflowError::field(
                    "username",
                    "names no applicant account; the representative registers first",
                ));
            }
        };
        match sponsors::add_representative(conn, id, &added.id, ctx.now) {
            Ok(()) => {}
            Err(PersistenceError::Conflict { .. }) => {
                return Err(WorkflowError::field(
                    "username",
                    "already represents this sponsor",
                ));
            }
            Err(other) => return Err(other.into()),
        }
        record(conn, ctx, Some(account_id))
            .tell(
                &added.id,
                &mail_templates::sponsor_representative_added(&sponsor.name),
            )?
            .audit(
                "sponsor.representative_added",
                ("sponsor", id),
                json!({"account_id": added.id}),
            )?;
        Ok(sponsor)
    })
}

/// Staff record a finding of non-compliance with Sec. 17: the sponsor's
/// preapprovals are barred for two years from it (Sec. 16(10)).
pub fn record_non_compliance(
    state: &Ports,
    ctx: &RequestContext,
    staff_id: &str,
    id: &str,
    finding: &str,
) -> Result<Sponsor, WorkflowError> {
    let today = ctx.now.date();
    state.change(|conn| {
        sponsors::lock(conn, id)?;
        sponsors::record_finding(conn, id, today, finding, staff_id, ctx.now)?;
        let sponsor = sponsors::get(conn, id)?;
        let until = sponsor_preapproval_barred_until(today);
        enqueue_mail(
            conn,
            &sponsor.email,
            &mail_templates::sponsor_barred(&sponsor.name, finding, &until.to_string()),
            ctx.now,
        )?;
        record(conn, ctx, Some(staff_id)).audit(
            "sponsor.non_compliance_found",
            ("sponsor", id),
            json!({"barred_until": until}),
        )?;
        Ok(sponsor)
    })
}
