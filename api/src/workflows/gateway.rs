//! The payment processor, behind a trait so a real one can be plugged in.

/// What the processor answered to a charge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChargeOutcome {
    Succeeded {
        reference: String,
    },
    Declined {
        reason: String,
    },
    /// Accepted but not settled: a webhook will say how it ended.
    Pending {
        reference: String,
    },
}

pub trait Gateway: Send + Sync {
    /// Charges `amount_cents` with `method`. `payment_id` is passed as the
    /// processor's idempotency key, so a retried call never charges twice.
    fn charge(
        &self,
        payment_id: &str,
        amount_cents: i64,
        currency: &str,
        method: &str,
    ) -> ChargeOutcome;

    /// Gives back `amount_cents` of a settled charge: the processor's
    /// reference of the refund, or why it refused.
    fn refund(&self, charge_reference: &str, amount_cents: i64) -> Result<String, String>;
}

/// The built-in sandbox: test payment methods with fixed outcomes, as real
/// processors' test modes have.
#[derive(Debug, Default)]
pub struct Sandbox;

impl Gateway for Sandbox {
    fn charge(
        &self,
        payment_id: &str,
        _amount_cents: i64,
        _currency: &str,
        method: &str,
    ) -> ChargeOutcome {
        let reference = format!("sandbox_ch_{}", payment_id.replace('-', ""));
        match method {
            "pm_card_visa" => ChargeOutcome::Succeeded { reference },
            "pm_card_chargeDeclined" => ChargeOutcome::Declined {
                reason: "Your card was declined.".to_owned(),
            },
            "pm_card_processing" => ChargeOutcome::Pending { reference },
            _ => ChargeOutcome::Declined {
                reason: format!("{method} is not a sandbox payment method"),
            },
        }
    }

    fn refund(&self, charge_reference: &str, amount_cents: i64) -> Result<String, String> {
        if amount_cents <= 0 {
            return Err("a refund must be positive".to_owned());
        }
        let charge = charge_reference.trim_start_matches("sandbox_ch_");
        Ok(format!(
            "sandbox_re_{charge}_{}",
            uuid::Uuid::new_v4().simple()
        ))
    }
}
