//! Training approval (Sec. 16–18): the cabinet's preapproval of events that
//! use a presenter without a current trainer's credential, and the sponsors
//! who apply for it. The deadline rules themselves are in
//! [`crate::rules::preapproval`]; this module holds the entities and their
//! state machine.
//!
//! - [`sponsor`]: the sponsoring organisation and its two-year bar (16(10)).
//! - [`presenter`]: who presents, identified, with a résumé (16(4)).
//! - [`preapproval`]: the DCC-201/201a application, its clock, its decision.
//! - [`certificate`]: certificates of an approved event (Sec. 17(2)).
//! - [`agency`]: cabinet-approved training agencies (Sec. 18, DCC-203).
//! - [`cda_instruction`]: the 60 + 60 clock hours an agency gives a trainee
//!   (Sec. 18(3)).

pub mod agency;
pub mod cda_instruction;
pub mod certificate;
pub mod preapproval;
pub mod presenter;
pub mod sponsor;

pub use preapproval::{
    ApprovedTraining, Form, InformationRequest, Preapproval, PreapprovalStatus, check_submission,
};
pub use presenter::{Presenter, Resume};
pub use sponsor::{NonComplianceFinding, Sponsor};
