//! The related index kept in the store (`related.idx`): what one `related` query needs, laid out
//! so that the query reads only its pieces with positioned reads — the header, the query entry's
//! row, the posting lists of its terms (or only the blocks of them it looks rows up in), and the
//! display records of the k it shows — instead of loading every entry and building the index
//! (3.5–4.6 s and 1.7 GiB at a million entries). Derived from `related.parquet`,
//! `entries.parquet`, `issues.parquet` and `terms.parquet`, which stay the source of truth: the
//! build writes it into the staged store with them, and `weeklens index` writes it again for an
//! existing store.
//!
//! Layout, version 5, little-endian throughout; every section starts on a multiple of 8:
//!
//! ```text
//! header (384 bytes)
//!   0  magic "WLRELIDX"          8  version u32           12 block u32 (postings per skip block)
//!   16 entries u32               20 terms u32             24 postings u64
//!   32 url keys u32              36 max row norm f32      40 file length u64
//!   48 20 × (offset u64, length u64) in bytes, one per section, in the order below
//!   368 chunk u32 (bytes per checksummed piece)           372 CRC-32 of the checksums section
//!   376 CRC-32 of bytes 0..376 (the store's manifest records it)                380 zero u32
//! terms           terms × 24: first posting u64, first skip u32, postings u32, max weight f32,
//!                 document frequency u32 (the entries the vocabulary counts the term in)
//! term offsets    (terms + 1) × u64 into term text;   term text   the terms as shown, UTF-8
//! postings        per term, its (row u32, weight f32) pairs, rows increasing
//! skips           per term, the last row of each block of `block` postings, u32
//! row offsets     (entries + 1) × u64 (in pairs) into rows
//! rows            per entry, its ranking row: (term u32, weight f32), terms increasing
//! entries         entries × 16: issue u32, position u32, date i32 (days since 1970-01-01,
//!                 i32::MIN when unknown), category u8 (`Category::ALL` order), 3 bytes zero
//! title offsets   (entries + 1) × u64 into titles;    titles      UTF-8
//! ids             entries × 16: issue u32, category u32, position u32, row u32; sorted
//! url keys        url keys × 16: FNV-1a 64 of the canonical URL u64, row u32, zero u32; sorted
//! url offsets     (entries + 1) × u64 into urls;      urls        canonical URLs ("" for none)
//! identity keys   per key of an entry ([`crate::identity::keys`]: its title link, repository,
//!                 project names, PEP, title, description links) 16 bytes: FNV-1a 64 of the
//!                 key's bytes u64, row u32, zero u32; sorted
//! record offsets  (entries + 1) × u64 into records
//! records         per entry, what the sections above do not hold of it (so that `check` reads
//!                 the entries a draft leads to, not the entries table): number u32 (u32::MAX
//!                 when none), line u32, lang u8, withdrawn u8, which of url / English title /
//!                 English description it has u8 (bits 0, 1, 2), zero u8; then its url, its
//!                 description, its English title and description (those it has), each a u32
//!                 length and UTF-8; then its links and its images' alt texts, each a u32 count
//!                 and as many strings
//! key offsets     (terms + 1) × u64 into term keys;   term keys   the vocabulary's terms (the
//!                 tokenizer's keys: stems, folded), UTF-8, in byte order, so that a text query
//!                 finds its words' terms by binary search and weighs them without the
//!                 vocabulary table
//! checksums       one CRC-32 u32 per `chunk` bytes of the file from the end of the header to
//!                 this section (the last piece shorter)
//! ```
//!
//! A query checks each piece of `chunk` bytes it reads against its checksum (and the header and
//! the checksums when the file is opened), so a damaged file is an error naming it, never a
//! wrong answer, without reading the whole file.
//!
//! The same store gives the same bytes. A file that is missing, of another version, cut short or
//! for another number of entries is refused with an error naming it and saying how to write it
//! again, rather than falling back to loading the whole store: at scale that fallback is the
//! 3.5 s this file exists to avoid, and a silent slowdown hides a broken store.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHashMap;

use super::rows::{factor_of, related_row_by};
use super::topk::{self, Posting, Postings, TermMeta};
use super::{shared_shown, Request, SuggestionView};
use crate::canon::canonical_url;
use crate::error::{Error, Result};
use crate::identity::Key;
use crate::model::{Category, Entry, EntryId, Issue, Lang};
use crate::store::{FileSum, Store};
use crate::vectorize::{counts_by, idf_of, tfidf_row, FittedTfIdf, SparseVector, TfIdfParams};

/// The file's name in the store directory.
pub const FILE: &str = crate::store::RELATED_INDEX;
const MAGIC: [u8; 8] = *b"WLRELIDX";
/// Bumped whenever the layout or what its keys hold changes (3: the identity keys and the
/// entries' records; 4: titles keyed folded by NFKC, without format characters; 5: the terms'
/// keys and document frequencies).
pub const VERSION: u32 = 5;
/// Postings per skip block: a row looked up in a long list costs one read of 1 KiB.
const BLOCK: u32 = 128;
const SECTIONS: usize = 20;
/// The fields, the section table, the chunk size and the three checksums.
const HEADER_LEN: u64 = 48 + 16 * SECTIONS as u64 + 16;
/// Where the header's own checksum sits, and what it covers.
const HEADER_CRC_AT: usize = HEADER_LEN as usize - 8;
/// Bytes per checksummed piece: a read of a few bytes checks one page.
const CHUNK: u32 = 4096;
const TERM_RECORD: u64 = 24;
const RECORD: u64 = 16;
const NO_DATE: i32 = i32::MIN;
const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Terms,
    TermOffsets,
    TermText,
    Postings,
    Skips,
    RowOffsets,
    Rows,
    Entries,
    TitleOffsets,
    Titles,
    Ids,
    UrlKeys,
    UrlOffsets,
    Urls,
    IdentityKeys,
    RecordOffsets,
    Records,
    KeyOffsets,
    TermKeys,
    Checksums,
}

impl Section {
    const ALL: [Section; SECTIONS] = [
        Section::Terms,
        Section::TermOffsets,
        Section::TermText,
        Section::Postings,
        Section::Skips,
        Section::RowOffsets,
        Section::Rows,
        Section::Entries,
        Section::TitleOffsets,
        Section::Titles,
        Section::Ids,
        Section::UrlKeys,
        Section::UrlOffsets,
        Section::Urls,
        Section::IdentityKeys,
        Section::RecordOffsets,
        Section::Records,
        Section::KeyOffsets,
        Section::TermKeys,
        Section::Checksums,
    ];
}

/// A stable 64-bit hash (FNV-1a), so that the file's bytes do not depend on the Rust release.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

// ---------------------------------------------------------------------------------------------
// Writing

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// A keys section: `keys` (a hash and its row) sorted, 16 bytes each; and how many.
fn key_section(mut keys: Vec<(u64, u32)>) -> (u32, Vec<u8>) {
    keys.sort_unstable();
    let mut bytes = Vec::with_capacity(keys.len() * RECORD as usize);
    for &(hash, row) in &keys {
        put_u64(&mut bytes, hash);
        put_u32(&mut bytes, row);
        put_u32(&mut bytes, 0);
    }
    (keys.len() as u32, bytes)
}

fn put_string(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

/// What the record of an entry holds (see the layout above).
fn put_record(out: &mut Vec<u8>, e: &Entry) {
    put_u32(out, e.number.unwrap_or(u32::MAX));
    put_u32(out, e.line);
    let has = u8::from(e.url.is_some())
        | u8::from(e.en_title.is_some()) << 1
        | u8::from(e.en_description.is_some()) << 2;
    out.extend_from_slice(&[u8::from(e.lang == Lang::En), u8::from(e.withdrawn), has, 0]);
    for s in [
        e.url.as_deref(),
        Some(e.description.as_str()),
        e.en_title.as_deref(),
        e.en_description.as_deref(),
    ]
    .into_iter()
    .flatten()
    {
        put_string(out, s);
    }
    for list in [&e.links, &e.image_alts] {
        put_u32(out, list.len() as u32);
        for s in list {
            put_string(out, s);
        }
    }
}

/// An entry's record read back (its id and title are not in it: they are left empty).
struct Record<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Record<'_> {
    fn read(bytes: &[u8]) -> Option<Entry> {
        let mut r = Record { bytes, at: 0 };
        let (number, line) = (r.u32()?, r.u32()?);
        let [lang, withdrawn, has, _] = r.take(4)?.try_into().ok()?;
        let maybe = |r: &mut Record<'_>, bit: u8| -> Option<Option<String>> {
            if has & (1 << bit) != 0 {
                r.string().map(Some)
            } else {
                Some(None)
            }
        };
        let url = maybe(&mut r, 0)?;
        let description = r.string()?;
        let (en_title, en_description) = (maybe(&mut r, 1)?, maybe(&mut r, 2)?);
        let (links, image_alts) = (r.strings()?, r.strings()?);
        (r.at == bytes.len()).then(|| Entry {
            number: (number != u32::MAX).then_some(number),
            url,
            links,
            lang: if lang == 1 { Lang::En } else { Lang::Zh },
            description,
            image_alts,
            en_title,
            en_description,
            // The index keeps what `check`, `past-years` and `related` show, not where the
            // descriptions' inline markup stood (the entries table keeps that).
            description_marks: Vec::new(),
            en_description_marks: Vec::new(),
            withdrawn: withdrawn == 1,
            line,
            issue: 0,
            category: Category::Article,
            position: 0,
            title: String::new(),
        })
    }

    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let piece = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(piece)
    }

    fn u32(&mut self) -> Option<u32> {
        self.take(4).map(|b| u32_at(b, 0))
    }

    fn string(&mut self) -> Option<String> {
        let len = self.u32()? as usize;
        String::from_utf8(self.take(len)?.to_vec()).ok()
    }

    fn strings(&mut self) -> Option<Vec<String>> {
        let count = self.u32()?;
        (0..count).map(|_| self.string()).collect()
    }
}

/// Strings as an offsets section ((count + 1) × u64) and a text section.
fn strings<'a>(items: impl Iterator<Item = &'a str>) -> (Vec<u8>, Vec<u8>) {
    let (mut offsets, mut text) = (Vec::new(), Vec::new());
    put_u64(&mut offsets, 0);
    for s in items {
        text.extend_from_slice(s.as_bytes());
        put_u64(&mut offsets, text.len() as u64);
    }
    (offsets, text)
}

/// Writes the index of `rows` (the ranking rows, one per entry of `entries`, in archive order)
/// to `path`, durably; `dates` are the issues' (number, date). Returns what the store's manifest
/// records of it: its length and the checksum of its header.
pub fn write(
    path: &Path,
    entries: &[Entry],
    dates: impl IntoIterator<Item = (u32, NaiveDate)>,
    vocabulary: &FittedTfIdf,
    rows: &[SparseVector],
) -> Result<FileSum> {
    let bad = |reason: String| Error::RelatedIndex {
        path: path.to_path_buf(),
        reason,
    };
    if rows.len() != entries.len() {
        return Err(bad(format!("{} rows for {} entries", rows.len(), entries.len())));
    }
    // "Earlier issues" must be a prefix of the rows, and the search's bounds need weights ≥ 0.
    if !entries.is_sorted_by_key(|e| e.issue) {
        return Err(bad("the entries are not in issue order".to_string()));
    }
    if let Some((r, _)) = rows
        .iter()
        .enumerate()
        .find(|(_, r)| r.values.iter().any(|w| !(w.is_finite() && *w >= 0.0)))
    {
        return Err(bad(format!("row {r} has a negative or non-finite weight")));
    }
    let n = entries.len();
    let terms = vocabulary.terms();
    let v = terms.len();
    // A text query finds its terms by binary search over them.
    if !terms.is_sorted_by(|a, b| a < b) {
        return Err(bad("the vocabulary's terms are not in byte order".to_string()));
    }

    // Postings, grouped by term (a counting sort; rows come in order, so each list is sorted).
    let mut len = vec![0u32; v];
    for r in rows {
        for &t in r.indices.iter().filter(|&&t| (t as usize) < v) {
            len[t as usize] += 1;
        }
    }
    let mut start = vec![0u64; v + 1];
    for t in 0..v {
        start[t + 1] = start[t] + u64::from(len[t]);
    }
    let mut postings = vec![(0u32, 0f32); start[v] as usize];
    let mut next: Vec<u64> = start[..v].to_vec();
    for (row, r) in rows.iter().enumerate() {
        for (&t, &w) in r.indices.iter().zip(&r.values) {
            if let Some(at) = next.get_mut(t as usize) {
                postings[*at as usize] = (row as u32, w);
                *at += 1;
            }
        }
    }

    let (mut term_records, mut post_bytes, mut skips) = (Vec::new(), Vec::new(), Vec::new());
    let mut skip_at = 0u32;
    for t in 0..v {
        let list = &postings[start[t] as usize..start[t + 1] as usize];
        let max = list.iter().map(|p| p.1).fold(0f32, f32::max);
        put_u64(&mut term_records, start[t]);
        put_u32(&mut term_records, skip_at);
        put_u32(&mut term_records, len[t]);
        put_u32(&mut term_records, max.to_bits());
        put_u32(&mut term_records, vocabulary.df()[t]);
        for block in list.chunks(BLOCK as usize) {
            if let Some(last) = block.last() {
                put_u32(&mut skips, last.0);
                skip_at += 1;
            }
        }
    }
    post_bytes.reserve(postings.len() * 8);
    for &(row, w) in &postings {
        put_u32(&mut post_bytes, row);
        put_u32(&mut post_bytes, w.to_bits());
    }
    drop(postings);
    // The terms as shown to people (the words the archive writes): the file's term text is
    // only ever read to explain a suggestion.
    let (term_offsets, term_text) = strings(vocabulary.shown().iter().map(String::as_str));
    let (key_offsets, term_keys) = strings(terms.iter().map(String::as_str));

    let (mut row_offsets, mut row_bytes) = (Vec::new(), Vec::new());
    let mut pairs = 0u64;
    put_u64(&mut row_offsets, 0);
    for r in rows {
        for (&t, &w) in r.indices.iter().zip(&r.values) {
            put_u32(&mut row_bytes, t);
            put_u32(&mut row_bytes, w.to_bits());
        }
        pairs += r.indices.len() as u64;
        put_u64(&mut row_offsets, pairs);
    }

    let dates: FxHashMap<u32, NaiveDate> = dates.into_iter().collect();
    let mut entry_records = Vec::with_capacity(n * RECORD as usize);
    for e in entries {
        put_u32(&mut entry_records, e.issue);
        put_u32(&mut entry_records, e.position);
        let days = dates
            .get(&e.issue)
            .map_or(NO_DATE, |d| d.num_days_from_ce() - UNIX_EPOCH_DAYS_FROM_CE);
        put_u32(&mut entry_records, days as u32);
        put_u32(&mut entry_records, e.category.index() as u32);
    }
    let (title_offsets, titles) = strings(entries.iter().map(|e| e.title.as_str()));

    let mut ids: Vec<(u32, u32, u32, u32)> = entries
        .iter()
        .enumerate()
        .map(|(row, e)| (e.issue, e.category.index() as u32, e.position, row as u32))
        .collect();
    ids.sort_unstable();
    let mut id_bytes = Vec::with_capacity(n * RECORD as usize);
    for (issue, category, position, row) in ids {
        for x in [issue, category, position, row] {
            put_u32(&mut id_bytes, x);
        }
    }

    let urls: Vec<String> = entries
        .iter()
        .map(|e| e.url.as_deref().and_then(canonical_url).unwrap_or_default())
        .collect();
    let (url_keys, key_bytes) = key_section(
        urls.iter()
            .enumerate()
            .filter(|(_, u)| !u.is_empty())
            .map(|(row, u)| (fnv1a(u.as_bytes()), row as u32))
            .collect(),
    );
    let (url_offsets, url_text) = strings(urls.iter().map(String::as_str));
    let (_, identity_bytes) = key_section(
        entries
            .iter()
            .enumerate()
            .flat_map(|(row, e)| {
                crate::identity::keys(e)
                    .into_iter()
                    .map(move |key| (fnv1a(&key.bytes()), row as u32))
            })
            .collect(),
    );
    let (mut record_offsets, mut records) = (Vec::new(), Vec::new());
    put_u64(&mut record_offsets, 0);
    for e in entries {
        put_record(&mut records, e);
        put_u64(&mut record_offsets, records.len() as u64);
    }

    let sections = [
        term_records,
        term_offsets,
        term_text,
        post_bytes,
        skips,
        row_offsets,
        row_bytes,
        entry_records,
        title_offsets,
        titles,
        id_bytes,
        key_bytes,
        url_offsets,
        url_text,
        identity_bytes,
        record_offsets,
        records,
        key_offsets,
        term_keys,
    ];

    // Each piece of the file after the header, padding included, checksummed as it will lie.
    let mut checksums = Vec::new();
    let mut piece = crc32fast::Hasher::new();
    let mut in_piece = 0usize;
    let padded = sections.iter().flat_map(|s| {
        let pad = (s.len().next_multiple_of(8) - s.len()) as u64;
        [s.as_slice(), &[0u8; 8][..pad as usize]]
    });
    for mut bytes in padded {
        while !bytes.is_empty() {
            let take = bytes.len().min(CHUNK as usize - in_piece);
            piece.update(&bytes[..take]);
            in_piece += take;
            bytes = &bytes[take..];
            if in_piece == CHUNK as usize {
                put_u32(&mut checksums, std::mem::take(&mut piece).finalize());
                in_piece = 0;
            }
        }
    }
    if in_piece > 0 {
        put_u32(&mut checksums, piece.finalize());
    }

    let mut table = Vec::new();
    let mut at = HEADER_LEN;
    for section in sections.iter().chain([&checksums]) {
        put_u64(&mut table, at);
        put_u64(&mut table, section.len() as u64);
        at = (at + section.len() as u64).next_multiple_of(8);
    }
    let file_len = at;
    let mut header = Vec::with_capacity(HEADER_LEN as usize);
    header.extend_from_slice(&MAGIC);
    put_u32(&mut header, VERSION);
    put_u32(&mut header, BLOCK);
    put_u32(&mut header, n as u32);
    put_u32(&mut header, v as u32);
    put_u64(&mut header, start[v]);
    put_u32(&mut header, url_keys);
    put_u32(&mut header, super::max_norm(rows).to_bits());
    put_u64(&mut header, file_len);
    header.extend_from_slice(&table);
    put_u32(&mut header, CHUNK);
    put_u32(&mut header, crc32fast::hash(&checksums));
    let header_crc = crc32fast::hash(&header);
    put_u32(&mut header, header_crc);
    put_u32(&mut header, 0);

    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut out = BufWriter::new(File::create(path).map_err(io)?);
    out.write_all(&header).map_err(io)?;
    let mut written = HEADER_LEN;
    for section in sections.iter().chain([&checksums]) {
        out.write_all(section).map_err(io)?;
        written += section.len() as u64;
        let pad = written.next_multiple_of(8) - written;
        out.write_all(&[0u8; 8][..pad as usize]).map_err(io)?;
        written += pad;
    }
    let file = out.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)?;
    Ok(FileSum {
        bytes: file_len,
        crc32: header_crc,
    })
}

// ---------------------------------------------------------------------------------------------
// Reading

#[derive(Debug, Clone, Copy)]
struct TermRecord {
    first: u64,
    first_skip: u32,
    len: u32,
    max_weight: f32,
    df: u32,
}

/// An entry as `related` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryRecord {
    pub issue: u32,
    pub position: u32,
    pub category: Category,
    pub date: Option<NaiveDate>,
}

/// The index file, open for queries. Reads go to the file as they are needed; what a query
/// reads twice (term records, whole lists, skip tables) is kept.
#[derive(Debug)]
pub struct IndexFile {
    path: PathBuf,
    file: File,
    entries: u32,
    terms: u32,
    url_keys: u32,
    max_norm: f32,
    sections: [(u64, u64); SECTIONS],
    len: u64,
    header_crc: u32,
    /// The checksum of each piece of `CHUNK` bytes from the header to the checksums section.
    checksums: Vec<u32>,
    records: FxHashMap<u32, Option<TermRecord>>,
    lists: FxHashMap<u32, Vec<Posting>>,
    /// The head of a list read up to a limit (the last one asked for).
    partial: Vec<Posting>,
    skips: FxHashMap<u32, Vec<u32>>,
    /// The search's slot per row, kept between queries (a report asks hundreds; each cleans
    /// only the slots it touched).
    scratch: topk::Scratch,
    /// When queries whose lists are all read whole are answered by blocks of rows: the whole
    /// lists and their block maxima, shared with the other files of the same index that walk
    /// by blocks.
    by_blocks: Option<Arc<WholeLists>>,
    block_scratch: topk::BlockScratch,
}

/// Whole posting lists of one index file with their block maxima, each read and summarised
/// once by whichever file a query first needs it in and kept for every file that shares them
/// ([`IndexFile::walk_by_blocks`]): a report's pooled files read each list once, not once each.
#[derive(Debug, Default)]
pub struct WholeLists {
    lists: Mutex<FxHashMap<u32, Arc<WholeList>>>,
}

/// A term's whole list and its block maxima.
#[derive(Debug)]
struct WholeList {
    list: Vec<Posting>,
    maxima: topk::BlockMaxima,
}

impl WholeLists {
    fn get(&self, term: u32) -> Option<Arc<WholeList>> {
        self.lists.lock().ok()?.get(&term).cloned()
    }

    /// Keeps `list` for `term` unless another file kept it first (the same list: the same
    /// index), and gives the one kept.
    fn keep(&self, term: u32, list: WholeList) -> Arc<WholeList> {
        match self.lists.lock() {
            Ok(mut lists) => lists.entry(term).or_insert_with(|| Arc::new(list)).clone(),
            Err(_) => Arc::new(list),
        }
    }
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    let mut x = [0u8; 4];
    x.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(x)
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(x)
}

fn pairs(bytes: &[u8]) -> impl Iterator<Item = (u32, f32)> + '_ {
    bytes
        .chunks_exact(8)
        .map(|c| (u32_at(c, 0), f32::from_bits(u32_at(c, 4))))
}

impl IndexFile {
    /// Opens the store's index, checking its header against the file and the store's manifest.
    pub fn open(store: &Store) -> Result<IndexFile> {
        let path = store.path(FILE);
        let index = IndexFile::open_path(&path)?;
        if let Some(want) = store.checksum(FILE) {
            if (want.bytes, want.crc32) != (index.len, index.header_crc) {
                return Err(index.bad("it is not the index this store's build wrote".to_string()));
            }
        }
        if index.entries as usize != store.entry_count() {
            return Err(index.bad(format!(
                "it indexes {} entries, the store holds {}",
                index.entries,
                store.entry_count()
            )));
        }
        Ok(index)
    }

    /// Opens the index at `path`, checking its header against the file.
    pub fn open_path(path: &Path) -> Result<IndexFile> {
        let bad = |reason: String| Error::RelatedIndex {
            path: path.to_path_buf(),
            reason,
        };
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(bad("the store has no related index".to_string()))
            }
            Err(source) => {
                return Err(Error::Io {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        let size = file
            .metadata()
            .map_err(|source| Error::Io {
                path: path.to_path_buf(),
                source,
            })?
            .len();
        let mut h = vec![0u8; HEADER_LEN as usize];
        if size < HEADER_LEN || file.read_exact_at(&mut h, 0).is_err() {
            return Err(bad(format!("{size} bytes, shorter than its header")));
        }
        if h[..8] != MAGIC {
            return Err(bad("not a weeklens related index (wrong magic)".to_string()));
        }
        let version = u32_at(&h, 8);
        if version != VERSION {
            return Err(bad(format!(
                "layout version {version}, this weeklens reads version {VERSION}"
            )));
        }
        let header_crc = u32_at(&h, HEADER_CRC_AT);
        if crc32fast::hash(&h[..HEADER_CRC_AT]) != header_crc {
            return Err(bad(
                "its header is damaged (its checksum does not match)".to_string()
            ));
        }
        if u32_at(&h, HEADER_CRC_AT - 8) != CHUNK {
            return Err(bad(format!(
                "checksummed pieces of {} bytes, expected {CHUNK}",
                u32_at(&h, HEADER_CRC_AT - 8)
            )));
        }
        let (block, entries, terms) = (u32_at(&h, 12), u32_at(&h, 16), u32_at(&h, 20));
        let postings = u64_at(&h, 24);
        let url_keys = u32_at(&h, 32);
        let max_norm = f32::from_bits(u32_at(&h, 36));
        let file_len = u64_at(&h, 40);
        if file_len != size {
            return Err(bad(format!("{size} bytes where its header says {file_len}")));
        }
        if block != BLOCK {
            return Err(bad(format!("blocks of {block} postings, expected {BLOCK}")));
        }
        let mut sections = [(0u64, 0u64); SECTIONS];
        for (i, s) in sections.iter_mut().enumerate() {
            *s = (u64_at(&h, 48 + 16 * i), u64_at(&h, 56 + 16 * i));
            if s.0 < HEADER_LEN || s.0.checked_add(s.1).is_none_or(|end| end > size) {
                return Err(bad(format!(
                    "section {:?} lies outside the file",
                    Section::ALL[i]
                )));
            }
        }
        let (n, v) = (u64::from(entries), u64::from(terms));
        let expected = [
            (Section::Terms, v * TERM_RECORD),
            (Section::TermOffsets, (v + 1) * 8),
            (Section::Postings, postings * 8),
            (Section::RowOffsets, (n + 1) * 8),
            (Section::Entries, n * RECORD),
            (Section::TitleOffsets, (n + 1) * 8),
            (Section::Ids, n * RECORD),
            (Section::UrlKeys, u64::from(url_keys) * RECORD),
            (Section::UrlOffsets, (n + 1) * 8),
            (
                Section::IdentityKeys,
                sections[Section::IdentityKeys as usize].1 / RECORD * RECORD,
            ),
            (Section::RecordOffsets, (n + 1) * 8),
            (Section::KeyOffsets, (v + 1) * 8),
            (
                Section::Checksums,
                (sections[Section::Checksums as usize].0 - HEADER_LEN).div_ceil(u64::from(CHUNK)) * 4,
            ),
        ];
        for (section, want) in expected {
            let got = sections[section as usize].1;
            if got != want {
                return Err(bad(format!(
                    "section {section:?} holds {got} bytes, expected {want}"
                )));
            }
        }
        let (at, len) = sections[Section::Checksums as usize];
        let mut sums = vec![0u8; len as usize];
        file.read_exact_at(&mut sums, at).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        if crc32fast::hash(&sums) != u32_at(&h, HEADER_CRC_AT - 4) {
            return Err(bad("its checksums section is damaged".to_string()));
        }
        Ok(IndexFile {
            path: path.to_path_buf(),
            file,
            len: size,
            header_crc,
            entries,
            terms,
            url_keys,
            max_norm,
            sections,
            checksums: sums.chunks_exact(4).map(|c| u32_at(c, 0)).collect(),
            records: FxHashMap::default(),
            lists: FxHashMap::default(),
            partial: Vec::new(),
            skips: FxHashMap::default(),
            scratch: topk::Scratch::default(),
            by_blocks: None,
            block_scratch: topk::BlockScratch::default(),
        })
    }

    fn bad(&self, reason: String) -> Error {
        Error::RelatedIndex {
            path: self.path.clone(),
            reason,
        }
    }

    /// The entries it indexes.
    pub fn entries(&self) -> usize {
        self.entries as usize
    }

    /// `len` bytes at `at` within `section`, read with the whole pieces they lie in and checked
    /// against those pieces' checksums.
    fn read(&self, section: Section, at: u64, len: u64) -> Result<Vec<u8>> {
        let (start, size) = self.sections[section as usize];
        if at.checked_add(len).is_none_or(|end| end > size) {
            return Err(self.bad(format!("a read past the end of section {section:?}")));
        }
        if len == 0 {
            return Ok(Vec::new());
        }
        let (from, to) = (start + at, start + at + len);
        let chunk = u64::from(CHUNK);
        let first = (from - HEADER_LEN) / chunk;
        let last = (to - 1 - HEADER_LEN) / chunk;
        let pieces_from = HEADER_LEN + first * chunk;
        let pieces_to = (HEADER_LEN + (last + 1) * chunk).min(self.sections[Section::Checksums as usize].0);
        let mut buf = vec![0u8; (pieces_to - pieces_from) as usize];
        self.file
            .read_exact_at(&mut buf, pieces_from)
            .map_err(|source| Error::Io {
                path: self.path.clone(),
                source,
            })?;
        for (i, piece) in buf.chunks(CHUNK as usize).enumerate() {
            let k = first as usize + i;
            if self.checksums.get(k) != Some(&crc32fast::hash(piece)) {
                return Err(self.bad(format!(
                    "damaged at bytes {}..{} (their checksum does not match)",
                    HEADER_LEN + k as u64 * chunk,
                    HEADER_LEN + k as u64 * chunk + piece.len() as u64
                )));
            }
        }
        let skip = (from - pieces_from) as usize;
        buf.truncate(skip + len as usize);
        buf.drain(..skip);
        Ok(buf)
    }

    /// The `i`th string of an offsets section and its text section.
    fn string(&self, offsets: Section, text: Section, i: u64) -> Result<String> {
        let b = self.read(offsets, i * 8, 16)?;
        let (from, to) = (u64_at(&b, 0), u64_at(&b, 8));
        if to < from {
            return Err(self.bad(format!("string {i} of {text:?} ends before it starts")));
        }
        String::from_utf8(self.read(text, from, to - from)?)
            .map_err(|_| self.bad(format!("string {i} of {text:?} is not UTF-8")))
    }

    fn check_row(&self, row: u32) -> Result<()> {
        if row >= self.entries {
            return Err(self.bad(format!("row {row} beyond its {} entries", self.entries)));
        }
        Ok(())
    }

    /// The row of the entry `id`, by binary search over the sorted ids (about 20 reads of 16
    /// bytes at a million entries).
    pub fn row_of(&self, id: EntryId) -> Result<Option<u32>> {
        let key = (id.issue, id.category.index() as u32, id.position);
        let (mut lo, mut hi) = (0u64, u64::from(self.entries));
        let record = |i: u64| -> Result<(u32, u32, u32, u32)> {
            let b = self.read(Section::Ids, i * RECORD, RECORD)?;
            Ok((u32_at(&b, 0), u32_at(&b, 4), u32_at(&b, 8), u32_at(&b, 12)))
        };
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let r = record(mid)?;
            if (r.0, r.1, r.2) < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if lo == u64::from(self.entries) {
            return Ok(None);
        }
        let r = record(lo)?;
        if (r.0, r.1, r.2) != key {
            return Ok(None);
        }
        self.check_row(r.3)?;
        Ok(Some(r.3))
    }

    /// The first row whose canonical URL is that of `url`.
    pub fn row_of_url(&self, url: &str) -> Result<Option<u32>> {
        let Some(want) = canonical_url(url) else {
            return Ok(None);
        };
        let hash = fnv1a(want.as_bytes());
        let key = |i: u64| -> Result<(u64, u32)> {
            let b = self.read(Section::UrlKeys, i * RECORD, RECORD)?;
            Ok((u64_at(&b, 0), u32_at(&b, 8)))
        };
        let (mut lo, mut hi) = (0u64, u64::from(self.url_keys));
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if key(mid)?.0 < hash {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        // Keys of one hash are in row order, so the first whose URL matches is the first row.
        for i in lo..u64::from(self.url_keys) {
            let (h, row) = key(i)?;
            if h != hash {
                break;
            }
            self.check_row(row)?;
            if self.string(Section::UrlOffsets, Section::Urls, u64::from(row))? == want {
                return Ok(Some(row));
            }
        }
        Ok(None)
    }

    /// The entry at `row`, as shown.
    pub fn entry(&self, row: u32) -> Result<EntryRecord> {
        self.check_row(row)?;
        let b = self.read(Section::Entries, u64::from(row) * RECORD, RECORD)?;
        let days = u32_at(&b, 8) as i32;
        let category = *Category::ALL
            .get(u32_at(&b, 12) as usize)
            .ok_or_else(|| self.bad(format!("row {row} has an unknown category")))?;
        Ok(EntryRecord {
            issue: u32_at(&b, 0),
            position: u32_at(&b, 4),
            category,
            date: (days != NO_DATE)
                .then(|| NaiveDate::from_num_days_from_ce_opt(days + UNIX_EPOCH_DAYS_FROM_CE))
                .flatten(),
        })
    }

    pub fn title(&self, row: u32) -> Result<String> {
        self.check_row(row)?;
        self.string(Section::TitleOffsets, Section::Titles, u64::from(row))
    }

    /// The rows holding the identity `key` ([`crate::identity::keys`]), in row order: a row
    /// whose key only shares its hash may be among them (the caller reads the row's own keys).
    pub fn rows_with(&self, key: &Key) -> Result<Vec<u32>> {
        let hash = fnv1a(&key.bytes());
        let count = self.sections[Section::IdentityKeys as usize].1 / RECORD;
        let at = |i: u64| -> Result<(u64, u32)> {
            let b = self.read(Section::IdentityKeys, i * RECORD, RECORD)?;
            Ok((u64_at(&b, 0), u32_at(&b, 8)))
        };
        let (mut lo, mut hi) = (0u64, count);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if at(mid)?.0 < hash {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        // The keys of one hash lie together, rows increasing: read them in pages.
        let mut rows = Vec::new();
        const PAGE: u64 = 256;
        'pages: while lo < count {
            let take = PAGE.min(count - lo);
            let b = self.read(Section::IdentityKeys, lo * RECORD, take * RECORD)?;
            for record in b.chunks_exact(RECORD as usize) {
                if u64_at(record, 0) != hash {
                    break 'pages;
                }
                let row = u32_at(record, 8);
                self.check_row(row)?;
                rows.push(row);
            }
            lo += take;
        }
        Ok(rows)
    }

    /// Whether the entry at `row` holds the identity `key` ([`IndexFile::rows_with`] gives the
    /// rows whose key only shares its hash too).
    pub fn holds(&self, row: u32, key: &Key) -> Result<bool> {
        Ok(crate::identity::keys(&self.stored_entry(row)?).contains(key))
    }

    /// The stored entry at `row`, whole: what the store's entries table holds of it.
    pub fn stored_entry(&self, row: u32) -> Result<Entry> {
        let shown = self.entry(row)?;
        let b = self.read(Section::RecordOffsets, u64::from(row) * 8, 16)?;
        let (from, to) = (u64_at(&b, 0), u64_at(&b, 8));
        if to < from {
            return Err(self.bad(format!("the record of row {row} ends before it starts")));
        }
        let bytes = self.read(Section::Records, from, to - from)?;
        let record =
            Record::read(&bytes).ok_or_else(|| self.bad(format!("the record of row {row} is damaged")))?;
        Ok(Entry {
            issue: shown.issue,
            category: shown.category,
            position: shown.position,
            title: self.title(row)?,
            ..record
        })
    }

    /// The ranking row of entry `row`.
    pub fn row(&self, row: u32) -> Result<SparseVector> {
        self.check_row(row)?;
        let b = self.read(Section::RowOffsets, u64::from(row) * 8, 16)?;
        let (from, to) = (u64_at(&b, 0), u64_at(&b, 8));
        if to < from {
            return Err(self.bad(format!("row {row} ends before it starts")));
        }
        let (indices, values) = pairs(&self.read(Section::Rows, from * 8, (to - from) * 8)?).unzip();
        Ok(SparseVector { indices, values })
    }

    pub fn term(&self, term: u32) -> Result<String> {
        if term >= self.terms {
            return Err(self.bad(format!("term {term} beyond its {} terms", self.terms)));
        }
        self.string(Section::TermOffsets, Section::TermText, u64::from(term))
    }

    /// The index of the term whose key is `key` (a term as the tokenizer makes it), by binary
    /// search over the keys: about 20 reads at a million entries' vocabulary.
    pub fn term_of_key(&self, key: &str) -> Result<Option<u32>> {
        let (mut low, mut high) = (0u32, self.terms);
        while low < high {
            let middle = low + (high - low) / 2;
            let at = self.string(Section::KeyOffsets, Section::TermKeys, u64::from(middle))?;
            match at.as_str().cmp(key) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Equal => return Ok(Some(middle)),
                std::cmp::Ordering::Greater => high = middle,
            }
        }
        Ok(None)
    }

    /// The row `related` ranks a text by, from the text's terms (as the tokenizer gives them):
    /// the vocabulary's TF-IDF row of them made a ranking row with no title
    /// ([`super::rows::related_row`]), bit for bit, from the few terms' keys, document
    /// frequencies and shown words in this file instead of the whole vocabulary. `params` and
    /// `documents` are the vocabulary's ([`Store::tfidf`]).
    pub fn text_row(
        &mut self,
        terms: &[String],
        params: TfIdfParams,
        documents: u32,
    ) -> Result<SparseVector> {
        let mut known: FxHashMap<&str, Option<u32>> = FxHashMap::default();
        for term in terms {
            if !known.contains_key(term.as_str()) {
                known.insert(term, self.term_of_key(term)?);
            }
        }
        let counts = counts_by(terms, |term| known.get(term).copied().flatten());
        let (mut idf, mut factor) = (FxHashMap::default(), FxHashMap::default());
        for (&key, &t) in &known {
            let Some(t) = t else { continue };
            let Some(record) = self.record(t)? else { continue };
            idf.insert(t, idf_of(record.df, documents, params.smooth_idf));
            factor.insert(t, factor_of(key, &self.term(t)?));
        }
        let row = tfidf_row(&counts, params.sublinear_tf, |t| idf[&t]);
        Ok(related_row_by(|t| factor[&t], &row, &SparseVector::default()))
    }

    /// The first row of an issue at or after `before` (rows are in issue order).
    fn limit(&self, before: Option<u32>) -> Result<u32> {
        let Some(before) = before else {
            return Ok(self.entries);
        };
        let (mut lo, mut hi) = (0u32, self.entries);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let b = self.read(Section::Entries, u64::from(mid) * RECORD, 4)?;
            if u32_at(&b, 0) < before {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        Ok(lo)
    }

    fn record(&mut self, term: u32) -> Result<Option<TermRecord>> {
        if term >= self.terms {
            return Ok(None);
        }
        if let Some(r) = self.records.get(&term) {
            return Ok(*r);
        }
        let b = self.read(Section::Terms, u64::from(term) * TERM_RECORD, TERM_RECORD)?;
        let r = TermRecord {
            first: u64_at(&b, 0),
            first_skip: u32_at(&b, 8),
            len: u32_at(&b, 12),
            max_weight: f32::from_bits(u32_at(&b, 16)),
            df: u32_at(&b, 20),
        };
        self.records.insert(term, Some(r));
        Ok(Some(r))
    }

    fn postings(&self, r: &TermRecord, from: u64, to: u64) -> Result<Vec<Posting>> {
        let b = self.read(Section::Postings, (r.first + from) * 8, (to - from) * 8)?;
        let list: Vec<Posting> = pairs(&b).collect();
        // The search indexes its candidates by row: a row past the end is damage, not a panic.
        if list.iter().any(|p| p.0 >= self.entries) {
            return Err(self.bad(format!("a posting of row {} or more", self.entries)));
        }
        Ok(list)
    }

    /// The last row of each block of the term's list, read once.
    fn skip_table(&mut self, term: u32, r: &TermRecord) -> Result<&[u32]> {
        if !self.skips.contains_key(&term) {
            let blocks = u64::from(r.len.div_ceil(BLOCK));
            let b = self.read(Section::Skips, u64::from(r.first_skip) * 4, blocks * 4)?;
            let skips = b.chunks_exact(4).map(|c| u32_at(c, 0)).collect();
            self.skips.insert(term, skips);
        }
        Ok(self.skips.get(&term).map_or(&[][..], Vec::as_slice))
    }

    /// Reads a whole list once.
    fn load(&mut self, term: u32) -> Result<()> {
        if self.lists.contains_key(&term) {
            return Ok(());
        }
        let list = match self.record(term)? {
            Some(r) => self.postings(&r, 0, u64::from(r.len))?,
            None => Vec::new(),
        };
        self.lists.insert(term, list);
        Ok(())
    }

    /// Answers the queries whose lists are all needed whole (a late window's, or with no limit)
    /// by blocks of rows ([`topk::search_blocks`]; the same rows and scores): for files that
    /// answer many queries, which keep the lists and their block maxima in `lists` for the next,
    /// whichever file of this index asks (`lists` is shared by files of the same index only). A
    /// single query does better with the list-by-list search, which reads only the blocks of a
    /// list it looks rows up in and makes no block maxima.
    pub fn walk_by_blocks(&mut self, lists: Arc<WholeLists>) {
        self.by_blocks = Some(lists);
    }

    /// How many postings of `term`'s list a walk up to `limit` reads: only the blocks up to the
    /// one that holds `limit`, when it is not past the end (a query about an early issue reads
    /// little); the whole list when that is half of it or more, as for a limit past the end (the
    /// queries of a late window, a report's hundreds, all need most of each list, and read it
    /// once instead of once each).
    fn reach(&mut self, term: u32, r: &TermRecord, limit: u32) -> Result<u32> {
        if limit >= self.entries {
            return Ok(r.len);
        }
        let blocks = self.skip_table(term, r)?.partition_point(|&last| last < limit);
        let to = ((blocks as u32 + 1) * BLOCK).min(r.len);
        Ok(if 2 * u64::from(to) >= u64::from(r.len) {
            r.len
        } else {
            to
        })
    }

    /// The whole lists, with their block maxima, of `query`'s terms that have a list, in the
    /// query's order, when each is needed whole up to `limit` ([`IndexFile::reach`]), read into
    /// `whole` (those not read yet); `None`, and the rest left unread, at the first that is not.
    fn whole_lists(
        &mut self,
        whole: &WholeLists,
        query: &SparseVector,
        limit: u32,
    ) -> Result<Option<Vec<Arc<WholeList>>>> {
        let mut out = Vec::with_capacity(query.indices.len());
        for &term in &query.indices {
            let Some(r) = self.record(term)? else {
                continue;
            };
            if let Some(kept) = whole.get(term) {
                out.push(kept);
                continue;
            }
            let list = match self.lists.get(&term).cloned() {
                Some(list) => list,
                None if self.reach(term, &r, limit)? < r.len => return Ok(None),
                None => self.postings(&r, 0, u64::from(r.len))?,
            };
            let maxima = topk::BlockMaxima::of(&list);
            out.push(whole.keep(term, WholeList { list, maxima }));
        }
        Ok(Some(out))
    }

    /// The best rows for `request` and their scores, as [`super::RelatedIndex::query`] gives
    /// them for the same rows.
    pub fn nearest(&mut self, request: &Request<'_>) -> Result<Vec<(usize, f32)>> {
        let limit = self.limit(request.before)?;
        // When every list the query walks is read whole (a late or unlimited query), by blocks
        // of rows, the lists' block maxima skipping the blocks that cannot reach the bar: the
        // same rows and scores, fewer postings walked.
        let lists = match self.by_blocks.clone() {
            Some(whole) => self.whole_lists(&whole, request.vector, limit)?,
            None => None,
        };
        if let Some(lists) = lists {
            let q = request.vector;
            let mut lists = lists.iter();
            let terms: Vec<topk::WholeTerm<'_>> = q
                .indices
                .iter()
                .zip(&q.values)
                .filter(|&(&term, _)| term < self.terms)
                .filter_map(|(_, &w)| {
                    let whole = lists.next()?;
                    Some(topk::WholeTerm {
                        w,
                        list: &whole.list,
                        blocks: &whole.maxima,
                    })
                })
                .collect();
            let found = topk::search_blocks(
                &terms,
                limit,
                request.exclude.map(|r| r as u32),
                request.k,
                request.min_score,
                &mut self.block_scratch,
            );
            return Ok(found
                .into_iter()
                .map(|(row, score)| (row as usize, super::rounded(score)))
                .collect());
        }
        let search = topk::Search {
            request,
            limit,
            max_norm: self.max_norm,
        };
        let rows = self.entries as usize;
        let mut scratch = std::mem::take(&mut self.scratch);
        let found = topk::search(self, &search, &mut scratch, rows);
        self.scratch = scratch;
        let found = found?;
        Ok(found
            .into_iter()
            .map(|(row, score)| (row as usize, super::rounded(score)))
            .collect())
    }

    /// The entries `request` asks for, as shown: the entries and rows of the k results are read,
    /// nothing else of them.
    pub fn suggest(&mut self, request: &Request<'_>) -> Result<Vec<SuggestionView>> {
        self.nearest(request)?
            .into_iter()
            .map(|(row, score)| {
                let row = row as u32;
                let e = self.entry(row)?;
                let shared = shared_shown(request.vector, &self.row(row)?, 5, |t| self.term(t))?;
                Ok(SuggestionView {
                    issue: e.issue,
                    date: e.date.map(|d| d.to_string()).unwrap_or_default(),
                    category: e.category.to_string(),
                    position: e.position,
                    title: self.title(row)?,
                    // Rounded by `nearest` already.
                    score,
                    shared,
                })
            })
            .collect()
    }
}

/// The index file with the issues and the vocabulary: what `check` and `past-years` read the
/// archive through at scale, reading only the rows they ask for.
pub struct Indexed<'a> {
    pub file: IndexFile,
    pub issues: &'a [Issue],
    pub vocabulary: &'a FittedTfIdf,
}

impl<'a> super::Lookup<'a> for Indexed<'a> {
    type Error = Error;

    fn issues(&self) -> &'a [Issue] {
        self.issues
    }

    fn vocabulary(&self) -> &'a FittedTfIdf {
        self.vocabulary
    }

    fn nearest(&mut self, request: &Request<'_>) -> Result<Vec<(usize, f32)>> {
        self.file.nearest(request)
    }

    fn entry(&mut self, row: usize) -> Result<Entry> {
        self.file.stored_entry(row as u32)
    }

    fn ranking_row(&mut self, row: usize) -> Result<SparseVector> {
        self.file.row(row as u32)
    }
}

impl Postings for IndexFile {
    type Error = Error;

    fn meta(&mut self, term: u32) -> Result<Option<TermMeta>> {
        Ok(self.record(term)?.map(|r| TermMeta {
            max_weight: r.max_weight,
            len: r.len,
        }))
    }

    fn list(&mut self, term: u32, limit: u32) -> Result<&[Posting]> {
        if !self.lists.contains_key(&term) {
            if let Some(r) = self.record(term)? {
                let to = self.reach(term, &r, limit)?;
                let list = self.postings(&r, 0, u64::from(to))?;
                if to == r.len {
                    self.lists.insert(term, list);
                } else {
                    self.partial = list;
                    return Ok(&self.partial[..self.partial.partition_point(|p| p.0 < limit)]);
                }
            }
        }
        let list = self.lists.get(&term).map_or(&[][..], Vec::as_slice);
        Ok(&list[..list.partition_point(|p| p.0 < limit)])
    }

    fn find(&mut self, term: u32, rows: &[u32], found: &mut Vec<Option<f32>>) -> Result<()> {
        let Some(r) = self.record(term)? else {
            found.extend(rows.iter().map(|_| None));
            return Ok(());
        };
        // Many rows against a short list: read it whole; else the blocks that hold them.
        if self.lists.contains_key(&term) || rows.len() as u64 * u64::from(BLOCK) * 4 >= u64::from(r.len) {
            self.load(term)?;
            topk::find_in(self.lists.get(&term).map_or(&[][..], Vec::as_slice), rows, found);
            return Ok(());
        }
        self.skip_table(term, &r)?;
        let skips = self.skips.get(&term).map_or(&[][..], Vec::as_slice);
        let mut held: Option<(usize, Vec<Posting>)> = None;
        for &row in rows {
            let b = skips.partition_point(|&last| last < row);
            if b >= skips.len() {
                found.push(None);
                continue;
            }
            if held.as_ref().is_none_or(|(at, _)| *at != b) {
                let from = b as u64 * u64::from(BLOCK);
                let to = (from + u64::from(BLOCK)).min(u64::from(r.len));
                held = Some((b, self.postings(&r, from, to)?));
            }
            let block = held.as_ref().map_or(&[][..], |(_, p)| p.as_slice());
            let at = block.partition_point(|p| p.0 < row);
            found.push(block.get(at).filter(|p| p.0 == row).map(|p| p.1));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::related::{RelatedIndex, Suggestion};
    use crate::vectorize::TfIdfParams;

    fn entry(issue: u32, category: Category, position: u32, url: Option<&str>) -> Entry {
        Entry {
            title: format!("标题 {issue}-{position}"),
            url: url.map(str::to_string),
            ..Entry::stub(issue, category, position)
        }
    }

    /// Twelve entries over four issues, two sharing a URL (once with a tracking parameter).
    type Fixture = (Vec<Entry>, Vec<(u32, NaiveDate)>, FittedTfIdf, Vec<SparseVector>);

    fn fixture() -> Fixture {
        let words = ["异步", "管道", "python", "rust", "pep", "测试", "tool", "web"];
        let docs: Vec<Vec<String>> = (0..12)
            .map(|i: usize| {
                (0..words.len())
                    .filter(|w| (i + w).is_multiple_of(3) || (i * w) % 5 == 1)
                    .map(|w| words[w].to_string())
                    .collect()
            })
            .collect();
        let params = TfIdfParams {
            min_df: 1,
            max_df: 1.0,
            ..Default::default()
        };
        let fit = params.check().expect("valid").fit(&docs);
        let rows = docs.iter().map(|d| fit.transform(d)).collect();
        let entries: Vec<Entry> = (0..12u32)
            .map(|i| {
                let url = match i {
                    2 => Some("https://example.com/a".to_string()),
                    9 => Some("https://www.example.com/a?utm_source=x".to_string()),
                    i if i % 2 == 0 => Some(format!("https://example.com/{i}")),
                    _ => None,
                };
                entry(
                    1 + i / 3,
                    Category::ALL[(i % 2) as usize],
                    1 + i % 3,
                    url.as_deref(),
                )
            })
            .collect();
        let issues = (1..=4)
            .map(|n| (n, NaiveDate::from_ymd_opt(2024, 1, n * 7).expect("date")))
            .collect();
        (entries, issues, fit, rows)
    }

    fn written(dir: &Path) -> PathBuf {
        let (entries, issues, fit, rows) = fixture();
        let path = dir.join(FILE);
        write(&path, &entries, issues, &fit, &rows).expect("written");
        path
    }

    #[test]
    fn answers_as_the_index_in_memory_does() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = written(dir.path());
        let (entries, _, fit, rows) = fixture();
        let memory = RelatedIndex::build(&rows, &entries, fit.terms().len());
        let mut index = IndexFile::open_path(&path).expect("opens");
        assert_eq!(index.entries(), entries.len());
        // Two files walking by blocks, sharing the lists one of them read: each query goes to
        // the one of its row's parity.
        let lists = Arc::<WholeLists>::default();
        let mut pool = [0, 1].map(|_| {
            let mut file = IndexFile::open_path(&path).expect("opens");
            file.walk_by_blocks(Arc::clone(&lists));
            file
        });
        for (row, e) in entries.iter().enumerate() {
            let r = row as u32;
            assert_eq!(index.row_of(e.id()).expect("read"), Some(r));
            assert_eq!(index.row(r).expect("read"), rows[row]);
            assert_eq!(index.title(r).expect("read"), e.title);
            let record = index.entry(r).expect("read");
            assert_eq!(
                (record.issue, record.category, record.position),
                (e.issue, e.category, e.position)
            );
            assert_eq!(record.date, NaiveDate::from_ymd_opt(2024, 1, e.issue * 7));
            for k in [1, 3, 20] {
                let request = Request::new(&rows[row], k).before(e.issue).excluding(row);
                let want: Vec<Suggestion> = memory.query_exhaustive(&request);
                let got = index.suggest(&request).expect("suggest");
                let got: Vec<(u32, u32, u32)> = got
                    .iter()
                    .map(|v| (v.issue, v.position, v.score.to_bits()))
                    .collect();
                let want: Vec<(u32, u32, u32)> = want
                    .iter()
                    .map(|s| (entries[s.row].issue, entries[s.row].position, s.score.to_bits()))
                    .collect();
                assert_eq!(got, want, "row {row}, k {k}");
                // The same file walking by blocks, for a limit and for none.
                let free = Request::new(&rows[row], k);
                for request in [request, free] {
                    let want: Vec<(usize, f32)> = memory
                        .query_exhaustive(&request)
                        .iter()
                        .map(|s| (s.row, crate::related::rounded(s.score)))
                        .collect();
                    let got = pool[row % 2].nearest(&request).expect("nearest");
                    assert_eq!(got, want, "by blocks: row {row}, k {k}");
                }
            }
        }
        for t in 0..fit.terms().len() as u32 {
            assert_eq!(index.term(t).expect("read"), fit.shown()[t as usize]);
        }
        let missing = EntryId {
            issue: 9,
            category: Category::Article,
            position: 1,
        };
        assert_eq!(index.row_of(missing).expect("read"), None);
    }

    #[test]
    fn a_url_finds_the_first_entry_with_its_canonical_form() {
        let dir = tempfile::tempdir().expect("temp dir");
        let index = IndexFile::open_path(&written(dir.path())).expect("opens");
        assert_eq!(index.row_of_url("http://example.com/a/").expect("read"), Some(2));
        assert_eq!(index.row_of_url("https://example.com/4").expect("read"), Some(4));
        assert_eq!(index.row_of_url("https://example.com/5").expect("read"), None);
        assert_eq!(index.row_of_url("not a url").expect("read"), None);
    }

    #[test]
    fn the_same_input_gives_the_same_bytes() {
        let (a, b) = (
            tempfile::tempdir().expect("dir"),
            tempfile::tempdir().expect("dir"),
        );
        let (a, b) = (written(a.path()), written(b.path()));
        let bytes = std::fs::read(&a).expect("read");
        assert_eq!(bytes, std::fs::read(&b).expect("read"));
        assert_eq!(bytes.len() % 8, 0);
        assert_eq!(&bytes[..8], b"WLRELIDX");
    }

    fn refused(path: &Path) -> String {
        let err = IndexFile::open_path(path).expect_err("refused").to_string();
        assert!(err.contains(&path.display().to_string()), "names the file: {err}");
        assert!(err.contains("weeklens index"), "says how to fix it: {err}");
        err
    }

    #[test]
    fn a_missing_short_or_foreign_file_is_refused_by_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = written(dir.path());
        let bytes = std::fs::read(&path).expect("read");

        std::fs::write(&path, &bytes[..bytes.len() - 8]).expect("write");
        assert!(refused(&path).contains("header says"));
        std::fs::write(&path, &bytes[..100]).expect("write");
        assert!(refused(&path).contains("shorter than its header"));
        let mut other = bytes.clone();
        other[8] = 9;
        std::fs::write(&path, &other).expect("write");
        assert!(refused(&path).contains("layout version 9"));
        let mut other = bytes.clone();
        other[0] = b'X';
        std::fs::write(&path, &other).expect("write");
        assert!(refused(&path).contains("magic"));
        std::fs::remove_file(&path).expect("remove");
        assert!(refused(&path).contains("no related index"));
    }

    #[test]
    fn entries_out_of_issue_order_are_not_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut entries, issues, fit, rows) = fixture();
        entries.swap(0, 11);
        let err = write(&dir.path().join(FILE), &entries, issues, &fit, &rows).expect_err("refused");
        assert!(err.to_string().contains("issue order"), "{err}");
    }

    /// A text's ranking row made from the file is the one the vocabulary makes, bit for bit:
    /// with a word repeated, a word the vocabulary lacks, a related stop term (factor 0), names
    /// (weighted up), and no word at all. Every key is found at its index; no other word is.
    #[test]
    fn a_text_row_from_the_file_is_the_vocabularys_bit_for_bit() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (_, _, fit, _) = fixture();
        let mut index = IndexFile::open_path(&written(dir.path())).expect("opens");
        let texts: [&[&str]; 5] = [
            &["异步", "管道", "异步", "测试"],
            &["python", "tool", "unknown", "web", "rust", "rust"],
            &["tool"],
            &["zzz"],
            &[],
        ];
        let bits = |row: &SparseVector| -> Vec<(u32, u32)> {
            row.indices
                .iter()
                .zip(&row.values)
                .map(|(&t, v)| (t, v.to_bits()))
                .collect()
        };
        for text in texts {
            let terms: Vec<String> = text.iter().map(|t| t.to_string()).collect();
            let want =
                crate::related::related_row(&fit, &fit.transform_one(&terms), &SparseVector::default());
            let got = index
                .text_row(&terms, fit.params(), fit.documents())
                .expect("read");
            assert_eq!(bits(&got), bits(&want), "{text:?}");
            assert!(!text.contains(&"异步") || !got.indices.is_empty());
        }
        for (t, term) in fit.terms().iter().enumerate() {
            assert_eq!(index.term_of_key(term).expect("read"), Some(t as u32), "{term}");
        }
        for missing in ["", "a", "pe", "zzzz", "异"] {
            assert_eq!(index.term_of_key(missing).expect("read"), None, "{missing}");
        }
    }

    #[test]
    fn a_vocabulary_out_of_byte_order_is_not_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (entries, issues, _, rows) = fixture();
        let terms = ["b", "a"].map(str::to_string).to_vec();
        let fit = FittedTfIdf::from_parts(TfIdfParams::default(), 12, terms, vec![1, 1]);
        let err = write(&dir.path().join(FILE), &entries, issues, &fit, &rows).expect_err("refused");
        assert!(err.to_string().contains("byte order"), "{err}");
    }
}
