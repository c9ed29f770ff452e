//! The index files the report's queries read (`related.idx`), opened once for each thread that
//! asks at the same time and handed from query to query: a file keeps the term records, lists
//! and skip tables it has read and its search slots (one per row, 8 MB at a million entries),
//! not read again for each issue or run of rows a thread takes. They walk by blocks of rows
//! (`IndexFile::walk_by_blocks`), which pays over many queries, and share the whole lists those
//! queries read and their block maxima: each such list is read and summarised once for all the
//! files, whichever file a query needing it goes to (a list a query walks list by list stays
//! its file's). What a query answers does not depend on which file it reads.

use std::sync::{Arc, Mutex};

use super::ReportError;
use crate::corpus::Corpus;
use crate::related::file::{Indexed, WholeLists};

/// The open index files of one corpus not in use, and the whole lists they share.
pub struct Files<'a> {
    corpus: &'a Corpus,
    idle: Mutex<Vec<Indexed<'a>>>,
    lists: Arc<WholeLists>,
}

impl<'a> Files<'a> {
    pub(super) fn new(corpus: &'a Corpus) -> Files<'a> {
        Files {
            corpus,
            idle: Mutex::new(Vec::new()),
            lists: Arc::default(),
        }
    }

    /// Runs `f` on an idle file, opened if none is, and keeps the file for the next query.
    pub(super) fn with<T>(
        &self,
        f: impl FnOnce(&mut Indexed<'a>) -> Result<T, ReportError>,
    ) -> Result<T, ReportError> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let mut indexed = match idle {
            Some(indexed) => indexed,
            None => {
                let mut indexed = self
                    .corpus
                    .indexed()
                    .map_err(|e| ReportError::Read(e.to_string()))?;
                // Hundreds of queries of a late window, most needing each list whole.
                indexed.file.walk_by_blocks(Arc::clone(&self.lists));
                indexed
            }
        };
        let out = f(&mut indexed);
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(indexed);
        }
        out
    }
}
