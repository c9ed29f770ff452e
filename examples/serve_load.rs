//! A bounded load test of `weeklens serve` (issue 20): CLIENTS threads send search requests over
//! loopback for SECONDS, each waiting for its answer before the next; then the latencies
//! (p50/p95/p99/max), the throughput and the errors (any status but 200, any failed connection)
//! are printed. It stops by itself, and refuses any address that is not loopback.
//!
//! ```sh
//! weeklens --store STORE serve --addr 127.0.0.1:8040 &
//! cargo build --release --example serve_load
//! $CARGO_TARGET_DIR/release/examples/serve_load --addr 127.0.0.1:8040 [--clients 32] [--seconds 20] [--path /search?q=]
//! ```
//! Each request asks for one query of a fixed list in turn (English and Chinese words the
//! archive writes often and rarely), or of `--queries A,B,…` (URL-encoded words: a synthetic
//! archive's pseudo-words); `--path` changes the page (the query is appended).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

const QUERIES: [&str; 16] = [
    "uv",
    "Django",
    "asyncio",
    "FastAPI",
    "pandas",
    "LLM",
    "Rust",
    "GIL",
    "type+hints",
    "web+scraping",
    "%E7%88%AC%E8%99%AB",                   // 爬虫
    "%E5%BC%82%E6%AD%A5",                   // 异步
    "%E6%80%A7%E8%83%BD%E4%BC%98%E5%8C%96", // 性能优化
    "%E7%B1%BB%E5%9E%8B%E6%8F%90%E7%A4%BA", // 类型提示
    "Python+3.13",
    "free-threading",
];

fn main() -> anyhow::Result<()> {
    let mut addr: Option<SocketAddr> = None;
    let mut clients = 32usize;
    let mut seconds = 20u64;
    let mut path = "/search?q=".to_string();
    let mut queries: Vec<String> = QUERIES.iter().map(|q| q.to_string()).collect();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--addr" => addr = Some(value()?.parse().context("--addr: give HOST:PORT")?),
            "--clients" => clients = value()?.parse().context("--clients: give a number")?,
            "--seconds" => seconds = value()?.parse().context("--seconds: give a number")?,
            "--path" => path = value()?,
            "--queries" => queries = value()?.split(',').map(str::to_string).collect(),
            other => {
                bail!("unknown argument `{other}` (--addr HOST:PORT [--clients N] [--seconds S] [--path P] [--queries A,B,…])")
            }
        }
    }
    let addr = addr.context("give --addr HOST:PORT of a running `weeklens serve`")?;
    if !addr.ip().is_loopback() {
        bail!("--addr {addr}: the load test runs over loopback only");
    }
    if !(1..=1024).contains(&clients) || !(1..=600).contains(&seconds) {
        bail!("give 1 to 1024 clients and 1 to 600 seconds");
    }
    let end = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    if queries.iter().any(String::is_empty) {
        bail!("--queries: give words separated by commas, URL-encoded");
    }
    let queries = std::sync::Arc::new(queries);
    let workers: Vec<_> = (0..clients)
        .map(|c| {
            let path = path.clone();
            let queries = std::sync::Arc::clone(&queries);
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                let mut errors = 0u64;
                let mut i = c;
                while Instant::now() < end {
                    let target = format!("{path}{}", queries[i % queries.len()]);
                    i += 1;
                    let t = Instant::now();
                    match get(addr, &target) {
                        Ok(200) => latencies.push(t.elapsed()),
                        _ => errors += 1,
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for w in workers {
        let (l, e) = w
            .join()
            .map_err(|_| anyhow::anyhow!("a client thread panicked"))?;
        latencies.extend(l);
        errors += e;
    }
    let took = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q).ceil() as usize).saturating_sub(1))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "{clients} clients, {took:.1} s: {} requests answered 200 ({:.0}/s), {errors} errors\n\
         latency ms: p50 {:.1}  p95 {:.1}  p99 {:.1}  max {:.1}",
        latencies.len(),
        latencies.len() as f64 / took,
        at(0.50),
        at(0.95),
        at(0.99),
        at(1.0)
    );
    if errors > 0 {
        bail!("{errors} request(s) failed");
    }
    Ok(())
}

/// One GET on a new connection; the reply's status.
fn get(addr: SocketAddr, target: &str) -> std::io::Result<u16> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply)?;
    let head = String::from_utf8_lossy(&reply[..reply.len().min(32)]).into_owned();
    head.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status in {head:?}")))
}
