//! The demo on a host (or wasm32-wasip1):
//!
//! - no argument: runs the program into a buffer and decodes it with its own table;
//! - `--emit`: runs it and prints the stream as hex (what a device would send);
//! - `--decode`: reads such hex on stdin and decodes it (the host side of a device);
//! - `--measure`: bytes per message and time per call, against formatting with `core::fmt`.

use std::io::Read;
use std::sync::Mutex;

static STREAM: Mutex<Vec<u8>> = Mutex::new(Vec::new());

fn to_buffer(bytes: &[u8]) {
    STREAM.lock().unwrap().extend_from_slice(bytes);
}

fn run() -> Vec<u8> {
    tiny_log::set_sink(to_buffer);
    tiny_log_demo::run();
    std::mem::take(&mut STREAM.lock().unwrap())
}

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let stream = match mode.as_str() {
        "--emit" => {
            let hex: String = run().iter().map(|b| format!("{b:02x}")).collect();
            println!("{hex}");
            return;
        }
        "--decode" => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).unwrap();
            let hex: String = text.split_whitespace().collect();
            (0..hex.len() / 2)
                .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
                .collect()
        }
        "--measure" => return measure::table(),
        _ => run(),
    };
    match tiny_log::decode(tiny_log_demo::__TINY_LOG_MESSAGES, &stream) {
        Ok(lines) => lines.iter().for_each(|l| println!("{l}")),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}

mod measure {
    use std::fmt::Write;
    use std::hint::black_box;
    use std::time::Instant;

    fn count(bytes: &[u8]) {
        black_box(bytes);
    }

    /// Nanoseconds per call of `f`, best of 5 runs of `n` calls.
    fn time(n: u32, mut f: impl FnMut()) -> f64 {
        (0..5)
            .map(|_| {
                let start = Instant::now();
                for _ in 0..n {
                    f();
                }
                start.elapsed().as_nanos() as f64 / f64::from(n)
            })
            .fold(f64::INFINITY, f64::min)
    }

    pub fn table() {
        tiny_log::set_sink(count);
        let n = 1_000_000;
        let t = black_box(21i32);
        let host = black_box("example.org");
        let log_temp = time(n, || tiny_log_demo::log_temp(black_box(t)));
        let log_host = time(n, || {
            tiny_log_demo::log_connect(black_box(host), black_box(2u32))
        });
        let mut s = String::with_capacity(64);
        let fmt_temp = time(n, || {
            s.clear();
            write!(s, "temp = {}", black_box(t)).unwrap();
            count(s.as_bytes());
        });
        let fmt_host = time(n, || {
            s.clear();
            write!(
                s,
                "connecting to {} (attempt {})",
                black_box(host),
                black_box(2u32)
            )
            .unwrap();
            count(s.as_bytes());
        });
        let bytes = |f: &dyn Fn()| {
            static LAST: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            fn len(b: &[u8]) {
                LAST.store(b.len(), std::sync::atomic::Ordering::Relaxed);
            }
            tiny_log::set_sink(len);
            f();
            tiny_log::set_sink(count);
            LAST.load(std::sync::atomic::Ordering::Relaxed)
        };
        let temp_bytes = bytes(&|| tiny_log_demo::log_temp(21));
        let host_bytes = bytes(&|| tiny_log_demo::log_connect("example.org", 2));
        println!(
            "| message | tiny-log bytes | text bytes | tiny-log ns/call | core::fmt ns/call |"
        );
        println!("|---|---|---|---|---|");
        println!(
            "| `temp = {{}}` (21) | {temp_bytes} | {} | {log_temp:.1} | {fmt_temp:.1} |",
            "temp = 21".len()
        );
        println!(
            "| `connecting to {{}} (attempt {{}})` | {host_bytes} | {} | {log_host:.1} | {fmt_host:.1} |",
            "connecting to example.org (attempt 2)".len()
        );
    }
}
