//! Training events a credentialed trainer gives (Sec. 11) and the
//! attendance entered for them (Sec. 12(1)(a)).
//!
//! - [`purpose`]: what an event trains toward, as the contract names it.
//! - [`county`]: where a face-to-face event was held.
//! - [`event`]: the event, and every rule of Sec. 5(2)–11 it must meet.
//! - [`attendance`]: the roster, its rows' rules (Sec. 11(1), 11(11)) and
//!   the ten days of Sec. 12(1)(a).
//! - [`certificate`]: the certificates of Sec. 12(2) issued for a roster.

pub mod attendance;
pub mod certificate;
pub mod county;
pub mod event;
pub mod purpose;

pub use attendance::{
    AttendanceRecord, EmployerAtTraining, PreviousOnlineTraining, Trainee, TraineeMatch,
    attendance_late, check_trainee,
};
pub use county::County;
pub use event::{EventPlan, TrainerOnEvent, TrainingEvent, check_event};
pub use purpose::{parse_purpose, purpose_name};
