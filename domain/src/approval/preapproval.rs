//! An application for preapproval of a training event (Sec. 16): DCC-201
//! for a conference, seminar, institute, independent study or workshop,
//! DCC-201a for an online training.
//!
//! The life of one: a sponsor's representative drafts it, attaches each
//! uncredentialed presenter's résumé and submits it (received: the
//! cabinet's ten working days start); a specialist may ask for information
//! (the clock stops until the sponsor answers), then approves or denies it;
//! a denial may be reviewed as a credential's is (Sec. 16(9) → 14(3)).

use chrono::{NaiveDate, NaiveDateTime};

use super::presenter::Presenter;
use crate::application::Denial;
use crate::rules::Unmet;
use crate::rules::citation::sec;
use crate::rules::preapproval::{
    EventKind, check_event_preapproval_application, event_preapproval_decision_due_with_pauses,
    online_training_approval_expires_on, preapproval_required,
};
use crate::training::EventPlan;
use crate::validation::{FieldErrors, Invalid};

/// The form of Sec. 16(3) an event is put up on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Conference, seminar, institute, independent study or workshop.
    Dcc201,
    /// Online training.
    Dcc201a,
}

impl Form {
    pub fn of(kind: EventKind) -> Self {
        if kind == EventKind::OnlineTraining {
            Form::Dcc201a
        } else {
            Form::Dcc201
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Form::Dcc201 => "DCC-201",
            Form::Dcc201a => "DCC-201a",
        }
    }
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreapprovalStatus {
    /// Being written by the sponsor; résumés may be attached.
    Draft,
    /// Received complete: the cabinet's ten working days run.
    Submitted,
    /// The cabinet asked for information: the clock stops.
    InformationRequested,
    Approved,
    Denied,
}

impl PreapprovalStatus {
    pub const ALL: [PreapprovalStatus; 5] = [
        PreapprovalStatus::Draft,
        PreapprovalStatus::Submitted,
        PreapprovalStatus::InformationRequested,
        PreapprovalStatus::Approved,
        PreapprovalStatus::Denied,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            PreapprovalStatus::Draft => "draft",
            PreapprovalStatus::Submitted => "submitted",
            PreapprovalStatus::InformationRequested => "information_requested",
            PreapprovalStatus::Approved => "approved",
            PreapprovalStatus::Denied => "denied",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| Invalid::new("is not a status of an application for preapproval"))
    }

    /// The status a move leads to from this one, or `None` where it is not
    /// possible now.
    pub fn apply(self, step: Step) -> Option<Self> {
        use PreapprovalStatus as S;
        match (self, step) {
            (S::Draft, Step::Submit) => Some(S::Submitted),
            (S::Submitted, Step::RequestInformation) => Some(S::InformationRequested),
            (S::InformationRequested, Step::Answer) => Some(S::Submitted),
            (S::Submitted, Step::Approve) => Some(S::Approved),
            (S::Submitted, Step::Deny) => Some(S::Denied),
            (S::Denied, Step::OverturnDenial) => Some(S::Approved),
            _ => None,
        }
    }
}

/// The moves of an application's state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Submit,
    RequestInformation,
    Answer,
    Approve,
    Deny,
    /// The written order of a review overturned the denial (Sec. 14(3)(c)).
    OverturnDenial,
}

impl Step {
    pub const fn as_str(self) -> &'static str {
        match self {
            Step::Submit => "submit",
            Step::RequestInformation => "request information",
            Step::Answer => "answer",
            Step::Approve => "approve",
            Step::Deny => "deny",
            Step::OverturnDenial => "overturn the denial",
        }
    }
}

/// The cabinet's request for missing information and the sponsor's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InformationRequest {
    pub requested_at: NaiveDateTime,
    pub message: String,
    pub answered_at: Option<NaiveDateTime>,
    pub answer: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Preapproval {
    pub id: String,
    pub sponsor_id: String,
    pub sponsor_name: String,
    pub kind: EventKind,
    /// The event as applied for; `plan.sponsor` is the sponsor's name.
    pub plan: EventPlan,
    pub presenters: Vec<Presenter>,
    pub status: PreapprovalStatus,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    /// The day the complete application was received (submitted).
    pub received_on: Option<NaiveDate>,
    pub information_requests: Vec<InformationRequest>,
    /// As stored when the clock last moved (holidays known then).
    pub decision_due_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    /// The specialist's note on an approval.
    pub approval_note: Option<String>,
    /// Sec. 16(7): the day an online training's approval ceases.
    pub approval_expires_on: Option<NaiveDate>,
    pub denial: Option<Denial>,
}

impl Preapproval {
    pub fn form(&self) -> Form {
        Form::of(self.kind)
    }

    /// Sec. 16(2) with the clock stopped while information is requested:
    /// `None` before receipt and while a request is unanswered.
    pub fn decision_due(&self, holidays: &[NaiveDate]) -> Option<NaiveDate> {
        let received_on = self.received_on?;
        let pauses: Vec<(NaiveDate, Option<NaiveDate>)> = self
            .information_requests
            .iter()
            .map(|r| (r.requested_at.date(), r.answered_at.map(|a| a.date())))
            .collect();
        event_preapproval_decision_due_with_pauses(received_on, &pauses, holidays)
    }

    /// Undecided past its due date on `today`.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.status == PreapprovalStatus::Submitted
            && self.decision_due_on.is_some_and(|due| due < today)
    }

    /// The day an approval given on `approved_on` ceases (Sec. 16(7)):
    /// online trainings only; other events are approved for their days.
    pub fn expiry_if_approved_on(&self, approved_on: NaiveDate) -> Option<NaiveDate> {
        (self.kind == EventKind::OnlineTraining)
            .then(|| online_training_approval_expires_on(approved_on))
    }

    /// On the public list of Sec. 17(3) on `today`: approved, and for an
    /// online training not yet expired (16(7)), for any other event not yet
    /// over.
    pub fn listed_on(&self, today: NaiveDate) -> bool {
        if self.status != PreapprovalStatus::Approved {
            return false;
        }
        match self.approval_expires_on {
            Some(expires_on) => today < expires_on,
            None => today <= self.plan.ends_on,
        }
    }
}

/// An approved training as the public list shows it (Sec. 17(3)): the event
/// and its sponsoring organisation, never a person.
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovedTraining {
    pub id: String,
    pub kind: EventKind,
    pub plan: EventPlan,
    pub sponsor_name: String,
    /// The day of the approval, or of the written order that overturned a
    /// denial.
    pub approved_on: NaiveDate,
    /// Sec. 16(7): online trainings only.
    pub expires_on: Option<NaiveDate>,
}

impl ApprovedTraining {
    pub fn form(&self) -> Form {
        Form::of(self.kind)
    }
}

/// Every rule that keeps the application from being received on `today`,
/// each under its field: the sponsor's bar (16(10)), the thirty days
/// (16(2)), whether preapproval is needed at all (16(1), (11)), and each
/// uncredentialed presenter's date of birth and résumé (16(4)). The five
/// events a year (16(6)) are counted where they are kept, under
/// `presenters[i]`.
pub fn check_submission(
    preapproval: &Preapproval,
    sponsor_bar: Result<(), Unmet>,
    today: NaiveDate,
) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if let Err(unmet) = sponsor_bar {
        errors.push_unmet("sponsor_id", &unmet);
    }
    if let Err(unmet) = check_event_preapproval_application(preapproval.plan.starts_on, today) {
        errors.push_unmet("starts_on", &unmet);
    }
    let everyone_credentialed = preapproval
        .presenters
        .iter()
        .all(Presenter::holds_credential);
    if !preapproval_required(preapproval.kind, everyone_credentialed) {
        errors.push_unmet(
            "presenters",
            &Unmet::new(
                "sec16_1_preapproval_not_required",
                sec(16, "(1)"),
                "Every presenter holds a current trainer's credential and the event is not an \
                 independent study: it needs no preapproval; the lead trainer records it as a \
                 training event.",
            ),
        );
    }
    for (index, presenter) in preapproval.presenters.iter().enumerate() {
        if presenter.holds_credential() {
            continue;
        }
        if presenter.resume.is_none() {
            errors.push_unmet(
                format!("presenters[{index}].resume"),
                &Unmet::new(
                    "sec16_4_b_resume_attached",
                    sec(16, "(4)(b)"),
                    format!(
                        "Attach a resume or vita for {}, who does not hold a trainer's \
                         credential.",
                        presenter.full_name()
                    ),
                ),
            );
        }
    }
    errors
}

/// Sec. 16(6) as counted where the applications are kept: the unmet rule
/// for a presenter already named on five applications made in `year`.
pub fn presenter_limit_reached(presenter: &Presenter, year: i32) -> Unmet {
    Unmet::new(
        "sec16_6_five_events_per_calendar_year",
        sec(16, "(6)"),
        format!(
            "{} does not hold a trainer's credential and is already named on 5 applications \
             for preapproval in {year}, the most a calendar year allows.",
            presenter.full_name()
        ),
    )
}

/// Sec. 16(7): attendance taken after an online training's approval
/// expired does not count.
pub fn online_approval_expired(expires_on: NaiveDate) -> Unmet {
    Unmet::new(
        "sec16_7_online_approval_expired",
        sec(16, "(7)"),
        format!(
            "The approval of this online training expired on {expires_on}; attendance after it \
             does not count."
        ),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::approval::Resume;
    use crate::rules::ClockHours;
    use crate::rules::training::Delivery;
    use std::collections::BTreeSet;

    fn day(raw: &str) -> NaiveDate {
        raw.parse().unwrap()
    }

    fn presenter(credential: Option<&str>, resume: bool) -> Presenter {
        Presenter {
            position: 1,
            first_name: "Pat".into(),
            last_name: "Lee".into(),
            email: "pat@example.org".into(),
            date_of_birth: Some(day("1980-01-01")),
            credential_number: credential.map(str::to_owned),
            resume: resume.then(|| Resume {
                file_name: "cv.pdf".into(),
                content_type: "application/pdf".into(),
                size_bytes: 10,
                storage_key: "k".into(),
                uploaded_at: day("2026-01-01").and_hms_opt(0, 0, 0).unwrap(),
            }),
        }
    }

    fn application(kind: EventKind, starts_on: &str, presenters: Vec<Presenter>) -> Preapproval {
        Preapproval {
            id: "p".into(),
            sponsor_id: "s".into(),
            sponsor_name: "Council".into(),
            kind,
            plan: EventPlan {
                title: "Infant sleep".into(),
                sponsor: "Council".into(),
                starts_on: day(starts_on),
                ends_on: day(starts_on),
                length: ClockHours::from_minutes(120),
                delivery: Delivery {
                    face_to_face: true,
                    synchronous: false,
                    modes: BTreeSet::new(),
                    interactive: false,
                    gauges_participation: false,
                },
                topics: BTreeSet::new(),
                purposes: BTreeSet::new(),
                within_area_of_expertise: false,
                county: None,
            },
            presenters,
            status: PreapprovalStatus::Draft,
            created_by: "a".into(),
            created_at: day("2026-01-01").and_hms_opt(0, 0, 0).unwrap(),
            received_on: None,
            information_requests: vec![],
            decision_due_on: None,
            decided_on: None,
            approval_note: None,
            approval_expires_on: None,
            denial: None,
        }
    }

    fn rules(errors: &FieldErrors) -> Vec<String> {
        errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect()
    }

    #[test]
    fn a_submission_is_checked_for_every_rule_at_once() {
        // (what, kind, starts_on, presenters, barred, fields refused)
        type Case = (
            &'static str,
            EventKind,
            &'static str,
            Vec<Presenter>,
            bool,
            Vec<&'static str>,
        );
        let cases: Vec<Case> = vec![
            (
                "16(2) 31 days ahead",
                EventKind::Workshop,
                "2026-03-03",
                vec![presenter(None, true)],
                false,
                vec![],
            ),
            (
                "16(2) 30 days ahead",
                EventKind::Workshop,
                "2026-03-02",
                vec![presenter(None, true)],
                false,
                vec![],
            ),
            (
                "16(2) 29 days ahead",
                EventKind::Workshop,
                "2026-03-01",
                vec![presenter(None, true)],
                false,
                vec!["starts_on"],
            ),
            (
                "16(4)(b) no resume",
                EventKind::Workshop,
                "2026-03-03",
                vec![presenter(None, false)],
                false,
                vec!["presenters[0].resume"],
            ),
            (
                "16(1) credentialed presenter",
                EventKind::Workshop,
                "2026-03-03",
                vec![presenter(Some("KYT-1"), false)],
                false,
                vec!["presenters"],
            ),
            (
                "16(11) independent study",
                EventKind::IndependentStudy,
                "2026-03-03",
                vec![presenter(Some("KYT-1"), false)],
                false,
                vec![],
            ),
            (
                "16(10) barred",
                EventKind::Workshop,
                "2026-03-03",
                vec![presenter(None, true)],
                true,
                vec!["sponsor_id"],
            ),
            (
                "all at once",
                EventKind::Workshop,
                "2026-02-10",
                vec![presenter(None, false)],
                true,
                vec!["sponsor_id", "starts_on", "presenters[0].resume"],
            ),
        ];
        for (what, kind, starts_on, presenters, barred, expected) in cases {
            let bar = if barred {
                Err(Unmet::new(
                    "sec16_10_sponsor_barred_two_years",
                    sec(16, "(10)"),
                    "barred",
                ))
            } else {
                Ok(())
            };
            let errors = check_submission(
                &application(kind, starts_on, presenters),
                bar,
                day("2026-01-31"),
            );
            let fields: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
            assert_eq!(fields, expected, "{what}: {:?}", rules(&errors));
        }
    }

    #[test]
    fn the_state_machine_moves_only_where_the_regulation_lets_it() {
        use PreapprovalStatus as S;
        assert_eq!(S::Draft.apply(Step::Submit), Some(S::Submitted));
        assert_eq!(
            S::Submitted.apply(Step::RequestInformation),
            Some(S::InformationRequested)
        );
        assert_eq!(
            S::InformationRequested.apply(Step::Answer),
            Some(S::Submitted)
        );
        assert_eq!(S::InformationRequested.apply(Step::Approve), None);
        assert_eq!(S::Draft.apply(Step::Approve), None);
        assert_eq!(S::Approved.apply(Step::Deny), None);
        assert_eq!(S::Denied.apply(Step::OverturnDenial), Some(S::Approved));
        for status in S::ALL {
            assert_eq!(S::parse(status.as_str()), Ok(status));
        }
    }

    #[test]
    fn an_online_approval_is_listed_until_the_day_before_its_second_anniversary() {
        let mut online = application(EventKind::OnlineTraining, "2026-03-03", vec![]);
        online.status = PreapprovalStatus::Approved;
        online.approval_expires_on = online.expiry_if_approved_on(day("2026-02-01"));
        assert_eq!(online.approval_expires_on, Some(day("2028-02-01")));
        assert!(online.listed_on(day("2028-01-31")));
        assert!(!online.listed_on(day("2028-02-01")));
        let mut workshop = application(EventKind::Workshop, "2026-03-03", vec![]);
        workshop.status = PreapprovalStatus::Approved;
        workshop.approval_expires_on = workshop.expiry_if_approved_on(day("2026-02-01"));
        assert_eq!(workshop.approval_expires_on, None);
        assert!(workshop.listed_on(day("2026-03-03")));
        assert!(!workshop.listed_on(day("2026-03-04")));
    }

    #[test]
    fn the_decision_clock_waits_for_an_answer() {
        let mut p = application(EventKind::Workshop, "2026-03-03", vec![]);
        p.status = PreapprovalStatus::Submitted;
        // Friday 2026-01-02: ten working days end Friday 2026-01-16.
        p.received_on = Some(day("2026-01-02"));
        assert_eq!(p.decision_due(&[]), Some(day("2026-01-16")));
        p.information_requests.push(InformationRequest {
            requested_at: day("2026-01-05").and_hms_opt(9, 0, 0).unwrap(),
            message: "?".into(),
            answered_at: None,
            answer: None,
        });
        assert_eq!(p.decision_due(&[]), None);
        // Answered Thursday the 8th: Tue-Thu do not count, three working days later.
        p.information_requests[0].answered_at =
            Some(day("2026-01-08").and_hms_opt(9, 0, 0).unwrap());
        assert_eq!(p.decision_due(&[]), Some(day("2026-01-21")));
    }
}
