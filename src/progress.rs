//! What a build says while it runs: the stage it is in and, where the stage counts, how far it
//! has come. The library only reports, as typed [`Stage`]s and counts; the binary draws them on
//! a terminal (and nothing elsewhere). A build of a million entries runs for over a minute, most
//! of it tokenising: a bare spinner says nothing of how much is left.

/// A stage of [`crate::build`], in the order a build goes through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading and parsing the archive's files (weekly issues, their translations and the
    /// season compilations).
    Parsing { files: u64 },
    /// Loading the dictionary words the entries can hold.
    Dictionary,
    /// Tokenising and vectorising the entries: counted, [`Progress::advance`] per entry.
    Tokenising { entries: u64 },
    /// Finding the topics (or carrying the previous store's over).
    Topics,
    /// Writing the store's last files and putting it in place.
    Writing,
}

/// Where a build reports its progress. Called from any of the build's threads; a report must
/// cost next to nothing (a build reports every few dozen entries).
pub trait Progress: Sync {
    /// A stage begins (the one before it is over).
    fn stage(&self, stage: Stage);
    /// `done` more of the current stage's items are finished.
    fn advance(&self, done: u64);
}

/// Reports nothing: [`crate::build`]'s progress.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {
    fn stage(&self, _: Stage) {}
    fn advance(&self, _: u64) {}
}
