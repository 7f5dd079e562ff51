//! Password hashing and verification, a bounded number at a time. Each
//! argon2id run holds 19 MiB for its duration: unbounded, a burst of
//! sign-ins and registrations grows the process by gigabytes. Past the
//! bound a request waits briefly for a slot, then is answered 503 with
//! `Retry-After` ([`WorkflowError::Busy`]) rather than queued without end.

use crate::workflows::crypto::{self, HashMemory};
use crate::workflows::{WorkflowError, WorkflowResult};
use kecs_domain::account::Password;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// When a refused request may try again: one argon2id run takes well under
/// a second, so a slot is likely free by then.
const RETRY_AFTER_SECS: u64 = 1;

/// The argon2id port: every hash and every verification (the decoy one for
/// unknown usernames too) runs under one of its slots.
pub struct PasswordHashing {
    slots: Slots,
    wait: Duration,
}

impl PasswordHashing {
    /// At most `concurrency` (at least 1) at once; a caller waits up to
    /// `wait` for a slot.
    pub fn new(concurrency: usize, wait: Duration) -> Self {
        Self {
            slots: Slots::new(concurrency.max(1)),
            wait,
        }
    }

    pub fn hash(&self, password: &Password) -> WorkflowResult<String> {
        let mut slot = self.slot()?;
        crypto::hash_password(password, slot.memory()).map_err(WorkflowError::internal)
    }

    /// Whether `candidate` is the password of `stored_hash`.
    pub fn verify(&self, stored_hash: &str, candidate: &str) -> WorkflowResult<bool> {
        let mut slot = self.slot()?;
        Ok(crypto::verify_password(
            stored_hash,
            candidate,
            slot.memory(),
        ))
    }

    fn slot(&self) -> WorkflowResult<Slot<'_>> {
        self.slots.acquire(self.wait).ok_or(WorkflowError::Busy {
            retry_after_secs: RETRY_AFTER_SECS,
        })
    }
}

/// A counting semaphore on a std `Mutex` and `Condvar` rather than tokio's
/// `Semaphore`: hashing runs on blocking threads (`workflows::blocking`) and
/// in the CLI (`kecs staff add`, `seed-demo`), where no runtime exists to
/// await a permit, and a blocking wait with a deadline is what is needed
/// in both (`Condvar::wait_timeout`). Each free slot keeps the working
/// memory of the hash that last ran in it (allocated on first use), so
/// hashing never holds more than `count` buffers.
struct Slots {
    free: Mutex<Vec<Option<HashMemory>>>,
    freed: Condvar,
}

impl Slots {
    fn new(count: usize) -> Self {
        Self {
            free: Mutex::new((0..count).map(|_| None).collect()),
            freed: Condvar::new(),
        }
    }

    /// A poisoned lock only means a holder panicked; the slots are intact.
    fn lock(&self) -> MutexGuard<'_, Vec<Option<HashMemory>>> {
        self.free.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A slot, or `None` if none freed within `wait`.
    fn acquire(&self, wait: Duration) -> Option<Slot<'_>> {
        let deadline = Instant::now() + wait;
        let mut free = self.lock();
        while free.is_empty() {
            let left = deadline.checked_duration_since(Instant::now())?;
            if left.is_zero() {
                return None;
            }
            free = self
                .freed
                .wait_timeout(free, left)
                .map(|(guard, _)| guard)
                .unwrap_or_else(|e| e.into_inner().0);
        }
        let memory = free.pop().flatten();
        Some(Slot {
            slots: self,
            memory,
        })
    }
}

/// Held while one hash runs; dropping it frees the slot, with its memory,
/// for a waiter.
struct Slot<'a> {
    slots: &'a Slots,
    memory: Option<HashMemory>,
}

impl Slot<'_> {
    fn memory(&mut self) -> &mut HashMemory {
        self.memory.get_or_insert_with(HashMemory::new)
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.slots.lock().push(self.memory.take());
        self.slots.freed.notify_one();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn never_more_than_the_bound_run_at_once() {
        let slots = Slots::new(2);
        let running = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    let _slot = slots.acquire(Duration::from_secs(30)).unwrap();
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        assert_eq!(most.load(Ordering::SeqCst), 2);
        assert_eq!(slots.lock().len(), 2, "every slot came back");
    }

    #[test]
    fn a_caller_gives_up_after_its_wait_and_a_freed_slot_is_taken_again() {
        let slots = Slots::new(1);
        let held = slots.acquire(Duration::ZERO).unwrap();
        let started = Instant::now();
        assert!(slots.acquire(Duration::from_millis(50)).is_none());
        assert!(started.elapsed() >= Duration::from_millis(50));
        assert!(slots.acquire(Duration::ZERO).is_none());
        std::thread::scope(|scope| {
            let waiter = scope.spawn(|| slots.acquire(Duration::from_secs(5)).is_some());
            std::thread::sleep(Duration::from_millis(30));
            drop(held);
            assert!(waiter.join().unwrap(), "the waiter gets the freed slot");
        });
    }

    #[test]
    fn each_slot_keeps_its_memory_for_the_next_hash() {
        let hashing = PasswordHashing::new(2, Duration::ZERO);
        let password = Password::parse("Correct-Horse-9-Battery").unwrap();
        let stored = hashing.hash(&password).unwrap();
        assert!(hashing.verify(&stored, "Correct-Horse-9-Battery").unwrap());
        let kept = hashing.slots.lock().iter().filter(|m| m.is_some()).count();
        assert_eq!(kept, 1, "one buffer, reused by the verification");
    }

    #[test]
    fn a_busy_port_answers_busy_with_when_to_retry() {
        let hashing = PasswordHashing::new(1, Duration::ZERO);
        let _held = hashing.slot().unwrap();
        assert!(matches!(
            hashing.verify("not a hash", "anything"),
            Err(WorkflowError::Busy {
                retry_after_secs: RETRY_AFTER_SECS
            })
        ));
    }
}
