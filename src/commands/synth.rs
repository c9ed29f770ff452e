//! `weeklens synth`: a synthetic archive for scale measurements (no store).

use anyhow::Result;
use weeklens::escape;

use super::Outcome;
use crate::cli::SynthArgs;
use crate::output::Stdout;

pub fn run(args: SynthArgs) -> Result<Outcome> {
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
