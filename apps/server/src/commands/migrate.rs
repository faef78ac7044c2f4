use db::Database;

use crate::settings::Settings;

pub fn run(settings: &Settings) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(&settings.data_dir)?;
    let database = Database::connect(&settings.database_url())?;
    println!("database ({}) is up to date", database.backend_name());
    Ok(())
}
