use accounts::validate::{PasswordContext, validate_password, validate_username};
use common::FieldErrors;
use db::Database;

use crate::cli::CreateUser;
use crate::settings::Settings;

pub fn run(settings: &Settings, args: &CreateUser) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(&settings.data_dir)?;
    let database = Database::connect(&settings.database_url())?;
    let accounts = crate::app::account_service(settings, database)?;

    let mut errors = FieldErrors::new();
    errors.extend("username", validate_username(&args.username));
    accounts.check_new_email(&args.email, &mut errors);
    let context = PasswordContext {
        username: Some(&args.username),
        email: Some(&args.email),
        ..Default::default()
    };
    errors.extend("password", validate_password(&args.password, &context));
    if !errors.is_empty() {
        return Err(format!("cannot create the user: {errors}").into());
    }
    let user = accounts.create_user(
        &args.username,
        &args.email,
        &args.password,
        args.verified,
        args.admin,
    )?;
    println!("created user {} (id {})", user.username, user.id);
    Ok(())
}
