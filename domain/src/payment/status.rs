//! Where a payment stands.

/// Where a payment stands. `succeeded` submits the application in the same
/// transaction; `failed` and `canceled` leave the application payable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaymentStatus {
    RequiresPaymentMethod,
    /// Being charged, or waiting for the gateway to settle it.
    Processing,
    Succeeded,
    Failed,
    Canceled,
}

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 5] = [
        PaymentStatus::RequiresPaymentMethod,
        PaymentStatus::Processing,
        PaymentStatus::Succeeded,
        PaymentStatus::Failed,
        PaymentStatus::Canceled,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::RequiresPaymentMethod => "requires_payment_method",
            PaymentStatus::Processing => "processing",
            PaymentStatus::Succeeded => "succeeded",
            PaymentStatus::Failed => "failed",
            PaymentStatus::Canceled => "canceled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Whether its money is still moving: charged, or awaiting the
    /// gateway's word. Only such a payment is settled by a gateway event,
    /// and while one is, its application waits for the outcome.
    pub const fn being_processed(self) -> bool {
        matches!(self, PaymentStatus::Processing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip() {
        for status in PaymentStatus::ALL {
            assert_eq!(PaymentStatus::parse(status.as_str()), Some(status));
        }
    }

    #[test]
    fn only_a_processing_payment_is_being_processed() {
        for status in PaymentStatus::ALL {
            assert_eq!(
                status.being_processed(),
                status == PaymentStatus::Processing,
                "{status:?}"
            );
        }
    }
}
