//! `weeklens synth`: a synthetic archive for scale measurements (no store).

use std::path::Path;

use anyhow::Result;
use weeklens::escape;

use super::Outcome;
use crate::cli::SynthArgs;
use crate::output::Stdout;

pub fn run(store: &Path, args: SynthArgs) -> Result<Outcome> {
    super::refuse_dangling_link(&args.out)?;
    super::refuse_inside_store(&args.out, store, "give an --out outside it")?;
    let params = weeklens::synth::SynthParams {
        entries: args.entries,
        seed: args.seed,
    }
    .check()?;
    let summary = weeklens::synth::write(&params, &args.out)?;
    Stdout::new().print(&format!(
        "wrote {}: {} issues ({} titles only), {} entries ({} re-shared), {} bytes\n",
        escape::terminal(&args.out.display().to_string()),
        summary.issues,
        summary.titles_only,
        summary.entries,
        summary.reshared,
        summary.bytes
    ))?;
    Ok(Outcome::Success)
}
