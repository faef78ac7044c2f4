//! glibc's malloc returns every large block (over 128 KiB by default, adapting upward)
//! to the kernel with `munmap` and takes it back with `mmap`: the training engine's
//! large temporary buffers then cost a page fault per 4 KiB on every step (about 30% of
//! a step on 28x28 pictures). Raising the mmap and trim thresholds keeps those blocks in
//! the heap for reuse. The HTTP path's small allocations are unaffected (mimalloc as
//! the global allocator gave the same training speed but a worse request tail latency).
//!
//! The price is that freed blocks stay in the arena that served them, and glibc makes
//! up to eight arenas per core: under mixed traffic every arena keeps its own high-water
//! mark of large temporary buffers (CSV pages, uploads, metric points), and the resident
//! size crept up for as long as the load went on. One arena per core shares that free
//! memory between threads: the soak's RSS sits lower and creeps less, and the engine
//! trains as fast (BENCHMARKS.md, "Where the creep came from").

/// Blocks up to this size come from the heap and are reused.
const MMAP_THRESHOLD: libc::c_int = 256 << 20;
/// Free memory at the top of the heap is returned to the kernel beyond this.
const TRIM_THRESHOLD: libc::c_int = 512 << 20;

/// Arenas: one per core, unless the operator chose with `GLIBC_TUNABLES`.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn arenas() -> Option<libc::c_int> {
    let chosen = std::env::var("GLIBC_TUNABLES").is_ok_and(|t| t.contains("arena_max"));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    (!chosen).then(|| libc::c_int::try_from(cores).unwrap_or(libc::c_int::MAX))
}

/// Tunes glibc's allocator (large blocks kept, one arena per core); call first thing in
/// `main`, before any thread starts.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)]
    // SAFETY: `mallopt` only sets allocator parameters; it is called before any other
    // thread exists, with options and values glibc documents as valid.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD);
        if let Some(arenas) = arenas() {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
}

/// Memory as the allocator sees it, for telling a leak (in use keeps growing) from
/// memory held for reuse (free grows, in use does not).
#[derive(Debug, Clone, Copy)]
pub struct Heap {
    /// Bytes handed to the program and not freed (every arena and mapped block).
    pub in_use: u64,
    /// Bytes freed and kept in the arenas for reuse (counted in the resident size).
    pub free: u64,
}

/// The heap now; `None` where the allocator is not glibc's.
pub fn heap() -> Option<Heap> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)]
    {
        // SAFETY: `mallinfo2` takes no arguments and returns figures by value; glibc
        // gathers them under its own arena locks.
        let info = unsafe { libc::mallinfo2() };
        Some(Heap {
            in_use: (info.uordblks + info.hblkhd) as u64,
            free: info.fordblks as u64,
        })
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    None
}

/// The process's resident memory (`VmRSS`), where Linux tells it.
pub fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
