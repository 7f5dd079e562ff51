//! The operator's caps on what one applicant may keep at once. The
//! regulation sets no number; the caps keep one account from filling the
//! store or the review queue (the values are settings, see `api::config`).

use crate::DomainError;

/// Refuses another attachment on an element already holding `held` of at
/// most `max`.
pub fn check_attachment_room(held: usize, max: u32) -> Result<(), DomainError> {
    if held >= max as usize {
        return Err(DomainError::AttachmentLimitReached(max));
    }
    Ok(())
}

/// Refuses another application while the applicant has `open` ones (not
/// closed: see `ApplicationStatus::closes`) of at most `max`.
pub fn check_open_application_room(open: usize, max: u32) -> Result<(), DomainError> {
    if open >= max as usize {
        return Err(DomainError::OpenApplicationLimitReached(max));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn room_is_left_below_the_cap_only() {
        // (held, max, allowed)
        let cases = [(0, 1, true), (4, 5, true), (5, 5, false), (9, 5, false)];
        for (held, max, allowed) in cases {
            assert_eq!(check_attachment_room(held, max).is_ok(), allowed);
            assert_eq!(check_open_application_room(held, max).is_ok(), allowed);
        }
        assert_eq!(
            check_attachment_room(5, 5).unwrap_err().code(),
            ErrorCode::AttachmentLimitReached
        );
        assert_eq!(
            check_open_application_room(3, 3).unwrap_err().code(),
            ErrorCode::OpenApplicationLimitReached
        );
    }
}
