//! Why the domain refuses: one enum, each refusal with its stable code (from
//! the table in [`code`]) and, where a rule of 922 KAR 2:240 is broken, its
//! citation. Its message is the sentence the person asking reads.

mod code;

pub use code::{ErrorCode, ErrorKind};

use crate::application::{ApplicationStatus, ElementKey, TransitionError};
use crate::payment::PaymentStatus;
use crate::rules::{Citation, Level, Unmet};
use crate::validation::FieldErrors;
use chrono::NaiveDateTime;

/// Sec. 15: revocation, and the hearing on it (15(2)(a)).
const REVOCATION: Citation = Citation::new(15, "");
const HEARING_ON_REVOCATION: Citation = Citation::new(15, "(2)(a)");

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    // ---- accounts ---------------------------------------------------------
    /// A new account whose SSN is on record, with an account or without,
    /// with the same date of birth or another: one answer for every case, so
    /// that trying SSNs and dates of birth tells nothing.
    #[error(
        "a new account cannot be made with these details. If you may be on record already, find your record with POST /api/v1/accounts/search and claim it with POST /api/v1/accounts/claim; if you have an account, use forgot username or forgot password; otherwise contact the cabinet"
    )]
    AlreadyOnRecord,
    #[error("this record already has an account")]
    AlreadyClaimed,
    #[error("this username is already used by another account")]
    UsernameTaken,
    #[error("this email is already used by another account")]
    EmailTaken,
    #[error("this email address is already confirmed")]
    EmailAlreadyConfirmed,
    // ---- signing in with an OpenID provider ---------------------------------
    /// The callback's `state` names no pending sign-in: unknown, older than
    /// its ten minutes, or used already (a replay).
    #[error(
        "this sign-in is unknown, has expired or was already completed; start signing in again"
    )]
    SignInExpired,
    /// The provider answered the authorization with an error (`error=…`).
    #[error("the identity provider refused the sign-in ({0}); start signing in again")]
    ProviderRefused(String),
    #[error("the identity provider did not accept the authorization code; start signing in again")]
    CodeExchangeFailed,
    /// Which check the ID token failed: signature, issuer, audience,
    /// expiry, nonce, tenant.
    #[error("the identity provider's ID token is not valid: {0}; start signing in again")]
    IdTokenInvalid(String),
    /// One identity, one account: it is linked by (issuer, subject) and
    /// never moves to a second account.
    #[error(
        "this identity is linked to another account; sign in with it, or unlink it there first"
    )]
    IdentityLinkedElsewhere,
    #[error("your account already has an identity at this provider; unlink it first")]
    ProviderAlreadyLinked,

    /// A uniqueness rule the database enforced, named by what clashed.
    #[error("a record with this {0} already exists")]
    AlreadyExists(&'static str),

    // ---- applications -----------------------------------------------------
    #[error("these request types and answers do not make an application")]
    InvalidSelection {
        errors: FieldErrors,
        citation: Option<Citation>,
    },
    /// The user guide: "A valid address and phone number must be added to
    /// your profile before an application can be started".
    #[error(
        "the profile needs a mailing address, a phone number and a confirmed email before an application can be started"
    )]
    ProfileIncomplete(FieldErrors),
    #[error("{0}")]
    Transition(TransitionError),
    #[error("an application that is {0} is not under review")]
    NotUnderReview(ApplicationStatus),
    #[error("the application changed meanwhile; reload it")]
    ApplicationChanged,
    /// Found past its 90 days unpaid just now.
    #[error(
        "this application was not paid within 90 days of being started and expired on {} (UTC); start a new application",
        .0.format("%Y-%m-%d %H:%M")
    )]
    ApplicationExpiredOn(NaiveDateTime),
    #[error("this application expired unpaid; start a new application")]
    ApplicationExpired,
    #[error("this application is {0} and can no longer be changed")]
    ApplicationNotEditable(ApplicationStatus),
    #[error("every required element must be complete first")]
    ApplicationIncomplete(FieldErrors),
    /// Elements the specialist cited when returning the application that
    /// were not saved again since.
    #[error("save each element returned as deficient again before resubmitting")]
    DeficienciesNotAddressed(FieldErrors),
    #[error(
        "the {} element is submitted by the {}, through the link mailed to them",
        .0.as_str(),
        .0.submitted_by().as_str().replace('_', " ")
    )]
    SubmittedByAnother(ElementKey),
    #[error(
        "the {} element is yours to complete; nobody else is invited to it",
        .0.as_str()
    )]
    SubmittedByApplicant(ElementKey),
    /// An element the application's plan does not have: answered like an
    /// application that does not exist, so ids reveal nothing.
    #[error("no such resource")]
    ElementNotInPlan(ElementKey),
    #[error(
        "the {} element has been submitted and can no longer be changed",
        .0.as_str()
    )]
    ElementFinal(ElementKey),
    #[error("{title} is not complete yet; nothing was saved and the link still works")]
    ElementIncomplete {
        title: &'static str,
        errors: FieldErrors,
    },
    #[error("this link has already been used to submit the element")]
    InvitationUsed,
    #[error("a newer link was sent for this element; use that one")]
    InvitationReplaced,
    #[error("this link has expired; ask the applicant to send a new one")]
    InvitationExpired,
    /// The third party verifies what the applicant states (Sec. 3(1)(a),
    /// 6(1)(b), 13(3)(d)); a link to the applicant's own address would let
    /// them verify themselves.
    #[error(
        "the {} is the person who verifies this element, not you; name their email, not one of your account",
        .0.submitted_by().as_str().replace('_', " ")
    )]
    ThirdPartyIsApplicant(ElementKey),
    /// An operator's cap (`KECS_MAX_ATTACHMENTS_PER_ELEMENT`).
    #[error("this element already holds {0} attachments, the most allowed; delete one first")]
    AttachmentLimitReached(u32),
    /// An operator's cap (`KECS_MAX_OPEN_APPLICATIONS`).
    #[error(
        "you already have {0} open applications, the most allowed; finish or withdraw one first"
    )]
    OpenApplicationLimitReached(u32),

    // ---- payments ---------------------------------------------------------
    #[error("{0}")]
    PaymentInProgress(&'static str),
    #[error(
        "this payment is {}; create a new payment",
        .0.as_str().replace('_', " ")
    )]
    PaymentNotConfirmable(PaymentStatus),
    #[error("this payment was not confirmed in time; create a new payment")]
    PaymentExpired,
    #[error("the application can no longer be paid for (it was submitted, withdrawn or expired)")]
    NotPayable,
    #[error("only a succeeded payment can be refunded")]
    NotRefundable,
    // The two refusals of a refund's amount read as the field errors they
    // were when the workflow decided them (`validation_failed`).
    #[error("amount: must be a positive number of cents")]
    RefundNotPositive,
    #[error("amount: is more than what is left to refund ({0} cents)")]
    RefundExceedsWhatIsLeft(i64),
    #[error("the payment gateway refused the refund: {0}")]
    RefundRefused(String),
    #[error("this Idempotency-Key was used for another request; use a new key")]
    IdempotencyKeyReused,
    #[error("the first request with this Idempotency-Key is still running; retry shortly")]
    IdempotencyInFlight,

    // ---- review and denial (Sec. 14) ----------------------------------------
    #[error(
        "the application's payment was refunded in full; it cannot be approved unless paid again"
    )]
    PaymentRefunded,
    #[error("only an application returned as deficient is resubmitted")]
    NotDeficient,
    #[error("this application is assigned to another specialist")]
    NotAssignedToYou,
    #[error("only a denied application can have its denial reviewed")]
    NotDenied,
    /// Sec. 14(3): the review is requested within 10 days of the denial.
    #[error("{}", .0.message)]
    ReviewRequestTooLate(Unmet),
    #[error("a review of this denial was already requested")]
    ReviewAlreadyRequested,
    #[error("the applicant has not requested a review of this denial")]
    NoReviewRequested,
    #[error("the written order on this review was issued already")]
    ReviewAlreadyDecided,
    /// Sec. 14(3)(c)2: an extension is notified before the 30 days end.
    #[error("{} ({})", .0.message, .0.citation)]
    ExtensionTooLate(Unmet),

    // ---- credentials (Sec. 13, 15) ------------------------------------------
    /// Sec. 13; `field` is where the credential was named.
    #[error("{} ({})", .unmet.message, .unmet.citation)]
    NotRenewable { field: &'static str, unmet: Unmet },
    #[error(
        "you hold no {} to renew; apply for a new credential instead",
        .0.title()
    )]
    NoCredentialToRenew(Level),
    /// Sec. 15(2)(b): two years after a revocation.
    #[error("{} ({})", .0.message, .0.citation)]
    ReapplicationBarred(Unmet),
    #[error("the credential was revoked meanwhile")]
    CredentialChanged,
    #[error("a revoked credential has no letter of approval ({REVOCATION})")]
    CredentialRevoked,
    #[error("credential {0} is already revoked")]
    AlreadyRevoked(String),
    /// Sec. 15(2)(a): the hearing is on the revocation.
    #[error("a hearing is requested only on a revoked credential ({HEARING_ON_REVOCATION})")]
    NotRevoked,
    #[error("a hearing on this revocation was already requested")]
    HearingAlreadyRequested,

    // ---- training events and attendance (Sec. 5(2)-12(1)) -----------------
    /// Every rule of Sec. 5(2)-11 the event breaks, each under its field
    /// with rule id and citation.
    #[error("the training does not meet 922 KAR 2:240; nothing was recorded: {0}")]
    TrainingRefused(FieldErrors),
    /// Every bad row of the roster at once; nothing was saved.
    #[error("the roster does not meet 922 KAR 2:240; nothing was saved: {0}")]
    AttendanceRefused(FieldErrors),
    #[error("attendance was already entered for this training on {}", .0.format("%Y-%m-%d"))]
    AttendanceAlreadyEntered(NaiveDateTime),
    /// Attendance is known once the training ends (Sec. 12(1)(a)).
    #[error("the training ends on {0}; enter its attendance from then on")]
    TrainingNotEnded(chrono::NaiveDate),

    // ---- certificates of training (Sec. 12(2)) ----------------------------
    /// A certificate is issued for each trainee on the roster (Sec.
    /// 12(1)(a), 12(2)(c)); without a roster there is nobody to certify.
    #[error(
        "no attendance has been entered for this training; enter it first, then sign the certificates"
    )]
    NoAttendanceYet,
    /// Every item of Sec. 12(2) the certificates would lack, each under its
    /// field with rule id and citation; none was issued.
    #[error("the certificates would not meet 922 KAR 2:240 Section 12(2); none was issued: {0}")]
    CertificateRefused(FieldErrors),

    // ---- preapproval of training events (Sec. 16) ---------------------------
    /// Every rule of Sec. 16 the submission breaks, each under its field
    /// with rule id and citation; nothing was received.
    #[error(
        "the application for preapproval does not meet 922 KAR 2:240; it was not received: {0}"
    )]
    PreapprovalRefused(FieldErrors),
    /// The application's state does not allow the step.
    #[error("the application for preapproval is {status}: it cannot {step} now")]
    PreapprovalNotNow {
        status: &'static str,
        step: &'static str,
    },
    /// Sec. 18(3): only a cabinet-approved agency provides the instruction.
    #[error(
        "the training agency is {0}, not approved: it may not record instruction (Section 18(3))"
    )]
    AgencyNotApproved(&'static str),
    /// Sec. 18(1)(b): the cabinet decides an agency's application once.
    #[error("the training agency's application is already {0}")]
    AgencyAlreadyDecided(&'static str),
    #[error("{0} is already recorded as a state holiday")]
    HolidayTaken(chrono::NaiveDate),
}

impl DomainError {
    /// The stable code clients switch on.
    pub fn code(&self) -> ErrorCode {
        use DomainError as E;
        use ErrorCode as C;
        match self {
            E::AlreadyOnRecord => C::AlreadyOnRecord,
            E::AlreadyClaimed => C::AlreadyClaimed,
            E::UsernameTaken => C::UsernameTaken,
            E::EmailTaken => C::EmailTaken,
            E::EmailAlreadyConfirmed => C::EmailAlreadyConfirmed,
            E::AlreadyExists(_) => C::Conflict,
            E::SignInExpired => C::SignInExpired,
            E::ProviderRefused(_) => C::ProviderRefused,
            E::CodeExchangeFailed => C::CodeExchangeFailed,
            E::IdTokenInvalid(_) => C::IdTokenInvalid,
            E::IdentityLinkedElsewhere => C::IdentityLinkedElsewhere,
            E::ProviderAlreadyLinked => C::ProviderAlreadyLinked,
            E::InvalidSelection { .. } => C::InvalidSelection,
            E::ProfileIncomplete(_) => C::ProfileIncomplete,
            E::Transition(_) | E::NotUnderReview(_) => C::InvalidTransition,
            E::ApplicationChanged => C::ApplicationChanged,
            E::ApplicationExpiredOn(_) | E::ApplicationExpired => C::ApplicationExpired,
            E::ApplicationNotEditable(_) => C::ApplicationNotEditable,
            E::ApplicationIncomplete(_) => C::ApplicationIncomplete,
            E::DeficienciesNotAddressed(_) => C::DeficienciesNotAddressed,
            E::SubmittedByAnother(_) => C::SubmittedByAnother,
            E::SubmittedByApplicant(_) => C::SubmittedByApplicant,
            E::ElementNotInPlan(_) => C::NotFound,
            E::ElementFinal(_) => C::ElementFinal,
            E::ElementIncomplete { .. } => C::ElementIncomplete,
            E::InvitationUsed => C::InvitationUsed,
            E::InvitationReplaced => C::InvitationReplaced,
            E::InvitationExpired => C::InvitationExpired,
            E::ThirdPartyIsApplicant(_) => C::ThirdPartyIsApplicant,
            E::AttachmentLimitReached(_) => C::AttachmentLimitReached,
            E::OpenApplicationLimitReached(_) => C::OpenApplicationLimitReached,
            E::PaymentRefunded => C::PaymentRefunded,
            E::PaymentInProgress(_) => C::PaymentInProgress,
            E::PaymentNotConfirmable(_) => C::PaymentNotConfirmable,
            E::PaymentExpired => C::PaymentExpired,
            E::NotPayable => C::NotPayable,
            E::NotRefundable => C::NotRefundable,
            E::RefundNotPositive | E::RefundExceedsWhatIsLeft(_) => C::ValidationFailed,
            E::RefundRefused(_) => C::RefundRefused,
            E::IdempotencyKeyReused => C::IdempotencyKeyReused,
            E::IdempotencyInFlight => C::IdempotencyInFlight,
            E::NotDeficient => C::NotDeficient,
            E::NotAssignedToYou => C::NotAssignedToYou,
            E::NotDenied => C::NotDenied,
            E::ReviewRequestTooLate(_) => C::ReviewRequestTooLate,
            E::ReviewAlreadyRequested => C::ReviewAlreadyRequested,
            E::NoReviewRequested => C::NoReviewRequested,
            E::ReviewAlreadyDecided => C::ReviewAlreadyDecided,
            E::ExtensionTooLate(_) => C::ExtensionTooLate,
            E::NotRenewable { .. } => C::NotRenewable,
            E::NoCredentialToRenew(_) => C::NoCredentialToRenew,
            E::ReapplicationBarred(_) => C::ReapplicationBarred,
            E::CredentialChanged => C::CredentialChanged,
            E::CredentialRevoked => C::CredentialRevoked,
            E::AlreadyRevoked(_) => C::AlreadyRevoked,
            E::NotRevoked => C::NotRevoked,
            E::HearingAlreadyRequested => C::HearingAlreadyRequested,
            E::TrainingRefused(_) => C::TrainingRefused,
            E::AttendanceRefused(_) => C::AttendanceRefused,
            E::AttendanceAlreadyEntered(_) => C::AttendanceAlreadyEntered,
            E::TrainingNotEnded(_) => C::TrainingNotEnded,
            E::NoAttendanceYet => C::NoAttendanceYet,
            E::CertificateRefused(_) => C::CertificateRefused,
            E::PreapprovalRefused(_) => C::PreapprovalRefused,
            E::PreapprovalNotNow { .. } => C::PreapprovalNotNow,
            E::HolidayTaken(_) => C::HolidayTaken,
            E::AgencyAlreadyDecided(_) => C::AgencyAlreadyDecided,
            E::AgencyNotApproved(_) => C::AgencyNotApproved,
        }
    }

    /// The clause of 922 KAR 2:240 the refusal rests on, if any.
    pub fn citation(&self) -> Option<Citation> {
        use DomainError as E;
        match self {
            E::InvalidSelection { citation, .. } => *citation,
            E::ReviewRequestTooLate(unmet)
            | E::ExtensionTooLate(unmet)
            | E::ReapplicationBarred(unmet)
            | E::NotRenewable { unmet, .. } => Some(unmet.citation),
            E::NoCredentialToRenew(_) => Some(Citation::new(13, "")),
            E::CredentialRevoked => Some(REVOCATION),
            E::NotRevoked => Some(HEARING_ON_REVOCATION),
            E::AttendanceAlreadyEntered(_) | E::TrainingNotEnded(_) | E::NoAttendanceYet => {
                Some(Citation::new(12, "(1)(a)"))
            }
            E::CertificateRefused(_) => Some(Citation::new(12, "(2)")),
            E::ThirdPartyIsApplicant(key) => key.submitted_by().verifies_under(),
            _ => None,
        }
    }

    /// The fields the refusal concerns, each with what is wrong.
    pub fn fields(&self) -> Option<FieldErrors> {
        use DomainError as E;
        let rule = |field: &str, unmet: &Unmet| FieldErrors::single(field, unmet.message.clone());
        match self {
            E::InvalidSelection { errors, .. }
            | E::ProfileIncomplete(errors)
            | E::ApplicationIncomplete(errors)
            | E::DeficienciesNotAddressed(errors)
            | E::ElementIncomplete { errors, .. }
            | E::TrainingRefused(errors)
            | E::AttendanceRefused(errors)
            | E::CertificateRefused(errors)
            | E::PreapprovalRefused(errors) => Some(errors.clone()),
            E::ReviewRequestTooLate(unmet) => Some(rule("requested_on", unmet)),
            E::ExtensionTooLate(unmet) => Some(rule("decide_by", unmet)),
            E::ReapplicationBarred(unmet) => Some(rule("request_types", unmet)),
            E::NotRenewable { field, unmet } => Some(rule(field, unmet)),
            E::NoCredentialToRenew(_) => Some(FieldErrors::single(
                "answers.renewal_level",
                "you hold no credential of this level",
            )),
            E::RefundNotPositive => Some(FieldErrors::single(
                "amount",
                "must be a positive number of cents",
            )),
            E::RefundExceedsWhatIsLeft(left) => Some(FieldErrors::single(
                "amount",
                format!("is more than what is left to refund ({left} cents)"),
            )),
            E::ThirdPartyIsApplicant(_) => Some(FieldErrors::single(
                "email",
                "is an address of your own account; name the third party's email",
            )),
            E::IdempotencyKeyReused => Some(FieldErrors::single(
                "Idempotency-Key",
                "was used for another request",
            )),
            _ => None,
        }
    }
}
