//! A trainee's transcript: the trainings whose roster rows matched their
//! person on record, with the hours by core content area and by year
//! (`kecs_domain::transcript`); and the continuing education it documents
//! for a trainer's renewal (Sec. 13(3)(b)).

use super::pdf::{self, BODY_SIZE};
use super::training_certificates::person_of;
use crate::workflows::{Ports, WorkflowError};
use chrono::NaiveDate;
use kecs_domain::rules::CeEntry;
use kecs_domain::transcript::Transcript;
use kecs_persistence::DbConnection;
use kecs_persistence::repo::{accounts, training_certificates};

/// The trainings of an account's person; empty for an account without one.
pub(crate) fn transcript_of(
    conn: &mut DbConnection,
    account_id: &str,
) -> Result<Transcript, WorkflowError> {
    let entries = match person_of(conn, account_id)? {
        Some(person) => training_certificates::transcript_entries(conn, &person)?,
        None => Vec::new(),
    };
    Ok(Transcript::of(entries))
}

/// The caller's transcript, with their name as on their profile.
pub fn my_transcript(
    state: &Ports,
    account_id: &str,
) -> Result<(String, Transcript), WorkflowError> {
    state.db.read(|conn| {
        let profile = accounts::profile(conn, account_id)?;
        let name = format!("{} {}", profile.first_name, profile.last_name);
        Ok((name, transcript_of(conn, account_id)?))
    })
}

/// Sec. 13(3)(b): what the trainings given through kecs document since the
/// previous issue date of the credential being renewed. Trainings given
/// outside kecs (and training for another professional licence, 13(3)(b)3)
/// are not known here; the applicant adds them by hand.
pub(crate) fn continuing_education_since(
    conn: &mut DbConnection,
    account_id: &str,
    previous_issue_date: NaiveDate,
) -> Result<Vec<CeEntry>, WorkflowError> {
    Ok(transcript_of(conn, account_id)?.continuing_education_since(previous_issue_date))
}

/// The transcript as a PDF: each training, then the sums.
pub fn transcript_pdf(name: &str, transcript: &Transcript, today: NaiveDate) -> Vec<u8> {
    let mut lines = vec![
        (18.0, "Transcript of Training".to_owned()),
        (
            BODY_SIZE,
            "Kentucky Early Care and Education training, 922 KAR 2:240".to_owned(),
        ),
        (BODY_SIZE, format!("Trainee: {name}")),
        (BODY_SIZE, format!("As of {today}")),
        (BODY_SIZE, String::new()),
    ];
    if transcript.entries.is_empty() {
        lines.push((BODY_SIZE, "No trainings on record.".to_owned()));
    }
    for entry in &transcript.entries {
        let areas: Vec<&str> = entry.core_content_areas.iter().map(|a| a.title()).collect();
        lines.push((
            BODY_SIZE,
            format!(
                "{} to {}: {} ({}), {} clock hours; {}; certificate {}",
                entry.starts_on,
                entry.ends_on,
                entry.training_name,
                entry.sponsoring_organization,
                entry.clock_hours,
                if areas.is_empty() {
                    "no core content area".to_owned()
                } else {
                    areas.join("; ")
                },
                entry
                    .certificate_number
                    .as_deref()
                    .unwrap_or("not yet issued"),
            ),
        ));
    }
    lines.push((BODY_SIZE, String::new()));
    lines.push((
        BODY_SIZE,
        format!("Total clock hours: {}", transcript.total),
    ));
    for (area, hours) in &transcript.by_content_area {
        lines.push((BODY_SIZE, format!("{}: {hours} clock hours", area.title())));
    }
    for (year, hours) in &transcript.by_year {
        lines.push((BODY_SIZE, format!("{year}: {hours} clock hours")));
    }
    pdf::render("Transcript of Training", name, &lines)
}
