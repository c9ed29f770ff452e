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
    /// What is wrong, without what is done about it.
    pub message: String,
    /// What a build that goes on leaves out because of it. Kept apart from the message because
    /// it holds only then: a `--strict` build fails instead, and a draft is refused, not skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<Skipped>,
}

/// What a build that goes on leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Skipped {
    File,
    Entry,
}

impl Diagnostic {
    pub fn at(file: &str, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            line: Some(line),
            message: message.into(),
            skipped: None,
        }
    }

    pub fn file(file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            line: None,
            message: message.into(),
            skipped: None,
        }
    }

    /// The same fault, leaving out `what` when the build goes on.
    pub fn skipping(self, what: Skipped) -> Diagnostic {
        Diagnostic {
            skipped: Some(what),
            ..self
        }
    }

    /// The fault alone, for where nothing is skipped: a `--strict` build, a draft.
    pub fn fault(&self) -> Diagnostic {
        Diagnostic {
            skipped: None,
            ..self.clone()
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.message)?,
            None => write!(f, "{}: {}", self.file, self.message)?,
        }
        match self.skipped {
            Some(Skipped::File) => write!(f, "; file skipped"),
            Some(Skipped::Entry) => write!(f, "; entry skipped"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for Diagnostic {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_skipped_is_said_only_where_something_is() {
        let d = Diagnostic::at("x.md", 3, "not UTF-8").skipping(Skipped::File);
        assert_eq!(d.to_string(), "x.md:3: not UTF-8; file skipped");
        assert_eq!(d.fault().to_string(), "x.md:3: not UTF-8");
        let d = Diagnostic::file("y.md", "numbered entry without a title").skipping(Skipped::Entry);
        assert_eq!(
            d.to_string(),
            "y.md: numbered entry without a title; entry skipped"
        );
    }

    #[test]
    fn a_stored_warning_without_the_field_still_reads() {
        let d: Diagnostic = serde_json::from_str(r#"{"file":"x.md","line":1,"message":"m; file skipped"}"#)
            .expect("an older manifest's warning");
        assert_eq!(d.to_string(), "x.md:1: m; file skipped");
        let json = serde_json::to_string(&Diagnostic::at("x.md", 1, "m")).expect("json");
        assert!(!json.contains("skipped"), "{json}");
    }
}
