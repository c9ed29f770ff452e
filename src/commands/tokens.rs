//! `weeklens tokens`: the terms the engine sees in a text (no store).

use anyhow::Result;
use weeklens::escape;

use super::Outcome;
use crate::cli::TokensArgs;
use crate::output::Stdout;

pub fn run(args: TokensArgs) -> Result<Outcome> {
    let terms = weeklens::tokenize::Tokenizer::shared().terms(&args.text);
    Stdout::new().print(&format!("{}\n", escape::terminal(&terms.join(" "))))?;
    Ok(Outcome::Success)
}
