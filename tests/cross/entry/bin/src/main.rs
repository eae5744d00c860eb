//! Prints the fixture's report line; exit status 0 if every registry holds what it must.
//! Build with exactly one of the features `gather`, `linkme`, `inventory`.

#[cfg(feature = "gather")]
use fixture_gather as fixture;
#[cfg(feature = "inventory")]
use fixture_inventory as fixture;
#[cfg(feature = "linkme")]
use fixture_linkme as fixture;

fn main() {
    let report = fixture::check();
    println!("{report}");
    std::process::exit(if report.status() == 0 { 0 } else { 1 });
}
