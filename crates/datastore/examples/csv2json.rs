//! Converts a CSV file to the JSON served by `GET /data/<id>/` and reports the throughput.
//!
//! Usage: `csv2json INPUT.csv OUTPUT.json [offset] [limit]`

use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::process::ExitCode;
use std::time::Instant;

use datastore::csv_json::{Page, csv_to_json};

const BUFFER: usize = 1 << 20;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("csv2json: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output, rest @ ..] = args.as_slice() else {
        return Err("usage: csv2json INPUT.csv OUTPUT.json [offset] [limit]".into());
    };
    let page = Page {
        offset: rest.first().map(|s| s.parse()).transpose()?.unwrap_or(0),
        limit: rest.get(1).map(|s| s.parse()).transpose()?,
    };
    let file = File::open(input)?;
    let size = file.metadata()?.len();
    let reader = BufReader::with_capacity(BUFFER, file);
    let writer = BufWriter::with_capacity(BUFFER, File::create(output)?);
    let start = Instant::now();
    let summary = csv_to_json(reader, writer, page)?;
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "{} rows written ({} skipped) from {:.1} MB in {:.3} s: {:.1} MB/s",
        summary.rows_written,
        summary.rows_skipped,
        size as f64 / 1e6,
        secs,
        size as f64 / 1e6 / secs
    );
    Ok(())
}
