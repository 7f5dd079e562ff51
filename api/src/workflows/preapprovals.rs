//! Preapproval of training events (Sec. 16): a sponsor's representative
//! drafts the DCC-201/201a, attaches each uncredentialed presenter's résumé
//! and submits it; staff ask for information, approve or deny; a denial is
//! reviewed as a credential's is (Sec. 16(9) → 14(3)); approved events are
//! listed publicly (Sec. 17(3)).
//!
//! Each step is one transaction under the sponsor's row lock, its status
//! move guarded by `UPDATE … WHERE status = from`; each tells the sponsor by
//! mail through the outbox and leaves an audit entry.

use super::mail_templates;
use super::record::{enqueue_mail, record};
use super::sponsors::{represented, visible};
use super::state_holidays::around;
use super::tokens::Caller;
use super::{Ports, RequestContext, WorkflowError, blocking};
use chrono::{Datelike, NaiveDate};
use kecs_domain::DomainError;
use kecs_domain::application::{DenialReason, ReviewDecision};
use kecs_domain::approval::preapproval::{Step, presenter_limit_reached};
use kecs_domain::approval::{ApprovedTraining, Preapproval, Resume, check_submission};
use kecs_domain::rules::deadlines::{
    check_denial_review_request, check_review_extension_notice, denial_review_order_deadline,
    denial_review_request_deadline,
};
use kecs_domain::rules::preapproval::EventKind;
use kecs_domain::training::EventPlan;
use kecs_domain::validation::FieldErrors;
use kecs_persistence::DbConnection;
use kecs_persistence::repo::preapprovals::{self, NewPreapproval, NewPresenter};
pub use kecs_persistence::repo::preapprovals::{ApprovedSearch, Queue};
use kecs_persistence::repo::{credentials, sponsors, unreferenced_objects};
use object_store::ObjectStoreExt;
use object_store::path::Path as StorePath;
use serde_json::json;
use std::sync::Arc;

/// A presenter as the sponsor lists them.
pub struct PresenterInput {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub date_of_birth: Option<NaiveDate>,
    pub credential_number: Option<String>,
}

/// A presenter who gives a credential number must hold it, current today;
/// one who does not is identified by date of birth (Sec. 16(4)(a), 16(6)).
fn check_presenters(
    conn: &mut DbConnection,
    presenters: &[PresenterInput],
    today: NaiveDate,
) -> Result<(), WorkflowError> {
    let mut errors = FieldErrors::new();
    for (index, presenter) in presenters.iter().enumerate() {
        match &presenter.credential_number {
            Some(number) => {
                let current = match credentials::get_by_number(conn, number) {
                    Ok(credential) => credential.is_current(today),
                    Err(kecs_persistence::PersistenceError::NotFound) => false,
                    Err(other) => return Err(other.into()),
                };
                if !current {
                    errors.push(
                        format!("presenters[{index}].credential_number"),
                        "names no current Kentucky Early Care and Education Trainer's \
                         Credential; leave it out for a presenter without one (Sec. 16(4))",
                    );
                }
            }
            None if presenter.date_of_birth.is_none() => errors.push(
                format!("presenters[{index}].date_of_birth"),
                "is required for a presenter without a trainer's credential, who is \
                 identified by it (Sec. 16(4)(a), 16(6))",
            ),
            None => {}
        }
    }
    errors.into_result().map_err(WorkflowError::Invalid)
}

fn new_presenters(presenters: &[PresenterInput]) -> Vec<NewPresenter<'_>> {
    presenters
        .iter()
        .map(|p| NewPresenter {
            first_name: &p.first_name,
            last_name: &p.last_name,
            email: &p.email,
            date_of_birth: p.date_of_birth.filter(|_| p.credential_number.is_none()),
            credential_number: p.credential_number.as_deref(),
        })
        .collect()
}

/// Revises a draft: the event and its presenters replaced as given. A
/// presenter who stays at the same place with the same identity keeps the
/// résumé attached; the bytes of any other are left to the sweeper.
pub fn revise(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    id: &str,
    kind: EventKind,
    plan: &EventPlan,
    presenters: &[PresenterInput],
) -> Result<Preapproval, WorkflowError> {
    let today = ctx.now.date();
    state.change(|conn| {
        let preapproval = lock_for_representative(conn, account_id, id)?;
        if preapproval.status.apply(Step::Submit).is_none() {
            return Err(DomainError::PreapprovalNotNow {
                status: preapproval.status.as_str(),
                step: "be revised",
            }
            .into());
        }
        check_presenters(conn, presenters, today)?;
        let mut plan = plan.clone();
        plan.sponsor = preapproval.sponsor_name.clone();
        let dropped = preapprovals::replace_draft(
            conn,
            &preapproval,
            kind,
            &plan,
            &new_presenters(presenters),
            ctx.now,
        )?;
        for key in &dropped {
            unreferenced_objects::note(conn, key, ctx.now)?;
        }
        record(conn, ctx, Some(account_id)).audit(
            "preapproval.revised",
            ("preapproval", id),
            json!({"presenters": presenters.len(), "resumes_dropped": dropped.len()}),
        )?;
        Ok(preapprovals::get(conn, id)?)
    })
}

/// Drafts an application. A presenter who gives a credential number must
/// hold that credential, current today; one who does not is identified by
/// date of birth (Sec. 16(4)(a), 16(6)).
pub fn draft(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    sponsor_id: &str,
    kind: EventKind,
    plan: &EventPlan,
    presenters: &[PresenterInput],
) -> Result<Preapproval, WorkflowError> {
    let today = ctx.now.date();
    state.change(|conn| {
        let sponsor = represented(conn, account_id, sponsor_id)?;
        check_presenters(conn, presenters, today)?;
        let mut plan = plan.clone();
        plan.sponsor = sponsor.name.clone();
        let new_presenters = new_presenters(presenters);
        let preapproval = preapprovals::insert(
            conn,
            &NewPreapproval {
                sponsor_id,
                kind,
                plan: &plan,
                presenters: &new_presenters,
                created_by: account_id,
            },
            ctx.now,
        )?;
        record(conn, ctx, Some(account_id)).audit(
            "preapproval.drafted",
            ("preapproval", &preapproval.id),
            json!({"sponsor_id": sponsor_id, "form": preapproval.form().as_str()}),
        )?;
        Ok(preapproval)
    })
}

/// The application, if the caller may read it: a representative of its
/// sponsor, or staff.
fn readable(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
) -> Result<Preapproval, WorkflowError> {
    let preapproval = preapprovals::get(conn, id)?;
    visible(conn, caller, &preapproval.sponsor_id)?;
    Ok(preapproval)
}

pub fn get(state: &Ports, caller: &Caller, id: &str) -> Result<Preapproval, WorkflowError> {
    state.db.read(|conn| readable(conn, caller, id))
}

pub fn of_sponsor(
    state: &Ports,
    caller: &Caller,
    sponsor_id: &str,
) -> Result<Vec<Preapproval>, WorkflowError> {
    state.db.read(|conn| {
        visible(conn, caller, sponsor_id)?;
        Ok(preapprovals::of_sponsor(conn, sponsor_id)?)
    })
}

/// The tail of a change the sponsor is told of: the mail to its address,
/// the audit entry, and the application read back as it now stands.
fn tell_sponsor(
    conn: &mut DbConnection,
    ctx: &RequestContext,
    actor: &str,
    preapproval: &Preapproval,
    mail: &mail_templates::Mail,
    action: &str,
    details: serde_json::Value,
) -> Result<Preapproval, WorkflowError> {
    let sponsor = sponsors::get(conn, &preapproval.sponsor_id)?;
    enqueue_mail(conn, &sponsor.email, mail, ctx.now)?;
    record(conn, ctx, Some(actor)).audit(action, ("preapproval", &preapproval.id), details)?;
    Ok(preapprovals::get(conn, &preapproval.id)?)
}

/// Moves the application by `step`, or says why it cannot now.
fn step(
    conn: &mut DbConnection,
    preapproval: &Preapproval,
    step: Step,
    ctx: &RequestContext,
) -> Result<(), WorkflowError> {
    let refused = || DomainError::PreapprovalNotNow {
        status: preapproval.status.as_str(),
        step: step.as_str(),
    };
    let to = preapproval.status.apply(step).ok_or_else(refused)?;
    if !preapprovals::change_status(conn, &preapproval.id, preapproval.status, to, ctx.now)? {
        return Err(refused().into());
    }
    Ok(())
}

/// Locks the sponsor (one change to its applications at a time) and reads
/// the application as a representative may.
pub(crate) fn lock_for_representative(
    conn: &mut DbConnection,
    account_id: &str,
    id: &str,
) -> Result<Preapproval, WorkflowError> {
    let preapproval = preapprovals::get(conn, id)?;
    represented(conn, account_id, &preapproval.sponsor_id)?;
    sponsors::lock(conn, &preapproval.sponsor_id)?;
    Ok(preapprovals::get(conn, id)?)
}

fn lock_for_staff(conn: &mut DbConnection, id: &str) -> Result<Preapproval, WorkflowError> {
    let preapproval = preapprovals::get(conn, id)?;
    sponsors::lock(conn, &preapproval.sponsor_id)?;
    Ok(preapprovals::get(conn, id)?)
}

/// A résumé's bytes, checked by the caller (kind recognised and allowed).
pub struct ResumeUpload {
    pub file_name: String,
    pub content_type: String,
    pub bytes: bytes::Bytes,
}

/// Attaches a résumé or vita for presenter `position` (1-based) while the
/// application is a draft (Sec. 16(4)(b)). The bytes are noted before they
/// are stored and settled when the row records them, so a refusal or a
/// crash leaves nothing the sweeper does not remove; a replaced résumé's
/// bytes are noted for removal.
pub async fn attach_resume(
    state: Arc<Ports>,
    ctx: RequestContext,
    account_id: String,
    id: String,
    position: i32,
    upload: ResumeUpload,
) -> Result<Preapproval, WorkflowError> {
    let check = move |conn: &mut DbConnection, account_id: &str, id: &str| {
        let preapproval = lock_for_representative(conn, account_id, id)?;
        if preapproval.status.apply(Step::Submit).is_none() {
            return Err(WorkflowError::from(DomainError::PreapprovalNotNow {
                status: preapproval.status.as_str(),
                step: "take a résumé",
            }));
        }
        let presenter = preapproval
            .presenters
            .iter()
            .find(|p| p.position == position)
            .ok_or(WorkflowError::NotFound)?;
        if presenter.holds_credential() {
            return Err(WorkflowError::field(
                "position",
                "this presenter holds a trainer's credential: no résumé is needed (Sec. 16(4))",
            ));
        }
        Ok(preapproval)
    };
    {
        let (state, account_id, id) = (state.clone(), account_id.clone(), id.clone());
        blocking(move || state.db.transaction(|conn| check(conn, &account_id, &id))).await?;
    }
    let storage_key = format!("preapprovals/{id}/{}", uuid::Uuid::new_v4());
    let resume = Resume {
        file_name: upload.file_name,
        content_type: upload.content_type,
        size_bytes: i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX),
        storage_key: storage_key.clone(),
        uploaded_at: ctx.now,
    };
    {
        let (state, key, now) = (state.clone(), storage_key.clone(), ctx.now);
        blocking(move || {
            state
                .db
                .transaction(|conn| unreferenced_objects::note(conn, &key, now))
                .map_err(WorkflowError::from)
        })
        .await?;
    }
    let location = StorePath::from(storage_key.as_str());
    state
        .attachments
        .put(&location, upload.bytes.into())
        .await
        .map_err(|e| WorkflowError::Unavailable(Box::new(e)))?;
    let recorded = {
        let state = state.clone();
        let ctx = ctx.clone();
        blocking(move || {
            state.change(|conn| {
                check(conn, &account_id, &id)?;
                if !unreferenced_objects::settle(conn, &resume.storage_key)? {
                    return Err(WorkflowError::Unavailable(
                        "the upload took too long to record; send it again".into(),
                    ));
                }
                if let Some(previous) = preapprovals::attach_resume(conn, &id, position, &resume)? {
                    unreferenced_objects::note(conn, &previous, ctx.now)?;
                }
                record(conn, &ctx, Some(&account_id)).audit(
                    "preapproval.resume_attached",
                    ("preapproval", &id),
                    json!({"position": position, "size_bytes": resume.size_bytes}),
                )?;
                Ok(preapprovals::get(conn, &id)?)
            })
        })
        .await
    };
    // A refused record leaves the noted bytes to the sweeper.
    recorded
}

/// The résumé of presenter `position`, if the caller may read the
/// application, opened for streaming.
pub async fn open_resume(
    state: Arc<Ports>,
    caller: Caller,
    id: String,
    position: i32,
) -> Result<(Resume, object_store::GetResult), WorkflowError> {
    let resume = {
        let state = state.clone();
        blocking(move || {
            let preapproval = get(&state, &caller, &id)?;
            preapproval
                .presenters
                .into_iter()
                .find(|p| p.position == position)
                .and_then(|p| p.resume)
                .ok_or(WorkflowError::NotFound)
        })
        .await?
    };
    let bytes = state
        .attachments
        .get(&StorePath::from(resume.storage_key.as_str()))
        .await
        .map_err(|e| WorkflowError::Unavailable(Box::new(e)))?;
    Ok((resume, bytes))
}

/// Submits the draft: received today if every rule of Sec. 16 holds (all
/// reported at once), each uncredentialed presenter counted for the year
/// (16(6)), the decision due ten working days later (16(2)).
pub fn submit(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    id: &str,
) -> Result<Preapproval, WorkflowError> {
    let today = ctx.now.date();
    state.change(|conn| {
        let preapproval = lock_for_representative(conn, account_id, id)?;
        if preapproval.status.apply(Step::Submit).is_none() {
            return Err(DomainError::PreapprovalNotNow {
                status: preapproval.status.as_str(),
                step: Step::Submit.as_str(),
            }
            .into());
        }
        let sponsor = sponsors::get(conn, &preapproval.sponsor_id)?;
        let mut errors = check_submission(&preapproval, sponsor.check_not_barred(today), today);
        for (index, presenter) in preapproval.presenters.iter().enumerate() {
            let Some(key) = presenter.identity_key() else {
                continue;
            };
            if !preapprovals::count_presenter(conn, &key, today.year())? {
                errors.push_unmet(
                    format!("presenters[{index}]"),
                    &presenter_limit_reached(presenter, today.year()),
                );
            }
        }
        if !errors.is_empty() {
            // The transaction rolls back: no presenter is counted.
            return Err(DomainError::PreapprovalRefused(errors).into());
        }
        step(conn, &preapproval, Step::Submit, ctx)?;
        preapprovals::mark_received(conn, id, today)?;
        let received = preapprovals::get(conn, id)?;
        let due = received.decision_due(&around(conn, today)?);
        preapprovals::set_decision_due(conn, id, due)?;
        tell_sponsor(
            conn,
            ctx,
            account_id,
            &preapproval,
            &mail_templates::preapproval_received(
                &preapproval.plan.title,
                id,
                &due.map(|d| d.to_string()).unwrap_or_default(),
            ),
            "preapproval.submitted",
            json!({"received_on": today, "decision_due_on": due}),
        )
    })
}

/// Staff ask for missing information: the clock stops (Sec. 16(2)).
pub fn request_information(
    state: &Ports,
    ctx: &RequestContext,
    staff_id: &str,
    id: &str,
    message: &str,
) -> Result<Preapproval, WorkflowError> {
    state.change(|conn| {
        let preapproval = lock_for_staff(conn, id)?;
        step(conn, &preapproval, Step::RequestInformation, ctx)?;
        preapprovals::add_information_request(conn, id, staff_id, message, ctx.now)?;
        preapprovals::set_decision_due(conn, id, None)?;
        tell_sponsor(
            conn,
            ctx,
            staff_id,
            &preapproval,
            &mail_templates::preapproval_information_requested(
                &preapproval.plan.title,
                id,
                message,
            ),
            "preapproval.information_requested",
            json!({"request": message}),
        )
    })
}

/// The sponsor answers: the clock runs again, the days it waited not
/// counted (Sec. 16(2)).
pub fn answer(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    id: &str,
    answer: &str,
) -> Result<Preapproval, WorkflowError> {
    state.change(|conn| {
        let preapproval = lock_for_representative(conn, account_id, id)?;
        step(conn, &preapproval, Step::Answer, ctx)?;
        if !preapprovals::answer_information_request(conn, id, answer, ctx.now)? {
            return Err(DomainError::PreapprovalNotNow {
                status: preapproval.status.as_str(),
                step: Step::Answer.as_str(),
            }
            .into());
        }
        let answered = preapprovals::get(conn, id)?;
        let received_on = answered.received_on.unwrap_or(ctx.now.date());
        let due = answered.decision_due(&around(conn, received_on)?);
        preapprovals::set_decision_due(conn, id, due)?;
        record(conn, ctx, Some(account_id)).audit(
            "preapproval.information_given",
            ("preapproval", id),
            json!({"decision_due_on": due}),
        )?;
        Ok(preapprovals::get(conn, id)?)
    })
}

pub fn approve(
    state: &Ports,
    ctx: &RequestContext,
    staff_id: &str,
    id: &str,
    note: Option<&str>,
) -> Result<Preapproval, WorkflowError> {
    let today = ctx.now.date();
    state.change(|conn| {
        let preapproval = lock_for_staff(conn, id)?;
        step(conn, &preapproval, Step::Approve, ctx)?;
        let expires_on = preapproval.expiry_if_approved_on(today);
        preapprovals::record_approval(conn, id, Some((staff_id, today)), note, expires_on)?;
        tell_sponsor(
            conn,
            ctx,
            staff_id,
            &preapproval,
            &mail_templates::preapproval_approved(
                &preapproval.plan.title,
                id,
                expires_on.map(|d| d.to_string()).as_deref(),
            ),
            "preapproval.approved",
            json!({"expires_on": expires_on}),
        )
    })
}

pub fn deny(
    state: &Ports,
    ctx: &RequestContext,
    staff_id: &str,
    id: &str,
    reasons: &[(String, String)],
) -> Result<Preapproval, WorkflowError> {
    let today = ctx.now.date();
    state.change(|conn| {
        let preapproval = lock_for_staff(conn, id)?;
        step(conn, &preapproval, Step::Deny, ctx)?;
        let denial_reasons: Vec<DenialReason> = reasons
            .iter()
            .map(|(citation, message)| DenialReason {
                citation: citation.clone(),
                message: message.clone(),
            })
            .collect();
        preapprovals::record_denial(conn, id, staff_id, today, &denial_reasons)?;
        let review_by = denial_review_request_deadline(today);
        tell_sponsor(
            conn,
            ctx,
            staff_id,
            &preapproval,
            &mail_templates::preapproval_denied(
                &preapproval.plan.title,
                id,
                reasons,
                &review_by.to_string(),
            ),
            "preapproval.denied",
            json!({"reasons": reasons.iter().map(|(c, m)| json!({"citation": c, "message": m})).collect::<Vec<_>>()}),
        )
    })
}

/// The sponsor asks for the denial to be reviewed: within 10 days of it;
/// the written order is due 30 days after (Sec. 16(9) → 14(3)(b)–(c)).
pub fn request_review(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    id: &str,
    statement: &str,
) -> Result<Preapproval, WorkflowError> {
    let today = ctx.now.date();
    state.change(|conn| {
        let preapproval = lock_for_representative(conn, account_id, id)?;
        let denial = preapproval
            .denial
            .as_ref()
            .filter(|_| preapproval.status == kecs_domain::approval::PreapprovalStatus::Denied)
            .ok_or(DomainError::NotDenied)?;
        check_denial_review_request(denial.denied_on, today)
            .map_err(DomainError::ReviewRequestTooLate)?;
        let due = denial_review_order_deadline(today);
        if !preapprovals::request_review(conn, id, statement, due, ctx.now)? {
            return Err(DomainError::ReviewAlreadyRequested.into());
        }
        record(conn, ctx, Some(account_id)).audit(
            "preapproval.denial_review_requested",
            ("preapproval", id),
            json!({"order_due_on": due}),
        )?;
        Ok(preapprovals::get(conn, id)?)
    })
}

/// The commissioner's designee (an admin) extends a requested review with
/// notice to the sponsor (Sec. 16(9) → 14(3)(c)1-2): only while the order
/// is not yet late, and only to a later day.
pub fn extend_review(
    state: &Ports,
    ctx: &RequestContext,
    admin_id: &str,
    id: &str,
    reason: &str,
    until: NaiveDate,
) -> Result<Preapproval, WorkflowError> {
    let today = ctx.now.date();
    state.change(|conn| {
        let preapproval = lock_for_staff(conn, id)?;
        let denial = preapproval.denial.as_ref().ok_or(DomainError::NotDenied)?;
        if denial.review_requested_at.is_none() {
            return Err(DomainError::NoReviewRequested.into());
        }
        if denial.review_decided_at.is_some() {
            return Err(DomainError::ReviewAlreadyDecided.into());
        }
        let due = denial.order_due_on().unwrap_or(today);
        check_review_extension_notice(due, today).map_err(DomainError::ExtensionTooLate)?;
        if until <= due {
            return Err(WorkflowError::field(
                "decide_by",
                "must be later than the date the order is due now",
            ));
        }
        if !preapprovals::extend_review(conn, id, reason, until, today)? {
            return Err(DomainError::ReviewAlreadyDecided.into());
        }
        tell_sponsor(
            conn,
            ctx,
            admin_id,
            &preapproval,
            &mail_templates::preapproval_review_extended(
                &preapproval.plan.title,
                id,
                reason,
                &until.to_string(),
            ),
            "preapproval.denial_review_extended",
            json!({"decide_by": until}),
        )
    })
}

/// The commissioner's designee (an admin) issues the written order; an
/// order overturning the denial approves the event from its day.
pub fn decide_review(
    state: &Ports,
    ctx: &RequestContext,
    admin_id: &str,
    id: &str,
    decision: ReviewDecision,
    order: &str,
) -> Result<Preapproval, WorkflowError> {
    let today = ctx.now.date();
    state.change(|conn| {
        let preapproval = lock_for_staff(conn, id)?;
        let denial = preapproval.denial.as_ref().ok_or(DomainError::NotDenied)?;
        if denial.review_requested_at.is_none() {
            return Err(DomainError::NoReviewRequested.into());
        }
        if !preapprovals::decide_review(conn, id, decision, order, admin_id, ctx.now)? {
            return Err(DomainError::ReviewAlreadyDecided.into());
        }
        if decision == ReviewDecision::Overturned {
            step(conn, &preapproval, Step::OverturnDenial, ctx)?;
            let expires_on = preapproval.expiry_if_approved_on(today);
            preapprovals::record_approval(conn, id, None, None, expires_on)?;
        }
        tell_sponsor(
            conn,
            ctx,
            admin_id,
            &preapproval,
            &mail_templates::preapproval_review_decided(
                &preapproval.plan.title,
                id,
                decision == ReviewDecision::Overturned,
                order,
            ),
            "preapproval.denial_review_decided",
            json!({"decision": decision.as_str()}),
        )
    })
}

pub fn queue(
    state: &Ports,
    which: Queue,
    overdue_on: Option<NaiveDate>,
    after: Option<(NaiveDate, String)>,
    limit: i64,
) -> Result<Vec<Preapproval>, WorkflowError> {
    Ok(state
        .db
        .read(|conn| preapprovals::queue(conn, which, overdue_on, after.as_ref(), limit))?)
}

/// The public list of preapproved trainings on `today` (Sec. 17(3)).
pub fn listed(
    state: &Ports,
    search: &ApprovedSearch,
    today: NaiveDate,
    after: Option<(NaiveDate, String)>,
    limit: i64,
) -> Result<Vec<ApprovedTraining>, WorkflowError> {
    Ok(state
        .db
        .read(|conn| preapprovals::listed(conn, search, today, after.as_ref(), limit))?)
}
