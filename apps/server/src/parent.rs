//! A worker started by this server's process executor ends with the server: the kernel
//! sends it SIGKILL when its parent dies (Linux's parent-death signal), so no worker
//! outlives a server that crashed; the restarted server finds the run interrupted.

/// Asks for SIGKILL when the parent process dies; `false` where that is not possible
/// or the parent is already gone.
pub fn die_with_parent() -> bool {
    #[cfg(target_os = "linux")]
    {
        let parent = std::os::unix::process::parent_id();
        #[allow(unsafe_code)]
        // SAFETY: `prctl(PR_SET_PDEATHSIG, sig)` only records a signal number for this
        // process; the remaining arguments are unused by that option and passed as 0.
        let set = unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0) } == 0;
        // The parent may have died before the call: then it was never armed for it.
        set && std::os::unix::process::parent_id() == parent
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}
