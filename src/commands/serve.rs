//! `weeklens serve`: the archive in a browser, until stopped.

use std::path::Path;

use anyhow::Result;
use weeklens::escape;

use super::Outcome;
use crate::cli::ServeArgs;
use crate::output::Stdout;

pub fn run(store: &Path, args: ServeArgs) -> Result<Outcome> {
    let params = weeklens::serve::ServeParams {
        store: store.to_path_buf(),
        edits: args.edits,
        addr: args.addr,
    };
    let mut out = Stdout::new();
    weeklens::serve::run(&params, |bound| {
        // The address goes out at once: a script or a test waits for this line.
        let _ = out.print_now(&format!(
            "serving {} at http://{bound}/\n",
            escape::terminal(&store.display().to_string())
        ));
    })?;
    Ok(Outcome::Success)
}
