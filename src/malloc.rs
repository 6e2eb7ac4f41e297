//! How the server asks glibc's malloc to give memory back to the system.
//! Elsewhere (musl, other systems) these do nothing.

/// Keeps glibc's malloc from holding memory the server no longer uses (call
/// first thing in `main`).
///
/// - glibc serves big allocations with mmap, but after the first one is freed
///   it raises that threshold, so later ones come from an arena and stay
///   there. Each password hash takes 12 MiB (19 MiB until issue 21) on a hashing
///   thread: without a fixed threshold a login flood left hundreds of MiB resident
///   for good (bench/run measured 784 MiB). With it, a hash's memory is mapped,
///   used and unmapped.
/// - glibc gives threads up to 8 arenas per core, each keeping its own free
///   memory; database calls run on many blocking threads, so the arenas
///   multiply the resident size. One arena per core is enough: no more threads
///   than that run at once.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn tune() {
    const ONE_MIB: libc::c_int = 1 << 20;
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let arenas = libc::c_int::try_from(cores).unwrap_or(libc::c_int::MAX);
    // SAFETY: mallopt only changes allocator parameters; it is called first
    // thing in main, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, ONE_MIB);
        libc::mallopt(libc::M_ARENA_MAX, arenas);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn tune() {}

/// Returns the heap's free pages to the system: what startup built and
/// dropped (the OpenAPI document's structures, the migrations) sits freed in
/// the heap, about 14 MiB of an idle server's 49 MiB (measured with
/// `malloc_trim` on a running server, issue 21).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn release_freed() {
    // SAFETY: malloc_trim only returns free memory; any thread may call it.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn release_freed() {}
