//! The signing secret: from settings, or generated once and kept under the data folder
//! (readable by the owner only), so keys survive restarts.

use std::io::Write;

use rand::Rng;

use crate::settings::Settings;

pub fn load_or_create(settings: &Settings) -> std::io::Result<Vec<u8>> {
    if let Some(secret) = settings.secret_key.as_ref().filter(|s| !s.is_empty()) {
        return Ok(secret.as_bytes().to_vec());
    }
    let path = settings.data_dir.join("secret_key");
    match std::fs::read_to_string(&path) {
        Ok(text) if !text.trim().is_empty() => return Ok(text.trim().as_bytes().to_vec()),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let secret: String = (0..64)
        .map(|_| format!("{:x}", rand::rng().random_range(0..16u8)))
        .collect();
    let partial = settings.data_dir.join(".secret_key.tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(&partial)?.write_all(secret.as_bytes())?;
    std::fs::rename(&partial, &path)?;
    tracing::info!(path = %path.display(), "generated a new secret key");
    Ok(secret.into_bytes())
}
