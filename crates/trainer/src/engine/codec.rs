//! The byte format of weights and checkpoints (little-endian, versioned):
//!
//! ```text
//! magic   4 bytes  "NSW1" (weights) or "NSC1" (checkpoint)
//! arch    u64      Plan::fingerprint of the network
//! body    ...      sections written by the caller (u64 counts, f32 arrays)
//! check   u64      FNV-1a of everything before it
//! ```
//!
//! Arrays are `u64 length` + that many `f32`. Weights' body: every parameter in
//! layer order (conv weight `[cout, cin, kh, kw]` then bias, batch-norm gamma then
//! beta, linear weight `[in, out]` then bias, the output layer last), then each
//! batch-norm layer's running mean and running variance. A checkpoint's body: the
//! weights' body, the optimiser (`u64` code 1 sgd .. 5 adagrad), its step count
//! (`u64`), each parameter's buffers (momentum: velocity; Adam: first then second
//! moment; RMSProp: square average; Adagrad: sum of squares), and the dropout
//! PRNG state (`u64`).
//!
//! The checksum rejects truncated or damaged bytes before anything is decoded, and
//! every length is checked against the network, so bad bytes give an error, never
//! a panic or a huge allocation.

use super::api::EngineError;

/// FNV-1a, 64 bits: a fast checksum and architecture hash (not a security measure).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    pub(crate) fn words(&mut self, words: &[usize]) {
        for &w in words {
            self.bytes(&(w as u64).to_le_bytes());
        }
    }

    pub(crate) fn finish(self) -> u64 {
        self.0
    }
}

/// Magic of [`Session::weights`](super::Session::weights) bytes.
pub(crate) const WEIGHTS: [u8; 4] = *b"NSW1";
/// Magic of [`Session::checkpoint`](super::Session::checkpoint) bytes.
pub(crate) const CHECKPOINT: [u8; 4] = *b"NSC1";

/// Builds one blob.
pub(crate) struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    pub(crate) fn new(magic: [u8; 4], fingerprint: u64) -> Self {
        let mut w = Self { buf: Vec::new() };
        w.buf.extend_from_slice(&magic);
        w.u64(fingerprint);
        w
    }

    pub(crate) fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn f32s(&mut self, values: &[f32]) {
        self.u64(values.len() as u64);
        self.buf.reserve(values.len() * 4);
        for v in values {
            self.buf.extend_from_slice(&v.to_le_bytes());
        }
    }

    pub(crate) fn finish(mut self) -> Vec<u8> {
        let mut h = Fnv::default();
        h.bytes(&self.buf);
        self.u64(h.finish());
        self.buf
    }
}

/// Reads one blob written by [`Writer`], checking magic, architecture and checksum first.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn open(bytes: &'a [u8], magic: [u8; 4], fingerprint: u64) -> Result<Self, EngineError> {
        let what = if magic == WEIGHTS { "weights" } else { "checkpoint" };
        let Some((body, check)) = bytes.split_last_chunk::<8>() else {
            return Err(bad(format!("{what}: too short ({} bytes)", bytes.len())));
        };
        let mut h = Fnv::default();
        h.bytes(body);
        if body.len() < 12 || h.finish() != u64::from_le_bytes(*check) {
            return Err(bad(format!(
                "{what}: not {what} bytes of this engine, or damaged"
            )));
        }
        let mut r = Self { rest: body };
        if r.take(4)? != magic {
            return Err(bad(format!("{what}: wrong kind of bytes")));
        }
        if r.u64()? != fingerprint {
            return Err(bad(format!("{what}: saved from a different network")));
        }
        Ok(r)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], EngineError> {
        if self.rest.len() < n {
            return Err(bad("truncated".to_owned()));
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    pub(crate) fn u64(&mut self) -> Result<u64, EngineError> {
        let bytes = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(bytes);
        Ok(u64::from_le_bytes(a))
    }

    /// An f32 array that must hold exactly `expected` values.
    pub(crate) fn f32s(&mut self, expected: usize) -> Result<Vec<f32>, EngineError> {
        let len = self.u64()?;
        if len != expected as u64 {
            return Err(bad(format!(
                "an array holds {len} values, the network needs {expected}"
            )));
        }
        let bytes = self.take(
            expected
                .checked_mul(4)
                .ok_or_else(|| bad("too large".to_owned()))?,
        )?;
        Ok(bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect())
    }

    pub(crate) fn end(self) -> Result<(), EngineError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(bad(format!("{} unexpected trailing bytes", self.rest.len())))
        }
    }
}

fn bad(message: String) -> EngineError {
    EngineError::Checkpoint(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejections() -> Result<(), EngineError> {
        let mut w = Writer::new(WEIGHTS, 42);
        w.u64(7);
        w.f32s(&[1.0, -2.5]);
        let bytes = w.finish();
        let mut r = Reader::open(&bytes, WEIGHTS, 42)?;
        assert_eq!(r.u64()?, 7);
        assert_eq!(r.f32s(2)?, vec![1.0, -2.5]);
        r.end()?;
        assert!(Reader::open(&bytes, WEIGHTS, 43).is_err());
        assert!(Reader::open(&bytes, CHECKPOINT, 42).is_err());
        assert!(Reader::open(&bytes[..bytes.len() - 1], WEIGHTS, 42).is_err());
        let mut damaged = bytes.clone();
        damaged[14] ^= 1;
        assert!(Reader::open(&damaged, WEIGHTS, 42).is_err());
        let mut r = Reader::open(&bytes, WEIGHTS, 42)?;
        r.u64()?;
        assert!(r.f32s(3).is_err());
        Ok(())
    }
}
