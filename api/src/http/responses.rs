//! The problem responses many operations share, each declared once.
//!
//! Most routes can fail the same few ways: the caller is not signed in or
//! has the wrong role (the extractors in [`crate::http::auth`]), the JSON
//! body cannot be read ([`crate::http::extract::ApiJson`]), an id in the
//! path names nothing the caller may see. Written out at every route, those
//! answers were the same lines hundreds of times over, and the spec carried
//! a copy of each in every operation. Here each is one [`ToResponse`] type,
//! listed in `components/responses` of the spec (see `server.rs`) and
//! referenced by status from the routes: `(status = 404, response = NotFound)`.
//! The [`IntoResponses`] groups below bundle what one extractor answers, so
//! a route names it once: `ReadsJsonBody`, `SignedInAs<AdminsOnly>`.
//!
//! A route still writes its own problem inline when its description says
//! more than the generic meaning: the error codes it can answer, the rule
//! it enforces, the states it refuses. Those are for the front end.

use crate::http::error::Problem;
use utoipa::{IntoResponses, ToResponse};

/// Declares each shared problem response: a [`ToResponse`] named as in
/// `components/responses`, its description, and the problem as its body.
macro_rules! problem_responses {
    ($($name:ident: $description:literal;)*) => {$(
        #[doc = $description]
        #[derive(ToResponse)]
        #[response(description = $description, content_type = "application/problem+json")]
        pub struct $name(pub Problem);
    )*};
}

problem_responses! {
    MalformedBody: "The body is not JSON";
    NotSignedIn: "Not signed in";
    ApplicantsOnly: "Only applicants may do this: staff accounts use the review routes";
    StaffOnly: "Only certification specialists and admins may do this";
    AdminsOnly: "Only admins may do this";
    NotFound: "Nothing by that id, or not the caller's: another applicant's record is not found either";
    MethodNotAllowed: "Another method than the path takes; `Allow` lists those it does";
    BodyTooLarge: "The body is too large";
    NotJson: "The body is not application/json";
    InvalidFields: "A field is missing or invalid; `errors` lists every one";
    InvalidFieldsOrNoHumanCheck: "A field is missing or invalid (`validation_failed`; `errors` lists every one), or the I'm not a robot check did not pass (`human_check_failed`, naming `Human-Check-Token`: missing while the check is on, refused by the provider, or not verified in time)";
    InvalidQuery: "A query parameter is invalid (a bad filter, limit or cursor)";
    InvalidParameter: "A path or query parameter holds a character no text may (NUL, another control character, a bidirectional control), or is not valid percent-encoded UTF-8; `errors` names it";
    TooManyRequests: "Too many requests from this address; see Retry-After";
    Unavailable: "A store behind the server (the database, the attachment store) cannot be reached, or too many passwords are being checked at once; try again shortly (after Retry-After, when given)";
    RequestTimeout: "The body did not arrive in time (`KECS_BODY_TIMEOUT_SECS`); the connection is closed";
}

/// What reading a JSON body with `ApiJson` answers before the handler runs.
/// A wrong field is 422, which each route describes itself.
#[derive(IntoResponses)]
pub enum ReadsJsonBody {
    #[response(status = 400)]
    Malformed(#[ref_response] MalformedBody),
    #[response(status = 413)]
    TooLarge(#[ref_response] BodyTooLarge),
    #[response(status = 408)]
    TimedOut(#[ref_response] RequestTimeout),
    #[response(status = 415)]
    NotJson(#[ref_response] NotJson),
}

/// What a role extractor answers: 401 without a valid token, 403 with the
/// wrong role. `SignedInAs<ApplicantsOnly>` for `Applicant` and
/// `ElementCaller`, `SignedInAs<StaffOnly>` for `Staff`,
/// `SignedInAs<AdminsOnly>` for `Admin`.
#[derive(IntoResponses)]
pub enum SignedInAs<Role>
where
    Role: for<'r> ToResponse<'r>,
{
    #[response(status = 401)]
    NotSignedIn(#[ref_response] NotSignedIn),
    #[response(status = 403)]
    WrongRole(#[ref_response] Role),
}
