//! Runtime CPU-feature dispatch shared by the kernels: each kernel is plain safe Rust,
//! compiled twice (baseline x86-64 and AVX2) and chosen when called.

/// Defines `fn $name(args) -> ret` running `$kernel(args)` (an `#[inline(always)]` loop)
/// compiled for AVX2 where the CPU has it, else as the baseline build. The kernel is
/// inlined into both copies, so LLVM vectorises it twice, once with 256-bit vectors.
macro_rules! simd_kernel {
    ($(#[$meta:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty = $kernel:expr;) => {
        $(#[$meta])*
        #[allow(unsafe_code)]
        $vis fn $name($($arg: $ty),*) -> $ret {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx2")]
                fn avx2($($arg: $ty),*) -> $ret {
                    $kernel($($arg),*)
                }
                if std::arch::is_x86_feature_detected!("avx2") {
                    // SAFETY: `avx2` needs nothing but the AVX2 instructions, and the CPU
                    // has them: that was checked just above.
                    return unsafe { avx2($($arg),*) };
                }
            }
            $kernel($($arg),*)
        }
    };
}

pub(crate) use simd_kernel;
