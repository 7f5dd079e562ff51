//! Date arithmetic shared by every period of the regulation.
//!
//! Readings (also in `docs/RULES.md`):
//! - "Days" are calendar days; the regulation says "working days" where it
//!   means them (Sec. 16(2)). A deadline that falls on a weekend is not moved.
//! - A period of N years that starts on a date ends on the same month and day
//!   N years later. From 29 February it ends on 28 February of a common year
//!   (chrono's month arithmetic clamps to the end of the month): three years
//!   after 2024-02-29 is 2027-02-28, and someone born on 2004-02-29 is 21 on
//!   2025-02-28. One rule for ages, validity, bans and look-back windows.
//! - Working days are Monday to Friday. Kentucky state holidays are set each
//!   year by the Personnel Cabinet and are not in the regulation's text; the
//!   caller who knows them passes them to `working_days_after_excluding`.
//! - Nothing here fails: beyond chrono's last representable date (year
//!   262142) results saturate at `NaiveDate::MAX`/`MIN`.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// The same month and day `years` later (29 February → 28 February).
pub fn add_years(date: NaiveDate, years: u32) -> NaiveDate {
    date.checked_add_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(NaiveDate::MAX)
}

pub fn add_days(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX)
}

pub fn sub_days(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_sub_days(Days::new(days))
        .unwrap_or(NaiveDate::MIN)
}

/// Whole years from `from` to `on` (an age, the age of a record); negative
/// when `on` is before `from`. Consistent with `add_years`: the count goes up
/// on the day `add_years(from, n)` is reached.
pub fn whole_years_between(from: NaiveDate, on: NaiveDate) -> i32 {
    if on < from {
        return -whole_years_between(on, from);
    }
    let mut years = on.year() - from.year();
    while years > 0 && add_years(from, years.unsigned_abs()) > on {
        years -= 1;
    }
    years
}

fn is_weekday(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The `n`th working day (Monday–Friday) after `date`, not counting `date`
/// itself. State holidays are not modelled here; see
/// `working_days_after_excluding`.
pub fn working_days_after(date: NaiveDate, n: u32) -> NaiveDate {
    working_days_after_excluding(date, n, &[])
}

/// As `working_days_after`, also skipping the given holidays.
pub fn working_days_after_excluding(date: NaiveDate, n: u32, holidays: &[NaiveDate]) -> NaiveDate {
    let mut day = date;
    let mut counted = 0;
    while counted < n {
        let next = add_days(day, 1);
        if next == day {
            return NaiveDate::MAX;
        }
        day = next;
        if is_weekday(day) && !holidays.contains(&day) {
            counted += 1;
        }
    }
    day
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn d(raw: &str) -> NaiveDate {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn years_keep_month_and_day_and_clamp_leap_day() {
        let cases = [
            ("2024-05-10", 3, "2027-05-10"),
            ("2024-02-29", 3, "2027-02-28"),
            ("2024-02-29", 4, "2028-02-29"),
            ("2023-12-31", 1, "2024-12-31"),
        ];
        for (from, years, to) in cases {
            assert_eq!(add_years(d(from), years), d(to), "{from} + {years}y");
        }
        assert_eq!(add_years(NaiveDate::MAX, 1), NaiveDate::MAX);
    }

    #[test]
    fn whole_years_count_up_on_the_anniversary() {
        let cases = [
            ("2004-05-10", "2025-05-09", 20),
            ("2004-05-10", "2025-05-10", 21),
            ("2004-02-29", "2025-02-27", 20),
            ("2004-02-29", "2025-02-28", 21),
            ("2004-02-29", "2024-02-29", 20),
            ("2025-01-01", "2024-01-01", -1),
        ];
        for (from, on, years) in cases {
            assert_eq!(whole_years_between(d(from), d(on)), years, "{from} → {on}");
        }
    }

    #[test]
    fn working_days_skip_weekends_and_given_holidays() {
        // 2025-01-03 is a Friday.
        let cases = [
            ("2025-01-03", 1, "2025-01-06"),
            ("2025-01-03", 10, "2025-01-17"),
            ("2025-01-04", 10, "2025-01-17"), // received on a Saturday
            ("2025-01-06", 0, "2025-01-06"),
        ];
        for (from, n, to) in cases {
            assert_eq!(
                working_days_after(d(from), n),
                d(to),
                "{from} + {n} working days"
            );
        }
        // Martin Luther King Jr. Day, 2025-01-20.
        assert_eq!(
            working_days_after_excluding(d("2025-01-17"), 1, &[d("2025-01-20")]),
            d("2025-01-21")
        );
    }
}
