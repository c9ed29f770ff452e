//! The binary's standard output and standard error: every write is checked, none can panic.
//!
//! A write to standard output that fails is kept, so that `main` ends the run with it whatever a
//! library call made of the error (a table writer turns it into its own message): a reader that
//! went away (`| head`, `| true`) ends the run quietly, as it ends other Unix tools; any other
//! failure (`> /dev/full`) is an error naming standard output. Messages to standard error have
//! their control characters removed, since they quote titles and file names.

use std::fmt;
use std::io::{self, BufWriter, StdoutLock, Write};
use std::sync::OnceLock;

use weeklens::escape;

/// A standard stream, named as messages name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Output,
    Error,
}

impl fmt::Display for Stream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stream::Output => "standard output",
            Stream::Error => "standard error",
        })
    }
}

/// A write to a standard stream failed. (The message is the stream; `{:#}` adds the cause.)
#[derive(Debug, thiserror::Error)]
#[error("{stream}")]
pub struct StreamError {
    pub stream: Stream,
    #[source]
    pub source: io::Error,
}

impl StreamError {
    /// The reader went away: the end of the output, not an error.
    pub fn is_closed(&self) -> bool {
        self.source.kind() == io::ErrorKind::BrokenPipe
    }
}

/// The first write to standard output that failed, in this process.
static STDOUT_FAILED: OnceLock<io::Error> = OnceLock::new();

/// A copy of `e` (`io::Error` is not `Clone`), with the same message.
fn copy(e: &io::Error) -> io::Error {
    match e.raw_os_error() {
        Some(code) => io::Error::from_raw_os_error(code),
        None => io::Error::new(e.kind(), e.to_string()),
    }
}

/// The failed write to standard output, if one failed: the error the run ends with.
pub fn stdout_failure() -> Option<StreamError> {
    STDOUT_FAILED.get().map(|e| StreamError {
        stream: Stream::Output,
        source: copy(e),
    })
}

/// Standard output, buffered. Every failed write is kept for [`stdout_failure`]; dropping it
/// flushes it, and a failed flush is kept too, so no output is lost unreported.
pub struct Stdout(BufWriter<StdoutLock<'static>>);

impl Stdout {
    pub fn new() -> Stdout {
        Stdout(BufWriter::new(io::stdout().lock()))
    }

    /// Writes `text` as it is.
    pub fn print(&mut self, text: &str) -> Result<(), StreamError> {
        self.write_all(text.as_bytes()).map_err(|e| StreamError {
            stream: Stream::Output,
            source: e,
        })
    }

    /// Writes `text` and sends it on at once (a line of progress).
    pub fn print_now(&mut self, text: &str) -> Result<(), StreamError> {
        self.print(text)?;
        self.flush().map_err(|e| StreamError {
            stream: Stream::Output,
            source: e,
        })
    }
}

fn kept<T>(result: io::Result<T>) -> io::Result<T> {
    result.inspect_err(|e| {
        let _ = STDOUT_FAILED.set(copy(e));
    })
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        kept(self.0.write(buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        kept(self.0.flush())
    }
}

impl Drop for Stdout {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// Writes `message` and a line break to standard error, control characters removed (line breaks
/// and tabs kept). A reader that went away is no reason to stop the work it reports on; any other
/// failure is an error.
pub fn note(message: impl fmt::Display) -> Result<(), StreamError> {
    let line = escape::terminal_lines(&format!("{message}\n"));
    match io::stderr().lock().write_all(line.as_bytes()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(StreamError {
            stream: Stream::Error,
            source: e,
        }),
        _ => Ok(()),
    }
}
