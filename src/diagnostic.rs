//! Warnings about the input: a file, a line where known, and what is wrong with it.
//!
//! Parsing collects them instead of failing, so one bad issue file is reported and skipped while
//! the rest of the archive builds; `--strict` turns them into a failure at the edge.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The file, as named inside the archive (`en/2023-05-13-weekly.md`).
    pub file: String,
    /// 1-based line, where the fault has one.
    pub line: Option<usize>,
    pub message: String,
}

impl Diagnostic {
    pub fn at(file: &str, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            line: Some(line),
            message: message.into(),
        }
    }

    pub fn file(file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            line: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for Diagnostic {}
