//! The first rows of the store's tables: what a report of a window reads, since nothing after
//! the window's last issue takes part in it. The entries are stored in issue order and the term
//! rows in entry order, so the entries of the issues up to N and their rows are the first rows of
//! each table: only those are decoded. Each file is still checked whole against the manifest's
//! checksum, read in pieces into one buffer rather than into memory whole, and then decoded from
//! the file.

use std::fs::File;
use std::io::Read;

use polars::prelude::*;
use rayon::iter::{IntoParallelIterator, ParallelExtend, ParallelIterator};

use super::codec::{
    add_lines_of, col, entries_from_frame, entries_without_texts_into, Weights, ENTRY_COLUMNS_WITHOUT_TEXTS,
};
use super::{corrupt, open_error, FileSum, Store, ENTRIES, RELATED, TITLES, TRANSLATIONS, VECTORS};
use crate::error::{Error, Result};
use crate::model::Entry;
use crate::vectorize::SparseVector;

/// The piece a file is checked in.
const PIECE: usize = 1 << 20;

/// How many pieces [`Store::entries_in`] reads the entries without texts in, side by side: more
/// than the cores, so that the last piece made is a short one.
const BARE_PIECES: usize = 4;

/// How many values of `column` (increasing) come before the first one above `last`; an error
/// when they are not in order (a store this project wrote always is).
fn count_through(column: &UInt32Chunked, last: u32, what: &str) -> PolarsResult<usize> {
    let mut previous = 0;
    let mut count = 0;
    for (row, value) in column.iter().enumerate() {
        let Some(value) = value else {
            polars_bail!(ComputeError: "row {row}: no {what}");
        };
        if value < previous {
            polars_bail!(ComputeError: "row {row}: {what} {value} after {previous}: not in order");
        }
        previous = value;
        if value <= last {
            count += 1;
        }
    }
    Ok(count)
}

/// The entries of the issues up to one number in the entries table
/// ([`Store::entry_span`]): the first `before` (those of the issues before the first read with
/// texts) and `through` in all, the table checked.
pub struct EntrySpan {
    pub before: usize,
    pub through: usize,
}

impl Store {
    /// The file `name`, checked against the manifest's checksum as [`Store::read_verified`]
    /// checks it, without holding it in memory.
    fn open_verified(&self, name: &str) -> Result<File> {
        let path = self.path(name);
        let mut file = File::open(&path).map_err(|e| open_error(&path, e))?;
        self.check_sum(name, &path, || {
            let mut crc = crc32fast::Hasher::new();
            let mut bytes = 0u64;
            let mut buf = vec![0u8; PIECE];
            loop {
                let n = match file.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(source) => {
                        return Err(Error::Io {
                            path: path.clone(),
                            source,
                        })
                    }
                };
                crc.update(&buf[..n]);
                bytes += n as u64;
            }
            Ok(FileSum {
                bytes,
                crc32: crc.finalize(),
            })
        })?;
        Ok(file)
    }

    /// The entries of the issues numbered up to `last`, in the order of [`Store::entries`] (the
    /// first rows of the table, decoded alone). Those of issues before `texts_from` are read
    /// without their texts — links, description, image alt texts and English description are
    /// left empty (a report reads only the ids, titles and links of the entries before its
    /// windows, and their texts are most of the table).
    pub fn entries_through(&self, texts_from: u32, last: u32) -> Result<Vec<Entry>> {
        let span = self.entry_span(texts_from, last)?;
        self.entries_in(&span)
    }

    /// Where the entries [`Store::entries_through`] reads lie in the entries table (its issue
    /// column read alone, the file checked): what the rows of those entries can be read by
    /// while the entries are decoded.
    pub fn entry_span(&self, texts_from: u32, last: u32) -> Result<EntrySpan> {
        let path = self.path(ENTRIES);
        let file = self.open_verified(ENTRIES)?;
        let read = || -> PolarsResult<(usize, usize)> {
            let issues = ParquetReader::new(file.try_clone()?)
                .with_columns(Some(vec![col::ISSUE.to_string()]))
                .finish()?;
            if issues.height() != self.entries {
                polars_bail!(ComputeError: "{} rows for the {} entries of the manifest", issues.height(), self.entries);
            }
            let issues = issues.column(col::ISSUE)?.u32()?;
            let count = count_through(issues, last, col::ISSUE)?;
            let bare = count_through(issues, texts_from.saturating_sub(1), col::ISSUE)?.min(count);
            Ok((bare, count))
        };
        let (before, through) = read().map_err(|e| corrupt(&path, e))?;
        Ok(EntrySpan { before, through })
    }

    /// The entries of `span` ([`Store::entries_through`]).
    pub fn entries_in(&self, span: &EntrySpan) -> Result<Vec<Entry>> {
        let path = self.path(ENTRIES);
        let (bare, count) = (span.before, span.through);
        // Each piece reads through a descriptor of its own: a cloned one shares the file's offset,
        // and the Parquet reader seeks and reads the footer through it, so pieces read side by
        // side through clones read each other's bytes. The file is the one [`Store::entry_span`]
        // checked (a generation's files are never written again).
        let own = || -> PolarsResult<File> { Ok(File::open(&path)?) };
        // Without texts, `at..at + out.len()`, written over `out`.
        let bare_rows = |at: usize, out: &mut [Entry]| -> PolarsResult<()> {
            if out.is_empty() {
                return Ok(());
            }
            let df = ParquetReader::new(own()?)
                .with_columns(Some(
                    ENTRY_COLUMNS_WITHOUT_TEXTS
                        .iter()
                        .map(|c| c.to_string())
                        .collect(),
                ))
                .with_slice(Some((at, out.len())))
                .finish()?;
            entries_without_texts_into(&df, out)
        };
        let with_texts = || -> PolarsResult<Vec<Entry>> {
            if count == bare {
                return Ok(Vec::new());
            }
            let df = ParquetReader::new(own()?)
                .with_slice(Some((bare, count - bare)))
                .finish()?;
            entries_from_frame(&df)
        };
        // In pieces side by side (those without texts in [`BARE_PIECES`], those with them):
        // making a million entries is most of the reading. Those without texts are written over
        // places made first (side by side too), not put together after: moving them into one
        // vector, and with two halves the last one made, were a core's work alone for up to
        // half a second at 1M.
        let read = || -> PolarsResult<Vec<Entry>> {
            let mut entries: Vec<Entry> = Vec::with_capacity(count);
            entries.par_extend((0..bare).into_par_iter().map(|_| Entry::placeholder()));
            let mut pieces: Vec<(usize, &mut [Entry])> = Vec::with_capacity(BARE_PIECES);
            let mut rest = &mut entries[..];
            for i in 0..BARE_PIECES {
                let (at, end) = (bare * i / BARE_PIECES, bare * (i + 1) / BARE_PIECES);
                let (piece, after) = rest.split_at_mut(end - at);
                pieces.push((at, piece));
                rest = after;
            }
            let (bare_read, texts) = rayon::join(
                || {
                    pieces
                        .into_par_iter()
                        .map(|(at, piece)| bare_rows(at, piece))
                        .collect::<PolarsResult<Vec<()>>>()
                },
                with_texts,
            );
            bare_read?;
            entries.extend(texts?);
            Ok(entries)
        };
        read().map_err(|e| corrupt(&path, e))
    }

    /// The TF-IDF rows of the entries `from..to` ([`Store::vectors`]), at their rows: the rows
    /// before `from` are left empty.
    pub fn vectors_between(&self, from: usize, to: usize) -> Result<Vec<SparseVector>> {
        self.rows_between(VECTORS, from, to)
    }

    /// The ranking rows ([`Store::related_rows`]) of the first `to` entries.
    pub fn related_rows_until(&self, to: usize) -> Result<Vec<SparseVector>> {
        self.rows_between(RELATED, 0, to)
    }

    /// The titles' term rows ([`Store::title_rows`]) of the first `to` entries.
    pub fn title_rows_until(&self, to: usize) -> Result<Vec<SparseVector>> {
        self.rows_between(TITLES, 0, to)
    }

    /// The terms of the titles' term rows ([`Store::title_rows`]) of the first `to` entries: each
    /// vector's `indices`, its `values` left empty (the weights' column is not decoded). What
    /// trends count: which terms an entry's titles hold.
    pub fn title_terms_until(&self, to: usize) -> Result<Vec<SparseVector>> {
        self.rows_between_of(TITLES, 0, to, Weights::Left)
    }

    /// The titles' terms by language ([`super::Tables::translation_rows`]) of the first `to`
    /// entries.
    pub fn translation_rows_until(&self, to: usize) -> Result<Vec<SparseVector>> {
        self.rows_between(TRANSLATIONS, 0, to)
    }

    /// The rows of entries `from..to` of the long-form table `file` (rows in entry order): one
    /// vector per entry below `to`, those below `from` empty.
    fn rows_between(&self, file: &str, from: usize, to: usize) -> Result<Vec<SparseVector>> {
        self.rows_between_of(file, from, to, Weights::Read)
    }

    /// [`Store::rows_between`], the weights read or left ([`Weights`]).
    fn rows_between_of(
        &self,
        file: &str,
        from: usize,
        to: usize,
        weights: Weights,
    ) -> Result<Vec<SparseVector>> {
        let path = self.path(file);
        let file = self.open_verified(file)?;
        let to = to.min(self.entries);
        read_rows_of(&file, from, to, weights).map_err(|e| corrupt(&path, e))
    }
}

/// The rows of entries `from..to` of a long-form rows file (its `row` column in entry order):
/// one vector per entry below `to`, those below `from` empty; the row groups from the one that
/// holds entry `from`'s first row are decoded until entry `to`'s first row.
#[cfg(test)]
fn read_rows(file: &File, from: usize, to: usize) -> PolarsResult<Vec<SparseVector>> {
    read_rows_of(file, from, to, Weights::Read)
}

/// [`read_rows`], the weights' column read or left ([`Weights`]).
fn read_rows_of(file: &File, from: usize, to: usize, weights: Weights) -> PolarsResult<Vec<SparseVector>> {
    let mut rows = vec![SparseVector::default(); to];
    let from = from.min(to);
    let groups = row_groups(file)?;
    let mut at = if from == 0 { 0 } else { first_row_of(file, from)? };
    let mut previous = 0;
    let mut k = groups
        .partition_point(|&(start, _)| start <= at)
        .saturating_sub(1);
    while to > 0 && k < groups.len() {
        let (start, len) = groups[k];
        let reader = ParquetReader::new(file.try_clone()?).with_slice(Some((at, start + len - at)));
        let df = match weights {
            Weights::Read => reader,
            Weights::Left => reader.with_columns(Some(vec![col::ROW.to_string(), col::TERM.to_string()])),
        }
        .finish()?;
        let before_to = add_lines_of(&df, &mut rows, weights, |r| {
            if r < previous {
                polars_bail!(ComputeError: "row {r} after row {previous}: not in entry order");
            }
            previous = r;
            Ok((r as usize) < to)
        })?;
        if !before_to {
            break;
        }
        at = start + len;
        k += 1;
    }
    Ok(rows)
}

/// The first row and the number of rows of each row group of `file`.
fn row_groups(file: &File) -> PolarsResult<Vec<(usize, usize)>> {
    let sizes: Vec<usize> = ParquetReader::new(file.try_clone()?)
        .get_metadata()?
        .row_groups
        .iter()
        .map(|g| g.num_rows())
        .collect();
    Ok(sizes
        .into_iter()
        .scan(0, |at, n| {
            let start = *at;
            *at += n;
            Some((start, n))
        })
        .collect())
}

/// The first long-form row of `file` (its `row` column in entry order, as the store writes it)
/// that belongs to entry `entry` or a later one: the row groups searched by their first row, then
/// the one group that holds the boundary decoded (one column of a few of its ~260,000 rows).
fn first_row_of(file: &File, entry: usize) -> PolarsResult<usize> {
    let (starts, groups): (Vec<usize>, Vec<usize>) = row_groups(file)?.into_iter().unzip();
    let rows = |at: usize, len: usize| -> PolarsResult<Vec<Option<u32>>> {
        let df = ParquetReader::new(file.try_clone()?)
            .with_columns(Some(vec![col::ROW.to_string()]))
            .with_slice(Some((at, len)))
            .finish()?;
        Ok(df.column(col::ROW)?.u32()?.iter().collect())
    };
    let entry_of = |value: Option<u32>, at: usize| -> PolarsResult<usize> {
        match value {
            Some(r) => Ok(r as usize),
            None => polars_bail!(ComputeError: "row {at}: no {}", col::ROW),
        }
    };
    // The first group that starts at `entry` or later; the boundary is in the group before it.
    let (mut lo, mut hi) = (0usize, groups.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let first = rows(starts[mid], 1)?.first().copied().flatten();
        if entry_of(first, starts[mid])? < entry {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    let Some(group) = lo.checked_sub(1) else {
        return Ok(0);
    };
    let values = rows(starts[group], groups[group])?;
    let mut inside = 0;
    for (k, value) in values.iter().enumerate() {
        if entry_of(*value, starts[group] + k)? >= entry {
            break;
        }
        inside += 1;
    }
    Ok(starts[group] + inside)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_row_of_an_entry_is_found_across_row_groups() {
        // Entries 0..=9 with 0 to 3 long-form rows each, in row groups of 4 rows.
        let mut rows: Vec<u32> = Vec::new();
        for entry in 0..10u32 {
            rows.extend(std::iter::repeat_n(entry, (entry % 4) as usize));
        }
        let n = rows.len();
        let mut df = DataFrame::new(
            n,
            vec![
                Column::new(col::ROW.into(), rows.clone()),
                Column::new(col::TERM.into(), vec![7u32; n]),
                Column::new(col::WEIGHT.into(), vec![0.5f32; n]),
            ],
        )
        .expect("frame");
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("rows.parquet");
        ParquetWriter::new(File::create(&path).expect("create"))
            .with_row_group_size(Some(4))
            .finish(&mut df)
            .expect("write");
        let file = File::open(&path).expect("open");
        let groups = ParquetReader::new(file.try_clone().expect("clone"))
            .get_metadata()
            .expect("metadata")
            .row_groups
            .len();
        assert!(groups >= 3, "{groups} row groups");
        for entry in 0..=11usize {
            let want = rows.partition_point(|&r| (r as usize) < entry);
            assert_eq!(first_row_of(&file, entry).expect("search"), want, "entry {entry}");
        }
        // Each entry's row holds as many terms as it has long-form rows, whichever groups they
        // are in; those before `from` are left empty.
        for (from, to) in [(0, 10), (0, 4), (3, 7), (5, 6), (6, 6), (2, 12), (0, 0)] {
            let got = read_rows(&file, from, to).expect("rows");
            assert_eq!(got.len(), to, "{from}..{to}");
            for (entry, row) in got.iter().enumerate() {
                let want = if entry < from || entry >= 10 { 0 } else { entry % 4 };
                assert_eq!(row.indices.len(), want, "{from}..{to}: entry {entry}");
                assert!(row.indices.iter().all(|&t| t == 7));
            }
        }
    }

    #[test]
    fn the_first_rows_read_alone_are_the_first_rows_of_the_whole_tables() {
        let (_dir, path) = crate::test_support::sample_store();
        let store = Store::open(&path).expect("store");
        let n = store.entry_count();
        let (entries, titles, related, vectors) = (
            store.entries().expect("entries"),
            store.title_rows(n).expect("titles"),
            store.related_rows(n).expect("related"),
            store.vectors(n).expect("vectors"),
        );
        let last = entries.last().expect("entries").issue;
        let mut partial = 0;
        for through in [0, 1, 2, 7, 31, 45, last, last + 10] {
            let first = entries.iter().filter(|e| e.issue <= through).count();
            partial += usize::from(first > 0 && first < n);
            let got = store.entries_through(0, through).expect("entries");
            assert_eq!(got.as_slice(), &entries[..first], "through {through}");
            // From the middle issue on with their texts, before it without.
            let texts_from = through / 2;
            let got = store.entries_through(texts_from, through).expect("entries");
            assert_eq!(got.len(), first);
            for (g, e) in got.iter().zip(&entries) {
                let mut want = e.clone();
                if e.issue < texts_from {
                    want.links.clear();
                    want.description.clear();
                    want.description_marks.clear();
                    want.image_alts.clear();
                    want.en_description = None;
                    want.en_description_marks.clear();
                }
                assert_eq!(*g, want, "through {through}, texts from {texts_from}");
            }
            assert_eq!(store.title_rows_until(first).expect("titles"), &titles[..first]);
            let terms = store.title_terms_until(first).expect("title terms");
            assert_eq!(terms.len(), first);
            for (got, want) in terms.iter().zip(&titles) {
                assert_eq!(got.indices, want.indices);
                assert!(got.values.is_empty());
            }
            assert_eq!(
                store.related_rows_until(first).expect("related"),
                &related[..first]
            );
            let from = first / 2;
            let between = store.vectors_between(from, first).expect("vectors");
            assert_eq!(between.len(), first);
            assert!(between[..from].iter().all(|v| v.indices.is_empty()));
            assert_eq!(&between[from..], &vectors[from..first]);
        }
        assert!(partial >= 3, "{partial} prefixes were part of the store");
    }

    #[test]
    fn the_entries_read_in_pieces_side_by_side_read_the_same_every_time() {
        // The pieces are read at once; through descriptors sharing one offset they read each
        // other's bytes now and then (a footer read as garbage: an error or a panic).
        let (_dir, path) = crate::test_support::sample_store();
        let store = Store::open(&path).expect("store");
        let last = store.entries().expect("entries").last().expect("entries").issue;
        let want = store.entries_through(last / 2, last).expect("entries");
        for _ in 0..300 {
            assert_eq!(store.entries_through(last / 2, last).expect("entries"), want);
        }
    }

    #[test]
    fn a_changed_file_is_refused_when_read_through() {
        let (_dir, path) = crate::test_support::sample_store();
        let store = Store::open(&path).expect("store");
        let titles = store.path(TITLES);
        let mut bytes = std::fs::read(&titles).expect("read");
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0xff;
        // A new file in place of the old (the build's may be hard-linked elsewhere).
        std::fs::remove_file(&titles).expect("remove");
        std::fs::write(&titles, &bytes).expect("write");
        let err = store.title_rows_until(3).expect_err("a changed file");
        assert!(err.to_string().contains("titles.parquet"), "{err}");
        assert!(err.to_string().contains("checksum"), "{err}");
    }
}
