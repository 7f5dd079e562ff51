//! The table of error codes: every code kecs answers with, declared once
//! with its kind and title. The code is the stable, machine-readable part of
//! a refusal (clients switch on it); the title names the kind of problem for
//! a person, the same for every occurrence. The HTTP layer derives the status
//! from the kind; transport codes that only HTTP knows (a malformed body, a
//! wrong method) are declared in its own table.

/// What sort of failure a code is; the HTTP layer maps each to one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Fields that do not parse or do not hold.
    Invalid,
    /// Well formed, but a rule refuses it as asked (often with a citation).
    Refused,
    /// The state of things does not allow it now.
    Conflict,
    /// The client's copy is stale (`If-Match`).
    Stale,
    NotFound,
    Forbidden,
    Unauthenticated,
    Throttled,
    Unavailable,
    Internal,
}

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $kind:ident, $title:literal; )*) => {
        /// Every code of the product (see the module documentation).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant, )*
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The code as clients see it, e.g. `application_expired`.
            pub const fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code,)* }
            }

            pub const fn kind(self) -> ErrorKind {
                match self { $(ErrorCode::$variant => ErrorKind::$kind,)* }
            }

            /// A short title for a person, the same for every occurrence.
            pub const fn title(self) -> &'static str {
                match self { $(ErrorCode::$variant => $title,)* }
            }
        }
    };
}

error_codes! {
    // Infrastructure and access: any workflow may answer with these.
    ValidationFailed = "validation_failed", Invalid, "The request has invalid fields";
    PreconditionFailed = "precondition_failed", Stale, "The element changed since it was read";
    NotFound = "not_found", NotFound, "Not found";
    Forbidden = "forbidden", Forbidden, "Your role may not do this";
    Unauthorized = "unauthorized", Unauthenticated, "Authentication required";
    TooManyRequests = "too_many_requests", Throttled, "Too many attempts";
    Unavailable = "unavailable", Unavailable, "Service unavailable";
    InternalError = "internal_error", Internal, "Internal server error";
    /// A uniqueness rule the database enforces, where no better code names it.
    Conflict = "conflict", Conflict, "A record like this already exists";

    // Accounts (the registration guide: one person, one account).
    AlreadyOnRecord = "already_on_record", Conflict, "A new account cannot be made with these details";
    AlreadyClaimed = "already_claimed", Conflict, "This record already has an account";
    UsernameTaken = "username_taken", Conflict, "The username is taken";
    EmailTaken = "email_taken", Conflict, "The email address is taken";
    EmailAlreadyConfirmed = "email_already_confirmed", Conflict, "The email address is already confirmed";
    /// The registration guide's "I'm not a robot" check: no token, or one
    /// the provider did not accept (or could not be asked about in time).
    HumanCheckFailed = "human_check_failed", Invalid, "The I'm not a robot check did not pass";

    // Signing in with an OpenID provider (Sign in with Microsoft).
    SignInExpired = "sign_in_expired", Refused, "The sign-in is unknown, expired or already used";
    ProviderRefused = "provider_refused", Refused, "The identity provider refused the sign-in";
    CodeExchangeFailed = "code_exchange_failed", Refused, "The identity provider did not accept the authorization code";
    IdTokenInvalid = "id_token_invalid", Refused, "The identity provider's ID token is not valid";
    IdentityLinkedElsewhere = "identity_linked_elsewhere", Conflict, "This identity is linked to another account";
    ProviderAlreadyLinked = "provider_already_linked", Conflict, "The account already has an identity at this provider";

    // Applications and their elements.
    InvalidSelection = "invalid_selection", Refused, "These request types and answers do not make an application";
    ProfileIncomplete = "profile_incomplete", Refused, "The profile is not ready for an application";
    InvalidTransition = "invalid_transition", Conflict, "The application is not in a state that allows this";
    ApplicationChanged = "application_changed", Conflict, "The application changed meanwhile";
    ApplicationExpired = "application_expired", Conflict, "The application has expired";
    ApplicationNotEditable = "application_not_editable", Conflict, "The application can no longer be changed";
    ApplicationIncomplete = "application_incomplete", Conflict, "Required elements are incomplete";
    SubmittedByAnother = "submitted_by_another", Conflict, "Another person submits this element";
    SubmittedByApplicant = "submitted_by_applicant", Conflict, "The applicant completes this element";
    ElementFinal = "element_final", Conflict, "The element is final";
    ElementIncomplete = "element_incomplete", Refused, "The element is not complete";
    InvitationUsed = "invitation_used", Conflict, "The link has been used";
    InvitationReplaced = "invitation_replaced", Conflict, "A newer link replaced this one";
    InvitationExpired = "invitation_expired", Conflict, "The link has expired";
    ThirdPartyIsApplicant = "third_party_is_applicant", Refused, "The applicant cannot be their own third party";
    AttachmentLimitReached = "attachment_limit_reached", Conflict, "The element holds as many attachments as allowed";
    OpenApplicationLimitReached = "open_application_limit_reached", Conflict, "You have as many open applications as allowed";

    // Payments.
    PaymentInProgress = "payment_in_progress", Conflict, "A payment is being processed";
    PaymentNotConfirmable = "payment_not_confirmable", Conflict, "The payment cannot be confirmed";
    PaymentExpired = "payment_expired", Conflict, "The payment has expired";
    NotPayable = "not_payable", Conflict, "The application cannot be paid for";
    NotRefundable = "not_refundable", Conflict, "The payment cannot be refunded";
    RefundRefused = "refund_refused", Conflict, "The payment gateway refused the refund";
    IdempotencyKeyReused = "idempotency_key_reused", Refused, "The Idempotency-Key was used for another request";
    IdempotencyInFlight = "idempotency_in_flight", Conflict, "The first request with this Idempotency-Key is still running";

    // Review and denial (Sec. 14).
    PaymentRefunded = "payment_refunded", Conflict, "The application's payment was refunded";
    NotDeficient = "not_deficient", Conflict, "The application is not deficient";
    DeficienciesNotAddressed = "deficiencies_not_addressed", Refused, "Elements returned as deficient were not saved again";
    NotAssignedToYou = "not_assigned_to_you", Conflict, "The application is assigned to another specialist";
    NotDenied = "not_denied", Conflict, "The application is not denied";
    ReviewRequestTooLate = "review_request_too_late", Refused, "The review of a denial was requested too late";
    ReviewAlreadyRequested = "review_already_requested", Conflict, "A review of the denial was already requested";
    NoReviewRequested = "no_review_requested", Conflict, "No review of the denial was requested";
    ReviewAlreadyDecided = "review_already_decided", Conflict, "The review of the denial was decided";
    ExtensionTooLate = "extension_too_late", Refused, "The extension comes too late";

    // Credentials (Sec. 13, 15).
    NotRenewable = "not_renewable", Refused, "The credential cannot be renewed";
    NoCredentialToRenew = "no_credential_to_renew", Refused, "No credential of this level to renew";
    ReapplicationBarred = "reapplication_barred", Refused, "A revocation bars new applications";
    CredentialChanged = "credential_changed", Conflict, "The credential changed meanwhile";
    CredentialRevoked = "credential_revoked", Conflict, "The credential is revoked";
    AlreadyRevoked = "already_revoked", Conflict, "The credential is already revoked";
    NotRevoked = "not_revoked", Conflict, "The credential is not revoked";
    HearingAlreadyRequested = "hearing_already_requested", Conflict, "A hearing was already requested";

    // Training events and attendance (Sec. 5(2)-12(1)).
    TrainingRefused = "training_refused", Refused, "The training does not meet 922 KAR 2:240";
    AttendanceRefused = "attendance_refused", Refused, "The roster does not meet 922 KAR 2:240";
    AttendanceAlreadyEntered = "attendance_already_entered", Conflict, "Attendance was already entered for this training";
    TrainingNotEnded = "training_not_ended", Conflict, "The training has not ended yet";
    // Certificates of training (Sec. 12(2)).
    NoAttendanceYet = "no_attendance_yet", Conflict, "No attendance has been entered for this training";
    CertificateRefused = "certificate_refused", Refused, "The certificate would not meet 922 KAR 2:240 Section 12(2)";
    // Preapproval of training events (Sec. 16).
    PreapprovalRefused = "preapproval_refused", Refused, "The application for preapproval does not meet 922 KAR 2:240";
    PreapprovalNotNow = "preapproval_not_now", Conflict, "The application for preapproval does not allow this now";
    AgencyNotApproved = "agency_not_approved", Conflict, "The training agency is not approved";
    AgencyAlreadyDecided = "agency_already_decided", Conflict, "The training agency's application is already decided";
    HolidayTaken = "holiday_taken", Conflict, "That day is already recorded as a state holiday";
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_snake_case_and_titled() {
        let mut seen = HashSet::new();
        for code in ErrorCode::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "{name} is declared twice");
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{name} is not snake_case"
            );
            assert!(!code.title().is_empty(), "{name} has no title");
        }
    }
}
