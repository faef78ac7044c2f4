use crate::app::Application;
use crate::settings::Settings;

pub fn run(settings: &Settings) -> Result<(), Box<dyn std::error::Error>> {
    actix_web::rt::System::new().block_on(async {
        let app = Application::build(settings)?;
        // Tests and scripts read this line to learn the port when binding to port 0.
        tracing::info!(address = %app.address(), "listening on http://{}", app.address());
        app.run().await?;
        Ok(())
    })
}
