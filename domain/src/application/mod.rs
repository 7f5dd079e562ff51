//! Applications for a trainer's credential (the user guide's "Apply for a
//! credential"): what is requested, the clarifying answers, the elements to
//! complete, and the status an application moves through.

mod request_type;
mod status;

pub use request_type::{ElementKey, RequestType, Submitter};
pub use status::{ApplicationStatus, EXPIRES_AFTER_DAYS, Transition, TransitionError, expires_at};
