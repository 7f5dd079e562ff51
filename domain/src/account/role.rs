/// Who is acting. Applicants own their records; certification specialists
/// review applications; admins act for the cabinet (the commissioner's
/// designee in Sec. 14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Applicant,
    Specialist,
    Admin,
}

impl Role {
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::Specialist => "specialist",
            Role::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "applicant" => Some(Role::Applicant),
            "specialist" => Some(Role::Specialist),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    pub fn is_staff(&self) -> bool {
        matches!(self, Role::Specialist | Role::Admin)
    }
}
