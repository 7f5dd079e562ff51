//! Domain enums on the wire: parsed and documented from the domain's own
//! names, so the contract cannot drift from the rules.

use kecs_domain::application::{ElementKey, RequestType};
use kecs_domain::approval::PreapprovalStatus;
use kecs_domain::approval::agency::{AgencyStatus, AreaDevelopmentDistrict};
use kecs_domain::approval::cda_instruction::CdaPart;
use kecs_domain::rules::preapproval::EventKind;
use kecs_domain::rules::{CeCategory, DegreeField, DegreeLevel, Level, Topic};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

/// `$wire` documented as the enum of `$domain`'s own names (its `ALL`, each
/// `as_str`).
macro_rules! enum_schema {
    ($wire:ident, $domain:ty, $description:literal) => {
        impl utoipa::PartialSchema for $wire {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some($description))
                    .enum_values(Some(<$domain>::ALL.iter().map(|value| value.as_str())))
                    .into()
            }
        }

        impl ToSchema for $wire {}
    };
}

/// A domain enum on the wire: parsed and documented from the domain's own
/// names, so the contract cannot drift from the rules.
macro_rules! wire_enum {
    ($wire:ident, $domain:ty, $description:literal) => {
        #[derive(Debug, Clone, Copy)]
        pub struct $wire(pub $domain);

        impl<'de> Deserialize<'de> for $wire {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(deserializer)?;
                <$domain>::parse(&raw)
                    .map($wire)
                    .map_err(serde::de::Error::custom)
            }
        }

        impl Serialize for $wire {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.0.as_str())
            }
        }

        enum_schema!($wire, $domain, $description);
    };
}

wire_enum!(LevelName, Level, "A trainer's credential level (Sec. 5-10)");
wire_enum!(
    TopicName,
    Topic,
    "A topic of early care and education (Sec. 2(5))"
);
wire_enum!(DegreeLevelName, DegreeLevel, "A degree's level");
wire_enum!(
    DegreeFieldName,
    DegreeField,
    "A degree's field: early care and education, related, or not related"
);
wire_enum!(
    CeCategoryName,
    CeCategory,
    "A continuing-education category (Sec. 13(3)(b))"
);

wire_enum!(
    EventKindName,
    EventKind,
    "A kind of event of Sec. 16(1); online_training is applied for on DCC-201a, the others on DCC-201"
);
wire_enum!(
    PreapprovalStatusName,
    PreapprovalStatus,
    "Where an application for preapproval stands: draft, submitted (the cabinet's ten working days run), information_requested (the clock stops), approved, denied"
);
wire_enum!(
    DistrictName,
    AreaDevelopmentDistrict,
    "One of Kentucky's fifteen Area Development Districts"
);
wire_enum!(
    AgencyStatusName,
    AgencyStatus,
    "Where a training agency's application stands: submitted (decided within 45 days, Sec. 18(1)(b)), approved (on the list, 18(1)(c)), denied"
);
wire_enum!(
    CdaPartName,
    CdaPart,
    "Which sixty clock hours of Sec. 18(3): (a) toward the Commonwealth Child Care Credential, (b) the additional hours toward the CDA"
);

wire_enum!(
    RequestTypeName,
    RequestType,
    "A request type: what an application asks for"
);

/// An element key on the wire (its names come from the domain).
#[derive(Debug, Clone, Copy)]
pub struct ElementKeyName(pub ElementKey);

impl Serialize for ElementKeyName {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.as_str())
    }
}

impl utoipa::PartialSchema for ElementKeyName {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("An element of an application"))
            .enum_values(Some(ElementKey::ALL.iter().map(|key| key.as_str())))
            .into()
    }
}

impl ToSchema for ElementKeyName {}

/// A domain status the API writes but never reads: documented as its enum
/// of the domain's own names, so a generated client gets a type of its
/// values (the field itself stays the domain's `as_str`).
macro_rules! written_enum {
    ($wire:ident, $domain:ty, $description:literal) => {
        pub struct $wire;

        enum_schema!($wire, $domain, $description);
    };
}

written_enum!(
    PaymentStatusName,
    kecs_domain::payment::PaymentStatus,
    "Where a payment stands"
);
written_enum!(
    ApplicationStatusName,
    kecs_domain::application::ApplicationStatus,
    "Where an application stands"
);
