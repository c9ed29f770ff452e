//! Reading a file the user names with a bound on its size: an issue, a draft, the editor's topic
//! edits, reader numbers, a font. Such a path may name a device that never ends (`/dev/zero`) or
//! a file far larger than any of its kind; read whole, either would take every byte of memory
//! before anything could be said about it.

use std::io::Read;
use std::path::Path;

/// The most a text the tool reads can hold: an archive's issue or season compilation, a draft,
/// the editor's topic edits or reader numbers. The archive's largest file is 284 KiB.
pub const TEXT: u64 = 32 << 20;

/// The most a font file can hold: a CJK collection is 20–30 MiB.
pub const FONT: u64 = 256 << 20;

/// The bytes of the file at `path`, or an error of kind `InvalidData` saying it is larger than
/// `limit` bytes: a file that says it is larger is not read; a device or a pipe is read up to one
/// byte past the limit.
pub fn read(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let too_large = || {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "larger than {} MiB: no file of its kind is that large",
                limit >> 20
            ),
        )
    };
    let file = std::fs::File::open(path)?;
    if file.metadata().is_ok_and(|m| m.is_file() && m.len() > limit) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// [`read`] as UTF-8 text; bytes that are not UTF-8 are an error of kind `InvalidData`.
pub fn read_to_string(path: &Path, limit: u64) -> std::io::Result<String> {
    String::from_utf8(read(path, limit)?)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_within_the_limit_is_read_whole_and_one_past_it_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("draft.md");
        std::fs::write(&path, vec![b'a'; 2 << 20]).expect("write");
        assert_eq!(read(&path, 2 << 20).expect("at the limit").len(), 2 << 20);
        let err = read(&path, (2 << 20) - 1).expect_err("one byte past the limit");
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("larger than 1 MiB"), "{err}");
    }

    #[test]
    fn a_device_that_never_ends_is_refused_at_the_limit() {
        let err = read(Path::new("/dev/zero"), 1 << 20).expect_err("/dev/zero never ends");
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    }
}
