//! Background work every instance runs beside the routes (the dues job,
//! webhook deliveries): a named thread of its own, so the pool's blocking
//! calls stay off the request workers, that runs a tick every interval
//! until its handle is dropped.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Stops the thread when dropped (after the tick under way, if any).
#[derive(Debug)]
pub struct JobHandle(Arc<AtomicBool>);

impl Drop for JobHandle {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Runs `tick` every `interval` on a thread called `name`.
pub fn every(name: &str, interval: Duration, mut tick: impl FnMut() + Send + 'static) -> JobHandle {
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = Arc::clone(&stop);
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                std::thread::sleep(interval);
                if stopped.load(Ordering::Relaxed) {
                    break;
                }
                tick();
            }
        })
        .unwrap_or_else(|e| panic!("cannot spawn the {name} thread: {e}"));
    JobHandle(stop)
}
