//! `weeklens index`: the related index file written again from the store's tables.

use std::path::Path;

use anyhow::Result;
use weeklens::store::Store;
use weeklens::{escape, related};

use super::Outcome;
use crate::output::Stdout;

pub fn run(store: &Path) -> Result<Outcome> {
    let bytes = related::write_index(&Store::open(store)?)?;
    Stdout::new().print(&format!(
        "wrote the related index of {}: {bytes} bytes\n",
        escape::terminal(&store.display().to_string())
    ))?;
    Ok(Outcome::Success)
}
