//! People on record for a fresh install, as an earlier licensing system
//! would have left them: known to the cabinet, without an account, ready to
//! be found by account search and claimed.

use super::RequestContext;
use crate::workflows::Ports;
use crate::workflows::WorkflowError;
use kecs_domain::account::{DateOfBirth, EmailAddress, Password, PersonName, Ssn, Username};
use kecs_domain::application::{
    Answers, ApplicationStatus, CHARACTER_AND_FITNESS_QUESTIONS, CharacterAndFitnessAnswer,
    CharacterAndFitnessAnswers, ElementContent, ElementData, ElementKey, RequestType, ThirdParty,
    expires_at, plan,
};
use kecs_domain::credential::award;
use kecs_domain::rules::{ClockHours, ExperienceYears, Level, Topic};
use kecs_persistence::repo::{accounts, applications, bulk, credentials, people};

/// (first, middle, last, date of birth, SSN). The SSNs are ones the SSA has
/// publicly retired from use (advertising and wallet-insert numbers).
pub const DEMO_PEOPLE: &[(&str, Option<&str>, &str, &str, &str)] = &[
    ("End", Some("D"), "User", "1947-03-01", "078-05-1120"),
    ("Mary-Jo", None, "O'Neil", "1985-07-14", "219-09-9999"),
    ("Jordan", Some("Lee"), "Smith", "1990-11-02", "457-55-5462"),
];

/// Records each demo person not yet on record; returns how many were added.
pub fn seed_people(state: &Ports) -> Result<usize, WorkflowError> {
    let ctx = RequestContext::detached();
    let mut added = 0;
    for (first, middle, last, dob, ssn) in DEMO_PEOPLE {
        let invalid = |e: kecs_domain::validation::Invalid| {
            WorkflowError::internal(format!("demo person {first} {last}: {e}"))
        };
        let first_name = PersonName::parse(first).map_err(invalid)?;
        let middle_name = middle.map(PersonName::parse).transpose().map_err(invalid)?;
        let last_name = PersonName::parse(last).map_err(invalid)?;
        let date_of_birth = DateOfBirth::parse(dob, ctx.now.date()).map_err(invalid)?;
        let ssn = Ssn::parse(ssn).map_err(invalid)?;
        let ssn_hash = state.vault.ssn_hash(&ssn);
        let ssn_ciphertext = state.vault.encrypt(&ssn).map_err(WorkflowError::internal)?;
        let inserted = state.db.transaction(|conn| {
            if people::find_by_ssn_hash(conn, &ssn_hash)?.is_some() {
                return Ok::<_, WorkflowError>(false);
            }
            people::insert(
                conn,
                &people::NewPerson {
                    first_name: &first_name,
                    middle_name: middle_name.as_ref(),
                    last_name: &last_name,
                    date_of_birth: date_of_birth.date(),
                    ssn_ciphertext,
                    ssn_hash: ssn_hash.clone(),
                    ssn_last4_hash: state.vault.last4_hash(&ssn.last4()),
                },
                ctx.now,
            )?;
            Ok(true)
        })?;
        added += usize::from(inserted);
    }
    Ok(added)
}

/// The demo trainer's username: an account holding a current Level 3
/// credential, so that training events, attendance and certificates can be
/// tried (and benchmarked) on a fresh install. Its password is
/// [`DEMO_PASSWORD`].
pub const DEMO_TRAINER: &str = "trainer-demo";

/// Records the demo trainer (account, person on record, and a Level 3
/// credential issued a year ago, so current: Sec. 11(3)) unless it exists;
/// returns its credential number when it was added now.
pub fn seed_trainer(state: &Ports) -> Result<Option<String>, WorkflowError> {
    let ctx = RequestContext::detached();
    let now = ctx.now;
    let invalid =
        |e: kecs_domain::validation::Invalid| WorkflowError::internal(format!("demo trainer: {e}"));
    let username = Username::parse(DEMO_TRAINER).map_err(invalid)?;
    if state
        .db
        .read(|conn| {
            accounts::find_by_username_key(conn, &username.key()).map_err(WorkflowError::from)
        })?
        .is_some()
    {
        return Ok(None);
    }
    let ssn = Ssn::parse("301-12-3456").map_err(invalid)?;
    let trainer = bulk::Applicant {
        first_name: PersonName::parse("Dana").map_err(invalid)?,
        last_name: PersonName::parse("Whitaker").map_err(invalid)?,
        date_of_birth: chrono::NaiveDate::from_ymd_opt(1980, 4, 12).unwrap_or_default(),
        ssn_ciphertext: state.vault.encrypt(&ssn).map_err(WorkflowError::internal)?,
        ssn_hash: state.vault.ssn_hash(&ssn),
        ssn_last4_hash: state.vault.last4_hash(&ssn.last4()),
        username,
        email: EmailAddress::parse("trainer-demo@example.org").map_err(invalid)?,
    };
    let password_hash = state
        .passwords
        .hash(&Password::parse(DEMO_PASSWORD).map_err(invalid)?)?;
    let issued_on = now.date() - chrono::Duration::days(365);
    let credential = state.db.transaction(|conn| {
        let account =
            bulk::insert_applicants(conn, std::slice::from_ref(&trainer), &password_hash, now)?
                .pop()
                .ok_or_else(|| WorkflowError::internal("demo trainer: no account id"))?;
        let approved = applications::insert(
            conn,
            &applications::NewApplication {
                account_id: &account,
                credential: Level::Level3,
                renewal: false,
                request_types: &[],
                answers: &Answers::default(),
                expires_at: now,
                elements: &[],
                renews_credential_id: None,
            },
            now,
        )?;
        applications::change_status(
            conn,
            &approved.id,
            ApplicationStatus::InProgress,
            ApplicationStatus::Approved,
            now,
        )?;
        Ok::<_, WorkflowError>(credentials::issue(
            conn,
            &account,
            &approved.id,
            &award(Level::Level3, issued_on),
            &credentials::Holder {
                display_name: "Dana Whitaker",
                first_name_key: &trainer.first_name.key(),
                last_name_key: &trainer.last_name.key(),
            },
            None,
            now,
        )?)
    })?;
    Ok(Some(credential.number))
}

/// How much demo data `kecs seed-demo --accounts N --applications M` adds.
#[derive(Debug, Clone, Copy, Default)]
pub struct BulkSize {
    pub accounts: usize,
    pub applications: usize,
    /// Every application in progress, started over the last 180 days, so
    /// about half are past their 90 days: a backlog for the expiry sweep.
    /// Without element rows (the sweep never reads them), so a million
    /// applications load in well under a minute.
    pub sweep_backlog: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BulkReport {
    pub accounts: usize,
    pub applications: usize,
    /// Every row written: people, accounts, applications, elements,
    /// payments, credentials.
    pub rows: usize,
}

/// The password of every bulk demo account.
pub const DEMO_PASSWORD: &str = "Demo-Applicant-Pass-2024";

const FIRST_NAMES: [&str; 20] = [
    "Ava", "Ben", "Carla", "Dmitri", "Elena", "Farah", "Gus", "Hana", "Ivan", "June", "Kofi",
    "Lena", "Marco", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tia",
];
const LAST_NAMES: [&str; 25] = [
    "Adams", "Baker", "Clark", "Davis", "Evans", "Foster", "Garcia", "Hughes", "Ito", "Johnson",
    "King", "Lopez", "Miller", "Nguyen", "Owens", "Patel", "Reed", "Smith", "Turner", "Walker",
    "Young", "Zimmer", "Brooks", "Carter", "Dunn",
];
/// People and accounts per transaction; applications per transaction.
const ACCOUNT_BATCH: usize = 5_000;
const APPLICATION_BATCH: usize = 5_000;

/// Status of the `n`th bulk application: a plausible spread.
fn status_of(n: usize) -> ApplicationStatus {
    match n % 20 {
        0..=8 => ApplicationStatus::InProgress,
        9..=10 => ApplicationStatus::Submitted,
        11..=12 => ApplicationStatus::PendingReview,
        13 => ApplicationStatus::Deficient,
        14..=16 => ApplicationStatus::Approved,
        17 => ApplicationStatus::Denied,
        18 => ApplicationStatus::Expired,
        _ => ApplicationStatus::Withdrawn,
    }
}

/// Data an applicant would have saved in a Level 1 element.
fn sample_data(key: ElementKey) -> Option<ElementContent> {
    let employer = ThirdParty {
        name: "Sunshine Child Care Center".to_owned(),
        email: "director@sunshine.example.org".to_owned(),
    };
    let data = match key {
        ElementKey::PersonalInformation => ElementData::PersonalInformation {
            high_school_diploma: Some(true),
        },
        ElementKey::RequiredTrainings => ElementData::RequiredTrainings {
            intro_training_clock_hours: Some(ClockHours::whole(2)),
            data_system_training_clock_hours: Some(ClockHours::whole(2)),
            formal_ece_training_clock_hours: None,
            data_system_training_previously_verified: None,
        },
        ElementKey::Topics => ElementData::Topics {
            topics: Topic::ALL.into(),
        },
        ElementKey::Experience => ElementData::Experience {
            ece_experience_years: Some(ExperienceYears::whole(3)),
            related_field_experience_years: None,
            employer: Some(employer),
        },
        ElementKey::ExperienceVerification => ElementData::ExperienceVerification {
            verified: Some(true),
            ece_experience_years: Some(ExperienceYears::whole(3)),
            verifier_name: Some("Pat Director".to_owned()),
        },
        ElementKey::CharacterAndFitness => {
            return Some(ElementContent::CharacterAndFitness(
                CharacterAndFitnessAnswers {
                    answers: CHARACTER_AND_FITNESS_QUESTIONS
                        .iter()
                        .map(|question| CharacterAndFitnessAnswer {
                            key: question.key.to_owned(),
                            answer: false,
                            statement: None,
                        })
                        .collect(),
                },
            ));
        }
        ElementKey::Attestation => ElementData::Attestation {
            attested: Some(true),
            signature: Some("Demo Applicant".to_owned()),
        },
        _ => return None,
    };
    Some(ElementContent::Data(data))
}

/// The `n`th demo SSN: area 100 upwards, never one the SSA does not issue.
fn demo_ssn(n: usize) -> String {
    let serial = n % 9999 + 1;
    let group = (n / 9999) % 99 + 1;
    let area = 100 + n / (9999 * 99);
    format!("{area:03}-{group:02}-{serial:04}")
}

/// Fills the database with `size` worth of realistic demo data, fast: people
/// with accounts (SSNs encrypted by the vault, email confirmed, profile
/// complete) and Level 1 applications across every status with their
/// element rows, a succeeded payment for each one paid, and a credential for
/// each one approved. Argon2 takes tens of milliseconds per hash by design,
/// so the password is hashed once and the hash shared by every demo account
/// (`DEMO_PASSWORD`). Numbering continues after the people already on
/// record, so a second run adds more rather than colliding.
pub fn seed_bulk(state: &Ports, size: BulkSize) -> Result<BulkReport, WorkflowError> {
    let ctx = RequestContext::detached();
    let now = ctx.now;
    if size.applications > 0 && size.accounts == 0 {
        return Err(WorkflowError::internal(
            "demo applications need demo accounts: pass --accounts too",
        ));
    }
    let invalid =
        |e: kecs_domain::validation::Invalid| WorkflowError::internal(format!("demo: {e}"));
    let password = Password::parse(DEMO_PASSWORD).map_err(invalid)?;
    let password_hash = state.passwords.hash(&password)?;
    let first = usize::try_from(state.db.read(bulk::people_count)?).unwrap_or(0);
    let mut report = BulkReport::default();

    // People and accounts; their names are kept for the credentials.
    let mut owners: Vec<(String, PersonName, PersonName)> = Vec::with_capacity(size.accounts);
    for start in (0..size.accounts).step_by(ACCOUNT_BATCH) {
        let batch = (start..size.accounts.min(start + ACCOUNT_BATCH))
            .map(|i| {
                let n = first + i;
                let ssn = Ssn::parse(&demo_ssn(n)).map_err(invalid)?;
                Ok(bulk::Applicant {
                    first_name: PersonName::parse(FIRST_NAMES[n % FIRST_NAMES.len()])
                        .map_err(invalid)?,
                    last_name: PersonName::parse(
                        LAST_NAMES[(n / FIRST_NAMES.len()) % LAST_NAMES.len()],
                    )
                    .map_err(invalid)?,
                    date_of_birth: chrono::NaiveDate::from_ymd_opt(1960, 1, 1).unwrap_or_default()
                        + chrono::Duration::days(i64::try_from(n * 37 % 14_000).unwrap_or(0)),
                    ssn_ciphertext: state.vault.encrypt(&ssn).map_err(WorkflowError::internal)?,
                    ssn_hash: state.vault.ssn_hash(&ssn),
                    ssn_last4_hash: state.vault.last4_hash(&ssn.last4()),
                    username: Username::parse(&format!("demo{n}")).map_err(invalid)?,
                    email: EmailAddress::parse(&format!("demo{n}@example.org")).map_err(invalid)?,
                })
            })
            .collect::<Result<Vec<_>, WorkflowError>>()?;
        let ids = state.db.transaction(|conn| {
            bulk::insert_applicants(conn, &batch, &password_hash, now).map_err(WorkflowError::from)
        })?;
        report.accounts += ids.len();
        report.rows += 2 * ids.len();
        owners.extend(
            ids.into_iter()
                .zip(batch)
                .map(|(id, a)| (id, a.first_name, a.last_name)),
        );
    }

    // Applications, all Level 1 as a first-time applicant would start them.
    let request_types = [RequestType::NewLevel1];
    let answers = Answers {
        first_time_applicant: Some(true),
        conducts_online_training: Some(false),
        ..Answers::default()
    };
    let plan = plan(&request_types, &answers)
        .map_err(|e| WorkflowError::internal(format!("demo plan: {e:?}")))?;
    let elements: Vec<(ElementKey, Option<ElementContent>)> = plan
        .elements
        .iter()
        .map(|spec| (spec.key, sample_data(spec.key)))
        .collect();
    let holders: Vec<(String, String, String)> = owners
        .iter()
        .map(|(_, first, last)| {
            (
                format!("{} {}", first.as_str(), last.as_str()),
                first.key(),
                last.key(),
            )
        })
        .collect();
    let fee = 5_000;
    for start in (0..size.applications).step_by(APPLICATION_BATCH) {
        let batch: Vec<bulk::BulkApplication<'_>> = (start
            ..size.applications.min(start + APPLICATION_BATCH))
            .map(|j| {
                let owner = j % owners.len();
                let status = if size.sweep_backlog {
                    ApplicationStatus::InProgress
                } else {
                    status_of(j)
                };
                // Spread over the last 180 days (the backlog) or, in
                // progress, 59: younger than the first reminder, as if the
                // sweep had kept up (no burst of reminder mail at start-up).
                let span_minutes = if size.sweep_backlog || status != ApplicationStatus::InProgress
                {
                    180 * 24 * 60
                } else {
                    59 * 24 * 60
                };
                let started_at = now
                    - chrono::Duration::minutes(
                        i64::try_from(j * 7919 % span_minutes).unwrap_or(0),
                    );
                let expires_at = expires_at(started_at);
                let submitted_at = matches!(
                    status,
                    ApplicationStatus::Submitted
                        | ApplicationStatus::PendingReview
                        | ApplicationStatus::Deficient
                        | ApplicationStatus::Approved
                        | ApplicationStatus::Denied
                )
                .then(|| (started_at + chrono::Duration::days(3)).min(now));
                let closed_at = match status {
                    ApplicationStatus::Approved | ApplicationStatus::Denied => {
                        submitted_at.map(|at| (at + chrono::Duration::days(2)).min(now))
                    }
                    ApplicationStatus::Expired => Some(expires_at.min(now)),
                    ApplicationStatus::Withdrawn => {
                        Some((started_at + chrono::Duration::days(1)).min(now))
                    }
                    _ => None,
                };
                // In progress: the first few elements saved; otherwise all.
                let filled = if status == ApplicationStatus::InProgress {
                    j % (elements.len() + 1)
                } else {
                    elements.len()
                };
                let issued = match (status, closed_at) {
                    (ApplicationStatus::Approved, Some(at)) => {
                        let (name, first_key, last_key) = &holders[owner];
                        Some(bulk::IssuedCredential {
                            award: award(Level::Level1, at.date()),
                            holder_name: name,
                            first_name_key: first_key,
                            last_name_key: last_key,
                        })
                    }
                    _ => None,
                };
                bulk::BulkApplication {
                    account_id: &owners[owner].0,
                    status,
                    credential: Level::Level1,
                    request_types: &request_types,
                    answers: &answers,
                    started_at,
                    expires_at,
                    submitted_at,
                    closed_at,
                    elements: elements
                        .iter()
                        .take(if size.sweep_backlog {
                            0
                        } else {
                            elements.len()
                        })
                        .enumerate()
                        .map(|(position, (key, data))| {
                            (*key, data.as_ref().filter(|_| position < filled))
                        })
                        .collect(),
                    paid_cents: submitted_at.map(|_| fee),
                    issued,
                }
            })
            .collect();
        report.rows += state.db.transaction(|conn| {
            bulk::insert_applications(conn, &batch, now).map_err(WorkflowError::from)
        })?;
        report.applications += batch.len();
    }
    state
        .db
        .read(|conn| bulk::analyze(conn).map_err(WorkflowError::from))?;
    Ok(report)
}
