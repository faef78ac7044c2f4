//! `netsmith openapi`: the document `/api/schema/` serves, without starting a server.

pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    println!("{}", crate::openapi::document().to_pretty_json()?);
    Ok(())
}
