//! A read buffer over the archive file that survives the zip reader's many short seeks.

use std::io::{self, Read, Seek, SeekFrom};

/// Size of the read buffer over the archive file.
const ARCHIVE_BUFFER_BYTES: usize = 8 * 1024;

/// A buffered reader that keeps its buffer across seeks that land inside it.
///
/// The zip reader seeks to every entry's local header and then to its data; for an archive
/// of many small files these targets are usually already buffered, and
/// [`std::io::BufReader`] would discard its buffer (and make a system call) on every seek.
#[derive(Debug)]
pub(super) struct SeekBuffer<R> {
    inner: R,
    buffer: Box<[u8]>,
    /// Offset in `inner` of `buffer[0]`.
    start: u64,
    /// Bytes of `buffer` holding data; `inner` is positioned at `start + filled`.
    filled: usize,
    /// Read position within `buffer`, at most `filled`.
    cursor: usize,
}

impl<R: Read + Seek> SeekBuffer<R> {
    pub(super) fn new(inner: R) -> Self {
        SeekBuffer {
            inner,
            buffer: vec![0; ARCHIVE_BUFFER_BYTES].into_boxed_slice(),
            start: 0,
            filled: 0,
            cursor: 0,
        }
    }

    fn position(&self) -> u64 {
        self.start + self.cursor as u64
    }

    /// Moves to `target`, within the buffer if it is there.
    fn seek_to(&mut self, target: u64) -> io::Result<u64> {
        if let Some(offset) = target.checked_sub(self.start)
            && offset <= self.filled as u64
        {
            self.cursor = offset as usize;
            return Ok(target);
        }
        let target = self.inner.seek(SeekFrom::Start(target))?;
        self.start = target;
        self.filled = 0;
        self.cursor = 0;
        Ok(target)
    }
}

impl<R: Read + Seek> Read for SeekBuffer<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.cursor == self.filled {
            let end = self.start + self.filled as u64;
            if out.len() >= self.buffer.len() {
                // A large read: straight into the caller's buffer.
                let read = self.inner.read(out)?;
                self.start = end + read as u64;
                self.filled = 0;
                self.cursor = 0;
                return Ok(read);
            }
            let read = self.inner.read(&mut self.buffer)?;
            self.start = end;
            self.filled = read;
            self.cursor = 0;
        }
        let available = &self.buffer[self.cursor..self.filled];
        let count = available.len().min(out.len());
        out[..count].copy_from_slice(&available[..count]);
        self.cursor += count;
        Ok(count)
    }
}

impl<R: Read + Seek> Seek for SeekBuffer<R> {
    fn seek(&mut self, position: SeekFrom) -> io::Result<u64> {
        match position {
            SeekFrom::Start(target) => self.seek_to(target),
            SeekFrom::Current(delta) => {
                let target = self.position().checked_add_signed(delta).ok_or_else(|| {
                    io::Error::new(io::ErrorKind::InvalidInput, "seek before the start of the file")
                })?;
                self.seek_to(target)
            }
            SeekFrom::End(_) => {
                let target = self.inner.seek(position)?;
                self.start = target;
                self.filled = 0;
                self.cursor = 0;
                Ok(target)
            }
        }
    }

    fn stream_position(&mut self) -> io::Result<u64> {
        Ok(self.position())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn seek_buffer_reads_like_the_file_it_wraps() -> TestResult {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut reader = SeekBuffer::new(Cursor::new(data.clone()));
        let mut reference = Cursor::new(data);
        let steps = [
            (SeekFrom::Start(0), 10),
            (SeekFrom::Start(5), 100),        // inside the buffer
            (SeekFrom::Current(-50), 20),     // backwards, inside the buffer
            (SeekFrom::Start(8_190), 10),     // across the buffer's end
            (SeekFrom::Start(50_000), 9_000), // a read larger than the buffer
            (SeekFrom::Current(0), 1),
            (SeekFrom::Start(49_990), 30), // just before the buffered part
            (SeekFrom::End(-10), 10),
            (SeekFrom::Current(-4_000), 4_000),
            (SeekFrom::Start(100_000), 0),
        ];
        for (step, (seek, len)) in steps.into_iter().enumerate() {
            assert_eq!(reader.seek(seek)?, reference.seek(seek)?, "step {step}");
            let mut got = vec![0; len];
            let mut want = vec![0; len];
            reader.read_exact(&mut got)?;
            reference.read_exact(&mut want)?;
            assert_eq!(got, want, "step {step}");
            assert_eq!(reader.stream_position()?, reference.position(), "step {step}");
        }
        assert_eq!(reader.read(&mut [0; 16])?, 0, "at the end");
        assert!(reader.seek(SeekFrom::Current(-200_000)).is_err());
        Ok(())
    }
}
