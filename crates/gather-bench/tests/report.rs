//! Renders the HTML report of a real run of the fixture `tests/fixtures/gb-user` in headless
//! Chromium (Debian's `chromium`; `scripts/setup-chromium.sh` installs it) and checks that the
//! plots are in the rendered page.

use std::path::Path;
use std::process::Command;

use gather_test_support::{cargo, fixture, repo, success_stdout};

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// The DOM after Chromium has loaded and laid out the page.
fn render(browser: &str, page: &Path, screenshot: Option<&Path>) -> String {
    let url = format!("file://{}", page.display());
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--window-size=1100,1400",
    ]);
    match screenshot {
        Some(png) => cmd.arg(format!("--screenshot={}", png.display())),
        None => cmd.arg("--dump-dom"),
    };
    let out = cmd.arg(&url).output().expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed on {url}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `<svg ... data-plot="kind" ...>...</svg>` elements of a DOM dump.
fn plots<'a>(dom: &'a str, kind: &str) -> Vec<&'a str> {
    let marker = format!("data-plot=\"{kind}\"");
    let mut found = Vec::new();
    let mut rest = dom;
    while let Some(at) = rest.find(&marker) {
        let start = rest[..at].rfind("<svg").expect("inside an svg tag");
        let end = at + rest[at..].find("</svg>").expect("closed") + "</svg>".len();
        found.push(&rest[start..end]);
        rest = &rest[end..];
    }
    found
}

#[test]
fn the_report_renders_with_its_plots() {
    let Some(browser) = chromium() else {
        // CI must check this: there, a missing browser is a failure.
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is not installed: run scripts/setup-chromium.sh"
        );
        eprintln!("chromium is not installed (scripts/setup-chromium.sh): report not rendered");
        return;
    };
    // Results of its own (GATHER_BENCH_DIR), so that the report holds only this test's runs.
    let out_dir = repo().join("target/gather-bench-report-test");
    let _ = std::fs::remove_dir_all(&out_dir);
    let run = |extra: &[&str], cost: &str| {
        let mut args = vec![
            "bench",
            "-q",
            "--bench",
            "speed",
            "--",
            "--sample-count",
            "30",
            "--measurement-time",
            "100ms",
            "--warm-up-time",
            "20ms",
            "--nresamples",
            "1000",
        ];
        args.extend(extra);
        let out = cargo(fixture("gb-user"))
            .args(&args)
            .env("GATHER_BENCH_DIR", &out_dir)
            .env("GB_USER_COST", cost)
            .output()
            .expect("cargo runs");
        success_stdout(&out);
    };
    run(&["--save-baseline", "before"], "2000");
    run(&["--baseline", "before"], "3000");

    let report = out_dir.join("report");
    let top = render(browser, &report.join("index.html"), None);
    assert!(
        top.contains("<a href=\"speed/index.html\">speed</a>"),
        "{top}"
    );

    let index = render(browser, &report.join("speed/index.html"), None);
    let small = plots(&index, "distribution");
    assert_eq!(small.len(), 11, "one small plot per measured benchmark");
    for svg in &small {
        assert!(svg.contains("<rect class=\"bar current\""), "{svg}");
    }
    assert!(index.contains("regressed"), "the change column: {index}");

    let page = render(browser, &report.join("speed/tunable.html"), None);
    let dist = plots(&page, "distribution");
    assert_eq!(dist.len(), 1);
    assert!(dist[0].contains("data-samples=\"30\""));
    let bars = dist[0].matches("<rect class=\"bar current\"").count();
    assert!(bars >= 2, "{}", dist[0]);
    let order = plots(&page, "samples");
    assert_eq!(order.len(), 1);
    assert_eq!(order[0].matches("<circle class=\"sample\"").count(), 30);
    let cmp = plots(&page, "comparison");
    assert_eq!(cmp.len(), 1, "baseline against current");
    assert!(cmp[0].contains("<rect class=\"bar baseline\""));
    assert!(cmp[0].contains("<rect class=\"bar current\""));
    assert_eq!(cmp[0].matches("class=\"median").count(), 2);
    assert!(page.contains("Against baseline <code>before</code>"));

    // A screenshot: the page lays out to a real image.
    let png = out_dir.join("tunable.png");
    render(browser, &report.join("speed/tunable.html"), Some(&png));
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 10_000);
}
