//! Where a store lives on disk and how a new one replaces the old: the only code that creates,
//! renames or removes anything in a store directory.
//!
//! ```text
//! <store>/LOCK          the writers' lock (an OS file lock; the file itself stays)
//! <store>/CURRENT       "g-000042 <crc32 of its manifest>": the generation readers see
//! <store>/g-000042/     a generation: manifest.json, the tables, related.idx; never changed
//!                       once CURRENT has named it
//! <store>/.staging-*    a build in progress (removed by the next writer if its build died)
//! ```
//!
//! A writer takes `LOCK`, fills a staging directory, renames it to the next generation and then
//! replaces `CURRENT` by renaming a new file over it, as LevelDB does with its `CURRENT` file: at
//! every instant `CURRENT` names a complete generation, so a build killed anywhere leaves the
//! previous store readable, and nothing outside the store directory is ever touched. A reader
//! reads `CURRENT` once and holds a shared lock on that generation's manifest while it reads; a
//! writer removes an old generation only when it can lock that manifest exclusively, so a reader
//! never mixes the tables of two builds.
//!
//! A store is recognised by these names: a directory that holds anything else is not a store,
//! and no build writes into it.

use std::ffi::OsStr;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

const LOCK: &str = "LOCK";
const CURRENT: &str = "CURRENT";
const CURRENT_NEXT: &str = "CURRENT.next";
const GENERATION_PREFIX: &str = "g-";
const STAGING_PREFIX: &str = ".staging-";
const TRASH_PREFIX: &str = ".trash-";
/// The manifest: the file a reader locks, and the one the writer writes last into a generation.
pub(super) const MANIFEST: &str = "manifest.json";
/// The files of a store of the earlier, flat layout (schema 7 and before): one directory
/// replaced whole by each build. Such a store is read as it is and replaced by the first build.
const LEGACY_FILES: [&str; 9] = [
    MANIFEST,
    "issues.parquet",
    "entries.parquet",
    "assignments.parquet",
    "terms.parquet",
    "vectors.parquet",
    "related.parquet",
    "topics.parquet",
    "related.idx",
];
/// What is said of a store given as a file.
const A_FILE: &str = "it is a file, not a directory";
/// What is said of a store whose `CURRENT` is a folder: no build can write the file there.
const CURRENT_A_FOLDER: &str = "its `CURRENT` is a folder, not the file that names the store's \
                                generation: move that folder away, then build again";
/// How often a reader tries again when a build replaces the generation it was about to open.
const OPEN_ATTEMPTS: usize = 16;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn location(path: &Path, reason: impl Into<String>) -> Error {
    Error::StoreLocation {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// What a directory given as a store holds.
enum Contents {
    /// Nothing: a store can be made there.
    Empty,
    /// A store of generations (or the lock and leftovers of builds that never finished).
    Generations,
    /// A store of the earlier flat layout.
    Legacy,
    /// Something else: the first few names found.
    Other(Vec<String>),
}

fn contents(dir: &Path) -> Result<Contents> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map_err(io(dir))?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<std::io::Result<_>>()
        .map_err(io(dir))?;
    names.sort();
    if names.is_empty() {
        return Ok(Contents::Empty);
    }
    let ours = |n: &str| {
        n == LOCK
            || n == CURRENT
            || n == CURRENT_NEXT
            || n.starts_with(STAGING_PREFIX)
            || n.starts_with(TRASH_PREFIX)
    };
    // The flat layout's files are a store's only beside its manifest and entries: a folder of
    // the user's holding a `manifest.json` of its own is his.
    let flat = [MANIFEST, "entries.parquet"]
        .iter()
        .all(|f| names.iter().any(|n| n == f));
    let legacy = |n: &str| flat && (LEGACY_FILES.contains(&n) || n.starts_with(".related.idx-"));
    // A folder named like a generation is one only while it holds a generation's files alone:
    // whatever else the user put there must not be removed with it.
    let foreign = |n: &String| match is_generation(n) {
        true => foreign_file(&dir.join(n)).map(|f| {
            if f.is_empty() {
                n.clone()
            } else {
                format!("{n}/{f}")
            }
        }),
        false => (!ours(n) && !legacy(n)).then(|| n.clone()),
    };
    let others: Vec<String> = names.iter().filter_map(foreign).take(3).collect();
    Ok(if !others.is_empty() {
        Contents::Other(others)
    } else if flat {
        Contents::Legacy
    } else {
        Contents::Generations
    })
}

/// The weeklens store `path` (a path with its links resolved) lies in or is: the nearest folder
/// of it or above it that holds a store's files and nothing else. What no output of a command may
/// be written into: the next build would refuse a store holding anything it did not write.
pub(super) fn enclosing(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        // Listed only where a store's mark stands: a folder of many files is not read whole.
        .filter(|dir| dir.join(CURRENT).is_file() || dir.join(MANIFEST).is_file())
        // A folder with a `manifest.json` holds a flat store or is the user's (`Other`): one of
        // generations here is marked by its `CURRENT`.
        .find(|dir| matches!(contents(dir), Ok(Contents::Legacy | Contents::Generations)))
        .map(Path::to_path_buf)
}

/// The first entry of the generation folder `dir` that a generation does not hold (a folder, or
/// a file other than the manifest, the tables and the index); an empty name when `dir` cannot
/// be read as a folder.
fn foreign_file(dir: &Path) -> Option<String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Some(String::new());
    };
    let mut names: Vec<(String, bool)> = entries
        .filter_map(|e| e.ok())
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let file = e.file_type().is_ok_and(|t| t.is_file());
            (name, file)
        })
        .collect();
    names.sort();
    names
        .into_iter()
        .find(|(name, file)| {
            let known = name == MANIFEST || name.ends_with(".parquet") || name == super::RELATED_INDEX;
            !(known && *file)
        })
        .map(|(name, _)| name)
}

fn is_generation(name: &str) -> bool {
    generation_number(name).is_some()
}

fn generation_number(name: &str) -> Option<u64> {
    let digits = name.strip_prefix(GENERATION_PREFIX)?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.parse().ok())?
}

fn generation_name(number: u64) -> String {
    format!("{GENERATION_PREFIX}{number:06}")
}

/// `path` made absolute with every symbolic link resolved, also when its last components do not
/// exist yet (they are appended to the nearest ancestor that does).
fn resolve(path: &Path) -> Result<PathBuf> {
    let absolute = std::path::absolute(path).map_err(io(path))?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        match fs::canonicalize(existing) {
            Ok(found) => {
                return Ok(rest.iter().rev().fold(found, |p, c: &&OsStr| p.join(c)));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else {
                    return Err(io(path)(e));
                };
                rest.push(name);
                existing = parent;
            }
            Err(e) => return Err(io(path)(e)),
        }
    }
}

/// Checks that `store` can be written as a store and returns it with its symbolic links
/// resolved (so that a link to a store takes the same lock as the store): it is a store, an empty
/// directory or a path that does not exist yet; not a file, not `.`, not a link to nothing, and
/// neither the archive nor inside it nor around it.
pub(super) fn writable_location(store: &Path, archive: Option<&Path>) -> Result<PathBuf> {
    if store.as_os_str().is_empty()
        || matches!(
            store.components().next_back(),
            Some(Component::CurDir | Component::ParentDir | Component::RootDir)
        )
    {
        return Err(location(
            store,
            "a store needs a directory of its own (for example `.weeklens`)",
        ));
    }
    // A link to nothing: creating the store there would fail with a bare "File exists".
    if fs::symlink_metadata(store).is_ok_and(|m| m.file_type().is_symlink()) && fs::metadata(store).is_err() {
        let target = fs::read_link(store).unwrap_or_default();
        return Err(location(
            store,
            format!(
                "it is a symbolic link to `{}`, which points nowhere: remove the link, or create \
                 what it names",
                target.display()
            ),
        ));
    }
    let resolved = resolve(store)?;
    if let Ok(cwd) = std::env::current_dir().and_then(fs::canonicalize) {
        if resolved == cwd || cwd.starts_with(&resolved) {
            return Err(location(
                store,
                "it is the working directory or holds it; a store needs a directory of its own",
            ));
        }
    }
    if let Some(archive) = archive.and_then(|a| fs::canonicalize(a).ok()) {
        if resolved == archive {
            return Err(location(store, "it is the archive"));
        }
        if resolved.starts_with(&archive) {
            return Err(location(
                store,
                format!("it is inside the archive `{}`", archive.display()),
            ));
        }
        if archive.starts_with(&resolved) {
            return Err(location(
                store,
                format!("it holds the archive `{}`", archive.display()),
            ));
        }
    }
    match fs::metadata(&resolved) {
        Ok(m) if !m.is_dir() => Err(location(store, A_FILE)),
        Ok(_) if resolved.join(CURRENT).is_dir() => Err(location(store, CURRENT_A_FOLDER)),
        Ok(_) => match contents(&resolved)? {
            Contents::Other(names) => Err(location(
                store,
                format!(
                    "it is a directory that is not a weeklens store (it holds `{}`); give a new or \
                     empty directory, or an existing store",
                    names.join("`, `")
                ),
            )),
            _ => Ok(resolved),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(resolved),
        Err(e) => Err(io(store)(e)),
    }
}

/// A store's directory under its writers' lock: the one way to change a store.
pub(super) struct Writer {
    dir: PathBuf,
    _lock: File,
}

impl Writer {
    /// Makes the directory if needed and takes its lock; `dir` has passed
    /// [`writable_location`]. Removes what builds that died left behind.
    pub(super) fn lock(dir: &Path) -> Result<Writer> {
        recover_legacy_swap(dir)?;
        fs::create_dir_all(dir).map_err(io(dir))?;
        let path = dir.join(LOCK);
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io(&path))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => return Err(Error::StoreLocked(dir.to_path_buf())),
            Err(fs::TryLockError::Error(source)) => return Err(Error::Io { path, source }),
        }
        let writer = Writer {
            dir: dir.to_path_buf(),
            _lock: lock,
        };
        writer.remove_leftovers()?;
        Ok(writer)
    }

    /// A new, empty staging directory inside the store (removed when dropped).
    pub(super) fn staging(&self) -> Result<tempfile::TempDir> {
        tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(&self.dir)
            .map_err(io(&self.dir))
    }

    /// The generation `CURRENT` names, if any.
    pub(super) fn current(&self) -> Result<Option<String>> {
        Ok(read_current(&self.dir)?.map(|(name, _)| name))
    }

    /// Makes the complete `staged` directory, whose manifest has the checksum `manifest_crc`,
    /// the store's current generation, then removes the generations no reader holds.
    pub(super) fn commit(&self, staged: tempfile::TempDir, manifest_crc: u32) -> Result<()> {
        sync_dir(staged.path())?;
        let next = self.generations()?.last().map_or(1, |(n, _)| n + 1);
        let name = generation_name(next);
        let target = self.dir.join(&name);
        let staged = staged.keep();
        if let Err(e) = fs::rename(&staged, &target) {
            let _ = fs::remove_dir_all(&staged);
            return Err(io(&target)(e));
        }
        // Killed from here on, the new generation is either named by CURRENT or left over, and
        // the next writer removes it.
        let next_path = self.dir.join(CURRENT_NEXT);
        let mut file = File::create(&next_path).map_err(io(&next_path))?;
        file.write_all(format!("{name} {manifest_crc:08x}\n").as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(io(&next_path))?;
        let current = self.dir.join(CURRENT);
        fs::rename(&next_path, &current).map_err(io(&current))?;
        sync_dir(&self.dir)?;
        // The new store is in place: what follows only frees space, and a failure leaves it to
        // the next writer.
        let _ = self.remove_old_generations(&name);
        let _ = self.remove_legacy_files();
        Ok(())
    }

    /// The generation directories, by number.
    fn generations(&self) -> Result<Vec<(u64, PathBuf)>> {
        let mut found: Vec<(u64, PathBuf)> = fs::read_dir(&self.dir)
            .map_err(io(&self.dir))?
            .filter_map(|e| e.ok())
            .filter_map(|e| Some((generation_number(e.file_name().to_str()?)?, e.path())))
            .collect();
        found.sort();
        Ok(found)
    }

    /// Removes every generation but `keep` that no reader holds.
    fn remove_old_generations(&self, keep: &str) -> Result<()> {
        for (_, path) in self.generations()? {
            if path.file_name().is_some_and(|n| n == keep) || foreign_file(&path).is_some() {
                continue;
            }
            // A reader holds a shared lock on the manifest for as long as it reads.
            let manifest = path.join(MANIFEST);
            let held = match File::open(&manifest) {
                Ok(f) => match f.try_lock() {
                    Ok(()) => Some(f),
                    Err(fs::TryLockError::WouldBlock) => continue,
                    Err(fs::TryLockError::Error(e)) => return Err(io(&manifest)(e)),
                },
                Err(_) => None,
            };
            self.remove(&path)?;
            drop(held);
        }
        Ok(())
    }

    /// Removes `path` by renaming it out of the way first, so that no reader ever finds a
    /// generation half removed.
    fn remove(&self, path: &Path) -> Result<()> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let trash = self.dir.join(format!("{TRASH_PREFIX}{name}"));
        fs::rename(path, &trash).map_err(io(path))?;
        fs::remove_dir_all(&trash).map_err(io(&trash))
    }

    /// Staging and trash directories of writers that died, and a `CURRENT.next` never renamed
    /// (no other writer can be running: this one holds the lock). Generations that `CURRENT`
    /// does not name are removed after the next commit.
    fn remove_leftovers(&self) -> Result<()> {
        for entry in fs::read_dir(&self.dir).map_err(io(&self.dir))? {
            let entry = entry.map_err(io(&self.dir))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let path = entry.path();
            if name.starts_with(STAGING_PREFIX) || name.starts_with(TRASH_PREFIX) {
                fs::remove_dir_all(&path).map_err(io(&path))?;
            } else if name == CURRENT_NEXT {
                fs::remove_file(&path).map_err(io(&path))?;
            }
        }
        remove_legacy_staging(&self.dir);
        Ok(())
    }

    /// The files of a store of the flat layout, once a generation has replaced them.
    fn remove_legacy_files(&self) -> Result<()> {
        for name in LEGACY_FILES.iter().rev() {
            let path = self.dir.join(name);
            match fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(&path)(e)),
                _ => {}
            }
        }
        Ok(())
    }
}

/// Earlier versions replaced a store by moving it aside to `.<name>.previous` and the new one in;
/// killed between the two, they left no store. Put the one kept aside back.
fn recover_legacy_swap(dir: &Path) -> Result<()> {
    let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
        return Ok(());
    };
    let aside = parent.join(format!(".{}.previous", name.to_string_lossy()));
    if !dir.exists() && aside.join(MANIFEST).is_file() {
        fs::rename(&aside, dir).map_err(io(&aside))?;
    }
    Ok(())
}

/// Earlier versions staged a build in `.weeklens-build-*` beside the store; a killed build left
/// it there. Removed only when it holds nothing but a store's files.
fn remove_legacy_staging(dir: &Path) {
    let Some(parent) = dir.parent() else { return };
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.filter_map(|e| e.ok()) {
        if !entry
            .file_name()
            .to_string_lossy()
            .starts_with(".weeklens-build-")
        {
            continue;
        }
        let path = entry.path();
        let only_store_files = fs::read_dir(&path).is_ok_and(|mut files| {
            files.all(|f| f.is_ok_and(|f| LEGACY_FILES.contains(&&*f.file_name().to_string_lossy())))
        });
        if only_store_files {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// The generation `CURRENT` names and the checksum of its manifest; `None` when there is no
/// `CURRENT` file.
fn read_current(store: &Path) -> Result<Option<(String, u32)>> {
    let path = store.join(CURRENT);
    if path.is_dir() {
        return Err(location(store, CURRENT_A_FOLDER));
    }
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(&path)(e)),
    };
    let damaged = || Error::StoreCorrupt {
        path: path.clone(),
        reason: format!(
            "it should name a generation and its checksum, not {:?}",
            text.chars().take(80).collect::<String>() + if text.chars().count() > 80 { "…" } else { "" }
        ),
    };
    let (name, crc) = text.trim_end().split_once(' ').ok_or_else(damaged)?;
    let crc = u32::from_str_radix(crc, 16).map_err(|_| damaged())?;
    if !is_generation(name) {
        return Err(damaged());
    }
    Ok(Some((name.to_string(), crc)))
}

/// The generation `CURRENT` names, if any, with its manifest's checksum.
pub(super) fn current(store: &Path) -> Result<Option<(String, u32)>> {
    read_current(store)
}

/// A store opened for reading.
pub(super) struct Opened {
    /// Where its files are: the generation's directory, or a flat store's own.
    pub(super) dir: PathBuf,
    pub(super) manifest: Vec<u8>,
    /// The shared lock that keeps writers from removing the generation (none for a flat store).
    pub(super) lock: Option<File>,
}

/// Opens the store at `store` at its current generation (or a store of the flat layout).
pub(super) fn open(store: &Path) -> Result<Opened> {
    // A file, or a link that leads nowhere readable, named as what it is, not by the CURRENT
    // it cannot hold.
    match fs::metadata(store) {
        Ok(m) if !m.is_dir() => return Err(location(store, A_FILE)),
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(store)(e)),
        _ => {}
    }
    // What CURRENT named each time its generation's manifest was missing: the same name every
    // time is a damaged store, not a busy one.
    let mut missing: Option<(String, u32)> = None;
    let mut busy = false;
    for _ in 0..OPEN_ATTEMPTS {
        let Some((name, crc)) = read_current(store)? else {
            return open_legacy(store);
        };
        busy |= missing.as_ref().is_some_and(|m| *m != (name.clone(), crc));
        missing = Some((name.clone(), crc));
        let dir = store.join(&name);
        let path = dir.join(MANIFEST);
        let mut file = match File::open(&path) {
            Ok(file) => file,
            // A build replaced the generation between the two reads: read CURRENT again.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io(&path)(e)),
        };
        file.lock_shared().map_err(io(&path))?;
        // A writer may have removed it before the lock was taken.
        if !path.is_file() {
            continue;
        }
        let mut manifest = Vec::new();
        file.read_to_end(&mut manifest).map_err(io(&path))?;
        if crc32fast::hash(&manifest) != crc {
            return Err(Error::StoreCorrupt {
                path,
                reason: "its checksum is not the one CURRENT recorded".to_string(),
            });
        }
        return Ok(Opened {
            dir,
            manifest,
            lock: Some(file),
        });
    }
    match missing {
        Some((name, _)) if !busy => Err(Error::StoreCorrupt {
            path: store.join(&name).join(MANIFEST),
            reason: "CURRENT names this generation, and its manifest is missing".to_string(),
        }),
        _ => Err(Error::StoreBusy(store.to_path_buf())),
    }
}

fn open_legacy(store: &Path) -> Result<Opened> {
    let path = store.join(MANIFEST);
    match fs::read(&path) {
        Ok(manifest) => Ok(Opened {
            dir: store.to_path_buf(),
            manifest,
            lock: None,
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::StoreMissing(store.to_path_buf())),
        Err(e) => Err(io(&path)(e)),
    }
}

/// Makes a directory's entries (new files, renames) durable.
fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a generation holding `text` through a writer, as a build does.
    fn commit(store: &Path, text: &str) {
        let writer = Writer::lock(store).expect("lock");
        let staged = writer.staging().expect("staging");
        fs::write(staged.path().join(MANIFEST), text).expect("manifest");
        writer
            .commit(staged, crc32fast::hash(text.as_bytes()))
            .expect("commit");
    }

    fn read(store: &Path) -> String {
        String::from_utf8(open(store).expect("opens").manifest).expect("utf-8")
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_generation_current_names_without_its_manifest_is_damage_named_not_a_busy_store() {
        let dir = tempfile::tempdir().expect("temp");
        let store = dir.path().join("store");
        commit(&store, "one");
        fs::remove_file(store.join("g-000001").join(MANIFEST)).expect("remove");
        let err = open(&store).err().expect("cannot open");
        assert!(matches!(err, Error::StoreCorrupt { .. }), "{err}");
        assert!(err.to_string().contains("g-000001/manifest.json"), "{err}");
        // A damaged CURRENT is quoted short, however long it is.
        fs::write(store.join(CURRENT), "x".repeat(100_000)).expect("damage");
        let err = open(&store).err().expect("cannot open").to_string();
        assert!(err.len() < 400, "{err}");
    }

    #[test]
    fn a_generation_folder_holding_the_users_files_is_neither_written_nor_removed() {
        let dir = tempfile::tempdir().expect("temp");
        let store = dir.path().join("store");
        commit(&store, "one");
        fs::create_dir(store.join("g-000007")).expect("folder");
        fs::write(store.join("g-000007/thesis.md"), "mine").expect("thesis");
        let err = writable_location(&store, None).expect_err("not a store now");
        assert!(err.to_string().contains("g-000007/thesis.md"), "{err}");
        // A writer that gets there anyway (the check bypassed) leaves it where it is.
        commit(&store, "two");
        assert_eq!(
            fs::read_to_string(store.join("g-000007/thesis.md")).expect("kept"),
            "mine"
        );
        assert_eq!(names(&store), [CURRENT, LOCK, "g-000007", "g-000008"]);
    }

    #[test]
    fn a_commit_switches_readers_to_the_new_generation_and_removes_the_old() {
        let dir = tempfile::tempdir().expect("temp");
        let store = dir.path().join("store");
        commit(&store, "one");
        assert_eq!(read(&store), "one");
        commit(&store, "two");
        assert_eq!(read(&store), "two");
        assert_eq!(names(&store), [CURRENT, LOCK, "g-000002"]);
    }

    #[test]
    fn a_generation_a_reader_holds_outlives_the_commits_after_it() {
        let dir = tempfile::tempdir().expect("temp");
        let store = dir.path().join("store");
        commit(&store, "one");
        let reading = open(&store).expect("opens");
        commit(&store, "two");
        commit(&store, "three");
        assert!(reading.dir.join(MANIFEST).is_file(), "removed under a reader");
        assert_eq!(read(&store), "three");
        drop(reading);
        commit(&store, "four");
        assert_eq!(names(&store), [CURRENT, LOCK, "g-000004"]);
    }

    /// Every state a writer killed mid-way can leave: readers see the previous generation (or the
    /// new one once CURRENT names it), and the next writer cleans up and commits.
    #[test]
    fn a_writer_killed_at_any_step_leaves_a_readable_store_and_the_next_commit_recovers() {
        type Crash = fn(&Path);
        let crashes: [(&str, Crash, &str); 6] = [
            (
                "staging half written",
                |s| {
                    fs::create_dir(s.join(".staging-x")).expect("dir");
                    fs::write(s.join(".staging-x/entries.parquet"), "half").expect("file");
                },
                "one",
            ),
            (
                "staged generation not yet named",
                |s| {
                    fs::create_dir(s.join("g-000002")).expect("dir");
                    fs::write(s.join("g-000002").join(MANIFEST), "two").expect("file");
                },
                "one",
            ),
            (
                "CURRENT.next cut short",
                |s| {
                    fs::write(s.join(CURRENT_NEXT), "g-0000").expect("file");
                },
                "one",
            ),
            (
                "CURRENT switched, old generation kept",
                |s| {
                    fs::create_dir(s.join("g-000002")).expect("dir");
                    fs::write(s.join("g-000002").join(MANIFEST), "two").expect("file");
                    let crc = crc32fast::hash(b"two");
                    fs::write(s.join(CURRENT), format!("g-000002 {crc:08x}\n")).expect("current");
                },
                "two",
            ),
            (
                "old generation half removed",
                |s| {
                    fs::create_dir(s.join(".trash-g-000000")).expect("dir");
                },
                "one",
            ),
            (
                "legacy staging beside the store",
                |s| {
                    let legacy = s.with_file_name(".weeklens-build-abc");
                    fs::create_dir(&legacy).expect("dir");
                    fs::write(legacy.join("entries.parquet"), "x").expect("file");
                },
                "one",
            ),
        ];
        for (what, crash, seen) in crashes {
            let dir = tempfile::tempdir().expect("temp");
            let store = dir.path().join("store");
            commit(&store, "one");
            crash(&store);
            assert_eq!(read(&store), seen, "{what}: what a reader sees");
            commit(&store, "next");
            assert_eq!(read(&store), "next", "{what}");
            let left = names(&store);
            assert_eq!(left.len(), 3, "{what}: left {left:?}");
            assert!(!dir.path().join(".weeklens-build-abc").exists(), "{what}");
        }
    }

    #[test]
    fn a_second_writer_is_refused_and_a_link_to_the_store_takes_the_same_lock() {
        let dir = tempfile::tempdir().expect("temp");
        let store = dir.path().join("store");
        commit(&store, "one");
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&store, &link).expect("link");
        let held = Writer::lock(&store).expect("lock");
        let through_link = writable_location(&link, None).expect("a store");
        assert!(matches!(Writer::lock(&through_link), Err(Error::StoreLocked(_))));
        drop(held);
        assert!(Writer::lock(&through_link).is_ok());
        assert!(fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink());
    }

    #[test]
    fn only_a_store_an_empty_directory_or_a_new_path_can_be_written() {
        let dir = tempfile::tempdir().expect("temp");
        let archive = dir.path().join("archive");
        fs::create_dir_all(archive.join("en")).expect("archive");
        fs::write(archive.join("2023-05-13-weekly.md"), "#1").expect("issue");
        let file = dir.path().join("file");
        fs::write(&file, "mine").expect("file");
        let other = dir.path().join("other");
        fs::create_dir(&other).expect("dir");
        fs::write(other.join("notes.txt"), "mine").expect("file");
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("gone"), &dangling).expect("link");
        for (path, says) in [
            (dangling.clone(), "is a symbolic link to `"),
            (archive.clone(), "is the archive"),
            (archive.join("en"), "inside the archive"),
            (archive.join("store"), "inside the archive"),
            (dir.path().to_path_buf(), "holds the archive"),
            (file.clone(), "is a file"),
            (other.clone(), "not a weeklens store (it holds `notes.txt`)"),
            (PathBuf::from("."), "a directory of its own"),
            (dir.path().join("x/.."), "a directory of its own"),
        ] {
            let err = writable_location(&path, Some(&archive)).expect_err("refused");
            assert!(err.to_string().contains(says), "{}: {err}", path.display());
        }
        let empty = dir.path().join("empty");
        fs::create_dir(&empty).expect("dir");
        assert!(writable_location(&empty, Some(&archive)).is_ok());
        assert!(writable_location(&dir.path().join("new/store"), Some(&archive)).is_ok());
        let store = dir.path().join("store");
        commit(&store, "one");
        assert!(writable_location(&store, Some(&archive)).is_ok());
        assert_eq!(fs::read_to_string(&file).expect("kept"), "mine");
    }

    #[test]
    fn a_store_of_the_flat_layout_is_read_then_replaced_and_one_moved_aside_is_put_back() {
        let dir = tempfile::tempdir().expect("temp");
        let store = dir.path().join("store");
        // Killed between its two renames, an earlier version left the store at `.store.previous`.
        let aside = dir.path().join(".store.previous");
        fs::create_dir(&aside).expect("dir");
        fs::write(aside.join(MANIFEST), "flat").expect("manifest");
        fs::write(aside.join("entries.parquet"), "rows").expect("table");
        let writer = Writer::lock(&store).expect("lock");
        assert!(!aside.exists());
        assert_eq!(read(&store), "flat");
        let staged = writer.staging().expect("staging");
        fs::write(staged.path().join(MANIFEST), "new").expect("manifest");
        writer.commit(staged, crc32fast::hash(b"new")).expect("commit");
        assert_eq!(read(&store), "new");
        assert_eq!(names(&store), [CURRENT, LOCK, "g-000001"]);
    }

    #[test]
    fn a_damaged_current_file_or_manifest_is_named() {
        let dir = tempfile::tempdir().expect("temp");
        let store = dir.path().join("store");
        commit(&store, "one");
        fs::write(store.join("g-000001").join(MANIFEST), "onf").expect("damage");
        let err = open(&store).map(|_| ()).expect_err("damaged");
        assert!(err.to_string().contains(MANIFEST), "{err}");
        fs::write(store.join(CURRENT), "garbage").expect("damage");
        let err = open(&store).map(|_| ()).expect_err("damaged");
        assert!(err.to_string().contains(CURRENT), "{err}");
    }
}
