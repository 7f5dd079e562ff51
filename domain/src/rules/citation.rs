//! Where in 922 KAR 2:240 a rule comes from.

use std::fmt;

/// The regulation every rule of this module comes from.
pub const REGULATION: &str = "922 KAR 2:240";

/// A place in 922 KAR 2:240, written the way Kentucky cites its administrative
/// regulations: `922 KAR 2:240 Section 7(1)(a)2`.
///
/// Kept as a section number plus the subdivision text (`"(1)(a)2"`) so that
/// callers can group findings by section without parsing the string, and so
/// that every citation is a compile-time constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Citation {
    section: u8,
    subdivision: &'static str,
}

impl Citation {
    /// `section` is the section number (1–19); `subdivision` the rest as the
    /// regulation writes it, e.g. `"(1)(a)2"`, or `""` for a whole section.
    pub const fn new(section: u8, subdivision: &'static str) -> Self {
        Self {
            section,
            subdivision,
        }
    }

    pub const fn section(&self) -> u8 {
        self.section
    }

    pub const fn subdivision(&self) -> &'static str {
        self.subdivision
    }
}

impl fmt::Display for Citation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{REGULATION} Section {}{}",
            self.section, self.subdivision
        )
    }
}

/// Shorthand for the tables of this module: `sec(7, "(1)(a)2")`.
pub(crate) const fn sec(section: u8, subdivision: &'static str) -> Citation {
    Citation::new(section, subdivision)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_as_kentucky_cites_it() {
        let cases = [
            (sec(7, "(1)(a)2"), "922 KAR 2:240 Section 7(1)(a)2"),
            (sec(6, "(1)(a)"), "922 KAR 2:240 Section 6(1)(a)"),
            (sec(4, ""), "922 KAR 2:240 Section 4"),
            (sec(13, "(3)(b)1"), "922 KAR 2:240 Section 13(3)(b)1"),
        ];
        for (citation, shown) in cases {
            assert_eq!(citation.to_string(), shown);
        }
    }

    #[test]
    fn exposes_the_section_for_grouping() {
        let citation = sec(13, "(3)(d)");
        assert_eq!(citation.section(), 13);
        assert_eq!(citation.subdivision(), "(3)(d)");
    }
}
