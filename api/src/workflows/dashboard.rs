//! The applicant's home page: announcements, credentials, applications and
//! an activity feed drawn from the audit log.

use super::RequestContext;
use super::record::{audit, record};
use crate::workflows::Ports;
use crate::workflows::WorkflowError;
use kecs_domain::announcement::Announcement;
use kecs_domain::application::Application;
use kecs_persistence::repo::announcements::{self, NewAnnouncement};
use kecs_persistence::repo::applications;
use kecs_persistence::repo::audit::{self as audit_log, AuditEvent};
use serde_json::json;

pub struct Dashboard {
    pub announcements: Vec<Announcement>,
    pub applications: Vec<Application>,
    pub activity: Vec<AuditEvent>,
}

const FEED_LENGTH: i64 = 50;
const APPLICATIONS_SHOWN: i64 = 50;

pub fn dashboard(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
) -> Result<Dashboard, WorkflowError> {
    Ok(state.db.read(|conn| {
        let applications = applications::list_owned(conn, account_id, None, APPLICATIONS_SHOWN)?;
        let ids: Vec<String> = applications.iter().map(|a| a.id.clone()).collect();
        let numbers: Vec<String> =
            kecs_persistence::repo::credentials::for_account(conn, account_id)?
                .into_iter()
                .map(|c| c.number)
                .collect();
        Ok::<_, kecs_persistence::PersistenceError>(Dashboard {
            announcements: announcements::active(conn, ctx.now)?,
            activity: audit_log::feed(conn, account_id, &ids, &numbers, FEED_LENGTH)?,
            applications,
        })
    })?)
}

/// The sentence an applicant reads for an audited action.
pub fn describe(event: &AuditEvent) -> String {
    let element = event.details["element"].as_str().map(|key| {
        kecs_domain::application::ElementKey::parse(key)
            .map(|k| k.title().to_owned())
            .unwrap_or_else(|| key.to_owned())
    });
    let element = element.as_deref().unwrap_or("an element");
    match event.action.as_str() {
        "account.created" => "You created your account.".to_owned(),
        "account.claimed" => "You claimed your record and created your account.".to_owned(),
        "account.email_confirmed" => "You confirmed your email address.".to_owned(),
        "account.confirmation_resent" => "A new confirmation link was sent to you.".to_owned(),
        "account.password_reset" => "Your password was changed.".to_owned(),
        "session.started" => match event.details["provider"].as_str() {
            Some(provider) => format!("You signed in with {}.", provider_name(provider)),
            None => "You signed in.".to_owned(),
        },
        "identity.linked" => format!(
            "You linked your {} sign-in to this account.",
            provider_name(event.details["provider"].as_str().unwrap_or("external"))
        ),
        "identity.unlinked" => format!(
            "You unlinked your {} sign-in from this account.",
            provider_name(event.details["provider"].as_str().unwrap_or("external"))
        ),
        "session.ended" => "You signed out.".to_owned(),
        "session.revoked_on_reuse" => {
            "A session was ended because its refresh token was used twice.".to_owned()
        }
        "profile.updated" => "You updated your profile.".to_owned(),
        "application.started" => "You started an application.".to_owned(),
        "application.element_saved" => format!("You saved {element}."),
        "application.element_invitation_sent" => {
            format!("You asked someone to complete {element}.")
        }
        "application.element_submitted_by_third_party" => {
            format!("{element} was submitted for you.")
        }
        "application.character_and_fitness_submitted" => {
            "You submitted Character & Fitness.".to_owned()
        }
        "application.attachment_added" => format!("You attached a file to {element}."),
        "application.attachment_deleted" => "You deleted an attachment.".to_owned(),
        "application.withdrawn" => "You withdrew an application.".to_owned(),
        "application.expiry_reminder_sent" => {
            "You were reminded that an unpaid application will expire.".to_owned()
        }
        "application.expired" => "An application expired unpaid after 90 days.".to_owned(),
        "application.submitted" => "Your application was paid for and submitted.".to_owned(),
        "application.assigned" => {
            "A certification specialist is reviewing your application.".to_owned()
        }
        "application.returned_as_deficient" => {
            "Your application was returned: some elements need more.".to_owned()
        }
        "application.resubmitted" => "You resubmitted your application.".to_owned(),
        "application.approved" => "Your application was approved.".to_owned(),
        "application.denied" => "Your application was denied.".to_owned(),
        "application.denial_review_requested" => "You requested a review of the denial.".to_owned(),
        "application.denial_review_extended" => "The review of the denial was extended.".to_owned(),
        "application.denial_review_decided" => match event.details["decision"].as_str() {
            Some("overturned") => "The denial was overturned on review.".to_owned(),
            _ => "The denial was upheld on review.".to_owned(),
        },
        "credential.expiry_reminder_sent" => {
            "You were reminded that your credential will expire.".to_owned()
        }
        "credential.expired" => "Your credential expired.".to_owned(),
        "credential.revoked" => "Your credential was revoked.".to_owned(),
        "credential.hearing_requested" => "You requested a hearing on the revocation.".to_owned(),
        "sponsor.registered" => "You registered a sponsoring organisation.".to_owned(),
        "sponsor.representative_added" => "A representative was added to a sponsor.".to_owned(),
        "sponsor.non_compliance_found" => {
            "The cabinet found a sponsor you represent did not keep Section 17: its preapprovals \
             are barred for two years."
                .to_owned()
        }
        "preapproval.drafted" => "You drafted an application for preapproval.".to_owned(),
        "preapproval.resume_attached" => "You attached a presenter's résumé.".to_owned(),
        "preapproval.submitted" => "You submitted an application for preapproval.".to_owned(),
        "preapproval.information_requested" => {
            "The cabinet asked for more information about an application for preapproval."
                .to_owned()
        }
        "preapproval.information_given" => "You answered the cabinet's request.".to_owned(),
        "preapproval.approved" => "An event you applied for was preapproved.".to_owned(),
        "preapproval.denied" => "Preapproval of an event you applied for was denied.".to_owned(),
        "preapproval.denial_review_requested" => {
            "You requested a review of the preapproval's denial.".to_owned()
        }
        "preapproval.denial_review_extended" => {
            "The review of the preapproval's denial was extended.".to_owned()
        }
        "preapproval.denial_review_decided" => match event.details["decision"].as_str() {
            Some("overturned") => "The preapproval's denial was overturned on review.".to_owned(),
            _ => "The preapproval's denial was upheld on review.".to_owned(),
        },
        "preapproval.attendance_entered" => {
            "Trainees were entered for an approved event.".to_owned()
        }
        "preapproval.certificates_issued" => {
            "Certificates were issued for an approved event.".to_owned()
        }
        "training_agency.applied" => "You applied for a training agency's approval.".to_owned(),
        "training_agency.approved" => "A training agency you applied for was approved.".to_owned(),
        "training_agency.denied" => {
            "A training agency you applied for was not approved.".to_owned()
        }
        "training_agency.instruction_recorded" => {
            "You recorded instruction given a trainee.".to_owned()
        }
        other => other.replace(['.', '_'], " "),
    }
}

/// A provider as the audit log names it (`microsoft`), as a person reads it.
fn provider_name(id: &str) -> String {
    let mut chars = id.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub struct AnnouncementDraft {
    pub title: String,
    pub body: String,
    pub starts_at: chrono::NaiveDateTime,
    pub ends_at: Option<chrono::NaiveDateTime>,
}

pub fn publish(
    state: &Ports,
    ctx: &RequestContext,
    admin_id: &str,
    draft: &AnnouncementDraft,
) -> Result<Announcement, WorkflowError> {
    state.db.transaction(|conn| {
        let announcement = announcements::insert(
            conn,
            &NewAnnouncement {
                title: &draft.title,
                body: &draft.body,
                starts_at: draft.starts_at,
                ends_at: draft.ends_at,
                created_by: admin_id,
            },
            ctx.now,
        )?;
        record(conn, ctx, Some(admin_id)).audit(
            "announcement.published",
            ("announcement", &announcement.id),
            json!({}),
        )?;
        Ok(announcement)
    })
}

pub fn all(state: &Ports) -> Result<Vec<Announcement>, WorkflowError> {
    Ok(state.db.read(announcements::all)?)
}

pub fn withdraw_announcement(
    state: &Ports,
    ctx: &RequestContext,
    admin_id: &str,
    id: &str,
) -> Result<(), WorkflowError> {
    state.db.transaction(|conn| {
        if !announcements::delete(conn, id)? {
            return Err(WorkflowError::NotFound);
        }
        audit(
            conn,
            ctx,
            Some(admin_id),
            "announcement.removed",
            ("announcement", id),
            json!({}),
        )
    })
}
