//! Leaving the process without running C libraries' exit handlers. libpq brings
//! OpenSSL, whose `atexit` cleanup frees its global state while other threads (the
//! connection pool's, training threads) may still use it: a server on PostgreSQL then
//! segfaulted now and then at the very end of a clean SIGTERM shutdown (found by the
//! soak; known to OpenSSL and diesel). Everything of ours is written and dropped
//! before this is called; only the C handlers are skipped.

use std::io::Write;

/// Ends the process with `status` once stdout and stderr are flushed.
pub fn now(status: i32) -> ! {
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    #[allow(unsafe_code)]
    // SAFETY: `_exit` ends the process at once; it touches no memory of ours.
    unsafe {
        libc::_exit(status)
    }
}
