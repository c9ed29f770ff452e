//! `weeklens serve`: the archive in a browser — search, topics, entries with their related ones,
//! issues, season reports and the draft checks — served from one [`Loaded`] in memory.
//!
//! The only module that sees the HTTP stack (axum on tokio) and the templates (maud). Every
//! request takes the corpus of the store's current generation: when a build switches `CURRENT`,
//! the first request to notice loads the new generation into a new `Arc` and swaps it in whole;
//! requests under way keep the one they took, so no page mixes two builds.
//!
//! - `search.rs`: the query ranked by `related`'s index, with filters;
//! - `view.rs`: what the entry, topic, season and draft pages show;
//! - `pages.rs`: the HTML;
//! - `routes.rs`: requests → pages, and every bad request → a 4xx with a plain message.

mod pages;
mod routes;
pub mod search;
mod view;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use crate::corpus::Loaded;
use crate::topics::TopicEdits;

/// Where the server listens unless told otherwise: loopback only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8040";
/// The largest request body (a draft issue is some 30 kB).
pub const MAX_BODY: usize = 2 * 1024 * 1024;
/// The longest request target (path and query), in bytes.
pub const MAX_TARGET: usize = 8 * 1024;

/// What `weeklens serve` is given.
#[derive(Debug, Clone)]
pub struct ServeParams {
    pub store: PathBuf,
    /// The editor's topic edits: this file, which must exist, or else
    /// [`crate::topics::DEFAULT_EDITS`] when it is there.
    pub edits: Option<PathBuf>,
    pub addr: SocketAddr,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] crate::Error),
}

/// The corpus being served and how to read a newer one.
pub(crate) struct State {
    store: PathBuf,
    edits: TopicEdits,
    current: RwLock<Arc<Loaded>>,
    /// Held by the one request that loads a new generation.
    reloading: tokio::sync::Mutex<()>,
}

impl State {
    /// The corpus of the store's current generation: the one held, or a newly read one when a
    /// build has switched the store since. When the store cannot be read now (a damaged
    /// `CURRENT`, a build that failed half-way), the one held is served and the problem said on
    /// standard error.
    async fn corpus(self: &Arc<Self>) -> Arc<Loaded> {
        let held = self.held();
        let now = match crate::store::current_generation(&self.store) {
            Ok(now) => now,
            Err(e) => {
                eprintln!(
                    "weeklens serve: {e}; serving {}",
                    served(held.generation.as_ref())
                );
                return held;
            }
        };
        if now == held.generation {
            return held;
        }
        let _guard = self.reloading.lock().await;
        let held = self.held();
        if now == held.generation {
            return held;
        }
        let state = Arc::clone(self);
        let loaded = tokio::task::spawn_blocking(move || Loaded::read(&state.store, &state.edits)).await;
        match loaded {
            Ok(Ok(corpus)) => {
                let corpus = Arc::new(corpus);
                *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::clone(&corpus);
                corpus
            }
            Ok(Err(e)) => {
                eprintln!(
                    "weeklens serve: {e}; serving {}",
                    served(held.generation.as_ref())
                );
                held
            }
            Err(e) => {
                eprintln!("weeklens serve: reading the store failed: {e}");
                held
            }
        }
    }

    fn held(&self) -> Arc<Loaded> {
        Arc::clone(&self.current.read().unwrap_or_else(|p| p.into_inner()))
    }
}

/// What the server goes on serving when it cannot read a newer generation, for its message:
/// "generation g-000002, read before", or "the store as read before" for a store of the flat
/// layout.
fn served(generation: Option<&(String, u32)>) -> String {
    match generation {
        Some((generation, _)) => format!("generation {generation}, read before"),
        None => "the store as read before".to_string(),
    }
}

/// Reads the store, listens on `params.addr`, calls `ready` with the address bound (the port
/// the system chose for `:0`), and serves until the process ends.
pub fn run(params: &ServeParams, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let edits = match &params.edits {
        Some(path) => TopicEdits::load(path)?,
        None => TopicEdits::load_default()?,
    };
    let corpus = Loaded::read(&params.store, &edits)?;
    let state = Arc::new(State {
        store: params.store.clone(),
        edits,
        current: RwLock::new(Arc::new(corpus)),
        reloading: tokio::sync::Mutex::new(()),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(params.addr)
            .await
            .map_err(|source| ServeError::Bind {
                addr: params.addr,
                source,
            })?;
        ready(listener.local_addr()?);
        axum::serve(listener, routes::router(state)).await?;
        Ok::<(), ServeError>(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_still_served_is_named_plainly() {
        assert_eq!(
            served(Some(&("g-000002".to_string(), 0))),
            "generation g-000002, read before"
        );
        assert_eq!(served(None), "the store as read before");
    }
}
