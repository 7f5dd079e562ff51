//! Reminders before a credential expires: 90 and 30 days ahead.

use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryReminder {
    NinetyDays,
    ThirtyDays,
}

impl ExpiryReminder {
    pub const fn days(self) -> u32 {
        match self {
            ExpiryReminder::NinetyDays => 90,
            ExpiryReminder::ThirtyDays => 30,
        }
    }
}

/// The reminder due on `today`, if any. A sweep that ran late sends only
/// the nearer reminder: a 90-day notice with 20 days left would mislead.
pub fn expiry_reminder_due(
    expires_on: NaiveDate,
    today: NaiveDate,
    sent_90: bool,
    sent_30: bool,
) -> Option<ExpiryReminder> {
    let days_left = (expires_on - today).num_days();
    if days_left <= 0 {
        None
    } else if days_left <= 30 {
        (!sent_30).then_some(ExpiryReminder::ThirtyDays)
    } else if days_left <= 90 {
        (!sent_90).then_some(ExpiryReminder::NinetyDays)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ExpiryReminder::*;

    #[test]
    fn ninety_then_thirty_days_before_and_never_twice() {
        let expires = NaiveDate::from_ymd_opt(2027, 6, 30).unwrap();
        let before = |days: u64| expires - chrono::Days::new(days);
        // (days before expiry, sent 90, sent 30, due)
        let cases = [
            (91, false, false, None),
            (90, false, false, Some(NinetyDays)),
            (31, false, false, Some(NinetyDays)),
            (31, true, false, None),
            (30, true, false, Some(ThirtyDays)),
            (20, false, false, Some(ThirtyDays)),
            (1, true, true, None),
            (0, false, false, None),
        ];
        for (days, sent_90, sent_30, due) in cases {
            assert_eq!(
                expiry_reminder_due(expires, before(days), sent_90, sent_30),
                due,
                "{days} days before, sent 90 {sent_90}, sent 30 {sent_30}"
            );
        }
    }
}
