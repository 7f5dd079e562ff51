//! The quantities the regulation counts: clock hours, credit hours and years
//! of experience.
//!
//! Each is kept in a whole sub-unit (minutes, hundredths of a credit hour,
//! months) so that comparisons with the regulation's thresholds are exact and
//! the 15-minute steps of Sec. 11(5) need no floating point.

use std::fmt;
use std::iter::Sum;
use std::ops::Add;

/// Why a number, or a name, given for the rules engine was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParseError {
    #[error("{quantity} must be a finite number")]
    NotFinite { quantity: &'static str },
    #[error("{quantity} must not be negative (got {value})")]
    Negative { quantity: &'static str, value: f64 },
    #[error("{quantity} is too large (got {value})")]
    TooLarge { quantity: &'static str, value: f64 },
    #[error("{value:?} is not a known {kind}; expected one of: {expected}")]
    Unknown {
        kind: &'static str,
        value: String,
        expected: &'static str,
    },
}

/// Slack for binary floating point: `0.29 * 100` is `28.999999999999996`.
/// Anything finer than a millionth of the sub-unit is an artefact, not data.
const FLOAT_SLACK: f64 = 1e-6;

/// Converts a non-negative amount into whole sub-units, rounding *down*.
///
/// Rounding down is the cautious choice: 6.999 clock hours are not the seven
/// clock hours of Sec. 13(3)(b)1. Because every threshold of the regulation is
/// a whole number of units, comparing the floored sub-units is the same as
/// comparing the exact amounts.
fn to_sub_units(value: f64, per_unit: u32, quantity: &'static str) -> Result<u32, ParseError> {
    if !value.is_finite() {
        return Err(ParseError::NotFinite { quantity });
    }
    if value < 0.0 {
        return Err(ParseError::Negative { quantity, value });
    }
    let scaled = (value * f64::from(per_unit) + FLOAT_SLACK).floor();
    if scaled > f64::from(u32::MAX) {
        return Err(ParseError::TooLarge { quantity, value });
    }
    // In range and integral: the cast is exact.
    Ok(scaled as u32)
}

/// Writes `units / per_unit` with at most two decimals and no trailing zeros:
/// `1.25`, `45`, `2.5`.
fn write_decimal(f: &mut fmt::Formatter<'_>, sub_units: u32, per_unit: u32) -> fmt::Result {
    let per_unit = u64::from(per_unit);
    let hundredths = (u64::from(sub_units) * 100 + per_unit / 2) / per_unit;
    let whole = hundredths / 100;
    let fraction = hundredths % 100;
    if fraction == 0 {
        write!(f, "{whole}")
    } else if fraction % 10 == 0 {
        write!(f, "{whole}.{}", fraction / 10)
    } else {
        write!(f, "{whole}.{fraction:02}")
    }
}

/// Clock hours, Sec. 1(4): "a sixty (60) minute period of instruction".
/// Stored as whole minutes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClockHours(u32);

impl ClockHours {
    pub const ZERO: Self = Self(0);

    /// Hours as a client sends them (`1.25`). Negative, NaN and infinite are
    /// refused; anything below a whole minute is dropped (see `to_sub_units`).
    pub fn parse(hours: f64) -> Result<Self, ParseError> {
        to_sub_units(hours, 60, "clock hours").map(Self)
    }

    pub const fn from_minutes(minutes: u32) -> Self {
        Self(minutes)
    }

    /// Whole clock hours, for the regulation's thresholds.
    pub const fn whole(hours: u32) -> Self {
        Self(hours.saturating_mul(60))
    }

    pub const fn minutes(self) -> u32 {
        self.0
    }

    pub fn as_hours(self) -> f64 {
        f64::from(self.0) / 60.0
    }

    /// What is still missing to reach `target` (zero when reached).
    pub const fn shortfall_to(self, target: Self) -> Self {
        Self(target.0.saturating_sub(self.0))
    }
}

impl Add for ClockHours {
    type Output = Self;

    fn add(self, other: Self) -> Self {
        Self(self.0.saturating_add(other.0))
    }
}

impl Sum for ClockHours {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::ZERO, Add::add)
    }
}

impl fmt::Display for ClockHours {
    /// The number of hours, e.g. `1.25`; the unit is the caller's sentence.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_decimal(f, self.0, 60)
    }
}

/// College credit hours ("the equivalent of thirty (30) credit hours",
/// Sec. 7(1)(a)1.b). Stored in hundredths so that 29.99 is below 30.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CreditHours(u32);

impl CreditHours {
    pub const ZERO: Self = Self(0);

    /// Credit hours as a client sends them (`29.5`); negative, NaN, infinite
    /// refused.
    pub fn parse(credit_hours: f64) -> Result<Self, ParseError> {
        to_sub_units(credit_hours, 100, "credit hours").map(Self)
    }

    pub const fn whole(credit_hours: u32) -> Self {
        Self(credit_hours.saturating_mul(100))
    }

    pub const fn from_hundredths(hundredths: u32) -> Self {
        Self(hundredths)
    }

    pub const fn hundredths(self) -> u32 {
        self.0
    }

    pub fn as_credit_hours(self) -> f64 {
        f64::from(self.0) / 100.0
    }
}

impl Add for CreditHours {
    type Output = Self;

    fn add(self, other: Self) -> Self {
        Self(self.0.saturating_add(other.0))
    }
}

impl fmt::Display for CreditHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_decimal(f, self.0, 100)
    }
}

/// Years of full-time, paid experience (Sec. 1(5): at least 30 hours a week
/// "or the equivalent"). Stored as whole months.
///
/// The engine takes *full-time-equivalent* years: turning part-time work into
/// its full-time equivalent, and the cabinet's "or equivalent, as approved by
/// the cabinet" of Sec. 6(1)(a)1.b, are decisions on the documents, made
/// before the engine is asked. Every threshold is a whole number of years, so
/// counting in floored months decides exactly as counting in years would:
/// 2.99 years are 35 months, short of the 36 that three years need.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExperienceYears(u32);

impl ExperienceYears {
    pub const ZERO: Self = Self(0);

    /// Years as a client sends them (`2.5`); negative, NaN, infinite refused.
    pub fn parse(years: f64) -> Result<Self, ParseError> {
        to_sub_units(years, 12, "years of experience").map(Self)
    }

    pub const fn whole(years: u32) -> Self {
        Self(years.saturating_mul(12))
    }

    pub const fn from_months(months: u32) -> Self {
        Self(months)
    }

    pub const fn months(self) -> u32 {
        self.0
    }

    pub fn as_years(self) -> f64 {
        f64::from(self.0) / 12.0
    }
}

impl Add for ExperienceYears {
    type Output = Self;

    fn add(self, other: Self) -> Self {
        Self(self.0.saturating_add(other.0))
    }
}

impl fmt::Display for ExperienceYears {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_decimal(f, self.0, 12)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn clock_hours_are_whole_minutes() {
        let cases = [
            (0.0, 0),
            (1.0, 60),
            (1.25, 75),
            (1.3, 78),
            (17.0, 1020),
            (6.999, 419), // just short of 7 stays short
            (0.29, 17),   // 17.4 minutes: the fraction of a minute is dropped
        ];
        for (hours, minutes) in cases {
            assert_eq!(
                ClockHours::parse(hours).unwrap().minutes(),
                minutes,
                "{hours}"
            );
        }
    }

    #[test]
    fn quantities_refuse_negative_nan_and_infinite() {
        let bad = [-0.25, f64::NAN, f64::INFINITY, f64::NEG_INFINITY];
        for value in bad {
            assert!(ClockHours::parse(value).is_err(), "{value}");
            assert!(CreditHours::parse(value).is_err(), "{value}");
            assert!(ExperienceYears::parse(value).is_err(), "{value}");
        }
        assert!(ClockHours::parse(1e12).is_err());
        assert_eq!(ClockHours::parse(-0.0).unwrap(), ClockHours::ZERO);
    }

    #[test]
    fn refusals_say_what_and_why() {
        let err = ClockHours::parse(-1.0).unwrap_err();
        assert_eq!(err.to_string(), "clock hours must not be negative (got -1)");
        let err = CreditHours::parse(f64::NAN).unwrap_err();
        assert_eq!(err.to_string(), "credit hours must be a finite number");
    }

    #[test]
    fn credit_hours_keep_hundredths() {
        assert!(CreditHours::parse(29.99).unwrap() < CreditHours::whole(30));
        assert_eq!(CreditHours::parse(30.0).unwrap(), CreditHours::whole(30));
        assert_eq!(CreditHours::parse(0.29).unwrap().hundredths(), 29);
    }

    #[test]
    fn experience_years_are_whole_months() {
        assert_eq!(ExperienceYears::parse(2.5).unwrap().months(), 30);
        assert!(ExperienceYears::parse(2.99).unwrap() < ExperienceYears::whole(3));
        assert_eq!(
            ExperienceYears::parse(3.0).unwrap(),
            ExperienceYears::whole(3)
        );
    }

    #[test]
    fn display_is_a_short_decimal() {
        assert_eq!(ClockHours::from_minutes(75).to_string(), "1.25");
        assert_eq!(ClockHours::whole(45).to_string(), "45");
        assert_eq!(ClockHours::from_minutes(20).to_string(), "0.33");
        assert_eq!(ExperienceYears::from_months(30).to_string(), "2.5");
        assert_eq!(CreditHours::from_hundredths(2999).to_string(), "29.99");
    }

    #[test]
    fn clock_hours_add_and_sum_without_overflow() {
        let total: ClockHours = [ClockHours::whole(7), ClockHours::from_minutes(30)]
            .into_iter()
            .sum();
        assert_eq!(total.minutes(), 450);
        let huge = ClockHours::from_minutes(u32::MAX) + ClockHours::whole(1);
        assert_eq!(huge.minutes(), u32::MAX);
        assert_eq!(
            ClockHours::whole(5).shortfall_to(ClockHours::whole(7)),
            ClockHours::whole(2)
        );
    }
}
