//! Applications: ownership, the guard every write passes, and withdrawal.

use super::RequestContext;
use super::record::{enqueue_mail, mail_account, move_application, record};
use crate::workflows::Ports;
use crate::workflows::WorkflowError;
use kecs_domain::DomainError;
use kecs_domain::application::{
    Answers, Application, ApplicationPlan, ApplicationStatus, CharacterAndFitnessAnswers,
    Deficiency, Denial, Element, ElementContent, ElementData, ElementKey, ElementStatus,
    Invitation, NextStep, Overview, RequestType, Submitter, ThirdParty, Transition, Verifier,
    check_character_and_fitness, check_invitee_is_not_applicant, check_open_application_room,
    expires_at, invitation_expires_at, next_step, overview, plan,
};
use kecs_domain::validation::FieldErrors;
use kecs_persistence::DbConnection;
use kecs_persistence::repo::applications::{
    self, ElementSave, NewApplication, NotEditable, SaveRefused,
};
use kecs_persistence::repo::invitations::{self, NewInvitation};
use kecs_persistence::repo::{accounts, credentials, deficiencies, denials, people};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

/// The application if the caller owns it; anyone else's is a 404, exactly
/// like one that does not exist (contract: ids cannot be probed).
pub fn owned(
    conn: &mut DbConnection,
    id: &str,
    account_id: &str,
) -> Result<Application, WorkflowError> {
    applications::get_owned(conn, id, account_id).map_err(WorkflowError::from)
}

/// Why a write was refused, in words the applicant can act on.
pub fn not_editable(application: &Application, reason: NotEditable) -> WorkflowError {
    match reason {
        NotEditable::ExpiredNow => DomainError::ApplicationExpiredOn(application.expires_at),
        NotEditable::Status(ApplicationStatus::Expired) => DomainError::ApplicationExpired,
        NotEditable::Status(status) => DomainError::ApplicationNotEditable(status),
    }
    .into()
}

/// Runs `work` on the caller's application in one transaction, after
/// claiming it for a change: refused unless it is editable and unexpired.
/// An application found past its expiry is marked expired once the refused
/// transaction has rolled back (never inside it: on SQLite a second
/// transaction would wait on this one's write lock).
pub fn edit<T>(
    state: &Ports,
    ctx: &RequestContext,
    id: &str,
    account_id: &str,
    work: impl FnOnce(&mut DbConnection, &Application) -> Result<T, WorkflowError>,
) -> Result<T, WorkflowError> {
    edit_as(state, ctx, id, Some(account_id), work)
}

/// `edit` for the owner (`Some(account)`) or for a third party whose
/// invitation `work` checks (`None`).
fn edit_as<T>(
    state: &Ports,
    ctx: &RequestContext,
    id: &str,
    owner: Option<&str>,
    work: impl FnOnce(&mut DbConnection, &Application) -> Result<T, WorkflowError>,
) -> Result<T, WorkflowError> {
    let mut found_expired = None;
    let result = state.db.transaction(|conn| {
        let application = match owner {
            Some(account_id) => owned(conn, id, account_id)?,
            None => applications::get(conn, id)?,
        };
        match applications::claim_for_edit(conn, id, ctx.now)? {
            Ok(application) => work(conn, &application),
            Err(reason) => {
                if reason == NotEditable::ExpiredNow {
                    found_expired = Some(application.clone());
                }
                Err(not_editable(&application, reason))
            }
        }
    });
    if let Some(application) = found_expired {
        super::expiry::expire_now(state, ctx, &application);
    }
    result
}

/// Withdraws the caller's application (before submission, or while it is
/// back as deficient).
pub fn withdraw(
    state: &Ports,
    ctx: &RequestContext,
    id: &str,
    account_id: &str,
) -> Result<Application, WorkflowError> {
    edit(state, ctx, id, account_id, |conn, application| {
        let payments = kecs_persistence::repo::payments::for_application(conn, id)?;
        application
            .status
            .withdraw(payments.iter().map(|p| p.status))?;
        move_application(conn, application, Transition::Withdraw, ctx.now)?;
        record(conn, ctx, Some(account_id)).audit(
            "application.withdrawn",
            ("application", id),
            json!({"from": application.status.as_str()}),
        )?;
        Ok(applications::get(conn, id)?)
    })
}

/// An application with everything its overview shows.
pub struct ApplicationView {
    pub attachments: Vec<kecs_domain::application::Attachment>,
    pub application: Application,
    pub plan: ApplicationPlan,
    pub overview: Overview,
    pub elements: Vec<Element>,
    /// Once denied (even if the denial was later overturned).
    pub denial: Option<DenialView>,
    /// What specialists returned it for: the open ones first, then those
    /// resolved by earlier resubmissions.
    pub deficiencies: Vec<Deficiency>,
}

/// A denial with what comes next for its applicant on the day it is read
/// (Sec. 14(3)).
pub struct DenialView {
    pub denial: Denial,
    pub next_step: NextStep,
}

impl ApplicationView {
    pub fn element(&self, key: ElementKey) -> Option<&Element> {
        self.elements.iter().find(|e| e.key == key)
    }

    /// The open deficiencies of one element.
    pub fn open_deficiencies(&self, key: ElementKey) -> impl Iterator<Item = &Deficiency> {
        self.deficiencies
            .iter()
            .filter(move |d| d.element == key && d.is_open())
    }
}

/// The plan an application was started with, recomputed from its request
/// types and answers (the plan is a pure function of them).
fn plan_of(application: &Application) -> Result<ApplicationPlan, WorkflowError> {
    plan(&application.request_types, &application.answers).map_err(|errors| {
        WorkflowError::internal(format!(
            "application {} no longer plans: {} errors",
            application.id,
            errors.len()
        ))
    })
}

/// The saved data of each element (Character & Fitness has answers, not
/// element data).
fn element_data(elements: &[Element]) -> BTreeMap<ElementKey, ElementData> {
    elements
        .iter()
        .filter_map(|e| {
            e.data
                .as_ref()
                .and_then(ElementContent::data)
                .map(|d| (e.key, d.clone()))
        })
        .collect()
}

/// Builds the overview: the engine judges every element from its data.
pub(crate) fn view_of(
    conn: &mut DbConnection,
    application: Application,
    now: chrono::NaiveDateTime,
) -> Result<ApplicationView, WorkflowError> {
    let today = now.date();
    let plan = plan_of(&application)?;
    let profile = accounts::profile(conn, &application.account_id)?;
    let elements = applications::elements(conn, &application.id)?;
    let data = element_data(&elements);
    let character_and_fitness_submitted = elements
        .iter()
        .any(|e| e.key == ElementKey::CharacterAndFitness && e.finalized_at.is_some());
    let pending: BTreeSet<ElementKey> = invitations::pending_elements(conn, &application.id, now)?
        .into_iter()
        .filter(|key| {
            elements
                .iter()
                .any(|e| e.key == *key && e.finalized_at.is_none())
        })
        .collect();
    let overview = overview(
        &plan,
        profile.date_of_birth,
        today,
        &data,
        character_and_fitness_submitted,
        &pending,
    );
    let attachments = kecs_persistence::repo::attachments::for_application(conn, &application.id)?;
    // Only a denial leads to these statuses (an overturned one to approved),
    // so no other application pays for the look-up.
    let denial = match application.status {
        ApplicationStatus::Denied | ApplicationStatus::Approved => {
            denials::find(conn, &application.id)?.map(|denial| DenialView {
                next_step: next_step(&denial, today),
                denial,
            })
        }
        _ => None,
    };
    let deficiencies = deficiencies::for_application(conn, &application.id)?;
    Ok(ApplicationView {
        attachments,
        application,
        plan,
        overview,
        elements,
        denial,
        deficiencies,
    })
}

/// Starts an application for `request_types` with `answers`.
pub fn start(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    request_types: &[RequestType],
    answers: &Answers,
) -> Result<ApplicationView, WorkflowError> {
    let plan = plan(request_types, answers).map_err(|errors| {
        let citation = errors.iter().find_map(|e| e.citation);
        let mut fields = FieldErrors::new();
        for error in &errors {
            let message = match &error.citation {
                Some(citation) => format!("{} ({citation})", error.message),
                None => error.message.clone(),
            };
            fields.push(error.field.clone(), message);
        }
        WorkflowError::from(DomainError::InvalidSelection {
            errors: fields,
            citation,
        })
    })?;
    state.db.transaction(|conn| {
        // One start per applicant at a time, so concurrent starts cannot
        // all count the same open applications and overshoot the cap.
        accounts::hold(conn, account_id)?;
        check_open_application_room(
            applications::count_open(conn, account_id)?,
            state.config.max_open_applications,
        )?;
        // The user guide: a valid address and phone, and a confirmed email,
        // before an application can be started.
        accounts::profile(conn, account_id)?.check_ready_to_apply()?;
        let renews_credential_id = super::credentials::check_may_apply(
            conn,
            account_id,
            plan.renewal.then_some(plan.credential),
            ctx.now.date(),
        )?;
        let keys: Vec<ElementKey> = plan.elements.iter().map(|e| e.key).collect();
        let application = applications::insert(
            conn,
            &NewApplication {
                account_id,
                credential: plan.credential,
                renewal: plan.renewal,
                request_types: &plan.request_types,
                answers,
                expires_at: expires_at(ctx.now),
                elements: &keys,
                renews_credential_id: renews_credential_id.as_deref(),
            },
            ctx.now,
        )?;
        if let Some(renewed) = &renews_credential_id
            && keys.contains(&ElementKey::ContinuingEducation)
        {
            prefill_continuing_education(conn, ctx, account_id, &application.id, renewed)?;
        }
        let types: Vec<&str> = plan.request_types.iter().map(|t| t.as_str()).collect();
        record(conn, ctx, Some(account_id)).audit(
            "application.started",
            ("application", &application.id),
            json!({"request_types": types}),
        )?;
        view_of(conn, application, ctx.now)
    })
}

/// Who saved an element kecs filled in itself.
const PREFILLED_BY: &str = "kecs:transcript";

/// Sec. 13(3)(b): a renewal's `continuing_education` element starts with
/// the trainings the renewing trainer attended through kecs since the
/// previous issue date of the credential renewed (their transcript), as a
/// draft the applicant still edits and saves. Trainings given outside kecs,
/// and training for another professional licence (13(3)(b)3), are not
/// known here: the applicant adds them by hand. Nothing is saved when the
/// transcript has nothing to add, so the element starts empty as before.
fn prefill_continuing_education(
    conn: &mut DbConnection,
    ctx: &RequestContext,
    account_id: &str,
    application_id: &str,
    renewed_credential_id: &str,
) -> Result<(), WorkflowError> {
    let previous_issue_date = credentials::get(conn, renewed_credential_id)?.issued_on;
    let ce_hours =
        super::transcripts::continuing_education_since(conn, account_id, previous_issue_date)?;
    if ce_hours.is_empty() {
        return Ok(());
    }
    let content = ElementContent::Data(ElementData::ContinuingEducation {
        issued_on: Some(previous_issue_date),
        ce_hours,
    });
    applications::save_element(
        conn,
        &ElementSave {
            application_id,
            data: &content,
            expected_version: None,
            finalize: false,
            actor: PREFILLED_BY,
            verifier: None,
        },
        ctx.now,
    )?
    .map_err(|refused| {
        WorkflowError::internal(format!(
            "a new element could not be pre-filled: {refused:?}"
        ))
    })?;
    Ok(())
}

/// The caller's application with its overview.
pub fn view(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    id: &str,
) -> Result<ApplicationView, WorkflowError> {
    state.db.read(|conn| {
        let application = owned(conn, id, account_id)?;
        view_of(conn, application, ctx.now)
    })
}

/// The caller's applications, newest first.
pub fn list(
    state: &Ports,
    account_id: &str,
    before: Option<(chrono::NaiveDateTime, String)>,
    limit: i64,
) -> Result<Vec<Application>, WorkflowError> {
    Ok(state
        .db
        .read(|conn| applications::list_owned(conn, account_id, before, limit))?)
}

/// Refuses (404) an element the application does not have.
pub fn require_element(application: &Application, key: ElementKey) -> Result<(), WorkflowError> {
    element_of_plan(&plan_of(application)?, key)
}

fn element_of_plan(plan: &ApplicationPlan, key: ElementKey) -> Result<(), WorkflowError> {
    plan.elements
        .iter()
        .any(|e| e.key == key)
        .then_some(())
        .ok_or(WorkflowError::NotFound)
}

/// Saves one element as the applicant. `if_match` is the version the client
/// read; a stale one is 412.
pub fn save_element(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    id: &str,
    data: &ElementData,
    if_match: Option<i32>,
) -> Result<ApplicationView, WorkflowError> {
    let key = data.key();
    let content = ElementContent::Data(data.clone());
    edit(state, ctx, id, account_id, |conn, application| {
        let plan = plan_of(application)?;
        element_of_plan(&plan, key)?;
        if key.submitted_by() != Submitter::Applicant {
            return Err(DomainError::SubmittedByAnother(key).into());
        }
        let save = ElementSave {
            application_id: id,
            data: &content,
            expected_version: if_match,
            finalize: false,
            actor: account_id,
            verifier: None,
        };
        match applications::save_element(conn, &save, ctx.now)? {
            Ok(_) => {}
            Err(SaveRefused::Stale { current }) => {
                return Err(WorkflowError::Stale { current });
            }
            Err(SaveRefused::Final) => return Err(final_element(key)),
        }
        record(conn, ctx, Some(account_id)).audit(
            "application.element_saved",
            ("application", id),
            json!({"element": key.as_str()}),
        )?;
        let application = applications::get(conn, id)?;
        view_of(conn, application, ctx.now)
    })
}

fn final_element(key: ElementKey) -> WorkflowError {
    DomainError::ElementFinal(key).into()
}

/// Submits Character & Fitness: final once accepted (the guide: "Once you
/// submit the Character and Fitness, it cannot be undone").
pub fn submit_character_and_fitness(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    id: &str,
    answers: &CharacterAndFitnessAnswers,
) -> Result<ApplicationView, WorkflowError> {
    if let Err(errors) = check_character_and_fitness(answers) {
        let mut fields = FieldErrors::new();
        for error in errors {
            fields.push(error.field, error.message);
        }
        return Err(WorkflowError::Invalid(fields));
    }
    let key = ElementKey::CharacterAndFitness;
    let content = ElementContent::CharacterAndFitness(answers.clone());
    edit(state, ctx, id, account_id, |conn, application| {
        element_of_plan(&plan_of(application)?, key)?;
        let save = ElementSave {
            application_id: id,
            data: &content,
            expected_version: None,
            finalize: true,
            actor: account_id,
            verifier: None,
        };
        match applications::save_element(conn, &save, ctx.now)? {
            Ok(_) => {}
            Err(SaveRefused::Final | SaveRefused::Stale { .. }) => return Err(final_element(key)),
        }
        // Only the fact is audited: the answers are personal.
        record(conn, ctx, Some(account_id)).audit(
            "application.character_and_fitness_submitted",
            ("application", id),
            json!({}),
        )?;
        let application = applications::get(conn, id)?;
        view_of(conn, application, ctx.now)
    })
}

/// Who is invited to submit an element.
#[derive(Debug, Clone)]
pub struct Invitee {
    pub name: String,
    pub email: kecs_domain::account::EmailAddress,
}

/// Mails a single-use link to the person who submits element `key` (an
/// employer, a co-trainer, a training coach). A new invitation replaces the
/// element's earlier one.
pub fn invite(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    id: &str,
    key: ElementKey,
    given: Option<Invitee>,
) -> Result<(chrono::NaiveDateTime, Invitee), WorkflowError> {
    let token = crate::workflows::crypto::random_token();
    let sent = edit(state, ctx, id, account_id, |conn, application| {
        let plan = plan_of(application)?;
        element_of_plan(&plan, key)?;
        if key.submitted_by() == Submitter::Applicant {
            return Err(DomainError::SubmittedByApplicant(key).into());
        }
        if applications::element(conn, id, key)?.finalized_at.is_some() {
            return Err(final_element(key));
        }
        let invitee = match given.clone() {
            Some(invitee) => invitee,
            None => named_invitee(conn, id, key)?,
        };
        // The account has one address (a change of email replaces it), so
        // that is every address of the applicant.
        let own = accounts::get(conn, account_id)?;
        check_invitee_is_not_applicant(key, &invitee.email, [own.email.as_str()])?;
        let invitee = &invitee;
        let expires_at = invitation_expires_at(ctx.now, application.status, application.expires_at);
        invitations::issue(
            conn,
            &NewInvitation {
                application_id: id,
                element_key: key,
                name: &invitee.name,
                email: invitee.email.as_str(),
                token_hash: &crate::workflows::crypto::token_hash(&token),
                expires_at,
            },
            ctx.now,
        )?;
        let profile = accounts::profile(conn, account_id)?;
        let applicant = format!("{} {}", profile.first_name, profile.last_name);
        let mail = super::mail_templates::element_invitation(
            &state.config.public_url,
            &invitee.name,
            &applicant,
            key.title(),
            &token,
        );
        enqueue_mail(conn, invitee.email.as_str(), &mail, ctx.now)?;
        record(conn, ctx, Some(account_id)).audit(
            "application.element_invitation_sent",
            ("application", id),
            json!({"element": key.as_str()}),
        )?;
        Ok((expires_at, invitee.clone()))
    })?;
    state.outbox_signal.notify_one();
    Ok(sent)
}

/// Whom the applicant already named for `key` (the employer in
/// `experience`, the co-trainer, the coach), when no one else is given.
fn named_invitee(
    conn: &mut DbConnection,
    id: &str,
    key: ElementKey,
) -> Result<Invitee, WorkflowError> {
    let unnamed = || {
        let mut errors = kecs_domain::validation::FieldErrors::new();
        let hint = match ThirdParty::named_in(key) {
            Some(named_in) if named_in != key => format!(
                "is required: name who submits this element in `{}` first, or send name and email",
                named_in.as_str()
            ),
            _ => "is required: send the name and email of who submits this element".to_owned(),
        };
        errors.push("name", hint.clone());
        errors.push("email", hint);
        WorkflowError::Invalid(errors)
    };
    let Some(named_in) = ThirdParty::named_in(key) else {
        return Err(unnamed());
    };
    let element = applications::element(conn, id, named_in)?;
    let Some(ElementContent::Data(data)) = &element.data else {
        return Err(unnamed());
    };
    let party = ThirdParty::named_by(data).ok_or_else(unnamed)?;
    let email = kecs_domain::account::EmailAddress::parse(&party.email)
        .map_err(|e| WorkflowError::field("email", e.0))?;
    Ok(Invitee {
        name: party.name.trim().to_owned(),
        email,
    })
}

/// The live invitation of `token` for exactly this application and element.
/// Anything else is a 404, so a token reveals nothing beyond its element.
/// The invitation of a mailed link's token: a token no link ever carried
/// authenticates nobody (401).
fn mailed_invitation(conn: &mut DbConnection, token: &str) -> Result<Invitation, WorkflowError> {
    invitations::find(conn, &crate::workflows::crypto::token_hash(token))?.ok_or(
        WorkflowError::Unauthorized("the Invitation-Token is not one of a mailed link"),
    )
}

fn invitation_for(
    conn: &mut DbConnection,
    token: &str,
    id: &str,
    key: ElementKey,
    now: chrono::NaiveDateTime,
) -> Result<Invitation, WorkflowError> {
    // A real token shown for another element opens nothing there (404).
    let invitation = mailed_invitation(conn, token)?;
    if invitation.application_id != id || invitation.element_key != key {
        return Err(WorkflowError::NotFound);
    }
    invitation.check_usable(now)?;
    Ok(invitation)
}

/// The application and element a mailed link's token is for, while the
/// link can still be used: the third party's page knows only the token.
pub fn invitation_target(
    state: &Ports,
    ctx: &RequestContext,
    token: &str,
) -> Result<(String, ElementKey), WorkflowError> {
    state.db.read(|conn| {
        let invitation = mailed_invitation(conn, token)?;
        invitation.check_usable(ctx.now)?;
        Ok((invitation.application_id, invitation.element_key))
    })
}

/// Checks an invitation before its body is even read, so a token opens
/// nothing but its own element.
pub fn invitee_check(
    state: &Ports,
    ctx: &RequestContext,
    token: &str,
    id: &str,
    key: ElementKey,
) -> Result<(), WorkflowError> {
    state
        .db
        .read(|conn| invitation_for(conn, token, id, key, ctx.now).map(drop))
}

/// What an invited third party sees: the element, and whose it is.
pub fn invitee_view(
    state: &Ports,
    ctx: &RequestContext,
    token: &str,
    id: &str,
    key: ElementKey,
) -> Result<(ApplicationView, String), WorkflowError> {
    state.db.read(|conn| {
        invitation_for(conn, token, id, key, ctx.now)?;
        let application = applications::get(conn, id)?;
        let applicant = applicant_name(conn, &application)?;
        Ok((view_of(conn, application, ctx.now)?, applicant))
    })
}

fn applicant_name(
    conn: &mut DbConnection,
    application: &Application,
) -> Result<String, WorkflowError> {
    let account = accounts::get(conn, &application.account_id)?;
    let person = people::get(conn, account.person_id.as_deref().unwrap_or_default())?;
    Ok(format!("{} {}", person.first_name, person.last_name))
}

/// The third party submits the element: it becomes final and the link is
/// used up, in one transaction.
pub fn invitee_submit(
    state: &Ports,
    ctx: &RequestContext,
    token: &str,
    id: &str,
    data: &ElementData,
) -> Result<(ApplicationView, String), WorkflowError> {
    let key = data.key();
    let content = ElementContent::Data(data.clone());
    let result = edit_as(state, ctx, id, None, |conn, application| {
        let invitation = invitation_for(conn, token, id, key, ctx.now)?;
        if !invitations::consume(conn, &invitation.id, ctx.now)? {
            return Err(WorkflowError::from(DomainError::InvitationUsed));
        }
        let actor = format!("third_party:{}", invitation.email);
        // Who verified it and from where, for the reviewing specialist; a
        // name the form itself carries (`verifier_name`) stays in its data.
        let verifier = Verifier {
            name: invitation.name.clone(),
            email: invitation.email.clone(),
            from_address: ctx.client_address.clone(),
        };
        let save = ElementSave {
            application_id: id,
            data: &content,
            expected_version: None,
            finalize: true,
            actor: &actor,
            verifier: Some(&verifier),
        };
        if applications::save_element(conn, &save, ctx.now)?.is_err() {
            return Err(final_element(key));
        }
        record(conn, ctx, None)
            .tell(
                &application.account_id,
                &super::mail_templates::element_submitted(key.title(), &invitation.name),
            )?
            .audit(
                "application.element_submitted_by_third_party",
                ("application", id),
                json!({"element": key.as_str(), "submitted_by": key.submitted_by().as_str()}),
            )?;
        let application = applications::get(conn, id)?;
        let applicant = applicant_name(conn, &application)?;
        let view = view_of(conn, application, ctx.now)?;
        // A submission is final, so it must be whole: an incomplete one is
        // refused (and rolled back) without using the link up.
        if let Some(element) = view
            .overview
            .elements
            .iter()
            .find(|e| e.key == key && e.status != ElementStatus::Complete)
        {
            let mut errors = FieldErrors::new();
            // Each named by the field that would supply it, so a form can
            // show it there; by its rule when no one field does.
            for missing in &element.missing {
                if missing.fields.is_empty() {
                    errors.push(missing.rule, missing.message.clone());
                }
                for field in &missing.fields {
                    errors.push(*field, missing.message.clone());
                }
            }
            return Err(DomainError::ElementIncomplete {
                title: element.title,
                errors,
            }
            .into());
        }
        Ok((view, applicant))
    })?;
    state.outbox_signal.notify_one();
    Ok(result)
}

/// The qualifications the applicant has on file: what their most recent
/// application records (that is where qualifications are entered), judged
/// as of `now`; before any application, the date of birth alone.
pub fn on_file(
    state: &Ports,
    account_id: &str,
    now: chrono::NaiveDateTime,
) -> Result<kecs_domain::rules::Qualifications, WorkflowError> {
    state.db.read(|conn| {
        let profile = accounts::profile(conn, account_id)?;
        let today = now.date();
        let Some(latest) = applications::list_owned(conn, account_id, None, 1)?
            .into_iter()
            .next()
        else {
            return Ok(kecs_domain::rules::Qualifications::nothing_held(
                profile.date_of_birth,
                today,
            ));
        };
        let plan = plan_of(&latest)?;
        let data = element_data(&applications::elements(conn, &latest.id)?);
        Ok(kecs_domain::application::qualifications(
            &plan,
            profile.date_of_birth,
            today,
            &data,
        ))
    })
}

/// Returns an application under review to the applicant as deficient, with
/// what each named element lacks. The Character & Fitness answers are
/// cleared and must be entered again (the user guide: "deficient
/// applications will require re-entry of Character and Fitness
/// selections"). The deficiencies are kept, open until a resubmission that
/// saved each cited element again. The review routes that call this come
/// with review.
pub fn return_as_deficient(
    state: &Ports,
    ctx: &RequestContext,
    reviewer_id: &str,
    id: &str,
    deficiencies: &[(ElementKey, String)],
) -> Result<Application, WorkflowError> {
    let application = state.change(|conn| {
        let application = applications::get(conn, id)?;
        let returned = application.status.return_as_deficient(
            &plan_of(&application)?,
            deficiencies.iter().map(|(key, _)| *key),
        )?;
        move_application(conn, &application, Transition::ReturnAsDeficient, ctx.now)?;
        for key in returned.re_enter {
            applications::clear_element(conn, id, key, ctx.now)?;
        }
        for key in returned.reopen {
            applications::reopen_element(conn, id, key)?;
        }
        deficiencies::insert(conn, id, deficiencies, Some(reviewer_id), ctx.now)?;
        let listed: Vec<(String, String)> = deficiencies
            .iter()
            .map(|(key, message)| (key.title().to_owned(), message.clone()))
            .collect();
        mail_account(
            conn,
            &application.account_id,
            &super::mail_templates::returned_as_deficient(id, &listed),
            ctx.now,
        )?;
        let details: Vec<serde_json::Value> = deficiencies
            .iter()
            .map(|(key, message)| json!({"element": key.as_str(), "message": message}))
            .collect();
        record(conn, ctx, Some(reviewer_id)).audit(
            "application.returned_as_deficient",
            ("application", id),
            json!({"deficiencies": details}),
        )?;
        Ok::<_, WorkflowError>(applications::get(conn, id)?)
    })?;
    Ok(application)
}

/// Refuses (409 listing them) while a required element is incomplete.
pub fn plan_view_ready(
    conn: &mut DbConnection,
    application: &Application,
    now: chrono::NaiveDateTime,
) -> Result<(), WorkflowError> {
    let view = view_of(conn, application.clone(), now)?;
    if view.overview.ready_for_payment {
        return Ok(());
    }
    let mut missing = FieldErrors::new();
    for element in view
        .overview
        .elements
        .iter()
        .filter(|e| e.required && e.status != ElementStatus::Complete)
    {
        missing.push(
            format!("elements.{}", element.key.as_str()),
            format!(
                "{} is {}",
                element.title,
                element.status.as_str().replace('_', " ")
            ),
        );
    }
    Err(DomainError::ApplicationIncomplete(missing).into())
}
