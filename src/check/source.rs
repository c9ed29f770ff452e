//! Where a check reads the archive: the entries and identities in memory ([`Archive`], what the
//! report and `serve` hold) or the store's index file ([`Indexed`]), behind one [`Source`].

use crate::identity::{Identities, Key};
use crate::model::{Entry, Issue};
use crate::related::file::Indexed;
use crate::related::{Lookup, Ranking, Request};
use crate::vectorize::{FittedTfIdf, SparseVector};

/// The archive in memory, as `related` ranks it, with the identities of its entries: what the
/// report and `serve` check with, since they hold every entry already.
#[derive(Clone, Copy)]
pub struct Archive<'a> {
    pub ranking: Ranking<'a>,
    /// [`Identities::of`] the ranking's entries.
    pub identities: &'a Identities,
}

impl<'a> Archive<'a> {
    /// The archive as `related` ranks it, with the identities of its entries.
    pub fn of_loaded(loaded: &Ranking<'a>, identities: &'a Identities) -> Archive<'a> {
        Archive {
            ranking: *loaded,
            identities,
        }
    }
}

/// Where a check reads the archive: a [`Lookup`] that also finds the rows holding an identity
/// key ([`crate::identity::keys`]). In memory, an [`Archive`]; at scale, the store's index file
/// ([`Indexed`]), so that a check reads the entries a draft leads to and nothing else.
pub trait Source<'a>: Lookup<'a> {
    /// The rows holding `key`, in row order; a row that does not may be among them (the check
    /// reads each row's own keys again).
    fn rows_with(&mut self, key: &Key) -> Result<Vec<usize>, Self::Error>;
}

impl<'a> Lookup<'a> for Archive<'a> {
    type Error = std::convert::Infallible;

    fn issues(&self) -> &'a [Issue] {
        self.ranking.issues
    }

    fn vocabulary(&self) -> &'a FittedTfIdf {
        self.ranking.vocabulary
    }

    fn nearest(&mut self, request: &Request<'_>) -> Result<Vec<(usize, f32)>, Self::Error> {
        self.ranking.nearest(request)
    }

    fn entry(&mut self, row: usize) -> Result<Entry, Self::Error> {
        self.ranking.entry(row)
    }

    fn ranking_row(&mut self, row: usize) -> Result<SparseVector, Self::Error> {
        self.ranking.ranking_row(row)
    }
}

impl<'a> Source<'a> for Archive<'a> {
    fn rows_with(&mut self, key: &Key) -> Result<Vec<usize>, Self::Error> {
        Ok(self.identities.rows(key).to_vec())
    }
}

impl<'a> Source<'a> for Indexed<'a> {
    fn rows_with(&mut self, key: &Key) -> crate::error::Result<Vec<usize>> {
        Ok(self
            .file
            .rows_with(key)?
            .into_iter()
            .map(|r| r as usize)
            .collect())
    }
}
