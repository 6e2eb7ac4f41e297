//! Password hashing (argon2id, OWASP parameters) and the password policy.
//!
//! Hashing is deliberately expensive (12 MiB and tens of ms each), so it runs on
//! threads of its own, one fewer than the cores: a login flood queues for them
//! instead of exhausting memory or the blocking pool. They run at a lower
//! scheduling priority (nice [`HASHER_NICENESS`]), so while they hash, every
//! other request still gets the CPU first: a flood of logins slows logins, not
//! the catalogue (bench/RESULTS.md, "login flood").

use std::sync::{Arc, LazyLock, Mutex, mpsc};

use argon2::password_hash::phc::PasswordHash;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use rand::RngCore;
use tokio::sync::oneshot;

use crate::config::{cores, derived_password_hashes};
use crate::error::{ApiError, FieldError};

/// Minimum and maximum length in characters (NIST SP 800-63B; no truncation).
pub const MIN_LENGTH: usize = 8;
/// See [`MIN_LENGTH`].
pub const MAX_LENGTH: usize = 128;

/// Lowers the calling thread's scheduling priority to [`HASHER_NICENESS`]
/// (on Linux a nice level belongs to the thread; elsewhere nothing happens).
fn lower_this_threads_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only changes this thread's nice level (who = 0 is
    // the calling thread on Linux); a failure leaves the priority as it was.
    unsafe {
        let _ = libc::setpriority(libc::PRIO_PROCESS, 0, HASHER_NICENESS);
    }
}

/// How long a hashing thread rests after `busy` of hashing so that it hashes
/// at most `busy_percent` (1-100) of its time.
fn rest_after(busy: std::time::Duration, busy_percent: u32) -> std::time::Duration {
    let busy_percent = busy_percent.clamp(1, 100);
    busy * (100 - busy_percent) / busy_percent
}

/// The CPU time the calling thread has used: what a hash cost it, whatever
/// the wait for a core around it (wall time would count that wait too).
fn this_threads_cpu_time() -> std::time::Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes the thread's CPU clock into `now`, a
    // valid timespec; on failure it is left at zero (no rest).
    unsafe {
        libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &raw mut now);
    }
    std::time::Duration::new(
        u64::try_from(now.tv_sec).unwrap_or(0),
        u32::try_from(now.tv_nsec).unwrap_or(0),
    )
}

/// A hash of a random password with the current parameters, verified against when
/// the account does not exist so that unknown emails cost the same time.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let mut random = [0u8; 24];
    rand::rng().fill_bytes(&mut random);
    hash_now(&base64_url(&random)).expect("hash a random password")
});

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// argon2id with OWASP's m = 12 MiB, t = 3, p = 1: as strong as the crate's
/// default (m = 19 MiB, t = 2; OWASP lists both), with 7 MiB less held by
/// each hash under way, which a login flood multiplies (bench/RESULTS.md).
const MEMORY_KIB: u32 = 12_288;
/// See [`MEMORY_KIB`].
const PASSES: u32 = 3;

fn hasher() -> Argon2<'static> {
    let params = argon2::Params::new(MEMORY_KIB, PASSES, 1, None)
        .expect("OWASP's argon2 parameters are valid");
    Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
}

fn hash_now(password: &str) -> Result<String, argon2::password_hash::Error> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    hasher()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
}

/// Whether a stored hash was made with other parameters than today's
/// (argon2id v19, [`MEMORY_KIB`], [`PASSES`], p = 1): a hash of the crate's
/// default (m = 19456, t = 2) is replaced at its next successful login.
fn is_outdated(stored: &str) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else {
        return true;
    };
    let get = |name: &str| hash.params.get_decimal(name);
    hash.algorithm.as_str() != "argon2id"
        || hash.version != Some(0x13)
        || get("m") != Some(MEMORY_KIB)
        || get("t") != Some(PASSES)
        || get("p") != Some(1)
}

/// The outcome of checking a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The password matches.
    pub matches: bool,
    /// The password matches and the stored hash should be replaced by this one.
    pub rehashed: Option<String>,
}

/// How much lower the hashing threads' priority is than the rest of the
/// server (Linux nice levels, 0-19): at 10 a hashing thread gets about a tenth
/// of a core that a request thread also wants.
pub const HASHER_NICENESS: i32 = 10;

/// A piece of hashing work for a hasher thread.
type Job = Box<dyn FnOnce() + Send>;

/// Hashes and verifies passwords on a fixed set of low-priority threads.
#[derive(Clone)]
pub struct Passwords {
    jobs: mpsc::Sender<Job>,
}

impl Passwords {
    /// `concurrency` hashing threads that hash whenever there is work (for
    /// the operator's commands); see [`Passwords::resting`].
    pub fn new(concurrency: usize) -> Self {
        Self::resting(concurrency, 100)
    }

    /// `concurrency` hashing threads; 0 derives it from the cores (see
    /// [`derived_password_hashes`]). Each thread spends at most `busy_percent`
    /// of its time hashing: after a hash that took `c` of its CPU it rests
    /// `c × (100 − busy_percent) / busy_percent` before taking the next. Its
    /// answer goes out before the rest, so a lone login is as fast as ever;
    /// only a hash that arrives during a rest waits for it, and a flood gets
    /// fewer logins a second while the rest of the server keeps the CPU they
    /// would have taken (bench/RESULTS.md).
    /// The threads end when the last clone of this handle is dropped.
    pub fn resting(concurrency: usize, busy_percent: u32) -> Self {
        let threads = derived_password_hashes(concurrency, cores());
        LazyLock::force(&DUMMY_HASH);
        // Jobs wait here in arrival order for the next free thread.
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..threads {
            let queue = Arc::clone(&queue);
            std::thread::Builder::new()
                .name(format!("hasher-{n}"))
                .spawn(move || {
                    lower_this_threads_priority();
                    loop {
                        let job = queue.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        let Ok(job) = job else { return };
                        let before = this_threads_cpu_time();
                        job();
                        let busy = this_threads_cpu_time().saturating_sub(before);
                        std::thread::sleep(rest_after(busy, busy_percent));
                    }
                })
                .expect("spawn a password hashing thread");
        }
        Self { jobs }
    }

    async fn bounded<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = answer.send(work());
        });
        self.jobs
            .send(job)
            .map_err(|_| ApiError::internal("the password hashing threads have stopped"))?;
        answered
            .await
            .map_err(|e| ApiError::internal(format!("password hashing thread: {e}")))
    }

    /// Hashes a new password.
    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        self.bounded(move || hash_now(&password))
            .await?
            .map_err(|e| ApiError::internal(format!("argon2: {e}")))
    }

    /// Verifies `password` against `stored`, or against a dummy hash when there is
    /// no account, so both cases cost the same. A match on an outdated hash
    /// returns a fresh hash to store.
    pub async fn verify(
        &self,
        password: String,
        stored: Option<String>,
    ) -> Result<Verified, ApiError> {
        self.bounded(move || {
            let exists = stored.is_some();
            let hash = stored.unwrap_or_else(|| DUMMY_HASH.clone());
            let matches = exists
                && hasher()
                    .verify_password(password.as_bytes(), hash.as_str())
                    .is_ok();
            let rehashed = (matches && is_outdated(&hash))
                .then(|| hash_now(&password).ok())
                .flatten();
            // Keep the timing of a miss on an unknown account like a real miss.
            if !exists {
                let _ = hasher().verify_password(password.as_bytes(), hash.as_str());
            }
            Verified { matches, rehashed }
        })
        .await
    }
}

/// Checks a new password against the policy: 8-128 characters, not a common or
/// easily guessed password (zxcvbn score of at least 2, with the account's own
/// email and name counted as guessable). No composition rules.
pub fn check_policy(field: &str, password: &str, personal: &[&str]) -> Result<(), FieldError> {
    let length = password.chars().count();
    if !(MIN_LENGTH..=MAX_LENGTH).contains(&length) {
        return Err(FieldError::new(
            field,
            "invalid_length",
            format!("must be {MIN_LENGTH}-{MAX_LENGTH} characters"),
        ));
    }
    let estimate = zxcvbn::zxcvbn(password, personal);
    if estimate.score() < zxcvbn::Score::Two {
        let hint = estimate
            .feedback()
            .and_then(|f| f.warning())
            .map(|w| format!(" ({w})"))
            .unwrap_or_default();
        return Err(FieldError::new(
            field,
            "too_common",
            format!("is too common or easy to guess{hint}; try a longer phrase"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_checks_length_and_guessability() {
        assert!(check_policy("password", "short", &[]).is_err());
        assert!(check_policy("password", &"x".repeat(129), &[]).is_err());
        for common in [
            "password",
            "password1",
            "12345678",
            "qwertyuiop",
            "iloveyou",
        ] {
            let err = check_policy("password", common, &[]).unwrap_err();
            assert_eq!(err.code, "too_common", "{common}");
        }
        let personal = check_policy(
            "password",
            "ann.smith@example.org",
            &["ann.smith@example.org"],
        );
        assert!(personal.is_err());
        assert!(check_policy("password", "copper kettle under the stairs", &[]).is_ok());
        // Long passphrases are kept whole: no truncation at 72 bytes as in bcrypt.
        assert!(check_policy("password", &"blue whale ".repeat(11), &[]).is_ok());
    }

    #[test]
    fn a_hashing_thread_rests_what_keeps_it_to_its_share() {
        let busy = std::time::Duration::from_millis(40);
        assert_eq!(rest_after(busy, 50), busy);
        assert_eq!(rest_after(busy, 25), busy * 3);
        assert_eq!(rest_after(busy, 100), std::time::Duration::ZERO);
        // Out-of-range settings are refused at load; here they clamp.
        assert_eq!(rest_after(busy, 0), busy * 99);
    }

    #[test]
    fn a_thread_counts_its_own_cpu_time() {
        let before = this_threads_cpu_time();
        let spun = std::time::Instant::now();
        while spun.elapsed() < std::time::Duration::from_millis(20) {
            std::hint::black_box(());
        }
        let used = this_threads_cpu_time() - before;
        assert!(used > std::time::Duration::ZERO);
        std::thread::sleep(std::time::Duration::from_millis(30));
        // Sleeping costs no CPU: a rest is measured from the hash alone.
        assert!(this_threads_cpu_time() - before < used + std::time::Duration::from_millis(10));
    }

    #[test]
    fn outdated_hashes_are_detected() {
        let current = hash_now("copper kettle under the stairs").unwrap();
        assert!(current.starts_with("$argon2id$v=19$m=12288,t=3,p=1$"));
        assert!(!is_outdated(&current));
        // Hashes made before with the crate's default are replaced too.
        let earlier = Argon2::default()
            .hash_password_with_salt(b"pw", b"0123456789abcdef")
            .unwrap()
            .to_string();
        assert!(earlier.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(is_outdated(&earlier));
        let weak = Argon2::new(
            argon2::Algorithm::Argon2id,
            argon2::Version::V0x13,
            argon2::Params::new(4096, 1, 1, None).unwrap(),
        )
        .hash_password_with_salt(b"pw", b"0123456789abcdef")
        .unwrap()
        .to_string();
        assert!(is_outdated(&weak));
        assert!(is_outdated("not a hash"));
    }

    #[actix_web::test]
    async fn verify_matches_only_the_right_password_and_rehashes_old_ones() {
        let passwords = Passwords::new(2);
        let hash = passwords.hash("copper kettle".into()).await.unwrap();
        let ok = passwords
            .verify("copper kettle".into(), Some(hash.clone()))
            .await
            .unwrap();
        assert_eq!(
            ok,
            Verified {
                matches: true,
                rehashed: None
            }
        );
        let wrong = passwords
            .verify("copper kettlE".into(), Some(hash))
            .await
            .unwrap();
        assert!(!wrong.matches);
        let unknown = passwords
            .verify("copper kettle".into(), None)
            .await
            .unwrap();
        assert!(!unknown.matches);
        let weak = Argon2::new(
            argon2::Algorithm::Argon2i,
            argon2::Version::V0x13,
            argon2::Params::new(4096, 1, 1, None).unwrap(),
        )
        .hash_password_with_salt(b"copper kettle", b"0123456789abcdef")
        .unwrap()
        .to_string();
        let upgraded = passwords
            .verify("copper kettle".into(), Some(weak))
            .await
            .unwrap();
        assert!(upgraded.matches);
        assert!(!is_outdated(&upgraded.rehashed.unwrap()));
    }
}
