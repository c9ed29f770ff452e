//! The build's progress on a terminal: the stage it is in and, while it tokenises, how many
//! entries are done ("tokenising 420,000 / 1,000,000 entries"). When standard error is not a
//! terminal nothing is drawn, so a piped or redirected build writes what it always did.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use weeklens::progress::{Progress, Stage};

/// A line on standard error that [`weeklens::build_reporting`] keeps up to date.
pub struct BuildProgress {
    bar: ProgressBar,
}

impl BuildProgress {
    /// Drawn on standard error when it is a terminal; otherwise a bar that draws nothing.
    pub fn on_stderr() -> BuildProgress {
        let bar = if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new_spinner().with_style(style(false));
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        } else {
            ProgressBar::hidden()
        };
        BuildProgress { bar }
    }

    /// Clears the line: the build's own report follows.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for BuildProgress {
    fn stage(&self, stage: Stage) {
        match stage {
            // A line may be drawn between any two of these calls: the count's template is put
            // on after the counted stage's words and taken off before the next stage's, so no
            // line shows a count beside words that do not count.
            Stage::Tokenising { entries } => {
                self.bar.set_message("tokenising");
                self.bar.set_length(entries);
                self.bar.set_position(0);
                self.bar.set_style(style(true));
            }
            other => {
                self.bar.set_style(style(false));
                self.bar.set_message(describe(other));
            }
        }
    }

    fn advance(&self, done: u64) {
        self.bar.inc(done);
    }
}

/// A spinner and the stage's words, and for a counted stage its count ("420,000 / 1,000,000
/// entries").
fn style(counted: bool) -> ProgressStyle {
    let template = if counted {
        "{spinner} {msg} {human_pos} / {human_len} entries"
    } else {
        "{spinner} {msg}"
    };
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
}

/// What a stage that is not counted entry by entry is doing, in words.
fn describe(stage: Stage) -> String {
    match stage {
        Stage::Parsing { files } => format!("reading and parsing {} files", indicatif::HumanCount(files)),
        Stage::Dictionary => "loading the dictionary words the entries hold".to_string(),
        Stage::Tokenising { entries } => format!("tokenising {} entries", indicatif::HumanCount(entries)),
        Stage::Topics => "finding the topics, writing the vectors".to_string(),
        Stage::Writing => "writing the topics, putting the store in place".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_named_with_their_counts_grouped() {
        assert_eq!(
            describe(Stage::Parsing { files: 81_348 }),
            "reading and parsing 81,348 files"
        );
        assert_eq!(
            describe(Stage::Tokenising { entries: 1_000_000 }),
            "tokenising 1,000,000 entries"
        );
    }
}
